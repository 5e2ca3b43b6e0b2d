import { MesosHttpError, RequestAbortedError } from '../../http/errors';
import { createLogger, silentSink, type Logger, type LogSink } from '../../log/logSink';
import { Backoff, sleep } from '../../util/backoff';
import {
  MEDIA_TYPE,
  MesosDecodeError,
  MesosEncodeError,
  wireEncodingOfContentType,
  type Codec,
  type WireEncoding,
} from '../codec/index';
import { LeaderDetectionError } from '../leader/leaderDetectionError';
import type { Disposable } from '../leader/leaderDetector';
import { decodeRecordIO, type RecordIODecoderOptions } from '../recordio/recordIoDecoder';
import { RecordIOError } from '../recordio/recordIoError';
import { AsyncEventQueue } from './asyncEventQueue';
import { HeartbeatWatchdog } from './heartbeatWatchdog';
import { ListenerSet } from './listenerSet';
import type { MasterConnection, MasterStreamingResponse } from './masterConnection';
import type { SubscriptionStatus } from './subscriptionStatus';
import { SubscriptionStreamError } from './subscriptionStreamError';

/** Mesos's heartbeat interval (DEFAULT_HEARTBEAT_INTERVAL), used until SUBSCRIBED says otherwise. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 15_000;
export const DEFAULT_MISSED_HEARTBEATS = 5;
/** An events() reader this far behind is probably not reading at all: say so, every so many events. */
const QUEUE_WARNING_EVERY = 10_000;

export interface WatchdogOptions {
  /** Heartbeats that may go missing before the stream counts as dead (default 5: 75 s at Mesos's 15 s). */
  readonly missedHeartbeats?: number;
  /** Overrides the interval the master announces (tests use a few milliseconds). */
  readonly heartbeatIntervalMs?: number;
}

export interface ReconnectBackoffOptions {
  /** First reconnect delay's upper bound (default 500 ms). */
  readonly initialMs?: number;
  /** Cap on the delay (default 15 s, as the reference advises). */
  readonly maxMs?: number;
  /** Injectable for deterministic tests (jitter). */
  readonly random?: () => number;
}

/** What one event means for the subscription as a whole. */
export type EventVerdict =
  | { readonly kind: 'subscribed'; readonly heartbeatIntervalSeconds?: number }
  | { readonly kind: 'terminal'; readonly error: Error }
  | undefined;

/** What differs between the scheduler's and the operator's SUBSCRIBE. */
export interface EventStreamSpec<E> {
  /** 'scheduler' or 'operator': in log lines and messages. */
  readonly name: string;
  /** The endpoint path (`/api/v1/scheduler`, `/api/v1`). */
  readonly path: string;
  readonly codec: Codec<E>;
  /** The SUBSCRIBE call for the next attempt; built each time, since it may carry what the last one learned. */
  subscribeBody(encoding: WireEncoding): Uint8Array;
  /** Reads the response headers (the scheduler's Mesos-Stream-Id); throwing fails the attempt. */
  onConnected?(response: MasterStreamingResponse): void;
  /**
   * Decodes the first record of each stream instead of the codec: the operator stream's SUBSCRIBED holds
   * the whole cluster state, which a caller may rather parse in slices from the bytes (bench B4).
   */
  readonly decodeFirst?: (record: Uint8Array, encoding: WireEncoding) => E;
  /** What an event means: the subscription is up, or over for good. Called before listeners hear it. */
  inspect(event: E): EventVerdict;
  /** The stream is gone, for whatever reason: forget what belonged to it. */
  onDisconnected?(): void;
}

export interface EventStreamSubscriptionOptions {
  readonly connection: MasterConnection;
  /** Encoding asked for with Accept (default: the connection's). */
  readonly encoding?: WireEncoding;
  readonly watchdog?: WatchdogOptions;
  readonly backoff?: ReconnectBackoffOptions;
  readonly recordIo?: RecordIODecoderOptions;
  readonly sink?: LogSink;
}

interface AttemptOutcome {
  readonly error: Error;
  /** Do not reconnect. */
  readonly terminal: boolean;
  /** Reconnect at once (the leader moved), not after a backoff delay. */
  readonly immediate: boolean;
  /** How long the stream was subscribed, 0 when it never was. */
  readonly subscribedMs: number;
}

