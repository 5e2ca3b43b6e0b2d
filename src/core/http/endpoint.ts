import { X509Certificate } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Dispatcher } from 'undici';
import type { Logger } from '../log/logSink';
import { VERSION } from '../version';
import { basicAuthorization } from './basicAuthorization';
import { type ClassifyContext, classifyError } from './classifyError';
import { createDispatcher } from './createDispatcher';
import { looksLikeHtml, mediaType, mediaTypeMatches, summariseBody } from './describeBody';
import { displayUrl } from './displayUrl';
import {
  BodyTooLargeError,
  EndpointConfigError,
  HttpStatusError,
  type MesosHttpError,
  type MesosHttpErrorInit,
  RequestAbortedError,
  UnexpectedResponseError,
} from './errors';
import { resolveRedirect } from './resolveRedirect';
import { readBodyPrefix, readBoundedBody } from './responseBody';
import { discardBody, ResponseStream } from './responseStream';

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Generous: a master with a big cluster takes seconds to render /master/state. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 60_000;
/** Five missed Mesos heartbeats (15 s apart): longer silence on a stream means a dead connection. */
export const DEFAULT_BODY_TIMEOUT_MS = 75_000;
/** Buffered bodies only; a 10,000-agent /master/state is about 90 MB. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;
/** How much of an error body is read for its reason; Mesos reasons are one line. */
const ERROR_BODY_LIMIT = 64 * 1024;

export interface EndpointOptions {
  /** Base URL of the master, agent or Jenkins (`http://m1:5050`, `https://ci.example.com/jenkins/`). */
  baseUrl: string;
  /** How messages name the peer: "Mesos master", "Mesos agent", "Jenkins". Default "The server". */
  name?: string;
  /** HTTP Basic credentials, sent on every request. Credentials in `baseUrl` are used when this is absent. */
  auth?: { principal: string; secret: string };
  /** PEM text of the CA that signed the server's certificate (not a file path). Replaces the system roots. */
  ca?: string | Uint8Array;
  /** Skip TLS certificate verification. An explicit opt-out, for test clusters only. */
  insecure?: boolean;
  /** Proxy URL (`http://[user:password@]proxy:3128`). Loopback targets never use it. */
  proxy?: string;
  /** Hosts that bypass the proxy, NO_PROXY style (`*`, `example.com`, `.example.com`, `host:port`). */
  noProxy?: string | readonly string[];
  connectTimeoutMs?: number;
  /** Time allowed from sending a request to receiving its response headers. 0 disables. */
  headersTimeoutMs?: number;
  /** Longest silence allowed inside a response body (an idle timeout, not a total). 0 disables. */
  bodyTimeoutMs?: number;
  /** Largest buffered (non-streaming) response body. */
  maxBodyBytes?: number;
  userAgent?: string;
  /** Receives one debug line per request (method, URL, status); never headers or bodies. */
  log?: Logger;
}

export type QueryValue = string | number | boolean | undefined;
export type Query = URLSearchParams | Readonly<Record<string, QueryValue | readonly QueryValue[]>>;

export interface RequestOptions {
  /** Default GET. */
  method?: string;
  /** Path below the base URL's path (`/api/v1/scheduler`, `queue/api/json`). */
  path: string;
  query?: Query;
  /** Callers set Content-Type and Accept themselves; the layer adds nothing to them (no charset). */
  headers?: Readonly<Record<string, string | undefined>>;
  body?: Uint8Array | string;
  signal: AbortSignal;
  /** Return the body as a stream instead of buffering it. */
  stream?: boolean;
  /**
   * Statuses returned to the caller instead of thrown as HttpStatusError, besides 2xx (e.g. [307] to
   * learn a leader, [302] for Jenkins form posts). Redirects are never followed.
   */
  allowStatus?: readonly number[];
  /** Media types a returned response may have (`application/json`); anything else is UnexpectedResponseError. */
  expectContentType?: readonly string[];
  /** Media types an error response may have (Mesos: `text/plain`); anything else is UnexpectedResponseError. */
  expectErrorContentType?: readonly string[];
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  maxBodyBytes?: number;
}

export interface HttpResponse<Body> {
  status: number;
  statusText: string;
  headers: Headers;
  /** The URL that was requested, without credentials: resolve a Location against it with resolveRedirect. */
  url: URL;
  body: Body;
}

