/**
 * Every failure of the Jenkins client, in the terms a user (or the autoscaler) acts on. `kind` decides
 * without parsing text; `message` reads as a sentence with the cause and ends with `nextStep`;
 * `cause` keeps the HTTP layer's error (status, URL, raw reason) for the log.
 *
 * - `unauthorized`: 401, the user or API token is wrong, revoked or expired
 * - `anonymous`: 403 and Jenkins says the caller is anonymous: no credentials reached it
 * - `login-required`: a redirect to a login / single sign-on page, or such a page instead of the API
 * - `forbidden`: 403 for an authenticated user lacking a permission (`permission` names it)
 * - `crumb`: 403 "No valid crumb" even with a freshly fetched crumb
 * - `not-found`: 404 (no such node, label page, endpoint or path prefix)
 * - `already-exists`: 400 because a node of that name exists
 * - `bad-request`: any other 400 (Jenkins' reason, from `X-Error`, in `reason`)
 * - `server-error`: 5xx
 * - `redirect`: a 3xx that is not a login page (wrong scheme, moved Jenkins)
 * - `unexpected-status`: any other status
 * - `not-json`: a 2xx whose body is not JSON (an HTML page that is not a login page, plain text)
 * - `bad-response`: JSON or JNLP that does not have the shape Jenkins gives it
 * - `timeout`: no (complete) answer within the client's timeout
 * - `connection`: refused, reset, DNS, proxy, unreachable
 * - `tls`: certificate or handshake failure
 * - `invalid-argument`: a bad argument from the caller, refused before anything was sent
 * - `config`: a bad client setting (URL, CA, user without token)
 * - `other`: anything else (the cause has the detail)
 */
export type JenkinsErrorKind =
  | 'unauthorized'
  | 'anonymous'
  | 'login-required'
  | 'forbidden'
  | 'crumb'
  | 'not-found'
  | 'already-exists'
  | 'bad-request'
  | 'server-error'
  | 'redirect'
  | 'unexpected-status'
  | 'not-json'
  | 'bad-response'
  | 'timeout'
  | 'connection'
  | 'tls'
  | 'invalid-argument'
  | 'config'
  | 'other';

export interface JenkinsErrorInit {
  readonly kind: JenkinsErrorKind;
  /** What the client was doing, as a phrase: "read the build queue", "create the agent node ‘x’". */
  readonly operation: string;
  /** The Jenkins base URL, without credentials. */
  readonly endpoint: string;
  readonly method?: string;
  /** The request URL, without credentials. */
  readonly url?: string;
  readonly status?: number;
  /** Jenkins' own words (`X-Error`, a page title, a body snippet); never a secret. */
  readonly reason?: string;
  /** For `forbidden`: the permission id Jenkins named (`hudson.model.Computer.Create`). */
  readonly permission?: string;
  /** For redirects: where the answer pointed. */
  readonly location?: string;
  /** First part of the message: what happened. */
  readonly summary: string;
  readonly nextStep: string;
  readonly retryable: boolean;
  readonly cause?: unknown;
}

export class JenkinsError extends Error {
  override readonly name = 'JenkinsError';
  readonly kind: JenkinsErrorKind;
  readonly operation: string;
  readonly endpoint: string;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly reason: string;
  readonly permission: string | undefined;
  readonly location: string | undefined;
  /** What the user can do about it; also the last sentence of `message`. */
  readonly nextStep: string;
  /** Whether the same call may succeed later without anyone changing anything. */
  readonly retryable: boolean;

  constructor(init: JenkinsErrorInit) {
    super(`${init.summary}. ${init.nextStep}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.operation = init.operation;
    this.endpoint = init.endpoint;
    this.method = init.method;
    this.url = init.url;
    this.status = init.status;
    this.reason = init.reason ?? '';
    this.permission = init.permission;
    this.location = init.location;
    this.nextStep = init.nextStep;
    this.retryable = init.retryable;
  }

  /** True when fixing the user or API token (Set Credentials…) is the remedy. */
  get needsCredentials(): boolean {
    return this.kind === 'unauthorized' || this.kind === 'anonymous' || this.kind === 'login-required';
  }
}
