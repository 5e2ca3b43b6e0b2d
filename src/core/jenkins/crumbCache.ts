import { getSetCookies } from 'undici';

/** A crumb as `crumbIssuer/api/json` hands it out: sent as the header `<field>: <crumb>`. */
export interface Crumb {
  /** `Jenkins-Crumb` unless the controller renamed it; always taken from the response. */
  readonly field: string;
  readonly crumb: string;
}

/**
 * What a POST carries for CSRF protection: the crumb (if one was fetched) and the session cookies it is
 * bound to. One immutable value per fetch, so a request never pairs one fetch's crumb with another's cookie.
 */
export interface CrumbSnapshot {
  readonly crumb: Crumb | undefined;
  /** `Cookie` header value, or undefined when Jenkins set none. */
  readonly cookie: string | undefined;
  /** Changes with every update; tells whether someone refreshed since this snapshot was taken. */
  readonly generation: number;
}

/**
 * The client's CSRF state (reference §1.4). Requests with an API token are exempt from crumbs, so none is
 * fetched until Jenkins asks (a 403 "No valid crumb"); from then on every POST carries the cached crumb.
 * A crumb is tied to the HTTP session (user name + session id), so the session cookies that came with it
 * are kept and sent back; a restart or an expired session invalidates both, and `clear()` drops them.
 * Cookies are session credentials: they are never logged.
 */
export class CrumbCache {
  private state: CrumbSnapshot = { crumb: undefined, cookie: undefined, generation: 0 };
  private readonly cookies = new Map<string, string>();

  current(): CrumbSnapshot {
    return this.state;
  }

  /** Headers for a POST with this snapshot: the crumb header and the session cookie, when there are any. */
  static headers(snapshot: CrumbSnapshot): Record<string, string> {
    const headers: Record<string, string> = {};
    if (snapshot.crumb) headers[snapshot.crumb.field] = snapshot.crumb.crumb;
    if (snapshot.cookie !== undefined) headers.cookie = snapshot.cookie;
    return headers;
  }

  /** Takes the cookies a response set (the session a crumb is bound to); returns the new `Cookie` value. */
  rememberCookies(headers: Headers): string | undefined {
    // undici's Headers type and the global one differ only in iterator typings.
    for (const cookie of getSetCookies(headers as unknown as Parameters<typeof getSetCookies>[0])) {
      const expired =
        (cookie.maxAge !== undefined && cookie.maxAge <= 0) ||
        (cookie.expires instanceof Date && cookie.expires.getTime() <= Date.now());
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return this.cookieHeader();
  }

  /** The `Cookie` header value for the cookies held now (for the crumb request itself). */
  cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Stores a freshly fetched crumb (undefined: Jenkins has no crumb issuer) with the cookies held now. */
  store(crumb: Crumb | undefined): CrumbSnapshot {
    this.state = { crumb, cookie: this.cookieHeader(), generation: this.state.generation + 1 };
    return this.state;
  }

  /** Whether someone stored a crumb since `snapshot` was taken (then use `current()` instead of fetching). */
  isNewerThan(snapshot: CrumbSnapshot): boolean {
    return this.state.generation !== snapshot.generation;
  }

  /** Forgets crumb and session, e.g. after Jenkins restarted (a new `X-Jenkins-Session`). */
  clear(): void {
    this.cookies.clear();
    this.state = { crumb: undefined, cookie: undefined, generation: this.state.generation + 1 };
  }
}