export type BufferedResponse = HttpResponse<Uint8Array>;
export type StreamingResponse = HttpResponse<ResponseStream>;

interface Settings {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxBodyBytes: number;
}

/**
 * One HTTP origin (a master, an agent, a Jenkins) with its own connection pool, TLS trust, proxy, auth and
 * timeouts. Every request takes an AbortSignal; `close()` destroys the pool and every socket in it.
 */
export class Endpoint {
  /** The base URL, without credentials. */
  readonly baseUrl: URL;
  /** `baseUrl` as text, as messages show it. */
  readonly display: string;
  readonly name: string | undefined;
  private readonly dispatcher: Dispatcher;
  private readonly authorization: string | undefined;
  private readonly userAgent: string;
  private readonly proxy: URL | undefined;
  private readonly tls: { ca: boolean; insecure: boolean };
  private readonly settings: Settings;
  private readonly log: Logger | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: EndpointOptions) {
    const configError = (field: string, summary: string, nextStep: string, endpoint = '(not set)') =>
      new EndpointConfigError({ endpoint, peer: options.name }, field, summary, nextStep);

    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw configError(
        'baseUrl',
        `The URL ${JSON.stringify(displayUrl(options.baseUrl))} is not valid`,
        'Use a full URL such as http://mesos-master:5050 or https://ci.example.com/',
        displayUrl(options.baseUrl),
      );
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw configError(
        'baseUrl',
        `The URL ${displayUrl(base)} uses ${base.protocol}, not http: or https:`,
        'Use an http:// or https:// URL (a zk:// URL is resolved to a master before connecting)',
        displayUrl(base),
      );
    }
    const urlPrincipal = decodeURIComponent(base.username);
    const urlSecret = decodeURIComponent(base.password);
    base.username = '';
    base.password = '';
    base.search = '';
    base.hash = '';
    this.baseUrl = base;
    this.display = displayUrl(base);
    this.name = options.name;
    const where = this.display;

    const auth = options.auth ?? (urlPrincipal ? { principal: urlPrincipal, secret: urlSecret } : undefined);
    if (auth) {
      if (!auth.principal || auth.principal.includes(':')) {
        throw configError(
          'auth.principal',
          `The principal for ${where} is ${auth.principal ? 'not allowed to contain ":"' : 'empty'}`,
          'Set a principal (user name) without ":" (HTTP Basic cannot carry it)',
          where,
        );
      }
      this.authorization = basicAuthorization(auth.principal, auth.secret);
    }

    if (options.ca !== undefined) checkCa(options.ca, (summary, next) => configError('ca', summary, next, where));

    let proxy: URL | undefined;
    if (options.proxy !== undefined && options.proxy.trim() !== '') {
      try {
        proxy = new URL(options.proxy.trim());
      } catch {
        proxy = undefined;
      }
      if (!proxy || (proxy.protocol !== 'http:' && proxy.protocol !== 'https:')) {
        throw configError(
          'proxy',
          `The proxy ${JSON.stringify(displayUrl(options.proxy))} is not an http:// or https:// URL`,
          'Set the proxy as http://host:port (credentials as http://user:password@host:port), or clear it',
          where,
        );
      }
    }

    this.settings = {
      connectTimeoutMs: checkDuration(
        options.connectTimeoutMs,
        DEFAULT_CONNECT_TIMEOUT_MS,
        'connectTimeoutMs',
        configError,
        where,
      ),
      headersTimeoutMs: checkDuration(
        options.headersTimeoutMs,
        DEFAULT_HEADERS_TIMEOUT_MS,
        'headersTimeoutMs',
        configError,
        where,
      ),
      bodyTimeoutMs: checkDuration(options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS, 'bodyTimeoutMs', configError, where),
      maxBodyBytes: checkSize(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'maxBodyBytes', configError, where),
    };
    this.userAgent = options.userAgent ?? `mesos-ops/${VERSION}`;
    this.tls = { ca: options.ca !== undefined, insecure: options.insecure === true };
    this.log = options.log;

    const { dispatcher, proxied } = createDispatcher({
      origin: base,
      ca: options.ca,
      insecure: options.insecure === true,
      proxy,
      noProxy: options.noProxy,
      ...this.settings,
    });
    this.dispatcher = dispatcher;
    this.proxy = proxied ? proxy : undefined;
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Whether requests go through the proxy (false when none is set or the host bypasses it). */
  get proxied(): boolean {
    return this.proxy !== undefined;
  }

  /** The full URL of `path` (below the base URL's path) with `query`. */
  urlFor(path: string, query?: Query): URL {
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) {
      throw new EndpointConfigError(
        { endpoint: this.display, peer: this.name },
        'path',
        `The request path ${JSON.stringify(displayUrl(path))} is a full URL; an endpoint serves paths below ${this.display}`,
        'Pass a path, or make an endpoint for the other origin (resolveRedirect gives its URL)',
      );
    }
    const url = new URL(this.baseUrl.href);
    const prefix = url.pathname.replace(/\/+$/, '');
    const [pathPart = '', inlineQuery] = path.split('?', 2);
    url.pathname = `${prefix}/${pathPart.replace(/^\/+/, '')}`;
    const params = new URLSearchParams(inlineQuery ?? '');
    if (query instanceof URLSearchParams) {
      query.forEach((value, key) => params.append(key, value));
    } else if (query) {
      for (const [key, value] of Object.entries(query)) {
        const values: readonly QueryValue[] = Array.isArray(value) ? value : [value as QueryValue];
        for (const item of values) if (item !== undefined) params.append(key, String(item));
      }
    }
    url.search = params.toString();
    return url;
  }

  request(options: RequestOptions & { stream: true }): Promise<StreamingResponse>;
  request(options: RequestOptions & { stream?: false }): Promise<BufferedResponse>;
  request(options: RequestOptions): Promise<StreamingResponse | BufferedResponse>;
  async request(options: RequestOptions): Promise<StreamingResponse | BufferedResponse> {
    const url = this.urlFor(options.path, options.query);
    const method = (options.method ?? 'GET').toUpperCase();
    const headersTimeoutMs = options.headersTimeoutMs ?? this.settings.headersTimeoutMs;
    const bodyTimeoutMs = options.bodyTimeoutMs ?? this.settings.bodyTimeoutMs;
    const context: ClassifyContext = {
      peer: this.name,
      method,
      url,
      signal: options.signal,
      proxy: this.proxy,
      tls: this.tls,
      timeouts: { connectMs: this.settings.connectTimeoutMs, headersMs: headersTimeoutMs, bodyMs: bodyTimeoutMs },
    };
    const init: MesosHttpErrorInit = { endpoint: this.display, peer: this.name, method, url: displayUrl(url) };
    const classify = (err: unknown): MesosHttpError =>
      this.closing !== undefined && !options.signal.aborted
        ? new RequestAbortedError({ ...init, cause: err }, 'closed')
        : classifyError(err, this.display, context);
    const fail = (err: MesosHttpError): never => {
      this.log?.debug(`${method} ${init.url} failed: ${err.message}`);
      throw err;
    };

    if (this.closing !== undefined) fail(new RequestAbortedError(init, 'closed'));
    if (options.signal.aborted) fail(classify(options.signal.reason));

    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: method as Dispatcher.HttpMethod,
        headers: this.headersFor(options.headers),
        body: options.body,
        signal: options.signal,
        headersTimeout: headersTimeoutMs,
        bodyTimeout: bodyTimeoutMs,
      });
    } catch (err) {
      return fail(classify(err));
    }

    const status = response.statusCode;
    const statusText = response.statusText || STATUS_CODES[status] || '';
    const headers = toHeaders(response.headers);
    const contentType = headers.get('content-type') ?? undefined;
    this.log?.debug(`${method} ${init.url} -> ${status}`);

    const allowed = (status >= 200 && status < 300) || options.allowStatus?.includes(status) === true;
    if (!allowed) {
      const bytes = await readBodyPrefix(response.body, ERROR_BODY_LIMIT);
      const { text, html } = summariseBody(contentType, bytes);
      const expected = options.expectErrorContentType;
      if (expected && contentType !== undefined && !mediaTypeMatches(mediaType(contentType), expected)) {
        fail(new UnexpectedResponseError({ ...init, status, contentType, expected, snippet: text, html }));
      }
      const location = headers.get('location') ?? undefined;
      let redirectTo: string | undefined;
      if (location !== undefined && status >= 300 && status < 400) {
        try {
          redirectTo = resolveRedirect(location, url).href;
        } catch {
          redirectTo = undefined;
        }
      }
      return fail(
        new HttpStatusError({
          ...init,
          status,
          statusText,
          reason: text,
          html,
          sentCredentials: this.sentCredentials(options.headers),
          location,
          redirectTo,
        }),
      );
    }

    const expected = options.expectContentType;
    if (expected && contentType !== undefined && !mediaTypeMatches(mediaType(contentType), expected)) {
      const bytes = await readBodyPrefix(response.body, ERROR_BODY_LIMIT);
      const { text } = summariseBody(contentType, bytes);
      fail(
        new UnexpectedResponseError({
          ...init,
          status,
          contentType,
          expected,
          snippet: text,
          html: looksLikeHtml(contentType, bytes),
        }),
      );
    }

    const base = { status, statusText, headers, url };
    if (options.stream) {
      return { ...base, body: new ResponseStream(response.body, classify) };
    }

    const limit = options.maxBodyBytes ?? this.settings.maxBodyBytes;
    const announced = headers.get('content-length');
    const announcedBytes = announced === null ? undefined : Number(announced);
    if (announcedBytes !== undefined && announcedBytes > limit) {
      discardBody(response.body);
      fail(new BodyTooLargeError(init, limit, announcedBytes));
    }
    let read: Awaited<ReturnType<typeof readBoundedBody>>;
    try {
      read = await readBoundedBody(response.body, limit);
    } catch (err) {
      return fail(classify(err));
    }
    if ('tooLarge' in read) return fail(new BodyTooLargeError(init, limit, undefined));
    return { ...base, body: read.bytes };
  }

  /** Destroys the connection pool: in-flight requests end with RequestAbortedError, every socket closes. */
  close(): Promise<void> {
    this.closing ??= this.dispatcher.destroy().catch(() => undefined);
    return this.closing;
  }

  private headersFor(extra: RequestOptions['headers']): Record<string, string> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (this.authorization !== undefined) headers.authorization = this.authorization;
    for (const [name, value] of Object.entries(extra ?? {})) {
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    return headers;
  }

  private sentCredentials(extra: RequestOptions['headers']): boolean {
    return (
      this.authorization !== undefined ||
      Object.entries(extra ?? {}).some(([name, value]) => name.toLowerCase() === 'authorization' && value !== undefined)
    );
  }
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, item);
      } catch {
        // A header value Headers refuses (stray control bytes) is dropped rather than failing the response.
      }
    }
  }
  return headers;
}

