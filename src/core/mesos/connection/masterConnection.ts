import type { BufferedResponse, RequestOptions, StreamingResponse } from '../../http/endpoint';
import { displayUrl } from '../../http/displayUrl';
import { ConnectionError, HttpStatusError, RequestAbortedError, TimeoutError } from '../../http/errors';
import { createLogger, silentSink, type Logger, type LogSink } from '../../log/logSink';
import { Backoff, sleep } from '../../util/backoff';
import type { WireEncoding } from '../codec/index';
import { createLeaderDetector, type CreateLeaderDetectorOptions } from '../leader/createLeaderDetector';
import type { Disposable, LeaderDetector, MasterLocation } from '../leader/leaderDetector';
import { EndpointPool, type MasterEndpointOptions } from './endpointPool';
import { ListenerSet } from './listenerSet';
import { MasterRedirectLoopError } from './masterRedirectLoopError';

export interface MasterConnectionRetryOptions {
  /** Retries after the first try, for 503s and connection failures (default 3). */
  readonly attempts?: number;
  readonly initialMs?: number;
  readonly maxMs?: number;
}

export interface MasterConnectionOptions {
  /**
   * Who leads: a leader detector (which the connection uses but does not close), or the cluster's masters
   * setting (`zk://host:2181/mesos`, `http://m1:5050,http://m2:5050`) or a list of master URLs, from
   * which the connection makes (and owns) the right detector.
   */
  readonly masters: LeaderDetector | string | readonly string[];
  /** Body encoding of calls, and of the answers and streams asked for (default 'protobuf'). */
  readonly encoding?: WireEncoding;
  /** Credentials, TLS trust, proxy and timeouts, shared by the endpoint of every master. */
  readonly endpoint?: MasterEndpointOptions;
  /** Options of the detector made from `masters` when it is a string or list. */
  readonly detector?: Omit<CreateLeaderDetectorOptions, 'sink'>;
  /** Redirects followed for one request before giving up with MasterRedirectLoopError (default 4). */
  readonly maxRedirects?: number;
  readonly retry?: MasterConnectionRetryOptions;
  /** Longest wait for the detector to name a leader before a request fails (default 15 s). */
  readonly leaderTimeoutMs?: number;
  /** Injectable for deterministic tests (backoff jitter). */
  readonly random?: () => number;
  readonly sink?: LogSink;
}

export interface MasterRequestOptions extends RequestOptions {
  /**
   * Send to this master only (base URL): no leader lookup, no redirect followed, no retry. For calls that
   * belong to a subscription, which only the master holding the stream knows.
   */
  readonly master?: string;
  /**
   * Whether sending the request twice is harmless, so it may be repeated after a failure that happened
   * once it may have reached the master (a reset connection). Default: true for GET and HEAD only.
   * Failures before anything was sent (refused, unresolvable, connect timeout) are retried either way.
   */
  readonly idempotent?: boolean;
  /** Retry 503s and connection failures with backoff (default true). */
  readonly retry?: boolean;
}

/** An answer, and the master (base URL) that gave it. */
export type MasterStreamingResponse = StreamingResponse & { readonly master: string };
export type MasterBufferedResponse = BufferedResponse & { readonly master: string };

export interface LeaderChange {
  /** Base URL of the master requests now go to; undefined while none is known. */
  readonly leader: string | undefined;
  /** 'detector': leader detection moved; 'redirect': a master redirected a request there. */
  readonly source: 'detector' | 'redirect';
}

interface SuspectingDetector {
  suspect(reason?: string): void;
}

/**
 * The way to a cluster's leading master. Keeps one Endpoint per master, sends each request to the
 * leader, follows 307 redirects itself (Mesos answers `Location: //leader:5050/master/…` without a
 * scheme, §2.7) and remembers where they pointed, retries 503 ("Master has not finished recovery", no
 * leader known) and connection failures with backoff, and gives up on a redirect loop. close() closes
 * every endpoint and the detector it made.
 */
