import { classifyError } from '../http/classifyError';
import {
  BodyTooLargeError,
  ConnectionError,
  EndpointConfigError,
  InvalidRedirectError,
  type MesosHttpError,
  RequestAbortedError,
  TimeoutError,
  TlsError,
} from '../http/errors';
import { JenkinsError, type JenkinsErrorKind } from './jenkinsError';

export interface JenkinsTransportContext {
  readonly endpoint: string;
  readonly operation: string;
  readonly method?: string;
  readonly url?: string;
  /** The client's own deadline, named when the request ran out of it. */
  readonly timeoutMs?: number;
}

/**
 * The JenkinsError for a request that got no usable response (refused, reset, TLS, timed out, bad
 * setting). A cancellation stays the HTTP layer's RequestAbortedError (named `AbortError`): it is what the
 * caller asked for, not a failure to report.
 */
export function jenkinsErrorFromTransport(
  err: unknown,
  context: JenkinsTransportContext,
): JenkinsError | RequestAbortedError {
  if (err instanceof JenkinsError) return err;
  const http: MesosHttpError = classifyError(err, context.endpoint, {
    peer: 'Jenkins',
    method: context.method,
    url: context.url,
  });
  if (http instanceof RequestAbortedError) return http;
  const base = {
    operation: context.operation,
    endpoint: context.endpoint,
    method: context.method ?? http.method,
    url: context.url ?? http.url,
    cause: http,
  };
  if (http instanceof TimeoutError) {
    const ms = http.timeout === 'deadline' ? context.timeoutMs : (http.timeoutMs ?? context.timeoutMs);
    const clock =
      http.timeout === 'connect'
        ? 'could not be reached'
        : http.timeout === 'body'
          ? 'stopped sending its answer'
          : 'did not answer';
    return new JenkinsError({
      ...base,
      kind: 'timeout',
      summary:
        `Jenkins at ${context.endpoint} ${clock} ${ms === undefined ? 'in time' : `within ${ms} ms`} when asked to ` +
        context.operation,
      nextStep:
        http.timeout === 'connect'
          ? 'Check that Jenkins is up and that no firewall drops the traffic'
          : 'Retry; if Jenkins is merely slow (a big queue, a busy controller), raise the timeout',
      retryable: true,
    });
  }
  const kind: JenkinsErrorKind =
    http instanceof ConnectionError
      ? 'connection'
      : http instanceof TlsError
        ? 'tls'
        : http instanceof EndpointConfigError
          ? 'config'
          : http instanceof InvalidRedirectError
            ? 'redirect'
            : http instanceof BodyTooLargeError
              ? 'bad-response'
              : 'other';
  return new JenkinsError({
    ...base,
    kind,
    summary: `Could not ${context.operation} on Jenkins at ${context.endpoint}: ${summaryOf(http)}`,
    nextStep: http.nextStep,
    retryable: http.retryable,
  });
}

/** The HTTP error's message without its trailing next step (the JenkinsError adds it back once). */
function summaryOf(err: MesosHttpError): string {
  const suffix = `. ${err.nextStep}`;
  return err.message.endsWith(suffix) ? err.message.slice(0, -suffix.length) : err.message;
}
