import { HttpStatusError } from '../../http/errors';
import { createLogger, silentSink, type Logger, type LogSink } from '../../log/logSink';
import {
  masterCallCodec,
  masterEventCodec,
  masterResponseCodec,
  MEDIA_TYPE,
  MesosDecodeError,
  wireEncodingOfContentType,
  type MasterCall,
  type MasterCallType,
  type MasterEvent,
  type MasterResponse,
  type MasterResponseGetAgents,
  type MasterResponseGetFrameworks,
  type MasterResponseGetHealth,
  type MasterResponseGetMaster,
  type MasterResponseGetMetrics,
  type MasterResponseGetState,
  type MasterResponseGetTasks,
  type MasterResponseGetVersion,
  type WireEncoding,
} from '../codec/index';
import {
  EventStreamSubscription,
  type ReconnectBackoffOptions,
  type WatchdogOptions,
} from '../connection/eventStreamSubscription';
import type { MasterConnection } from '../connection/masterConnection';
import type { RecordIODecoderOptions } from '../recordio/recordIoDecoder';
import type { LegacyMasterState, LegacyTask } from './legacyMasterState';
import { readLegacyMasterState, readLegacyTasksPage } from './readLegacyJson';

export const OPERATOR_API_PATH = '/api/v1';
/** Mesos's own default page size of /master/tasks. */
export const DEFAULT_TASKS_PAGE_SIZE = 100;

export interface OperatorClientOptions {
  /** The cluster's masters; shared, so the client does not close it. */
  readonly connection: MasterConnection;
  /** Encoding of calls, answers and the event stream (default: the connection's). */
  readonly encoding?: WireEncoding;
  /** For subscribe(). */
  readonly watchdog?: WatchdogOptions;
  readonly backoff?: ReconnectBackoffOptions;
  readonly recordIo?: RecordIODecoderOptions;
  readonly sink?: LogSink;
}

/** The whole cluster, from the v1 operator API when the master has it, else from the legacy endpoint. */
export type ClusterState =
  | { readonly source: 'v1'; readonly state: MasterResponseGetState }
  | { readonly source: 'legacy'; readonly state: LegacyMasterState };

export interface LegacyTasksQuery {
  readonly frameworkId?: string;
  /** Mesos reads it only together with frameworkId. */
  readonly taskId?: string;
  /** By the timestamp of each task's first status; Mesos's default is 'desc' (newest first). */
  readonly order?: 'asc' | 'desc';
  /** Tasks asked per request (default 100, as Mesos). */
  readonly pageSize?: number;
  /** Where to start (default 0). */
  readonly offset?: number;
}

export interface OperatorSubscribeOptions {
  readonly signal?: AbortSignal;
  /** Encoding of the stream (default: the client's). */
  readonly encoding?: WireEncoding;
  /**
   * Hands each SUBSCRIBED record's JSON bytes (the whole cluster state) to the caller instead of decoding
   * them, so that a huge state can be parsed in slices; the event listeners then see a SUBSCRIBED without
   * `get_state`. Implies a JSON stream.
   */
  readonly snapshotBytes?: (body: Uint8Array) => void;
}

const SUBSCRIBED_HEAD = Buffer.from('"SUBSCRIBED"');

/**
 * The first record of an operator stream, handed over as bytes when it is SUBSCRIBED (it always is on a
 * real master); its heartbeat interval is read from the record's tail, where Mesos writes it.
 */
function subscribedFromBytes(record: Uint8Array, snapshotBytes: (body: Uint8Array) => void): MasterEvent {
  const buffer = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
  if (buffer.subarray(0, 64).indexOf(SUBSCRIBED_HEAD) < 0) return masterEventCodec.decode(record, 'json');
  snapshotBytes(record);
  const tail = buffer.subarray(Math.max(0, buffer.length - 256)).toString('latin1');
  const interval = /"heartbeat_interval_seconds"\s*:\s*([0-9.]+)/.exec(tail)?.[1];
  return { type: 'SUBSCRIBED', subscribed: { ...(interval ? { heartbeat_interval_seconds: Number(interval) } : {}) } } as MasterEvent;
}

/** The operator subscription: SUBSCRIBED (full state), then TASK_*, AGENT_*, FRAMEWORK_* and HEARTBEAT events. */
export type OperatorSubscription = EventStreamSubscription<MasterEvent>;

/** Response payload fields, for calls whose answer type has the call's name. */
type PayloadField = Exclude<keyof MasterResponse, 'type'>;

/**
 * The master's v1 operator API (reference §6), with its legacy JSON endpoints (§7) as fallback for
 * masters that do not have it. Requests go to the leader through the MasterConnection, which follows
 * redirects and retries 503s; reads are marked as safe to repeat.
 */
export class OperatorClient {
  readonly encoding: WireEncoding;
  private readonly connection: MasterConnection;
  private readonly options: OperatorClientOptions;
  private readonly log: Logger;
  private readonly subscriptions = new Set<OperatorSubscription>();
  private v1: boolean | undefined;

