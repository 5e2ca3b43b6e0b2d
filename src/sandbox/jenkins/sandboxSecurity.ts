import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Who is calling and what they may do, with Jenkins' rules (reference §1.3, §1.4, §4.1): HTTP Basic with
 * an API token or a password sent pre-emptively, wrong credentials → 401, anonymous lacking Overall/Read
 * → 403 (never a 401 challenge), and crumbs hashed from user name + HTTP session id, required on POSTs
 * except from API-token callers.
 */

export type SandboxPermission =
  | 'Overall/Read'
  | 'Overall/Administer'
  | 'Agent/Create'
  | 'Agent/Delete'
  | 'Agent/Configure'
  | 'Agent/Connect'
  | 'Agent/Disconnect'
  | 'Agent/ExtendedRead'
  | 'Agent/Build'
  | 'Job/Cancel';

/** Jenkins' permission ids, as sent in `X-Required-Permission`. */
export const PERMISSION_IDS: Record<SandboxPermission, string> = {
  'Overall/Read': 'hudson.model.Hudson.Read',
  'Overall/Administer': 'hudson.model.Hudson.Administer',
  'Agent/Create': 'hudson.model.Computer.Create',
  'Agent/Delete': 'hudson.model.Computer.Delete',
  'Agent/Configure': 'hudson.model.Computer.Configure',
  'Agent/Connect': 'hudson.model.Computer.Connect',
  'Agent/Disconnect': 'hudson.model.Computer.Disconnect',
  'Agent/ExtendedRead': 'hudson.model.Computer.ExtendedRead',
  'Agent/Build': 'hudson.model.Computer.Build',
  'Job/Cancel': 'hudson.model.Item.Cancel',
};

/** Which permissions grant another one (Administer grants everything). */
const IMPLIED_BY: Partial<Record<SandboxPermission, SandboxPermission[]>> = {
  'Agent/Connect': ['Agent/Disconnect'],
};

export interface SandboxUser {
  readonly id: string;
  /** Basic auth with the password works but is not exempt from crumbs. */
  readonly password?: string;
  /** Basic auth with one of these is exempt from crumbs. */
  readonly apiTokens?: readonly string[];
  /** Default: Overall/Administer. */
  readonly permissions?: readonly SandboxPermission[];
}

export interface SandboxSecurityOptions {
  readonly users: readonly SandboxUser[];
  /** Whether anonymous callers have Overall/Read; default false (the usual "logged-in users can do anything"). */
  readonly anonymousRead?: boolean;
}

export type Identity =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'user'; readonly user: SandboxUser; readonly via: 'token' | 'password' };

export function identityName(identity: Identity): string {
  return identity.kind === 'anonymous' ? 'anonymous' : identity.user.id;
}

/** `null` options = no security realm: everyone is anonymous and may do everything (crumbs still apply). */
export class SandboxSecurity {
  constructor(private readonly options: SandboxSecurityOptions | null) {}

  get enabled(): boolean {
    return this.options !== null;
  }

  /** 'invalid' = Basic credentials that match no user/token/password (Jenkins answers 401). */
  authenticate(authorization: string | undefined): Identity | 'invalid' {
    if (!authorization || !this.options) return { kind: 'anonymous' };
    const match = /^Basic\s+(\S+)\s*$/i.exec(authorization);
    if (!match) return { kind: 'anonymous' };
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return 'invalid';
    const id = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const user = this.options.users.find((u) => u.id === id);
    if (!user) return 'invalid';
    if ((user.apiTokens ?? []).some((token) => safeEqual(token, secret))) return { kind: 'user', user, via: 'token' };
    if (user.password !== undefined && safeEqual(user.password, secret)) return { kind: 'user', user, via: 'password' };
    return 'invalid';
  }

  has(identity: Identity, permission: SandboxPermission): boolean {
    if (!this.options) return true;
    if (identity.kind === 'anonymous') return permission === 'Overall/Read' && this.options.anonymousRead === true;
    const granted = identity.user.permissions ?? ['Overall/Administer'];
    if (granted.includes('Overall/Administer') || granted.includes(permission)) return true;
    return (IMPLIED_BY[permission] ?? []).some((p) => granted.includes(p));
  }

  /** The ids Jenkins lists in `X-Permission-Implied-By` for a missing permission. */
  impliedBy(permission: SandboxPermission): string[] {
    const ids = (IMPLIED_BY[permission] ?? []).map((p) => PERMISSION_IDS[p]);
    return permission === 'Overall/Administer' ? ids : [...ids, PERMISSION_IDS['Overall/Administer']];
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * HTTP sessions (cookie `JSESSIONID.<instance>`) and the default crumb issuer:
 * crumb = hex(SHA-256(user name + ";" + session id + salt)). Expiring crumbs rotates the salt, which is
 * what a controller restart or a lost session does to a client's crumb.
 */
export class CrumbIssuer {
  readonly cookieName = `JSESSIONID.${randomBytes(4).toString('hex')}`;
  readonly requestField: string;
  private readonly sessions = new Set<string>();
  private salt = randomBytes(16).toString('hex');

  constructor(requestField = 'Jenkins-Crumb') {
    this.requestField = requestField;
  }

  /** The session id carried by the request's cookies, if this controller knows it. */
  sessionFrom(cookieHeader: string | undefined): string | null {
    if (!cookieHeader) return null;
    for (const part of cookieHeader.split(';')) {
      const eq = part.indexOf('=');
      if (eq < 0) continue;
      if (part.slice(0, eq).trim() !== this.cookieName) continue;
      const id = part.slice(eq + 1).trim();
      if (this.sessions.has(id)) return id;
    }
    return null;
  }

  newSession(): string {
    const id = `node0${randomBytes(12).toString('hex')}`;
    this.sessions.add(id);
    return id;
  }

  setCookieHeader(sessionId: string): string {
    return `${this.cookieName}=${sessionId}; Path=/; HttpOnly`;
  }

  issue(userName: string, sessionId: string): string {
    return createHash('sha256').update(`${userName};${sessionId}`, 'utf8').update(this.salt, 'ascii').digest('hex');
  }

  validate(userName: string, sessionId: string | null, crumb: string | undefined): boolean {
    if (!crumb || sessionId === null) return false;
    return safeEqual(this.issue(userName, sessionId), crumb);
  }

  /** Invalidates every crumb handed out so far (and forgets the sessions, as a restart would). */
  expireAll(): void {
    this.salt = randomBytes(16).toString('hex');
    this.sessions.clear();
  }
}
