import { looksLikeHtml, summariseBody } from '../http/describeBody';
import { displayUrl } from '../http/displayUrl';
import { HttpStatusError } from '../http/errors';
import { resolveRedirect } from '../http/resolveRedirect';
import { JenkinsError } from './jenkinsError';
import { permissionTitle } from './jenkinsPermission';
import { isLoginLocation, looksLikeLoginPage } from './loginPage';

/** A response as the client sees it (status, headers, the buffered body). */
export interface JenkinsResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

/** What the client was doing when the response came, for messages a user can act on. */
export interface JenkinsRequestContext {
  /** Jenkins' base URL, without credentials. */
  readonly endpoint: string;
  readonly method: string;
  /** The request URL (credentials are never in it). */
  readonly url: URL;
  /** A phrase completing "when asked to …": "read the build queue". */
  readonly operation: string;
  /** The permission the operation needs, named when Jenkins does not say which one it missed. */
  readonly permission?: string;
  /** What a 404 means for this request ("the agent node ‘x’"), and what to do about it. */
  readonly missing?: { readonly what: string; readonly nextStep: string };
  /** The configured user name (not a secret), for messages. */
  readonly user?: string;
  readonly sentCredentials: boolean;
}

const SET_CREDENTIALS = 'Set Credentials…';

/** Jenkins answers a POST without a (valid) crumb with 403 and this text (reference §1.4). */
export function isCrumbRefusal(response: JenkinsResponse): boolean {
  if (response.status !== 403) return false;
  const text = Buffer.from(response.body.subarray(0, 64 * 1024)).toString('utf8');
  return /No valid crumb/i.test(text) || /No valid crumb/i.test(response.statusText);
}

/** Where a 3xx points, resolved against the request URL; undefined when it has no usable Location. */
export function redirectTarget(response: JenkinsResponse, from: URL): URL | undefined {
  const location = response.headers.get('location');
  if (location === null) return undefined;
  try {
    return resolveRedirect(location, from);
  } catch {
    return undefined;
  }
}

/** A 3xx whose Location is a login or single sign-on page. */
export function isLoginRedirect(response: JenkinsResponse, from: URL): boolean {
  if (response.status < 300 || response.status >= 400) return false;
  const target = redirectTarget(response, from);
  return target !== undefined && isLoginLocation(target);
}

/** A 2xx HTML page that is a login form (a single sign-on front-end answering for Jenkins). */
export function isLoginPage(response: JenkinsResponse): boolean {
  const contentType = response.headers.get('content-type');
  if (!looksLikeHtml(contentType, response.body)) return false;
  return looksLikeLoginPage(Buffer.from(response.body.subarray(0, 64 * 1024)).toString('utf8'));
}

/**
 * Jenkins' reason for a refusal: `X-Error` (400s carry it, reference §1.5), else the sentence of an
 * access-denied page that names the missing permission, else the page title or text.
 */
export function jenkinsReason(response: JenkinsResponse): string {
  const header = response.headers.get('x-error');
  if (header) return decodeHeaderText(header).trim();
  const contentType = response.headers.get('content-type');
  const html = looksLikeHtml(contentType, response.body);
  if (html) {
    const raw = Buffer.from(response.body.subarray(0, 64 * 1024)).toString('utf8');
    const missing = /[^<>]*\bis missing the [^<>]+ permission/.exec(raw)?.[0];
    if (missing) return missing.trim();
  }
  const { text } = summariseBody(contentType, response.body);
  return text.replace(/\s*\[Jenkins\]$/, '');
}

