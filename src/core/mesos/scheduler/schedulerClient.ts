import { HttpStatusError } from '../../http/errors';
import { createLogger, silentSink, type Logger, type LogSink } from '../../log/logSink';
import {
  MEDIA_TYPE,
  schedulerCallCodec,
  schedulerEventCodec,
  type FrameworkInfo,
  type MasterInfo,
  type SchedulerCall,
  type SchedulerCallAccept,
  type SchedulerCallAcceptInverseOffers,
  type SchedulerCallAcknowledge,
  type SchedulerCallAcknowledgeOperationStatus,
  type SchedulerCallDecline,
  type SchedulerCallDeclineInverseOffers,
  type SchedulerCallKill,
  type SchedulerCallMessage,
  type SchedulerCallReconcile,
  type SchedulerCallReconcileOperations,
  type SchedulerCallRequest,
  type SchedulerCallRevive,
  type SchedulerCallShutdown,
  type SchedulerCallSuppress,
  type SchedulerCallType,
  type SchedulerEvent,
  type SchedulerOfferConstraints,
  type WireEncoding,
} from '../codec/index';
import {
  EventStreamSubscription,
  type EventVerdict,
  type ReconnectBackoffOptions,
  type WatchdogOptions,
} from '../connection/eventStreamSubscription';
import type { MasterConnection, MasterStreamingResponse } from '../connection/masterConnection';
import type { SubscriptionStatus } from '../connection/subscriptionStatus';
import type { Disposable } from '../leader/leaderDetector';
import type { RecordIODecoderOptions } from '../recordio/recordIoDecoder';
import { SchedulerCallError } from './schedulerCallError';
import { SchedulerSubscriptionError } from './schedulerSubscriptionError';

export const SCHEDULER_API_PATH = '/api/v1/scheduler';
const STREAM_ID_HEADER = 'mesos-stream-id';

export interface SchedulerClientOptions {
  /** The cluster's masters; shared, so the client does not close it. */
  readonly connection: MasterConnection;
  /**
   * The id Mesos gave this framework before (kept across restarts of the editor): the first SUBSCRIBE
   * then fails over to it, so the framework's tasks survive. Without it, a `frameworkInfo.id` is used.
   */
  readonly frameworkId?: string;
  /** Encoding of calls and of the event stream (default: the connection's). */
  readonly encoding?: WireEncoding;
  readonly watchdog?: WatchdogOptions;
  readonly backoff?: ReconnectBackoffOptions;
  readonly recordIo?: RecordIODecoderOptions;
  readonly sink?: LogSink;
}

export interface SchedulerSubscribeOptions {
  /** Roles whose offers start suppressed (a subset of the framework's roles). */
  readonly suppressedRoles?: readonly string[];
  readonly offerConstraints?: SchedulerOfferConstraints;
  /** Aborting it ends the subscription, as close() does. */
  readonly signal?: AbortSignal;
}

/** What the first SUBSCRIBED of a subscription told. */
export interface SchedulerSubscribed {
  readonly frameworkId: string;
  readonly streamId: string;
  /** Base URL of the master holding the stream. */
  readonly master: string;
  readonly heartbeatIntervalSeconds: number | undefined;
  readonly masterInfo: MasterInfo | undefined;
}

/**
 * The v1 scheduler HTTP API of one framework (reference §2). subscribe() opens the SUBSCRIBE stream
 * on the leader and keeps it open: it reconnects with backoff after the stream ends, breaks, carries a
 * malformed record or misses heartbeats, and always resubscribes with the framework id it was given
 * (top-level `framework_id` and `framework_info.id`: a failover, not a new framework). Every other call
 * goes to the master holding the stream, with its `Mesos-Stream-Id` and the framework id.
 *
 * Events reach `onEvent` listeners and `events()` iterators in stream order; neither can hold up the
 * stream. After any (re)subscription the master forgets outstanding offers: consumers should do the same
 * on every SUBSCRIBED.
 */
export class SchedulerClient {
  readonly encoding: WireEncoding;
  private readonly connection: MasterConnection;
  private readonly log: Logger;
  private readonly subscription: EventStreamSubscription<SchedulerEvent>;
  private currentFrameworkId: string | undefined;
  private currentStreamId: string | undefined;
  private responseStreamId: string | undefined;
  private frameworkInfo: FrameworkInfo | undefined;
  private subscribeOptions: SchedulerSubscribeOptions = {};
  private lastSubscribed: SchedulerSubscribed | undefined;

