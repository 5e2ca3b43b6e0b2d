/**
 * A URL as it may appear in messages, logs and error fields: without user name and password. Every URL that
 * leaves the HTTP layer goes through here, which is what keeps secrets out of errors.
 */
export function displayUrl(url: URL | string): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    // Not a URL: drop anything that looks like userinfo rather than echo it.
    return String(url).replace(/\/\/[^/@]*@/, '//');
  }
  parsed.username = '';
  parsed.password = '';
  const text = parsed.href;
  // A base URL reads better without the bare trailing slash that URL adds to an empty path.
  return parsed.pathname === '/' && !parsed.search && !parsed.hash ? text.slice(0, -1) : text;
}