/** The JenkinsError for a response that is not what the operation expected. */
export function jenkinsErrorFromResponse(response: JenkinsResponse, context: JenkinsRequestContext): JenkinsError {
  const { status } = response;
  const reason = jenkinsReason(response);
  const url = displayUrl(context.url);
  const at = `Jenkins at ${context.endpoint}`;
  const request = `${context.method} ${url}`;
  const target = status >= 300 && status < 400 ? redirectTarget(response, context.url) : undefined;
  const location = target === undefined ? (response.headers.get('location') ?? undefined) : displayUrl(target);
  const cause = new HttpStatusError({
    endpoint: context.endpoint,
    peer: 'Jenkins',
    method: context.method,
    url,
    status,
    statusText: response.statusText,
    reason,
    html: looksLikeHtml(response.headers.get('content-type'), response.body),
    sentCredentials: context.sentCredentials,
    location: response.headers.get('location') ?? undefined,
    redirectTo: target?.href,
  });
  const base = {
    operation: context.operation,
    endpoint: context.endpoint,
    method: context.method,
    url,
    status,
    reason,
    location,
    cause,
  };
  const who = context.user ? `the user ‘${context.user}’` : 'this client';
  const statusLine = `${status}${response.statusText ? ` ${response.statusText}` : ''}`;

  if (status >= 300 && status < 400) {
    if (target !== undefined && isLoginLocation(target)) return loginRequiredError(response, context);
    const moved =
      target !== undefined && target.pathname === context.url.pathname && target.origin !== context.url.origin;
    return new JenkinsError({
      ...base,
      kind: 'redirect',
      summary:
        `${at} answered the request to ${context.operation} with a redirect (${statusLine}) to ` +
        `${location ?? 'nowhere (no Location header)'} instead of answering it`,
      nextStep: moved
        ? `Set the Jenkins URL to ${displayUrl(new URL('/', target))} (the same path, another scheme, host or port)`
        : 'Check the Jenkins URL: it should be the root of Jenkins itself, not of something in front of it',
      retryable: false,
    });
  }

  switch (status) {
    case 401:
      return new JenkinsError({
        ...base,
        kind: 'unauthorized',
        summary: context.sentCredentials
          ? `${at} refused the credentials of ${who} (401 Unauthorized) when asked to ${context.operation}`
          : `${at} wants credentials (401 Unauthorized) to ${context.operation}, and none are configured`,
        nextStep: context.sentCredentials
          ? `Check the Jenkins user and API token (${SET_CREDENTIALS}): a wrong, revoked or expired API token answers 401`
          : `Set the Jenkins user and an API token (${SET_CREDENTIALS})`,
        retryable: false,
      });
    case 403: {
      const required = response.headers.get('x-required-permission') ?? context.permission;
      const as = response.headers.get('x-you-are-authenticated-as');
      if (as === 'anonymous') {
        return new JenkinsError({
          ...base,
          kind: 'anonymous',
          permission: required,
          summary:
            `${at} treated the request to ${context.operation} as anonymous and refused it (403 Forbidden` +
            `${required ? `; it needs ${permissionTitle(required)}` : ''})`,
          nextStep: context.sentCredentials
            ? 'Credentials were sent but reached Jenkins as anonymous: check that no proxy in between drops the ' +
              'Authorization header'
            : `Set the Jenkins user and an API token (${SET_CREDENTIALS}); Jenkins never asks for them, so they ` +
              'must be configured up front',
          retryable: false,
        });
      }
      if (isCrumbRefusal(response)) {
        return new JenkinsError({
          ...base,
          kind: 'crumb',
          summary:
            `${at} refused to ${context.operation}: no valid crumb was included in the request (403), even with a ` +
            'freshly fetched crumb',
          nextStep:
            'Use an API token rather than a password (requests with an API token need no crumb); if a proxy in ' +
            'between drops cookies or the crumb header, fix that',
          retryable: false,
        });
      }
      const title = required ? permissionTitle(required) : undefined;
      const implied = (response.headers.get('x-permission-implied-by') ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')
        .map(permissionTitle);
      return new JenkinsError({
        ...base,
        kind: 'forbidden',
        permission: required,
        summary:
          `${who.charAt(0).toUpperCase()}${who.slice(1)} may not ${context.operation} on ${at}: ` +
          (title ? `the ${title} permission is missing` : 'permission denied') +
          ` (403 Forbidden${reason ? `: ${reason}` : ''})`,
        nextStep: title
          ? `Ask a Jenkins administrator to grant ${title} (${required})` +
            `${implied.length > 0 ? ` or ${implied.join(' or ')}` : ''} to ${who}, or use a user that has it`
          : `Ask a Jenkins administrator which permission ${who} lacks, or use a user that has it`,
        retryable: false,
      });
    }
    case 404:
      return new JenkinsError({
        ...base,
        kind: 'not-found',
        summary: `${at} has no ${context.missing?.what ?? `page at ${url}`} (404 Not Found for ${request})`,
        nextStep: context.missing?.nextStep ?? 'Check the Jenkins URL, including any path prefix such as /jenkins/',
        retryable: false,
      });
    case 400:
      if (/already exists/i.test(reason)) {
        return new JenkinsError({
          ...base,
          kind: 'already-exists',
          summary: `${at} refused to ${context.operation}: ${reason}`,
          nextStep:
            'Pick a new, unique node name (for example with a fresh random suffix): a name must never be reused, ' +
            'because its agent secret depends only on the name',
          retryable: false,
        });
      }
      return new JenkinsError({
        ...base,
        kind: 'bad-request',
        summary: `${at} refused to ${context.operation} (400 Bad Request${reason ? `: ${reason}` : ''})`,
        nextStep: 'The reason says what Jenkins found wrong with the request; fix that and try again',
        retryable: false,
      });
  }
  if (status >= 500 && status < 600) {
    return new JenkinsError({
      ...base,
      kind: 'server-error',
      summary: `${at} failed to ${context.operation} (${statusLine}${reason ? `: ${reason}` : ''})`,
      nextStep:
        status === 502 || status === 503 || status === 504
          ? 'Retry later: Jenkins (or the proxy in front of it) is starting, restarting or overloaded'
          : 'Retry later; if it persists, look for the error in the Jenkins system log (Manage Jenkins › System Log)',
      retryable: true,
    });
  }
  return new JenkinsError({
    ...base,
    kind: 'unexpected-status',
    summary: `${at} answered ${statusLine} when asked to ${context.operation}${reason ? ` (${reason})` : ''}`,
    nextStep: 'Check that the URL points at Jenkins and that Jenkins is recent enough (2.264 or later)',
    retryable: false,
  });
}

/** A login page (or redirect to one) answering in place of the API. */
export function loginRequiredError(response: JenkinsResponse, context: JenkinsRequestContext): JenkinsError {
  const target = redirectTarget(response, context.url);
  const what =
    response.status >= 300 && response.status < 400
      ? `a redirect to the login page ${target ? displayUrl(target) : (response.headers.get('location') ?? '')}`
      : 'a login page instead of the API';
  return new JenkinsError({
    ...baseOf(response, context),
    kind: 'login-required',
    location: target ? displayUrl(target) : undefined,
    summary: `Jenkins at ${context.endpoint} answered the request to ${context.operation} with ${what}`,
    nextStep: context.sentCredentials
      ? `The single sign-on in front of Jenkins did not accept the user and API token: check them (${SET_CREDENTIALS}), ` +
        'and ask for the Jenkins API to accept Basic authentication with an API token'
      : `Set the Jenkins user and an API token (${SET_CREDENTIALS}); without them the request goes to the login page`,
    retryable: false,
  });
}

/** A 2xx whose body is not what was asked for: HTML (not a login form) or text instead of JSON or JNLP. */
export function unexpectedBodyError(
  response: JenkinsResponse,
  context: JenkinsRequestContext,
  expected: 'JSON' | 'a JNLP file',
): JenkinsError {
  const contentType = response.headers.get('content-type') ?? undefined;
  // A JNLP body holds the agent secret: describe it, never quote it.
  const { text: raw, html } =
    expected === 'JSON'
      ? summariseBody(contentType, response.body)
      : { text: '', html: looksLikeHtml(contentType, response.body) };
  const text = raw.replace(/\s*\[Jenkins\]$/, '');
  const got = html
    ? `an HTML page${text ? ` (${JSON.stringify(text)})` : ''}`
    : `${contentType ?? 'a body without Content-Type'}${text ? ` (${JSON.stringify(text.slice(0, 120))})` : ''}`;
  return new JenkinsError({
    ...baseOf(response, context),
    kind: expected === 'JSON' ? 'not-json' : 'bad-response',
    reason: text,
    summary: `Jenkins at ${context.endpoint} answered the request to ${context.operation} with ${got} instead of ${expected}`,
    nextStep:
      'Check that the Jenkins URL points at Jenkins itself (including any path prefix such as /jenkins/), not at a ' +
      'proxy page or another site',
    retryable: false,
  });
}

/** A body of the right type but the wrong shape (a JSON key of the wrong type, a JNLP file without secret). */
export function badResponseError(
  response: JenkinsResponse,
  context: JenkinsRequestContext,
  problem: Error,
): JenkinsError {
  return new JenkinsError({
    ...baseOf(response, context),
    kind: 'bad-response',
    cause: problem,
    summary: `Jenkins at ${context.endpoint} answered the request to ${context.operation} with something Jenkins does not send: ${problem.message}`,
    nextStep: 'Check that the URL points at Jenkins (2.264 or later); if it does, report this with the Jenkins version',
    retryable: false,
  });
}

function baseOf(response: JenkinsResponse, context: JenkinsRequestContext) {
  return {
    operation: context.operation,
    endpoint: context.endpoint,
    method: context.method,
    url: displayUrl(context.url),
    status: response.status,
  };
}

/** Header values arrive as Latin-1; Jenkins and the sandbox send UTF-8 bytes (curly quotes in `X-Error`). */
function decodeHeaderText(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value)) return value;
  const decoded = Buffer.from(value, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? value : decoded;
}
