import { displayUrl } from './displayUrl';
import { InvalidRedirectError } from './errors';

/** `host:port` with no scheme and no `//`: what the upstream Mesos docs (wrongly) show as a Location. */
const BARE_HOST_PORT = /^[A-Za-z0-9.-]+:\d+(?:[/?#]|$)/;

/**
 * Where a redirect's Location points, resolved against the URL that was requested. Mesos answers
 * `Location: //leader:5050/master/api/v1/scheduler` (scheme-relative: the request's scheme is kept);
 * relative paths resolve as browsers do. The result never carries credentials: the caller adds its own
 * auth to whatever endpoint it builds for the new origin.
 */
export function resolveRedirect(location: string, from: URL): URL {
  const trimmed = location.trim();
  const fail = (why: string) => new InvalidRedirectError({ endpoint: displayUrl(from.origin) }, location, why);
  if (!trimmed) throw fail('is empty');
  const candidate = BARE_HOST_PORT.test(trimmed) && !/^https?:/i.test(trimmed) ? `//${trimmed}` : trimmed;
  let target: URL;
  try {
    target = new URL(candidate, from);
  } catch {
    throw fail('is not a URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw fail(`uses the scheme ${target.protocol}`);
  target.username = '';
  target.password = '';
  return target;
}
