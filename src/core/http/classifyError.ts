import { displayUrl } from './displayUrl';
import {
  ConnectionError,
  type ConnectionErrorKind,
  MesosHttpError,
  type MesosHttpErrorInit,
  RequestAbortedError,
  TimeoutError,
  TlsError,
  type TlsErrorKind,
} from './errors';

export interface ClassifyContext {
  /** How messages name the peer ("Mesos master", "Jenkins"). */
  peer?: string;
  method?: string;
  url?: string | URL;
  /** The request's signal: once it fired, whatever undici threw is a cancellation. */
  signal?: AbortSignal;
  /** The proxy in use, if any (credentials are stripped before use). */
  proxy?: string | URL;
  /** What the TLS settings were, so the next step fits (a configured CA that does not match, …). */
  tls?: { ca: boolean; insecure: boolean };
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
}

const TLS_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
]);
const TLS_EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH']);

interface CodedError {
  code: string;
  message: string;
  hostname?: string;
  address?: string;
  port?: number;
}

/**
 * Turns whatever undici or Node threw into one of our errors, with a message that says what happened
 * to whom and what to do. Already-classified errors pass through unchanged.
 */
export function classifyError(err: unknown, endpoint: string | URL, context: ClassifyContext = {}): MesosHttpError {
  if (err instanceof MesosHttpError) return err;
  const init: MesosHttpErrorInit = {
    endpoint: displayUrl(endpoint),
    peer: context.peer,
    method: context.method,
    url: context.url === undefined ? undefined : displayUrl(context.url),
    cause: err,
  };
  const at = `${context.peer ?? 'the server'} at ${init.endpoint}`;
  const At = at.charAt(0).toUpperCase() + at.slice(1);
  const request = init.method && init.url ? ` ${init.method} ${init.url}` : '';

  if (context.signal?.aborted) {
    if (isNamed(context.signal.reason, 'TimeoutError')) return deadline(init, request);
    return new RequestAbortedError(init, 'signal');
  }

  const coded = findCodedError(err);
  if (!coded) {
    if (isNamed(err, 'AbortError')) return new RequestAbortedError(init, 'signal');
    if (isNamed(err, 'TimeoutError')) return deadline(init, request);
    return new MesosHttpError(
      init,
      `The request${request} to ${init.endpoint} failed: ${errorText(err)}`,
      'This is not a known network failure; the log has the details',
      false,
    );
  }

  const { code } = coded;
  const host = hostOf(init.url ?? init.endpoint);
  const hostname = hostnameOf(init.url ?? init.endpoint);
  const proxy = context.proxy === undefined ? undefined : displayUrl(context.proxy);
  const viaProxy = proxy !== undefined && coded.port !== undefined && coded.port === portOf(proxy);
  const connection = (kind: ConnectionErrorKind, summary: string, nextStep: string) =>
    new ConnectionError(init, kind, code, summary, nextStep);
  const tls = (kind: TlsErrorKind, summary: string, nextStep: string) =>
    new TlsError(init, kind, code, summary, nextStep);

  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT': {
      const ms = context.timeouts?.connectMs;
      return new TimeoutError(
        init,
        'connect',
        ms,
        `Could not connect to ${viaProxy ? `the proxy at ${proxy}` : init.endpoint}` +
          (ms === undefined ? ` (${code})` : ` within ${ms} ms`),
        'Check that the host is up and that no firewall drops the traffic; on a slow network raise connectTimeoutMs',
      );
    }
    case 'UND_ERR_HEADERS_TIMEOUT': {
      const ms = context.timeouts?.headersMs;
      return new TimeoutError(
        init,
        'headers',
        ms,
        `${At} took the request${request} but sent no response headers${ms === undefined ? '' : ` within ${ms} ms`}`,
        'Retry; for endpoints that are slow to answer (a large cluster state), raise headersTimeoutMs',
      );
    }
    case 'UND_ERR_BODY_TIMEOUT': {
      const ms = context.timeouts?.bodyMs;
      return new TimeoutError(
        init,
        'body',
        ms,
        `${At} stopped sending the response body${request ? ` of${request}` : ''}: nothing arrived` +
          (ms === undefined ? ' for too long' : ` for ${ms} ms`),
        'Reconnect; on an event stream this means the heartbeats stopped (a half-open connection), so resubscribe',
      );
    }
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
      return new RequestAbortedError(init, 'closed');
    case 'UND_ERR_ABORTED':
    case 'UND_ERR_ABORT':
    case 'UND_ERR_INVALID_ARG': {
      // undici reports a proxy's refusal through these codes; only the text tells them apart.
      const status =
        /Proxy response \((\d+)\)/.exec(coded.message)?.[1] ?? (/\(407\)/.test(coded.message) ? '407' : undefined);
      if (status !== undefined) {
        return connection(
          'proxy',
          `The proxy at ${proxy ?? '(unknown)'} refused to forward the request to ${init.endpoint} (status ${status})`,
          status === '407'
            ? 'The proxy wants credentials: put them in the proxy URL (http://user:password@proxy:port)'
            : 'Check the proxy setting (and whether this host must bypass the proxy), or ask the proxy administrator',
        );
      }
      if (code === 'UND_ERR_INVALID_ARG') {
        return new MesosHttpError(
          init,
          `The request${request} to ${init.endpoint} could not be sent: ${coded.message}`,
          'This is a bug in the caller (an invalid request option); the log has the details',
          false,
        );
      }
      return new RequestAbortedError(init, 'signal');
    }
    case 'UND_ERR_PRX_TLS':
      return tls(
        'hostname-mismatch',
        `The TLS certificate of the proxy at ${proxy ?? '(unknown)'} does not match its host name (${coded.message})`,
        'Use the host name the proxy certificate was issued for in the proxy URL',
      );
    case 'ECONNREFUSED':
      return viaProxy
        ? connection(
            'proxy',
            `The proxy at ${proxy} refused the connection (${code})`,
            'Check the proxy setting, or clear it if this network needs no proxy',
          )
        : connection(
            'refused',
            `${At} refused the connection (${code}): nothing is listening at ${describeAddress(coded) ?? host}`,
            'Check the URL and port, and that the service is running',
          );
  }

  if (RESET.has(code)) {
    return connection(
      'reset',
      `The connection to ${at} broke${request ? ` during${request}` : ''} (${code}: ${coded.message})`,
      'Retry; if it happens on every request, check the scheme (http or https) and the port, then the proxies or ' +
        'load balancers between here and the server',
    );
  }
  if (DNS.has(code)) {
    const name = coded.hostname ?? host;
    return connection(
      'dns',
      `The host name ${name}${viaProxy || coded.hostname === hostOf(proxy ?? '') ? ' (of the proxy)' : ''} cannot be resolved (${code})`,
      'Check the host name; a leader redirect may name a host only known inside the cluster: then reach it by an ' +
        'address or name that resolves here',
    );
  }
  if (UNREACHABLE.has(code)) {
    return connection(
      'unreachable',
      `${describeAddress(coded) ?? host} cannot be reached from here (${code})`,
      'Check the network route, VPN or firewall',
    );
  }
  if (code.startsWith('HPE_') || code === 'UND_ERR_HEADERS_OVERFLOW') {
    return connection(
      'protocol',
      `${At} did not answer with valid HTTP/1.1 (${code}: ${coded.message})`,
      'Check the port and the scheme: an http URL pointing at a TLS port (or another protocol) looks like this',
    );
  }
  if (TLS_UNTRUSTED.has(code)) {
    return tls(
      'untrusted',
      `The TLS certificate of ${init.endpoint} is not trusted (${code}: ${coded.message})`,
      context.tls?.ca
        ? 'The configured CA did not sign this certificate: check that the CA file (ca) is the right one, or, ' +
            'only on a network you trust, set insecure to skip verification'
        : 'Set the CA file (ca) to the PEM of the certificate authority that signed it, or, only on a network you ' +
            'trust, set insecure to skip verification',
    );
  }
  if (TLS_EXPIRED.has(code)) {
    return tls(
      'expired',
      `The TLS certificate of ${init.endpoint} has expired or is not yet valid (${code})`,
      "Renew the server's certificate, or check this machine's clock; insecure skips the check",
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return tls(
      'hostname-mismatch',
      `The TLS certificate of ${init.endpoint} is not issued for ${hostname} (${coded.message})`,
      'Use a host name the certificate lists, or have it reissued for this name; insecure skips the check',
    );
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return tls(
      'handshake',
      `The TLS handshake with ${init.endpoint} failed (${code}: ${coded.message})`,
      'Check the scheme and port: an https URL must point at a TLS port (use http for a plain one)',
    );
  }
  return connection(
    'other',
    `The request${request} to ${init.endpoint} failed (${code}: ${coded.message})`,
    'Retry; if it persists, check the network between here and the server',
  );
}