function checkCa(ca: string | Uint8Array, error: (summary: string, next: string) => EndpointConfigError): void {
  const pem = typeof ca === 'string' ? ca : Buffer.from(ca).toString('utf8');
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw error(
      /^[\s]*[^\s-][^\n]*$/.test(pem) && !pem.includes('BEGIN')
        ? "The CA setting holds no PEM certificate (it looks like a file path, not the file's content)"
        : 'The CA setting holds no PEM certificate ("-----BEGIN CERTIFICATE-----")',
      'Give the PEM text of the CA certificate that signed the server certificate',
    );
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (err) {
      throw error(
        `The CA setting holds a certificate that cannot be parsed (${err instanceof Error ? err.message : String(err)})`,
        'Check that the CA file is a complete, unmodified PEM certificate',
      );
    }
  }
}

type ConfigErrorFactory = (field: string, summary: string, nextStep: string, endpoint?: string) => EndpointConfigError;

function checkDuration(
  value: number | undefined,
  fallback: number,
  field: string,
  error: ConfigErrorFactory,
  where: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw error(
      field,
      `${field} must be a whole number of milliseconds (0 to disable), got ${value}`,
      `Fix ${field}`,
      where,
    );
  }
  return value;
}

function checkSize(
  value: number | undefined,
  fallback: number,
  field: string,
  error: ConfigErrorFactory,
  where: string,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw error(field, `${field} must be a positive number of bytes, got ${value}`, `Fix ${field}`, where);
  }
  return value;
}
