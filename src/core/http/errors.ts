/**
 * The HTTP layer's errors. Each one reads as a sentence for the user (what failed, why, and a next step)
 * and carries machine fields so callers decide without parsing text: `category` says which family,
 * `retryable` whether the same request may succeed later, and each subclass adds its own `kind`.
 *
 * `endpoint` and `url` never hold credentials: they are built by `displayUrl`, and nothing here ever sees a
 * secret, so an error can be logged, shown, or serialised as it is.
 */

export type MesosHttpErrorCategory =
  | 'status'
  | 'connection'
  | 'tls'
  | 'timeout'
  | 'unexpected-response'
  | 'body-too-large'
  | 'aborted'
  | 'config'
  | 'unknown';

export interface MesosHttpErrorInit {
  /** Base URL of the endpoint, without credentials. */
  endpoint: string;
  /** How messages name the peer ("Mesos master", "Jenkins"); defaults to "The server". */
  peer?: string;
  method?: string;
  /** Full request URL, without credentials. */
  url?: string;
  cause?: unknown;
}

export class MesosHttpError extends Error {
  override name = 'MesosHttpError';
  readonly category: MesosHttpErrorCategory = 'unknown';
  readonly endpoint: string;
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** What the user can do about it, also the last sentence of `message`. */
  readonly nextStep: string;
  readonly retryable: boolean;