/** Why the attempt's controller was aborted, when we did it. */
class AttemptStop {
  constructor(readonly error: Error | undefined) {}
}

/**
 * One Mesos RecordIO event subscription (scheduler or operator SUBSCRIBE), kept alive: it opens the
 * stream on the leading master, decodes each record as it arrives, hands every event to listeners and
 * iterators in order, and reconnects with exponential backoff and jitter when the stream ends, breaks
 * mid-record, carries a record that does not decode, or falls silent for longer than the heartbeat
 * watchdog allows. Only an event the spec calls terminal (a scheduler ERROR) or a refusal that retrying
 * cannot fix (400, 401, 403, 404, TLS) ends it for good.
 *
 * Listeners are called synchronously as each record is decoded and never awaited; iterators read from an
 * unbounded queue. So a consumer that awaits its own work never stalls the socket, which the master's
 * heartbeat (and our watchdog) would take for a dead connection.
 */
export class EventStreamSubscription<E> {
  private readonly connection: MasterConnection;
  private readonly spec: EventStreamSpec<E>;
  private readonly encoding: WireEncoding;
  private readonly missedHeartbeats: number;
  private readonly heartbeatOverrideMs: number | undefined;
  private readonly backoff: Backoff;
  private readonly backoffMaxMs: number;
  private readonly recordIo: RecordIODecoderOptions | undefined;
  private readonly log: Logger;
  private readonly eventListeners: ListenerSet<E>;
  private readonly statusListeners: ListenerSet<SubscriptionStatus>;
  private readonly problemListeners: ListenerSet<Error>;
  private readonly queues = new Set<AsyncEventQueue<E>>();
  private readonly closeController = new AbortController();
  private currentStatus: SubscriptionStatus = { state: 'idle', message: 'Not subscribed yet.' };
  private attemptController: AbortController | undefined;
  private streamMaster: string | undefined;
  private running: Promise<void> | undefined;
  private leaderSubscription: Disposable | undefined;
  private closing: Promise<void> | undefined;

  private endExpected = false;
  constructor(spec: EventStreamSpec<E>, options: EventStreamSubscriptionOptions) {
    this.spec = spec;
    this.connection = options.connection;
    this.encoding = options.encoding ?? options.connection.encoding;
    this.missedHeartbeats = options.watchdog?.missedHeartbeats ?? DEFAULT_MISSED_HEARTBEATS;
    this.heartbeatOverrideMs = options.watchdog?.heartbeatIntervalMs;
    if (!(this.missedHeartbeats > 0))
      throw new RangeError(`missedHeartbeats must be positive, got ${this.missedHeartbeats}`);
    const initialMs = options.backoff?.initialMs ?? 500;
    this.backoffMaxMs = Math.max(options.backoff?.maxMs ?? 15_000, initialMs);
    this.backoff = new Backoff({ initialMs, maxMs: this.backoffMaxMs, random: options.backoff?.random });
    this.recordIo = options.recordIo;
    this.log = createLogger(options.sink ?? silentSink, `mesos.${spec.name}.stream`);
    this.eventListeners = new ListenerSet(this.log, 'event');
    this.statusListeners = new ListenerSet(this.log, 'status');
    this.problemListeners = new ListenerSet(this.log, 'problem');
  }

  get status(): SubscriptionStatus {
    return this.currentStatus;
  }

  /** Base URL of the master the stream is open on, while it is. */
  get master(): string | undefined {
    return this.streamMaster;
  }

  get started(): boolean {
    return this.running !== undefined;
  }