  constructor(options: SchedulerClientOptions) {
    this.connection = options.connection;
    this.encoding = options.encoding ?? options.connection.encoding;
    this.currentFrameworkId = options.frameworkId;
    this.log = createLogger(options.sink ?? silentSink, 'mesos.scheduler');
    this.subscription = new EventStreamSubscription<SchedulerEvent>(
      {
        name: 'scheduler',
        path: SCHEDULER_API_PATH,
        codec: schedulerEventCodec,
        subscribeBody: (encoding) => this.subscribeBody(encoding),
        onConnected: (response) => this.onConnected(response),
        inspect: (event) => this.inspect(event),
        onDisconnected: () => {
          this.currentStreamId = undefined;
          this.responseStreamId = undefined;
        },
      },
      {
        connection: options.connection,
        encoding: this.encoding,
        watchdog: options.watchdog,
        backoff: options.backoff,
        recordIo: options.recordIo,
        sink: options.sink,
      },
    );
  }

  /** The framework's id: given at construction, or assigned by the first SUBSCRIBED. Persist it. */
  get frameworkId(): string | undefined {
    return this.currentFrameworkId;
  }

  /** The `Mesos-Stream-Id` of the live subscription; undefined while not subscribed. */
  get streamId(): string | undefined {
    return this.currentStreamId;
  }

  /** Base URL of the master holding the stream, while it is open. */
  get master(): string | undefined {
    return this.subscription.master;
  }

  get status(): SubscriptionStatus {
    return this.subscription.status;
  }

  /** What the latest SUBSCRIBED told, kept after the stream goes. */
  get subscribed(): SchedulerSubscribed | undefined {
    return this.lastSubscribed;
  }

  /**
   * Opens the subscription and keeps it open until close() (or `options.signal`), or an ERROR event.
   * Resolves at the first SUBSCRIBED; rejects with the error that ends the subscription before that
   * (SchedulerSubscriptionError for an ERROR event, HttpStatusError for a refused SUBSCRIBE). Call once.
   */
  subscribe(frameworkInfo: FrameworkInfo, options: SchedulerSubscribeOptions = {}): Promise<SchedulerSubscribed> {
    if (this.subscription.started || this.subscription.status.state === 'closed') {
      return Promise.reject(new Error('SchedulerClient.subscribe() can be called only once, before close()'));
    }
    this.frameworkInfo = frameworkInfo;
    this.subscribeOptions = options;
    this.currentFrameworkId ??= frameworkInfo.id?.value;
    const { signal } = options;
    if (signal?.aborted) {
      void this.close();
      return Promise.reject(signal.reason);
    }
    if (signal) {
      const onAbort = () => void this.close();
      signal.addEventListener('abort', onAbort, { once: true });
      const done = this.subscription.onStatusChange((status) => {
        if (status.state !== 'closed' && status.state !== 'failed') return;
        signal.removeEventListener('abort', onAbort);
        done.dispose();
      });
    }
    this.log.info(
      `Subscribing framework "${frameworkInfo.name}"${this.currentFrameworkId ? ` (failing over to ${this.currentFrameworkId})` : ''}`,
    );
    this.subscription.start();
    return this.subscription.whenSubscribed().then(() => {
      if (!this.lastSubscribed) throw new Error('SUBSCRIBED was not recorded');
      return this.lastSubscribed;
    });
  }

  /** Every event (HEARTBEAT included) in stream order, as it is decoded. */
  onEvent(listener: (event: SchedulerEvent) => void): Disposable {
    return this.subscription.onEvent(listener);
  }

  onStatusChange(listener: (status: SubscriptionStatus) => void): Disposable {
    return this.subscription.onStatusChange(listener);
  }

  /** Problems the client recovers from by subscribing again (a malformed record, a cut stream, silence). */
  onProblem(listener: (error: Error) => void): Disposable {
    return this.subscription.onProblem(listener);
  }

  /**
   * The events from now on, in order, buffered for a consumer that awaits its own work. Ends after
   * close(); throws the error that ended the subscription (e.g. SchedulerSubscriptionError).
   */
  events(signal?: AbortSignal): AsyncIterableIterator<SchedulerEvent> {
    return this.subscription.events(signal);
  }