  constructor(init: MesosHttpErrorInit, summary: string, nextStep: string, retryable: boolean) {
    super(`${summary}. ${nextStep}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.endpoint = init.endpoint;
    this.method = init.method;
    this.url = init.url;
    this.nextStep = nextStep;
    this.retryable = retryable;
  }
}

export type HttpStatusErrorKind =
  | 'redirect'
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'not-acceptable'
  | 'unsupported-media-type'
  | 'client-error'
  | 'unavailable'
  | 'server-error'
  | 'unexpected-status';

export interface HttpStatusErrorInit extends MesosHttpErrorInit {
  status: number;
  statusText: string;
  /** The peer's explanation (Mesos answers errors in text/plain), trimmed to a sane length. */
  reason: string;
  /** True when the body was an HTML page; `reason` then holds its title or text. */
  html: boolean;
  /** Whether the request carried credentials, so a 401 can say "wrong" rather than "missing". */
  sentCredentials: boolean;
  /** For redirects: the raw Location header and where it resolves against the request URL. */
  location?: string;
  redirectTo?: string;
}

export class HttpStatusError extends MesosHttpError {
  override name = 'HttpStatusError';
  override readonly category = 'status';
  readonly kind: HttpStatusErrorKind;
  readonly status: number;
  readonly statusText: string;
  readonly reason: string;
  readonly html: boolean;
  readonly location: string | undefined;
  readonly redirectTo: string | undefined;

  constructor(init: HttpStatusErrorInit) {
    const kind = statusKind(init.status);
    const { explanation, nextStep, retryable } = describeStatus(kind, init);
    const peer = init.peer ?? 'The server';
    const request = init.method && init.url ? ` to ${init.method} ${init.url}` : '';
    const because = init.reason
      ? init.html
        ? ` with an HTML page (${JSON.stringify(init.reason)}; a proxy or login page may be answering)`
        : `: ${init.reason}`
      : '';
    super(
      init,
      `${peer} at ${init.endpoint} answered ${init.status} ${init.statusText}${request}${because} (${explanation})`,
      nextStep,
      retryable,
    );
    this.kind = kind;
    this.status = init.status;
    this.statusText = init.statusText;
    this.reason = init.reason;
    this.html = init.html;
    this.location = init.location;
    this.redirectTo = init.redirectTo;
  }
}

export function statusKind(status: number): HttpStatusErrorKind {
  if (status >= 300 && status < 400) return 'redirect';
  switch (status) {
    case 400:
      return 'bad-request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 406:
      return 'not-acceptable';
    case 415:
      return 'unsupported-media-type';
    case 503:
      return 'unavailable';
  }
  if (status >= 400 && status < 500) return 'client-error';
  if (status >= 500 && status < 600) return 'server-error';
  return 'unexpected-status';
}

function describeStatus(
  kind: HttpStatusErrorKind,
  init: HttpStatusErrorInit,
): { explanation: string; nextStep: string; retryable: boolean } {
  switch (kind) {
    case 'redirect':
      return init.redirectTo
        ? {
            explanation: `redirected to ${init.redirectTo}; a Mesos master that is not the leader redirects to the leader`,
            nextStep: `Send the request to ${init.redirectTo}`,
            retryable: true,
          }
        : {
            explanation: 'a redirect without a usable Location header',
            nextStep: 'Check the URL: it should point at the service itself, not at something in front of it',
            retryable: false,
          };
    case 'bad-request':
      return {
        explanation: 'the request was refused as invalid',
        nextStep:
          'The reason above says what was wrong; if it names a field this client sent, the server may run an ' +
          'incompatible version',
        retryable: false,
      };
    case 'unauthorized':
      return init.sentCredentials
        ? {
            explanation: 'the credentials were refused',
            nextStep: 'Check the principal (user name) and secret (or API token) configured for this endpoint',
            retryable: false,
          }
        : {
            explanation: 'authentication is required and no credentials are configured',
            nextStep: 'Configure a principal (user name) and secret (or API token) for this endpoint',
            retryable: false,
          };
    case 'forbidden':
      return {
        explanation: 'the identity was accepted but is not allowed to do this',
        nextStep: 'Ask an administrator to grant the permission (ACLs), or use a principal that has it',
        retryable: false,
      };
    case 'not-found':
      return {
        explanation: 'no such path or object',
        nextStep: 'Check the URL (including any path prefix) and the name or id you asked for',
        retryable: false,
      };
    case 'not-acceptable':
      return {
        explanation: 'the server cannot answer in any media type the request accepts',
        nextStep: 'Check the Accept header this client sends against what the server version supports',
        retryable: false,
      };
    case 'unsupported-media-type':
      return {
        explanation: "the request body's Content-Type is not accepted",
        nextStep:
          'Send a supported Content-Type exactly (Mesos compares it as a plain string: no "; charset" parameter)',
        retryable: false,
      };
    case 'unavailable':
      return {
        explanation:
          'the service is not ready: a Mesos master that has not finished recovery, or that knows no leader, ' +
          'answers this',
        nextStep: 'Retry with backoff; if it lasts, check that a leader is elected',
        retryable: true,
      };
    case 'server-error':
      return {
        explanation: 'the server failed',
        nextStep: "Retry later; if it persists, check the server's log",
        retryable: true,
      };
    case 'client-error':
      return {
        explanation: 'the request was refused',
        nextStep: 'The status and reason above say why',
        retryable: false,
      };
    case 'unexpected-status':
      return {
        explanation: 'a status this client does not expect here',
        nextStep: 'Check that the URL points at the right service',
        retryable: false,
      };
  }
}

export type ConnectionErrorKind =
  | 'refused' // nothing listens there
  | 'reset' // the connection broke (or the response ended early)
  | 'dns' // the host name does not resolve
  | 'unreachable' // no route to the host or network
  | 'proxy' // the configured proxy failed or refused
  | 'protocol' // the peer did not speak HTTP/1.1
  | 'other';

export class ConnectionError extends MesosHttpError {
  override name = 'ConnectionError';
  override readonly category = 'connection';

  constructor(
    init: MesosHttpErrorInit,
    readonly kind: ConnectionErrorKind,
    /** The system or undici error code (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET, …). */
    readonly code: string | undefined,
    summary: string,
    nextStep: string,
  ) {
    super(init, summary, nextStep, kind !== 'protocol');
  }
}

export type TlsErrorKind = 'untrusted' | 'hostname-mismatch' | 'expired' | 'handshake';

export class TlsError extends MesosHttpError {
  override name = 'TlsError';
  override readonly category = 'tls';

  constructor(
    init: MesosHttpErrorInit,
    readonly kind: TlsErrorKind,
    /** OpenSSL / Node code (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID, …). */
    readonly code: string | undefined,
    summary: string,
    nextStep: string,
  ) {
    super(init, summary, nextStep, false);
  }
}

/** Which clock ran out: connecting, waiting for response headers, silence inside a body, or the caller's deadline. */
export type TimeoutKind = 'connect' | 'headers' | 'body' | 'deadline';

export class TimeoutError extends MesosHttpError {
  override name = 'TimeoutError';
  override readonly category = 'timeout';

  constructor(
    init: MesosHttpErrorInit,
    readonly timeout: TimeoutKind,
    readonly timeoutMs: number | undefined,
    summary: string,
    nextStep: string,
  ) {
    super(init, summary, nextStep, true);
  }
}

export interface UnexpectedResponseErrorInit extends MesosHttpErrorInit {
  status: number;
  /** The Content-Type received (undefined when absent). */
  contentType: string | undefined;
  /** Media types that would have been fine. */
  expected: readonly string[];
  /** For an HTML page its title, otherwise the start of the body, trimmed. */
  snippet: string;
  html: boolean;
}

export class UnexpectedResponseError extends MesosHttpError {
  override name = 'UnexpectedResponseError';
  override readonly category = 'unexpected-response';
  readonly status: number;
  readonly contentType: string | undefined;
  readonly expected: readonly string[];
  readonly snippet: string;
  readonly html: boolean;

  constructor(init: UnexpectedResponseErrorInit) {
    const peer = init.peer ?? 'The server';
    const got = init.html
      ? `an HTML page${init.snippet ? ` (${JSON.stringify(init.snippet)})` : ''}`
      : `${init.contentType ?? 'a body without Content-Type'}${init.snippet ? ` (${JSON.stringify(init.snippet)})` : ''}`;
    const summary =
      `Expected ${init.expected.join(' or ')} from ${peer.toLowerCase() === 'the server' ? 'the server' : peer} at ` +
      `${init.endpoint} but got ${got} with status ${init.status}` +
      (init.method && init.url ? ` for ${init.method} ${init.url}` : '') +
      (init.html ? ': a proxy, single sign-on or login page is answering in its place' : '');
    super(
      init,
      summary,
      init.html
        ? 'Check the URL and the proxy settings, or open the URL in a browser to see what answers'
        : 'Check that the URL points at the right service',
      false,
    );
    this.status = init.status;
    this.contentType = init.contentType;
    this.expected = init.expected;
    this.snippet = init.snippet;
    this.html = init.html;
  }
}

export class BodyTooLargeError extends MesosHttpError {
  override name = 'BodyTooLargeError';
  override readonly category = 'body-too-large';

  constructor(
    init: MesosHttpErrorInit,
    readonly limit: number,
    /** The announced Content-Length, when there was one. */
    readonly announcedBytes: number | undefined,
  ) {
    const peer = init.peer ?? 'The server';
    const size = announcedBytes === undefined ? 'more than' : `${announcedBytes} bytes, over`;
    super(
      init,
      `${peer} at ${init.endpoint} sent a response body of ${size} the limit of ${limit} bytes` +
        (init.method && init.url ? ` for ${init.method} ${init.url}` : ''),
      'Ask for less (a filter, a page, a smaller range), or raise maxBodyBytes if the cluster really is that large',
      false,
    );
  }
}

/** Named AbortError, as fetch's is, so generic `err.name === 'AbortError'` checks keep working. */
export class RequestAbortedError extends MesosHttpError {
  override name = 'AbortError';
  override readonly category = 'aborted';

  constructor(
    init: MesosHttpErrorInit,
    /** `signal`: the caller's AbortSignal fired; `closed`: the endpoint was closed under the request. */
    readonly reason: 'signal' | 'closed',
  ) {
    super(
      init,
      reason === 'signal'
        ? `The request${init.method && init.url ? ` ${init.method} ${init.url}` : ''} was cancelled`
        : `The request${init.method && init.url ? ` ${init.method} ${init.url}` : ''} was stopped because the ` +
            `connection to ${init.endpoint} was closed`,
      'Nothing to do: this was asked for',
      false,
    );
  }
}

export class EndpointConfigError extends MesosHttpError {
  override name = 'EndpointConfigError';
  override readonly category = 'config';

  constructor(
    init: MesosHttpErrorInit,
    /** The option (or request field) that is wrong. */
    readonly field: string,
    summary: string,
    nextStep: string,
  ) {
    super(init, summary, nextStep, false);
  }
}

/** A redirect whose Location cannot be followed: not a URL, or not http(s). */
export class InvalidRedirectError extends MesosHttpError {
  override name = 'InvalidRedirectError';
  override readonly category = 'unexpected-response';

  constructor(
    init: MesosHttpErrorInit,
    /** The Location header as received. */
    readonly location: string,
    why: string,
  ) {
    super(
      init,
      `${init.peer ?? 'The server'} at ${init.endpoint} redirected to ${JSON.stringify(location)}, which ${why}`,
      'Check the URL: something other than the service may be answering (a Mesos master redirects to //host:port/path)',
      false,
    );
  }
}