  /** Opens the stream and keeps it open until close() or a terminal failure. Only the first call starts it. */
  start(): void {
    if (this.running !== undefined || this.closing !== undefined) return;
    this.leaderSubscription = this.connection.onLeaderChange(({ leader, source }) => {
      const on = this.streamMaster;
      if (source !== 'detector' || leader === undefined || on === undefined || leader === on) return;
      this.stopAttempt(
        new SubscriptionStreamError(
          'leader-changed',
          on,
          `Leader detection names ${leader} as the leading master, not ${on} where the ${this.spec.name} stream is open.`,
          'Subscribing again on the new leader.',
        ),
      );
    });
    this.running = this.run().catch((error: unknown) => {
      this.log.error(`The ${this.spec.name} subscription loop failed unexpectedly`, error);
      this.finish({
        state: 'failed',
        error: asError(error),
        message: `The ${this.spec.name} subscription stopped: ${asError(error).message}`,
      });
    });
  }

  /** Every event, in stream order, as it is decoded. */
  onEvent(listener: (event: E) => void): Disposable {
    return this.eventListeners.add(listener);
  }

  onStatusChange(listener: (status: SubscriptionStatus) => void): Disposable {
    return this.statusListeners.add(listener);
  }

  /**
   * Problems the subscription recovers from by reconnecting (a record that does not decode, a stream cut
   * mid-record, missed heartbeats, a refused attempt): for the log and for a warning in the UI.
   */
  onProblem(listener: (error: Error) => void): Disposable {
    return this.problemListeners.add(listener);
  }

  /**
   * The events that arrive from now on, in order, however slowly they are read. The iteration ends after
   * close(), throws the error after a terminal failure, and ends when `signal` aborts or the loop breaks.
   */
  events(signal?: AbortSignal): AsyncIterableIterator<E> {
    const onAbort = () => void queue.return();
    const queue: AsyncEventQueue<E> = new AsyncEventQueue<E>(() => {
      this.queues.delete(queue);
      signal?.removeEventListener('abort', onAbort);
    });
    const status = this.currentStatus;
    if (status.state === 'closed') queue.end();
    else if (status.state === 'failed') queue.fail(status.error);
    else if (signal?.aborted) queue.end();
    else {
      this.queues.add(queue);
      signal?.addEventListener('abort', onAbort, { once: true });
    }
    return queue;
  }