  /**
   * Sends one call (anything but SUBSCRIBE) on the live subscription, filling in `framework_id`.
   * Resolves when Mesos took it (202; 200 for UPDATE_FRAMEWORK): its effects arrive as events. Throws
   * SchedulerCallError when it was not subscribed or Mesos refused the call (with Mesos's reason), the
   * HTTP layer's errors when the master could not be reached, MesosEncodeError for a malformed call.
   */
  async call(call: SchedulerCall, signal: AbortSignal): Promise<void> {
    const type: SchedulerCallType = call.type ?? 'UNKNOWN';
    if (type === 'SUBSCRIBE') throw new TypeError('Use SchedulerClient.subscribe() for SUBSCRIBE');
    const master = this.subscription.master;
    const streamId = this.currentStreamId;
    const frameworkId = this.currentFrameworkId;
    if (
      this.subscription.status.state !== 'subscribed' ||
      master === undefined ||
      streamId === undefined ||
      frameworkId === undefined
    ) {
      throw new SchedulerCallError({
        kind: 'not-subscribed',
        callType: type,
        reason: `the scheduler is not subscribed (${this.subscription.status.message})`,
        nextStep: 'Send it again once the subscription is back (status "subscribed").',
        retryable: this.subscription.status.state === 'connecting' || this.subscription.status.state === 'reconnecting',
      });
    }
    const body = schedulerCallCodec.encode({ ...call, type, framework_id: { value: frameworkId } }, this.encoding);
    const expected = type === 'UPDATE_FRAMEWORK' ? 200 : 202;
    let status: number;
    try {
      const response = await this.connection.request({
        master,
        method: 'POST',
        path: SCHEDULER_API_PATH,
        headers: {
          'content-type': MEDIA_TYPE[this.encoding],
          accept: MEDIA_TYPE[this.encoding],
          'mesos-stream-id': streamId,
        },
        body,
        signal,
        maxBodyBytes: 1024 * 1024,
      });
      status = response.status;
    } catch (error) {
      if (error instanceof HttpStatusError) throw refusal(type, master, error);
      throw error;
    }
    if (status !== expected) {
      throw new SchedulerCallError({
        kind: 'unexpected-status',
        callType: type,
        master,
        status,
        reason: `${status} instead of ${expected}`,
        nextStep: 'Check that the URL points at a Mesos master; the call may or may not have taken effect.',
        retryable: false,
      });
    }
  }

