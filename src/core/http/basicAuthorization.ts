/**
 * The `Authorization: Basic` value for a principal and secret (Mesos credentials, or a Jenkins user and
 * API token). Sent pre-emptively on every request: Jenkins never challenges anonymous requests, and a
 * Mesos realm that is off ignores it.
 */
export function basicAuthorization(principal: string, secret: string): string {
  return `Basic ${Buffer.from(`${principal}:${secret}`, 'utf8').toString('base64')}`;
}