  /**
   * Resolves with the status once subscribed (at once if it is), rejects with the error when the
   * subscription fails or closes first, or when `signal` aborts.
   */
  whenSubscribed(signal?: AbortSignal): Promise<SubscriptionStatus & { state: 'subscribed' }> {
    return new Promise((resolve, reject) => {
      const settle = (status: SubscriptionStatus): boolean => {
        if (status.state === 'subscribed') resolve(status);
        else if (status.state === 'failed') reject(status.error);
        else if (status.state === 'closed') {
          reject(
            new RequestAbortedError(
              { endpoint: this.streamMaster ?? 'the Mesos masters', peer: 'Mesos master' },
              'closed',
            ),
          );
        } else return false;
        return true;
      };
      if (settle(this.currentStatus)) return;
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        subscription.dispose();
        reject(signal?.reason);
      };
      const subscription = this.onStatusChange((status) => {
        if (!settle(status)) return;
        subscription.dispose();
        signal?.removeEventListener('abort', onAbort);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * The master is about to end the stream on purpose (a TEARDOWN is on its way): when it does, the
   * subscription closes instead of reconnecting.
   */
  expectEnd(): void {
    this.endExpected = true;
  }

  /** Ends the subscription: the stream is aborted, iterators end, no timer or socket is left. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closeController.abort(new AttemptStop(undefined));
    this.attemptController?.abort(new AttemptStop(undefined));
    this.leaderSubscription?.dispose();
    this.finish({ state: 'closed', message: `The ${this.spec.name} subscription was closed.` });
    this.closing = (this.running ?? Promise.resolve()).then(() => {
      this.eventListeners.clear();
      this.statusListeners.clear();
      this.problemListeners.clear();
    });
    return this.closing;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.isOver()) {
      attempt++;
      this.setStatus({
        state: 'connecting',
        attempt,
        message: `Subscribing to the ${this.spec.name} event stream${attempt > 1 ? ` (attempt ${attempt})` : ''}…`,
      });
      const outcome = await this.attemptOnce();
      if (this.isOver()) return;
      if (this.endExpected) {
        this.finish({ state: 'closed', message: `The ${this.spec.name} stream ended as expected.` });
        return;
      }
      if (outcome.subscribedMs > 0) attempt = 0;
      if (outcome.terminal) {
        this.log.error(`The ${this.spec.name} subscription ended: ${outcome.error.message}`);
        this.finish({
          state: 'failed',
          error: outcome.error,
          message: `The ${this.spec.name} subscription ended: ${outcome.error.message}`,
        });
        return;
      }
      this.problemListeners.emit(outcome.error);
      // Only a stream that stayed up longer than the longest delay resets the backoff: a master that
      // accepts the subscription and drops it at once must still see growing delays.
      if (outcome.subscribedMs >= this.backoffMaxMs) this.backoff.reset();
      const delayMs = outcome.immediate ? 0 : this.backoff.next();
      this.log.warn(
        `The ${this.spec.name} stream is down (${outcome.error.message}); subscribing again in ${delayMs} ms`,
      );
      this.setStatus({
        state: 'reconnecting',
        attempt: attempt + 1,
        delayMs,
        nextAttemptAt: Date.now() + delayMs,
        error: outcome.error,
        message: `The ${this.spec.name} stream is down: ${sentence(outcome.error.message)} Subscribing again ${delayMs === 0 ? 'now' : `in ${formatDelay(delayMs)}`}.`,
      });
      if (delayMs > 0) {
        try {
          await sleep(delayMs, this.closeController.signal);
        } catch {
          return;
        }
      }
    }
  }

  /** One connection: open, read until it ends; never throws. */
  private async attemptOnce(): Promise<AttemptOutcome> {
    const controller = new AbortController();
    this.attemptController = controller;
    const stoppedBy = (): AttemptStop | undefined =>
      controller.signal.reason instanceof AttemptStop ? controller.signal.reason : undefined;
    const outcome = (error: unknown, subscribedMs = 0): AttemptOutcome => {
      const stop = stoppedBy();
      if (stop?.error)
        return {
          error: stop.error,
          terminal: false,
          immediate: stop.error instanceof SubscriptionStreamError && stop.error.kind === 'leader-changed',
          subscribedMs,
        };
      const err = asError(error);
      return { error: err, terminal: isTerminal(err), immediate: false, subscribedMs };
    };

    let response: MasterStreamingResponse;
    try {
      response = await this.connection.request({
        method: 'POST',
        path: this.spec.path,
        headers: { 'content-type': MEDIA_TYPE[this.encoding], accept: MEDIA_TYPE[this.encoding] },
        body: this.spec.subscribeBody(this.encoding),
        signal: controller.signal,
        stream: true,
        // Silence inside the stream is the watchdog's business: its limit follows the master's heartbeat.
        bodyTimeoutMs: 0,
        expectContentType: [MEDIA_TYPE.json, MEDIA_TYPE.protobuf],
        idempotent: true,
      });
    } catch (error) {
      this.attemptController = undefined;
      return outcome(error);
    }

    const master = response.master;
    const encoding = wireEncodingOfContentType(response.headers.get('content-type')) ?? this.encoding;
    let subscribedAt: number | undefined;
    const subscribedMs = () => (subscribedAt === undefined ? 0 : Math.max(1, Date.now() - subscribedAt));
    const watchdog = new HeartbeatWatchdog(this.silenceLimitMs(undefined), (silenceMs) =>
      this.stopAttempt(
        new SubscriptionStreamError(
          'heartbeat-missed',
          master,
          `Nothing arrived on the ${this.spec.name} stream from ${master} for ${silenceMs} ms (${this.missedHeartbeats} heartbeats): the connection is dead or half-open.`,
          'Subscribing again.',
        ),
        controller,
      ),
    );
    this.streamMaster = master;
    try {
      this.spec.onConnected?.(response);
      const touched = touchOnChunk(response.body, () => watchdog.touch());
      let first = true;
      for await (const record of decodeRecordIO(touched, this.recordIo)) {
        let event: E;
        try {
          event = first && this.spec.decodeFirst ? this.spec.decodeFirst(record, encoding) : this.spec.codec.decode(record, encoding);
          first = false;
        } catch (error) {
          // Where one record fails the stream position may be fine, but the event is lost: start afresh.
          return outcome(error, subscribedMs());
        }
        const verdict = this.spec.inspect(event);
        if (verdict?.kind === 'subscribed') {
          subscribedAt ??= Date.now();
          watchdog.setLimit(this.silenceLimitMs(verdict.heartbeatIntervalSeconds));
          this.setStatus({
            state: 'subscribed',
            master,
            since: subscribedAt,
            message: `Subscribed to the ${this.spec.name} event stream of ${master}.`,
          });
        }
        this.deliver(event);
        if (verdict?.kind === 'terminal')
          return { error: verdict.error, terminal: true, immediate: false, subscribedMs: subscribedMs() };
        if (this.isOver()) break;
      }
      if (this.isOver()) return outcome(new Error('closed'), subscribedMs());
      return outcome(
        new SubscriptionStreamError(
          'ended',
          master,
          `${master} ended the ${this.spec.name} event stream.`,
          'The master may have lost leadership or restarted; subscribing again.',
        ),
        subscribedMs(),
      );
    } catch (error) {
      return outcome(error, subscribedMs());
    } finally {
      watchdog.stop();
      response.body.cancel();
      this.streamMaster = undefined;
      if (this.attemptController === controller) this.attemptController = undefined;
      try {
        this.spec.onDisconnected?.();
      } catch (error) {
        this.log.error('Cleaning up after the stream failed', error);
      }
    }
  }

  private silenceLimitMs(heartbeatIntervalSeconds: number | undefined): number {
    const announced =
      heartbeatIntervalSeconds !== undefined &&
      Number.isFinite(heartbeatIntervalSeconds) &&
      heartbeatIntervalSeconds > 0
        ? heartbeatIntervalSeconds * 1000
        : DEFAULT_HEARTBEAT_INTERVAL_MS;
    return Math.max(1, Math.round((this.heartbeatOverrideMs ?? announced) * this.missedHeartbeats));
  }

  private deliver(event: E): void {
    this.eventListeners.emit(event);
    for (const queue of this.queues) {
      queue.push(event);
      if (queue.length % QUEUE_WARNING_EVERY === 0) {
        this.log.warn(`An events() reader of the ${this.spec.name} stream is ${queue.length} events behind`);
      }
    }
  }

  private stopAttempt(error: Error, controller = this.attemptController): void {
    if (controller === undefined || controller.signal.aborted) return;
    controller.abort(new AttemptStop(error));
  }

  private isOver(): boolean {
    return this.closing !== undefined || this.closeController.signal.aborted || this.currentStatus.state === 'failed';
  }

  /** Enters a final state: iterators end (or fail), nothing more happens. */
  private finish(status: SubscriptionStatus & { state: 'failed' | 'closed' }): void {
    const was = this.currentStatus.state;
    if (was === 'closed' || (was === 'failed' && status.state === 'failed')) return;
    this.setStatus(status);
    for (const queue of [...this.queues]) {
      if (status.state === 'failed') queue.fail(status.error);
      else queue.end();
    }
    this.queues.clear();
    this.leaderSubscription?.dispose();
  }

  private setStatus(status: SubscriptionStatus): void {
    this.currentStatus = status;
    this.statusListeners.emit(status);
  }
}

/** Calls `touch` as each chunk arrives, so a big record that trickles in does not look like silence. */
async function* touchOnChunk(
  source: AsyncIterable<Uint8Array>,
  touch: () => void,
): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const chunk of source) {
    touch();
    yield chunk;
  }
}

/**
 * What reconnecting cannot fix: the master refused the subscription (400 bad call, 401, 403, 404 no such
 * API, 406/415 negotiation), TLS or configuration errors, and our own encoding bugs. Everything else
 * (503, connection failures, timeouts, a cut or malformed stream, a lost leader) is retried.
 */
function isTerminal(error: Error): boolean {
  if (error instanceof MesosEncodeError) return true;
  if (error instanceof MesosDecodeError || error instanceof RecordIOError || error instanceof SubscriptionStreamError)
    return false;
  if (error instanceof LeaderDetectionError) return error.code === 'closed' || error.code === 'aborted';
  if (error instanceof MesosHttpError) return !error.retryable;
  return true;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