  accept(accept: SchedulerCallAccept, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'ACCEPT', accept }, signal);
  }

  decline(decline: SchedulerCallDecline, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'DECLINE', decline }, signal);
  }

  acceptInverseOffers(payload: SchedulerCallAcceptInverseOffers, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'ACCEPT_INVERSE_OFFERS', accept_inverse_offers: payload }, signal);
  }

  declineInverseOffers(payload: SchedulerCallDeclineInverseOffers, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'DECLINE_INVERSE_OFFERS', decline_inverse_offers: payload }, signal);
  }

  /** Un-suppresses roles and clears their filters; no roles means every role of the framework. */
  revive(revive: SchedulerCallRevive, signal: AbortSignal): Promise<void> {
    return this.call(revive.roles?.length ? { type: 'REVIVE', revive } : { type: 'REVIVE' }, signal);
  }

  /** Stops offers for roles; no roles means every role of the framework. */
  suppress(suppress: SchedulerCallSuppress, signal: AbortSignal): Promise<void> {
    return this.call(suppress.roles?.length ? { type: 'SUPPRESS', suppress } : { type: 'SUPPRESS' }, signal);
  }

  kill(kill: SchedulerCallKill, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'KILL', kill }, signal);
  }

  shutdown(shutdown: SchedulerCallShutdown, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'SHUTDOWN', shutdown }, signal);
  }

  /** Only for updates whose status carries a `uuid`; pass that uuid through unchanged. */
  acknowledge(acknowledge: SchedulerCallAcknowledge, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'ACKNOWLEDGE', acknowledge }, signal);
  }

  acknowledgeOperationStatus(payload: SchedulerCallAcknowledgeOperationStatus, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'ACKNOWLEDGE_OPERATION_STATUS', acknowledge_operation_status: payload }, signal);
  }

  /** No tasks: implicit reconciliation (every task the master knows for the framework). */
  reconcile(reconcile: SchedulerCallReconcile, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'RECONCILE', reconcile }, signal);
  }

  reconcileOperations(payload: SchedulerCallReconcileOperations, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'RECONCILE_OPERATIONS', reconcile_operations: payload }, signal);
  }

  message(message: SchedulerCallMessage, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'MESSAGE', message }, signal);
  }

  request(request: SchedulerCallRequest, signal: AbortSignal): Promise<void> {
    return this.call({ type: 'REQUEST', request }, signal);
  }

  /**
   * Changes the framework's info (name, roles, failover timeout, capabilities, …) without resubscribing,
   * and remembers it for later resubscriptions. The framework id is filled in.
   */
  async updateFramework(
    frameworkInfo: FrameworkInfo,
    options: { suppressedRoles?: readonly string[]; offerConstraints?: SchedulerOfferConstraints },
    signal: AbortSignal,
  ): Promise<void> {
    const id = this.currentFrameworkId;
    const info: FrameworkInfo = id === undefined ? frameworkInfo : { ...frameworkInfo, id: { value: id } };
    await this.call(
      {
        type: 'UPDATE_FRAMEWORK',
        update_framework: {
          framework_info: info,
          ...(options.suppressedRoles && { suppressed_roles: [...options.suppressedRoles] }),
          ...(options.offerConstraints && { offer_constraints: options.offerConstraints }),
        },
      },
      signal,
    );
    this.frameworkInfo = frameworkInfo;
    this.subscribeOptions = {
      ...this.subscribeOptions,
      suppressedRoles: options.suppressedRoles,
      offerConstraints: options.offerConstraints,
    };
  }

  /**
   * Ends the framework for good: Mesos kills its tasks and never accepts its id again. The subscription
   * is closed once Mesos took the call.
   */
  async teardown(signal: AbortSignal): Promise<void> {
    // the master ends the stream before it answers: that end is the teardown working, not a failure
    this.subscription.expectEnd();
    await this.call({ type: 'TEARDOWN' }, signal);
    this.log.info(`Tore down framework ${this.currentFrameworkId ?? ''}`);
    await this.close();
  }

  /** Ends the subscription: the stream is aborted, iterators end, no timer or socket of it is left. */
  close(): Promise<void> {
    return this.subscription.close();
  }

  private subscribeBody(encoding: WireEncoding): Uint8Array {
    const info = this.frameworkInfo;
    if (info === undefined) throw new Error('subscribe() has not been called');
    const id = this.currentFrameworkId;
    const { suppressedRoles, offerConstraints } = this.subscribeOptions;
    const call: SchedulerCall = {
      type: 'SUBSCRIBE',
      ...(id !== undefined && { framework_id: { value: id } }),
      subscribe: {
        // Both ids, equal: a resubscription with the id fails over; without it Mesos makes a new framework.
        framework_info: id === undefined ? withoutId(info) : { ...info, id: { value: id } },
        ...(suppressedRoles?.length && { suppressed_roles: [...suppressedRoles] }),
        ...(offerConstraints && { offer_constraints: offerConstraints }),
      },
    };
    return schedulerCallCodec.encode(call, encoding);
  }

  private onConnected(response: MasterStreamingResponse): void {
    this.responseStreamId = response.headers.get(STREAM_ID_HEADER) ?? undefined;
  }

  private inspect(event: SchedulerEvent): EventVerdict {
    const master = this.subscription.master;
    if (event.type === 'SUBSCRIBED' && event.subscribed) {
      const streamId = this.responseStreamId;
      if (streamId === undefined) {
        return {
          kind: 'terminal',
          error: new SchedulerSubscriptionError({
            kind: 'no-stream-id',
            master,
            reason: `${master ?? 'The master'} answered SUBSCRIBED without a Mesos-Stream-Id header, so no call could be sent on it.`,
            nextStep: 'Check that the URL points at a Mesos master (1.x), not at a proxy that drops headers.',
          }),
        };
      }
      const frameworkId = event.subscribed.framework_id.value;
      if (this.currentFrameworkId !== undefined && this.currentFrameworkId !== frameworkId) {
        this.log.warn(`Mesos subscribed framework ${frameworkId}, not ${this.currentFrameworkId} as asked`);
      }
      this.currentFrameworkId = frameworkId;
      this.currentStreamId = streamId;
      const heartbeatIntervalSeconds = event.subscribed.heartbeat_interval_seconds;
      this.lastSubscribed = {
        frameworkId,
        streamId,
        master: master ?? '',
        heartbeatIntervalSeconds,
        masterInfo: event.subscribed.master_info,
      };
      this.log.info(`Framework ${frameworkId} subscribed on ${master ?? 'the leader'}`);
      return { kind: 'subscribed', heartbeatIntervalSeconds };
    }
    if (event.type === 'ERROR') {
      const message = event.error?.message ?? '(no message)';
      return {
        kind: 'terminal',
        error: SchedulerSubscriptionError.fromErrorEvent(message, this.currentFrameworkId, master),
      };
    }
    return undefined;
  }
}

function withoutId(info: FrameworkInfo): FrameworkInfo {
  if (info.id === undefined) return info;
  const copy = { ...info };
  delete copy.id;
  return copy;
}

function refusal(type: SchedulerCallType, master: string, error: HttpStatusError): SchedulerCallError {
  const reason = error.reason || `${error.status} ${error.statusText}`;
  let nextStep: string;
  let retryable = false;
  if (error.status === 403 || (error.status === 400 && /stream-id|stream id|cannot be found/i.test(reason))) {
    nextStep =
      'The master no longer counts this subscription as live; the client subscribes again, then send the call again.';
    retryable = true;
  } else if (error.status === 503 || error.status >= 500) {
    nextStep = 'The master is failing over or recovering; send the call again once subscribed.';
    retryable = true;
  } else if (error.status === 307) {
    nextStep =
      'The master is no longer the leader; the client subscribes again on the new leader, then send the call again.';
    retryable = true;
  } else {
    nextStep = error.nextStep;
  }
  return new SchedulerCallError({
    kind: 'refused',
    callType: type,
    master,
    status: error.status,
    reason,
    nextStep,
    retryable,
    cause: error,
  });
}
