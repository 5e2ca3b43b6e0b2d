import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';

/** principal -> secret; undefined = authentication off. */
export type Credentials = ReadonlyMap<string, string> | undefined;

export type AuthResult = { ok: true; principal?: string } | { ok: false; status: 401; reason: string };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * HTTP Basic as Mesos's default `basic` authenticator does it (reference §9.1): with credentials
 * configured, a request without valid ones gets 401 and a `WWW-Authenticate: Basic realm="mesos"`.
 */
export function authenticate(req: IncomingMessage, credentials: Credentials): AuthResult {
  if (!credentials) return { ok: true };
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return { ok: false, status: 401, reason: 'Missing credentials' };
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const principal = colon < 0 ? decoded : decoded.slice(0, colon);
  const secret = colon < 0 ? '' : decoded.slice(colon + 1);
  const expected = credentials.get(principal);
  if (expected === undefined || !same(expected, secret)) return { ok: false, status: 401, reason: 'Invalid credentials' };
  return { ok: true, principal };
}

export const WWW_AUTHENTICATE = 'Basic realm="mesos"';