function deadline(init: MesosHttpErrorInit, request: string): TimeoutError {
  return new TimeoutError(
    init,
    'deadline',
    undefined,
    `The request${request} to ${init.endpoint} did not finish before its deadline`,
    'Retry later, or allow more time',
  );
}

/** The first error in the cause chain (or AggregateError members) that carries a string code. */
function findCodedError(err: unknown): CodedError | undefined {
  const queue: unknown[] = [err];
  for (let seen = 0; seen < 10 && queue.length > 0; seen++) {
    const candidate = queue.shift();
    if (typeof candidate !== 'object' || candidate === null) continue;
    const record = candidate as Record<string, unknown>;
    if (typeof record.code === 'string' && record.code !== 'UND_ERR') {
      return {
        code: record.code,
        // OpenSSL messages span lines and carry source paths; its short `reason` says the same thing.
        message:
          typeof record.reason === 'string' && record.reason
            ? record.reason
            : typeof record.message === 'string'
              ? (record.message.split('\n')[0]?.trim() ?? '')
              : '',
        hostname: typeof record.hostname === 'string' ? record.hostname : undefined,
        address: typeof record.address === 'string' ? record.address : undefined,
        port: typeof record.port === 'number' ? record.port : undefined,
      };
    }
    if (Array.isArray(record.errors)) queue.push(...(record.errors as unknown[]));
    if ('cause' in record) queue.push(record.cause);
  }
  return undefined;
}

function isNamed(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === name;
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

function describeAddress(coded: CodedError): string | undefined {
  if (coded.address === undefined) return undefined;
  const address = coded.address.includes(':') ? `[${coded.address}]` : coded.address;
  return coded.port === undefined ? address : `${address}:${coded.port}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function portOf(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    return parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  } catch {
    return undefined;
  }
}