  constructor(options: OperatorClientOptions) {
    this.options = options;
    this.connection = options.connection;
    this.encoding = options.encoding ?? options.connection.encoding;
    this.log = createLogger(options.sink ?? silentSink, 'mesos.operator');
  }

  /** Whether the master has the v1 operator API: undefined until a call found out (404 means no). */
  get v1Supported(): boolean | undefined {
    return this.v1;
  }

  /**
   * Sends one operator call and decodes the answer; resolves with undefined for answers without a body
   * (TEARDOWN and other write calls). Payload messages are sent even when empty (`"get_metrics":{}`),
   * which Mesos requires. Throws HttpStatusError (404 when the master has no v1 API), MesosDecodeError.
   */
  async call(call: MasterCall, signal: AbortSignal): Promise<MasterResponse | undefined> {
    const type = call.type ?? 'UNKNOWN';
    const body = masterCallCodec.encode(call, this.encoding);
    let response;
    try {
      response = await this.connection.request({
        method: 'POST',
        path: OPERATOR_API_PATH,
        headers: { 'content-type': MEDIA_TYPE[this.encoding], accept: MEDIA_TYPE[this.encoding] },
        body,
        signal,
        idempotent: isReadOnly(type),
        expectContentType: [MEDIA_TYPE.json, MEDIA_TYPE.protobuf],
      });
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) this.learnV1(false);
      throw error;
    }
    this.learnV1(true);
    if (response.body.length === 0) return undefined;
    const encoding = wireEncodingOfContentType(response.headers.get('content-type')) ?? this.encoding;
    return masterResponseCodec.decode(response.body, encoding);
  }

  getHealth(signal: AbortSignal): Promise<MasterResponseGetHealth> {
    return this.ask({ type: 'GET_HEALTH' }, 'get_health', signal);
  }

  getVersion(signal: AbortSignal): Promise<MasterResponseGetVersion> {
    return this.ask({ type: 'GET_VERSION' }, 'get_version', signal);
  }

  /** `timeoutMs`: metrics not ready in time are left out (the master waits at most that long). */
  getMetrics(signal: AbortSignal, options: { timeoutMs?: number } = {}): Promise<MasterResponseGetMetrics> {
    const timeout = options.timeoutMs === undefined ? undefined : { nanoseconds: Math.round(options.timeoutMs * 1e6) };
    return this.ask(
      { type: 'GET_METRICS', get_metrics: timeout === undefined ? {} : { timeout } },
      'get_metrics',
      signal,
    );
  }

  getState(signal: AbortSignal): Promise<MasterResponseGetState> {
    return this.ask({ type: 'GET_STATE' }, 'get_state', signal);
  }

  getAgents(signal: AbortSignal): Promise<MasterResponseGetAgents> {
    return this.ask({ type: 'GET_AGENTS' }, 'get_agents', signal);
  }

  getFrameworks(signal: AbortSignal): Promise<MasterResponseGetFrameworks> {
    return this.ask({ type: 'GET_FRAMEWORKS' }, 'get_frameworks', signal);
  }

  getTasks(signal: AbortSignal): Promise<MasterResponseGetTasks> {
    return this.ask({ type: 'GET_TASKS' }, 'get_tasks', signal);
  }

  getMaster(signal: AbortSignal): Promise<MasterResponseGetMaster> {
    return this.ask({ type: 'GET_MASTER' }, 'get_master', signal);
  }

  /** Removes a framework for good: Mesos kills its tasks and never accepts its id again. */
  async teardown(frameworkId: string, signal: AbortSignal): Promise<void> {
    await this.call({ type: 'TEARDOWN', teardown: { framework_id: { value: frameworkId } } }, signal);
    this.log.info(`Tore down framework ${frameworkId}`);
  }

  /**
   * Opens the operator event stream on the leader and keeps it open (reconnecting with backoff, a
   * heartbeat watchdog, a fresh SUBSCRIBED snapshot after every reconnect) until its close(), the
   * client's close(), or `options.signal`. A master without the v1 API fails it with a 404
   * HttpStatusError: fall back to polling getClusterState() then.
   */
  subscribe(options: OperatorSubscribeOptions = {}): OperatorSubscription {
    const encoding = options.snapshotBytes ? 'json' : (options.encoding ?? this.encoding);
    const snapshotBytes = options.snapshotBytes;
    const subscription: OperatorSubscription = new EventStreamSubscription<MasterEvent>(
      {
        name: 'operator',
        path: OPERATOR_API_PATH,
        codec: masterEventCodec,
        subscribeBody: (encoding) => masterCallCodec.encode({ type: 'SUBSCRIBE' }, encoding),
        ...(snapshotBytes ? { decodeFirst: (record: Uint8Array) => subscribedFromBytes(record, snapshotBytes) } : {}),
        onConnected: () => this.learnV1(true),
        inspect: (event) =>
          event.type === 'SUBSCRIBED'
            ? { kind: 'subscribed', heartbeatIntervalSeconds: event.subscribed?.heartbeat_interval_seconds }
            : undefined,
      },
      {
        connection: this.connection,
        encoding,
        watchdog: this.options.watchdog,
        backoff: this.options.backoff,
        recordIo: this.options.recordIo,
        sink: this.options.sink,
      },
    );
    this.subscriptions.add(subscription);
    const { signal } = options;
    const onAbort = () => void subscription.close();
    subscription.onStatusChange((status) => {
      if (status.state === 'closed') this.subscriptions.delete(subscription);
      if (status.state === 'failed' && status.error instanceof HttpStatusError && status.error.status === 404) {
        this.learnV1(false);
      }
      if (status.state === 'closed' || status.state === 'failed') signal?.removeEventListener('abort', onAbort);
    });
    if (signal?.aborted) {
      void subscription.close();
      return subscription;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    subscription.start();
    return subscription;
  }

  /**
   * The whole cluster state: GET_STATE, or the legacy /master/state on a master whose /api/v1 answered
   * 404 (remembered, so later calls go straight to the legacy endpoint).
   */
  async getClusterState(signal: AbortSignal): Promise<ClusterState> {
    if (this.v1 !== false) {
      try {
        return { source: 'v1', state: await this.getState(signal) };
      } catch (error) {
        if (!(error instanceof HttpStatusError && error.status === 404)) throw error;
        this.log.info('The master has no v1 operator API (404 on /api/v1); reading /master/state instead');
      }
    }
    return { source: 'legacy', state: await this.getLegacyState(signal) };
  }

  /** `GET /master/state`, checked and typed. Throws LegacyResponseError for an answer of the wrong shape. */
  async getLegacyState(signal: AbortSignal): Promise<LegacyMasterState> {
    const response = await this.connection.request({
      path: '/master/state',
      signal,
      headers: { accept: MEDIA_TYPE.json },
      expectContentType: [MEDIA_TYPE.json],
    });
    return readLegacyMasterState(response.body);
  }

  /**
   * Every task `/master/tasks` has for the query, page by page (`limit`/`offset`/`order`), fetching the
   * next page only when the consumer gets there. Tasks that move between pages while paging (new tasks
   * shift a newest-first listing) are yielded once.
   */
  async *legacyTasks(query: LegacyTasksQuery, signal: AbortSignal): AsyncGenerator<LegacyTask, void, undefined> {
    const pageSize = query.pageSize ?? DEFAULT_TASKS_PAGE_SIZE;
    if (!Number.isSafeInteger(pageSize) || pageSize <= 0)
      throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    let offset = query.offset ?? 0;
    const seen = new Set<string>();
    for (;;) {
      const response = await this.connection.request({
        path: '/master/tasks',
        query: {
          limit: pageSize,
          offset,
          order: query.order,
          framework_id: query.frameworkId,
          task_id: query.taskId,
        },
        signal,
        headers: { accept: MEDIA_TYPE.json },
        expectContentType: [MEDIA_TYPE.json],
      });
      const { tasks } = readLegacyTasksPage(response.body);
      for (const task of tasks) {
        const key = `${task.framework_id}\u0000${task.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        yield task;
      }
      if (tasks.length < pageSize) return;
      offset += tasks.length;
    }
  }

  /** Closes every subscription this client opened. The connection stays open (it is shared). */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.subscriptions.clear();
  }

  private async ask<F extends PayloadField>(
    call: MasterCall,
    field: F,
    signal: AbortSignal,
  ): Promise<NonNullable<MasterResponse[F]>> {
    const type = call.type ?? 'UNKNOWN';
    const response = await this.call(call, signal);
    const fail = (kind: 'wrong-type' | 'missing-field', reason: string, path?: string): never => {
      throw new MesosDecodeError({
        kind,
        reason,
        nextStep: 'Check that the URL points at a Mesos master (1.x).',
        encoding: this.encoding,
        messageType: 'mesos.v1.master.Response',
        path,
      });
    };
    if (response === undefined) return fail('missing-field', `the master answered ${type} with an empty body`);
    if (response.type !== type)
      return fail('wrong-type', `the master answered ${type} with a ${response.type ?? 'typeless'} response`, 'type');
    const payload = response[field];
    if (payload === undefined || payload === null)
      return fail('missing-field', `the ${type} response has no '${field}'`, field);
    return payload as NonNullable<MasterResponse[F]>;
  }

  private learnV1(supported: boolean): void {
    if (this.v1 === supported) return;
    this.v1 = supported;
    this.log.debug(supported ? 'The master has the v1 operator API' : 'The master has no v1 operator API');
  }
}

/** Reads can be repeated after a connection failure; writes only when the failure came before sending. */
function isReadOnly(type: MasterCallType): boolean {
  return type.startsWith('GET_') || type === 'LIST_FILES' || type === 'READ_FILE';
}