export class MasterConnection {
  readonly encoding: WireEncoding;
  readonly detector: LeaderDetector;
  private readonly ownsDetector: boolean;
  private readonly pool: EndpointPool;
  private readonly log: Logger;
  private readonly maxRedirects: number;
  private readonly retryAttempts: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly leaderTimeoutMs: number;
  private readonly random: (() => number) | undefined;
  private readonly leaderListeners: ListenerSet<LeaderChange>;
  private readonly detectorSubscription: Disposable;
  private readonly closeController = new AbortController();
  private redirectLeader: string | undefined;
  private effectiveLeader: string | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: MasterConnectionOptions) {
    this.log = createLogger(options.sink ?? silentSink, 'mesos.connection');
    this.encoding = options.encoding ?? 'protobuf';
    this.maxRedirects = options.maxRedirects ?? 4;
    this.retryAttempts = options.retry?.attempts ?? 3;
    this.retryInitialMs = options.retry?.initialMs ?? 250;
    this.retryMaxMs = Math.max(options.retry?.maxMs ?? 2_000, this.retryInitialMs);
    this.leaderTimeoutMs = options.leaderTimeoutMs ?? 15_000;
    this.random = options.random;
    this.leaderListeners = new ListenerSet(this.log, 'leader-change');
    this.pool = new EndpointPool({ log: this.log.child('http'), ...options.endpoint });

    const { masters } = options;
    if (isDetector(masters)) {
      this.detector = masters;
      this.ownsDetector = false;
    } else {
      const value = typeof masters === 'string' ? masters : masters.join(',');
      this.detector = createLeaderDetector(value, {
        ...options.detector,
        sink: options.sink,
        http: { ...options.detector?.http, endpoints: this.pool },
      });
      this.ownsDetector = true;
    }
    this.detectorSubscription = this.detector.onLeaderChange((leader) => this.onDetectorLeader(leader));
  }

  /** Base URL of the master requests go to now (learned from a redirect, or named by the detector). */
  get leader(): string | undefined {
    return this.redirectLeader ?? this.detector.leader?.url;
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  onLeaderChange(listener: (change: LeaderChange) => void): Disposable {
    return this.leaderListeners.add(listener);
  }

  /** Tells the detector (when it can be told) that the leader may have moved, so it checks again soon. */
  suspect(reason: string): void {
    const detector = this.detector as Partial<SuspectingDetector>;
    if (typeof detector.suspect === 'function') detector.suspect(reason);
  }

  request(options: MasterRequestOptions & { stream: true }): Promise<MasterStreamingResponse>;
  request(options: MasterRequestOptions & { stream?: false }): Promise<MasterBufferedResponse>;
  request(options: MasterRequestOptions): Promise<MasterStreamingResponse | MasterBufferedResponse>;
  async request(options: MasterRequestOptions): Promise<MasterStreamingResponse | MasterBufferedResponse> {
    const { master, idempotent, retry = true, ...request } = options;
    const method = (request.method ?? 'GET').toUpperCase();
    if (this.closing !== undefined) {
      throw new RequestAbortedError(
        { endpoint: master ?? this.leader ?? 'the Mesos masters', peer: 'Mesos master', method },
        'closed',
      );
    }
    if (master !== undefined) return { ...(await this.pool.get(master).request(request)), master };

    const repeatable = idempotent ?? (method === 'GET' || method === 'HEAD');
    const backoff = new Backoff({ initialMs: this.retryInitialMs, maxMs: this.retryMaxMs, random: this.random });
    for (let retries = 0; ; retries++) {
      const target = await this.leaderFor(request.signal);
      try {
        return await this.send(target, request);
      } catch (error) {
        if (!retry || retries >= this.retryAttempts || this.closing !== undefined || request.signal.aborted)
          throw error;
        if (!isRetryable(error, repeatable)) throw error;
        this.afterFailure(target, error);
        const delay = backoff.next();
        this.log.debug(`${method} ${request.path} via ${target} failed (${describe(error)}); retrying in ${delay} ms`);
        try {
          await sleep(delay, AbortSignal.any([request.signal, this.closeController.signal]));
        } catch {
          throw new RequestAbortedError(
            { endpoint: target, peer: 'Mesos master', method, cause: error },
            this.closing !== undefined ? 'closed' : 'signal',
          );
        }
      }
    }
  }

  /** Closes every endpoint (in-flight requests end) and the detector the connection made. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closeController.abort(new Error('The connection to the Mesos masters was closed'));
      this.detectorSubscription.dispose();
      this.leaderListeners.clear();
      if (this.ownsDetector) await this.detector.close();
      await this.pool.close();
    })();
    return this.closing;
  }

  private async leaderFor(signal: AbortSignal): Promise<string> {
    const known = this.leader;
    if (known !== undefined) return known;
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException(`No leader within ${this.leaderTimeoutMs} ms`, 'TimeoutError')),
      this.leaderTimeoutMs,
    );
    try {
      const found = await this.detector.start(AbortSignal.any([signal, deadline.signal, this.closeController.signal]));
      return this.leader ?? found.url;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends to `base`, following redirects from master to master. */
  private async send(base: string, request: RequestOptions): Promise<MasterStreamingResponse | MasterBufferedResponse> {
    let current = base;
    let path = request.path;
    let query = request.query;
    const asked: string[] = [];
    const origins = new Set<string>();
    for (;;) {
      const endpoint = this.pool.get(current);
      asked.push(endpoint.urlFor(path, query).href);
      origins.add(new URL(current).origin);
      try {
        return { ...(await endpoint.request({ ...request, path, query })), master: current };
      } catch (error) {
        if (!(error instanceof HttpStatusError) || error.kind !== 'redirect' || error.redirectTo === undefined)
          throw error;
        const target = new URL(error.redirectTo);
        const cycle = origins.has(target.origin);
        if (cycle || asked.length > this.maxRedirects) {
          throw new MasterRedirectLoopError(
            { endpoint: displayUrl(base), peer: 'Mesos master', method: error.method, url: asked[0], cause: error },
            [...asked, target.href],
            cycle,
          );
        }
        current = `${target.protocol}//${target.host}`;
        path = target.pathname;
        query = new URLSearchParams(target.search);
        this.log.info(`${displayUrl(endpoint.baseUrl)} is not the leader; it redirected to ${current}`);
        this.learnLeader(current);
      }
    }
  }

  private learnLeader(leader: string): void {
    if (this.redirectLeader === leader) return;
    this.redirectLeader = leader;
    this.updateEffectiveLeader('redirect');
    this.suspect(`a master redirected to ${leader}`);
  }

  private afterFailure(target: string, error: unknown): void {
    if (this.redirectLeader === target) {
      // What a redirect taught is a guess about a moment; when it stops answering, the detector knows better.
      this.redirectLeader = undefined;
      this.updateEffectiveLeader('detector');
    }
    this.suspect(`${target} failed: ${describe(error)}`);
  }

  private onDetectorLeader(leader: MasterLocation | undefined): void {
    this.redirectLeader = undefined;
    this.updateEffectiveLeader('detector');
    if (leader === undefined) this.log.info('Leader detection knows no leading master right now');
  }

  private updateEffectiveLeader(source: LeaderChange['source']): void {
    const leader = this.leader;
    if (leader === this.effectiveLeader) return;
    this.effectiveLeader = leader;
    this.leaderListeners.emit({ leader, source });
  }
}

function isDetector(value: MasterConnectionOptions['masters']): value is LeaderDetector {
  return typeof value === 'object' && !Array.isArray(value) && typeof (value as LeaderDetector).start === 'function';
}

/**
 * 503 and redirect loops are the election's transients. A connection failure before the request left
 * (refused, unresolvable, unreachable, connect timeout) is safe to repeat for any call; one after it may
 * have reached the master only for requests that can be repeated.
 */
function isRetryable(error: unknown, repeatable: boolean): boolean {
  if (error instanceof MasterRedirectLoopError) return true;
  if (error instanceof HttpStatusError) return error.status === 503;
  if (error instanceof ConnectionError) {
    if (error.kind === 'refused' || error.kind === 'dns' || error.kind === 'unreachable') return true;
    return repeatable && (error.kind === 'reset' || error.kind === 'other');
  }
  if (error instanceof TimeoutError) {
    if (error.timeout === 'connect') return true;
    return repeatable && (error.timeout === 'headers' || error.timeout === 'body');
  }
  return false;
}

function describe(error: unknown): string {
  if (error instanceof HttpStatusError)
    return `${error.status} ${error.statusText}${error.reason ? `: ${error.reason}` : ''}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
