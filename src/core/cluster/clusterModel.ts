import type { MasterEvent, MasterResponseGetState, Offer, TaskState } from '../mesos/codec';
import { createLogger, silentSink, type Logger, type LogSink } from '../log/logSink';
import { ClusterChangeBuilder, type ClusterChange } from './clusterChange';
import { ClusterIndex } from './clusterIndex';
import { checkAgent, checkFramework, checkTask } from './clusterInput';
import {
  clusterListKey,
  MAX_PAGE_SIZE,
  type AgentsList,
  type AgentTasksList,
  type ClusterList,
  type ClusterPage,
  type FrameworksList,
  type FrameworkTasksList,
  type OffersList,
  type PageRequest,
} from './clusterList';
import type {
  AgentNode,
  AgentStatus,
  ClusterNode,
  FrameworkNode,
  FrameworkStatus,
  OfferNode,
  TaskNode,
} from './clusterNodes';
import { matcherFor, type ClusterEntry } from './clusterFilter';
import { ClusterStateError } from './clusterStateError';
import { diffClusterIndex } from './diffClusterIndex';
import { getStateShape, GetStateSink, readDecodedGetState } from './getStateReader';
import {
  legacyStateShape,
  LegacyStateSink,
  readDecodedLegacyState,
  type LegacyMasterStateInput,
} from './legacyStateAdapter';
import { MAX_RECORDED_EVENTS, Recording, type EventRecording } from './eventRecording';
import { runInSlices, type SliceStats } from './runInSlices';
import { scalarsOfMilli, type ScalarResources } from './scalarResources';
import { JsonSliceError, readJsonInSlices, type JsonShape } from './slicedJsonReader';
import { isTaskState, TASK_STATE_ORDER } from './taskStates';

/**
 * The body a snapshot is read from:
 * - `get-state`: the answer to the operator call GET_STATE (a master Response), in JSON;
 * - `subscribed`: the first record of the operator SUBSCRIBE stream (a master Event), in JSON;
 * - `legacy-state`: `/master/state` of a master without the v1 operator API.
 */
export type ClusterStateFormat = 'get-state' | 'subscribed' | 'legacy-state';

export interface ClusterModelOptions {
  /** For last-updated times (default Date.now). */
  readonly clock?: { now(): number };
  /** Work between two turns of the event loop while loading (default 5 ms). */
  readonly sliceMs?: number;
  /** Bytes parsed by one JSON.parse while loading (default 64 KiB). */
  readonly batchBytes?: number;
  /** How to give the event loop a turn (default setImmediate). */
  readonly yieldToLoop?: () => Promise<void>;
  /** Where skipped input and failing listeners are reported (component "cluster"). */
  readonly sink?: LogSink;
}

export interface SnapshotOptions {
  readonly signal?: AbortSignal;
  /**
   * Where the snapshot comes from. `stream`: the SUBSCRIBED event of a (new) operator stream; events
   * still waiting from before it belong to the old stream and are dropped. `poll`: GET_STATE or
   * /master/state read beside the stream (the backstop); events waiting are applied on top of it.
   * Default: `stream` for a `subscribed` body, `poll` otherwise.
   */
  readonly source?: 'stream' | 'poll';
  /**
   * Where outstanding offers come from: `snapshot` (the frameworks' offers in the snapshot, as
   * GET_STATE and /master/state report them) or `keep` (those set with setOffers: the SUBSCRIBE
   * stream carries none). Default: `keep` for a stream snapshot, `snapshot` for a polled one.
   */
  readonly offers?: 'snapshot' | 'keep';
  /**
   * The events applied since this polled snapshot was requested (recordEvents, called before the
   * request): the master took the snapshot when it answered, so these may be newer than it, and are
   * applied again on top of it. Disposed when the snapshot is in, or fails.
   */
  readonly replay?: EventRecording;
}

export interface ClusterLoadResult {
  readonly change: ClusterChange;
  /** Elements left out because they lack what the model needs (at most 100 listed). */
  readonly problems: readonly string[];
  readonly problemCount: number;
  /** From a SUBSCRIBED event. */
  readonly heartbeatIntervalSeconds: number | undefined;
  readonly stats: SliceStats;
}

export interface TaskGroupCount {
  readonly state: TaskState;
  readonly count: number;
}

export interface ClusterTotals {
  /** Agents that are registered and not gone. */
  readonly total: ScalarResources;
  readonly used: ScalarResources;
  readonly offered: ScalarResources;
  readonly agents: Readonly<Record<AgentStatus, number>>;
  readonly frameworks: Readonly<Record<FrameworkStatus, number>>;
  readonly tasks: number;
  readonly tasksByState: readonly TaskGroupCount[];
  readonly offers: number;
  readonly updatedAt: number | undefined;
}

export interface Subscription {
  dispose(): void;
}

interface SnapshotReading {
  readonly work: Generator<void, void, void>;
  offers(): readonly Offer[] | undefined;
  heartbeatIntervalSeconds(): number | undefined;
}

type SnapshotSource = (index: ClusterIndex, offers: 'snapshot' | 'keep') => SnapshotReading;

/** Filtered and merged lists kept for "load more" paging; a few, since each is an array of entries. */
const CACHED_LISTS = 16;

/**
 * The model of one cluster that the tree views read: frameworks with their tasks grouped by state,
 * agents with their resources and tasks, outstanding offers, and cluster totals.
 *
 * It is built from a snapshot (GET_STATE, the SUBSCRIBED event, or legacy /master/state) and then kept
 * current by the operator events; `load` reads a snapshot's bytes in slices so that a 100 MB state never
 * blocks the event loop for long, and builds the new state apart: the views keep reading the old one
 * until the new one is complete, then the change between them is announced. Events that arrive while a
 * snapshot loads are applied after it. Every applied event, offer list or snapshot announces one
 * ClusterChange naming what changed; views page through lists in a stable order.
 */
export class ClusterModel {
  private index = new ClusterIndex(true);
  private hasSnapshot = false;
  private updated: number | undefined;
  private loadingNow: { readonly controller: AbortController; readonly done: Promise<void> } | undefined;
  /** Sorting the lists a snapshot left unsorted, in the background, after it is in use. */
  private settling: { readonly controller: AbortController; readonly done: Promise<void> } | undefined;
  private queued: MasterEvent[] = [];
  private readonly recordings = new Set<Recording>();
  private readonly listeners = new Set<(change: ClusterChange) => void>();
  private readonly cache = new Map<string, { readonly version: number; readonly items: readonly ClusterEntry[] }>();
  private readonly clock: { now(): number };
  private readonly log: Logger;
  private disposed = false;

  constructor(private readonly options: ClusterModelOptions = {}) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.log = createLogger(options.sink ?? silentSink, 'cluster');
  }

  /** Called with every change, synchronously after it is applied. */
  onDidChange(listener: (change: ClusterChange) => void): Subscription {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** When the model last heard from the master (a change, a snapshot or a heartbeat), ms since the epoch. */
  get lastUpdated(): number | undefined {
    return this.updated;
  }

  get isLoading(): boolean {
    return this.loadingNow !== undefined;
  }

  /** Whether a snapshot has been loaded. */
  get isLoaded(): boolean {
    return this.hasSnapshot;
  }

  /**
   * Resolves once no snapshot is loading (whatever its outcome), queued events are applied, and the
   * background sorting of large lists after a snapshot is done.
   */
  async whenIdle(): Promise<void> {
    while (this.loadingNow !== undefined || this.settling !== undefined) {
      await (this.loadingNow ?? this.settling)!.done;
    }
  }

  // ---- snapshots ----------------------------------------------------------------------------------

  /**
   * Starts keeping the events applied from now on, for a polled snapshot about to be requested: pass
   * it as SnapshotOptions.replay, or dispose it if the request fails.
   */
  recordEvents(): EventRecording {
    return new Recording(this.recordings);
  }

  /** Reads a snapshot from the bytes of a JSON body, in slices. */
  load(body: Uint8Array, format: ClusterStateFormat, options: SnapshotOptions = {}): Promise<ClusterLoadResult> {
    const notJson = notJsonObject(body);
    if (notJson !== undefined) return Promise.reject(notJson);
    return this.replace(
      (index, mode) =>
        format === 'legacy-state' ? this.readLegacyBody(body, index) : this.readBody(body, format, index, mode),
      { ...options, source: options.source ?? (format === 'subscribed' ? 'stream' : 'poll') },
    );
  }

  /**
   * Replaces the state with a decoded GetState (GET_STATE's `get_state`, or SUBSCRIBED's). The model
   * keeps the objects, not copies, and updates tasks in place as events come: hand it over, do not reuse it.
   */
  replaceState(state: MasterResponseGetState, options: SnapshotOptions = {}): Promise<ClusterLoadResult> {
    return this.replace((index) => {
      const offers: Offer[] = [];
      return {
        work: readDecodedGetState(state, new GetStateSink(index, offers)),
        offers: () => offers,
        heartbeatIntervalSeconds: () => undefined,
      };
    }, options);
  }

  /** Replaces the state with an already parsed legacy /master/state (kept, not copied, like replaceState). */
  replaceLegacyState(state: LegacyMasterStateInput, options: SnapshotOptions = {}): Promise<ClusterLoadResult> {
    return this.replace((index) => {
      const sink = new LegacyStateSink(index);
      return {
        work: readDecodedLegacyState(state, sink),
        offers: () => sink.offersV1(),
        heartbeatIntervalSeconds: () => undefined,
      };
    }, options);
  }

  private async replace(source: SnapshotSource, options: SnapshotOptions): Promise<ClusterLoadResult> {
    const fromStream = (options.source ?? 'poll') === 'stream';
    const offerMode = options.offers ?? (fromStream ? 'keep' : 'snapshot');
    const external = options.signal;
    const replay = options.replay instanceof Recording ? options.replay : undefined;
    if (this.disposed) {
      replay?.dispose();
      throw new ClusterStateError('superseded', 'the model was disposed', 'Nothing to do.');
    }
    this.loadingNow?.controller.abort(superseded());
    // The current state's lists sort at their next read if they must; this snapshot needs the CPU.
    this.settling?.controller.abort();
    // Events waiting from before a new stream's snapshot belong to the old stream, which it covers.
    if (fromStream) this.queued = [];
    const controller = new AbortController();
    let finished!: () => void;
    const mine = { controller, done: new Promise<void>((resolve) => (finished = resolve)) };
    this.loadingNow = mine;
    const signal = external === undefined ? controller.signal : AbortSignal.any([external, controller.signal]);
    try {
      const next = new ClusterIndex(false);
      const reading = source(next, offerMode);
      const change = new ClusterChangeBuilder();
      const stats = await runInSlices(this.snapshotWork(next, reading, offerMode, change), {
        sliceMs: this.options.sliceMs,
        yieldToLoop: this.options.yieldToLoop,
        signal,
      });
      // Finished in the same turn that a newer snapshot started: the newer one wins.
      if (this.loadingNow !== mine) throw superseded();
      this.index = next;
      this.hasSnapshot = true;
      this.cache.clear();
      this.loadingNow = undefined;
      this.settleInBackground(next);
      if (next.problemCount > 0) {
        this.log.warn(`${next.problemCount} element(s) of the cluster state were left out`, next.problems.slice(0, 5));
      }
      const built = this.emit(change) ?? change.build(this.touch());
      if (replay !== undefined) this.replay(replay);
      this.drainQueue();
      return {
        change: built,
        problems: next.problems,
        problemCount: next.problemCount,
        heartbeatIntervalSeconds: reading.heartbeatIntervalSeconds(),
        stats,
      };
    } catch (error) {
      if (this.loadingNow === mine) {
        this.loadingNow = undefined;
        this.drainQueue();
      }
      throw stateError(error, signal, controller.signal);
    } finally {
      replay?.dispose();
      finished();
    }
  }

  /** Applies again the events applied since the snapshot was requested (SnapshotOptions.replay). */
  private replay(recording: Recording): void {
    const events = recording.take();
    if (recording.overflowed) {
      this.log.warn(
        `more than ${MAX_RECORDED_EVENTS} events came while the snapshot was fetched; the next snapshot will catch up`,
      );
    }
    for (const event of events) this.applyNow(event);
  }

  private settleInBackground(index: ClusterIndex): void {
    const controller = new AbortController();
    const settling = {
      controller,
      done: runInSlices(index.settleInSlices(), {
        sliceMs: this.options.sliceMs,
        yieldToLoop: this.options.yieldToLoop,
        signal: controller.signal,
      }).then(
        () => undefined,
        () => undefined, // aborted: a newer snapshot or dispose
      ),
    };
    this.settling = settling;
    void settling.done.then(() => {
      if (this.settling === settling) this.settling = undefined;
    });
  }

  private *snapshotWork(
    next: ClusterIndex,
    reading: SnapshotReading,
    offerMode: 'snapshot' | 'keep',
    change: ClusterChangeBuilder,
  ): Generator<void, void, void> {
    yield* reading.work;
    // Offers set while the snapshot loaded count too: read the current ones at the end.
    const offers = offerMode === 'keep' ? [...this.index.offers.values()].map((o) => o.offer) : reading.offers();
    next.finishSnapshot(offers ?? []);
    if (this.hasSnapshot) yield* diffClusterIndex(this.index, next, change);
    else change.full = true;
  }

  private readBody(
    body: Uint8Array,
    format: 'get-state' | 'subscribed',
    index: ClusterIndex,
    offerMode: 'snapshot' | 'keep',
  ): SnapshotReading {
    const offers: Offer[] = [];
    const state = getStateShape(new GetStateSink(index, offers));
    let sawState = false;
    let heartbeat: number | undefined;
    const getState: JsonShape = { ...state, end: () => (sawState = true) } as JsonShape;
    const expected = format === 'get-state' ? 'GET_STATE' : 'SUBSCRIBED';
    const type: JsonShape = { kind: 'value', take: (value) => checkType(value, expected) };
    const shape: JsonShape =
      format === 'get-state'
        ? { kind: 'object', members: { type, get_state: getState } }
        : {
            kind: 'object',
            members: {
              type,
              subscribed: {
                kind: 'object',
                members: {
                  get_state: getState,
                  heartbeat_interval_seconds: {
                    kind: 'value',
                    take: (value) => (heartbeat = typeof value === 'number' ? value : undefined),
                  },
                },
              },
            },
          };
    const batchBytes = this.options.batchBytes;
    function* work(): Generator<void, void, void> {
      yield* readJsonInSlices(body, shape, { batchBytes });
      if (!sawState) {
        throw new ClusterStateError(
          'unexpected-shape',
          `the body has no ${format === 'get-state' ? 'get_state' : 'subscribed.get_state'}`,
          format === 'get-state'
            ? 'Check that the call was {"type":"GET_STATE"} to the master\'s /api/v1.'
            : 'Check that the record is the first one of an operator SUBSCRIBE stream.',
        );
      }
    }
    return {
      work: work(),
      offers: () => (offerMode === 'snapshot' ? offers : undefined),
      heartbeatIntervalSeconds: () => heartbeat,
    };
  }

  private readLegacyBody(body: Uint8Array, index: ClusterIndex): SnapshotReading {
    const sink = new LegacyStateSink(index);
    let sawState = false;
    const shape = {
      ...legacyStateShape(sink),
      seen: (key: string) => {
        if (key === 'slaves' || key === 'frameworks') sawState = true;
      },
    } as JsonShape;
    const batchBytes = this.options.batchBytes;
    function* work(): Generator<void, void, void> {
      yield* readJsonInSlices(body, shape, { batchBytes });
      if (!sawState) {
        throw new ClusterStateError(
          'unexpected-shape',
          'the body has neither slaves nor frameworks, so it is not a /master/state',
          "Check that the URL is the master's /master/state (or /state).",
        );
      }
    }
    return { work: work(), offers: () => sink.offersV1(), heartbeatIntervalSeconds: () => undefined };
  }

  // ---- live updates -------------------------------------------------------------------------------

  /**
   * Applies one operator event. SUBSCRIBED starts a snapshot replace (see whenIdle); while a snapshot
   * loads, other events wait and are applied after it. Returns what changed, or undefined when nothing
   * did (HEARTBEAT, a queued event, input the model cannot use: that is logged).
   */
  applyEvent(event: MasterEvent): ClusterChange | undefined {
    if (this.disposed) return undefined;
    if (event.type === 'SUBSCRIBED') {
      const state = event.subscribed?.get_state;
      if (state !== undefined) {
        this.replaceState(state, { source: 'stream' }).catch((error: unknown) => {
          if (!(error instanceof ClusterStateError && error.kind === 'superseded'))
            this.log.error('snapshot failed', error);
        });
      }
      return undefined;
    }
    if (this.loadingNow !== undefined) {
      this.queued.push(event);
      return undefined;
    }
    return this.applyNow(event);
  }

  private applyNow(event: MasterEvent): ClusterChange | undefined {
    const index = this.index;
    const c = new ClusterChangeBuilder();
    const problemsBefore = index.problemCount;
    switch (event.type) {
      case 'TASK_ADDED': {
        const checked = checkTask(event.task_added?.task);
        if ('ok' in checked) index.putTask(checked.ok, c);
        else index.problem(`TASK_ADDED: ${checked.problem}`);
        break;
      }
      case 'TASK_UPDATED': {
        const update = event.task_updated;
        const frameworkId = update?.framework_id?.value;
        if (
          update === undefined ||
          typeof frameworkId !== 'string' ||
          typeof update.status?.task_id?.value !== 'string' ||
          !isTaskState(update.state)
        ) {
          index.problem(
            `TASK_UPDATED without framework_id, status.task_id or a known state: ${JSON.stringify(update)?.slice(0, 200)}`,
          );
        } else {
          index.updateTask(frameworkId, update.status, update.state, c);
        }
        break;
      }
      case 'AGENT_ADDED': {
        const checked = checkAgent(event.agent_added?.agent);
        if ('ok' in checked) index.putAgent(checked.ok, c);
        else index.problem(`AGENT_ADDED: ${checked.problem}`);
        break;
      }
      case 'AGENT_REMOVED': {
        const id = event.agent_removed?.agent_id?.value;
        if (typeof id === 'string') index.removeAgent(id, c);
        else index.problem('AGENT_REMOVED without agent_id');
        break;
      }
      case 'FRAMEWORK_ADDED':
      case 'FRAMEWORK_UPDATED': {
        const framework =
          event.type === 'FRAMEWORK_ADDED' ? event.framework_added?.framework : event.framework_updated?.framework;
        const checked = checkFramework(framework);
        if ('ok' in checked) index.putFramework(checked.ok, false, c);
        else index.problem(`${event.type}: ${checked.problem}`);
        break;
      }
      case 'FRAMEWORK_REMOVED': {
        const info = event.framework_removed?.framework_info;
        if (typeof info?.id?.value === 'string') index.completeFramework(info, c);
        else index.problem('FRAMEWORK_REMOVED without framework_info.id');
        break;
      }
      case 'HEARTBEAT':
        this.touch();
        return undefined;
      default:
        return undefined;
    }
    if (index.problemCount > problemsBefore)
      this.log.warn(index.problems[index.problems.length - 1] ?? 'event left out');
    for (const recording of this.recordings) recording.record(event);
    return this.emit(c);
  }

  /** Replaces the outstanding offers (the operator stream carries none; e.g. from GET_FRAMEWORKS). */
  setOffers(offers: readonly Offer[]): ClusterChange | undefined {
    if (this.disposed) return undefined;
    const c = new ClusterChangeBuilder();
    this.index.setOffers(offers, c);
    return this.emit(c);
  }

  private drainQueue(): void {
    const queued = this.queued;
    this.queued = [];
    for (const event of queued) {
      if (this.loadingNow !== undefined) {
        this.queued.push(event);
        continue;
      }
      this.applyNow(event);
    }
  }

  private touch(): number {
    this.updated = this.clock.now();
    return this.updated;
  }

  private emit(c: ClusterChangeBuilder): ClusterChange | undefined {
    if (c.isEmpty) return undefined;
    const change = c.build(this.touch());
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.log.error('a cluster change listener failed', error);
      }
    }
    return change;
  }

  // ---- queries ------------------------------------------------------------------------------------

  /** One page of a list, filtered first; at most MAX_PAGE_SIZE items. */
  page(list: FrameworksList, request?: PageRequest): ClusterPage<FrameworkNode>;
  page(list: AgentsList, request?: PageRequest): ClusterPage<AgentNode>;
  page(list: OffersList, request?: PageRequest): ClusterPage<OfferNode>;
  page(list: FrameworkTasksList | AgentTasksList, request?: PageRequest): ClusterPage<TaskNode>;
  page(list: ClusterList, request?: PageRequest): ClusterPage<ClusterNode>;
  page(list: ClusterList, request: PageRequest = {}): ClusterPage<ClusterNode> {
    const items = this.entries(list, request.filter);
    const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(request.limit ?? MAX_PAGE_SIZE)));
    const offset = Math.max(0, Math.floor(request.offset ?? 0));
    const end = offset + limit;
    return {
      items: items.slice(offset, end),
      total: items.length,
      offset,
      nextOffset: end < items.length ? end : undefined,
    };
  }

  /** Items in a list (after the filter, if any), without building a page. */
  count(list: ClusterList, filter?: string): number {
    return needleOf(filter) === '' ? this.index.listSize(list) : this.entries(list, filter).length;
  }

  /** A framework's non-empty task groups with their sizes, live states first. */
  taskGroups(frameworkId: string): readonly TaskGroupCount[] {
    const framework = this.index.frameworks.get(frameworkId);
    if (framework === undefined) return [];
    const out: TaskGroupCount[] = [];
    for (const state of TASK_STATE_ORDER) {
      const count = framework.groups.get(state)?.size ?? 0;
      if (count > 0) out.push({ state, count });
    }
    return out;
  }

  /** The states of the tasks on an agent, with how many tasks are in each. */
  agentTaskGroups(agentId: string): readonly TaskGroupCount[] {
    const agent = this.index.agents.get(agentId);
    if (agent === undefined) return [];
    const counts = new Map<TaskState, number>();
    for (const task of this.index.agentTasks(agent)) counts.set(task.state, (counts.get(task.state) ?? 0) + 1);
    return TASK_STATE_ORDER.filter((s) => counts.has(s)).map((state) => ({ state, count: counts.get(state)! }));
  }

  framework(id: string): FrameworkNode | undefined {
    const entry = this.index.frameworks.get(id);
    return entry?.listed === true ? entry : undefined;
  }

  agent(id: string): AgentNode | undefined {
    const entry = this.index.agents.get(id);
    return entry?.listed === true ? entry : undefined;
  }

  task(frameworkId: string, taskId: string): TaskNode | undefined {
    const framework = this.index.frameworks.get(frameworkId);
    return framework === undefined ? undefined : this.index.tasksOf(framework).get(taskId);
  }

  offer(id: string): OfferNode | undefined {
    return this.index.offers.get(id);
  }

  totals(): ClusterTotals {
    const index = this.index;
    const byState = index.taskStateCounts();
    return {
      total: scalarsOfMilli(index.totalMilli),
      used: scalarsOfMilli(index.usedMilli),
      offered: scalarsOfMilli(index.offeredMilli),
      agents: { ...index.agentCounts },
      frameworks: { ...index.frameworkCounts },
      tasks: index.taskCount,
      tasksByState: TASK_STATE_ORDER.filter((s) => (byState.get(s) ?? 0) > 0).map((state) => ({
        state,
        count: byState.get(state)!,
      })),
      offers: index.offers.size,
      updatedAt: this.updated,
    };
  }

  /** Input the model left out since the last snapshot (at most 100 listed). */
  get problems(): readonly string[] {
    return this.index.problems;
  }

  private entries(list: ClusterList, filter: string | undefined): readonly ClusterEntry[] {
    const needle = needleOf(filter);
    const merged = list.kind === 'frameworkTasks' && list.state === undefined;
    if (needle === '' && !merged) return this.index.listEntries(list) ?? [];
    const key = `${clusterListKey(list)}\u0000${needle}`;
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.version === this.index.version) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached.items;
    }
    const all = this.index.listEntries(list) ?? [];
    const items = needle === '' ? all : all.filter(matcherFor(needle));
    this.cache.set(key, { version: this.index.version, items });
    if (this.cache.size > CACHED_LISTS) this.cache.delete(this.cache.keys().next().value!);
    return items;
  }

  /** Stops a load in progress and forgets listeners and queued events. */
  dispose(): void {
    this.disposed = true;
    this.loadingNow?.controller.abort(superseded());
    this.settling?.controller.abort();
    this.listeners.clear();
    this.recordings.clear();
    this.queued = [];
    this.cache.clear();
  }
}

function checkType(value: unknown, expected: string): void {
  if (value === expected) return;
  throw new ClusterStateError(
    'unexpected-shape',
    `the body is ${typeof value === 'string' ? `a ${value}` : 'not a typed'} message, not ${expected}`,
    expected === 'GET_STATE'
      ? 'Send {"type":"GET_STATE"} to the master\'s /api/v1 and pass that response.'
      : 'Pass the first record of the operator SUBSCRIBE stream.',
  );
}

/** A body that does not even start like a JSON object: Mesos's text/plain errors, a proxy's HTML page. */
function notJsonObject(body: Uint8Array): ClusterStateError | undefined {
  let at = 0;
  while (at < body.length && (body[at] === 0x20 || body[at] === 0x0a || body[at] === 0x0d || body[at] === 0x09)) at++;
  if (at < body.length && body[at] === 0x7b) return undefined;
  if (at === body.length)
    return new ClusterStateError('not-json', 'the body is empty', 'Check that the request reached a Mesos master.');
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, 200)).toString('utf8').trim();
  return body[at] === 0x3c
    ? new ClusterStateError(
        'not-json',
        `the body is an HTML page, probably from a proxy or login page (${JSON.stringify(head.slice(0, 80))})`,
        'Check the master URL, and any proxy or single sign-on in front of Mesos.',
      )
    : new ClusterStateError(
        'not-json',
        `the body is not a JSON object: ${JSON.stringify(head)}`,
        'Read the message: Mesos answers a request it rejects in text/plain.',
      );
}

function superseded(): ClusterStateError {
  return new ClusterStateError(
    'superseded',
    'a newer snapshot replaced this one before it finished',
    'Nothing to do: the newer one is loading.',
  );
}

function stateError(error: unknown, signal: AbortSignal, own: AbortSignal): unknown {
  if (error instanceof ClusterStateError) return error;
  if (signal.aborted && error === signal.reason) return own.aborted ? own.reason : error;
  if (error instanceof JsonSliceError) {
    return new ClusterStateError(
      error.kind === 'unexpected' ? 'unexpected-shape' : 'not-json',
      error.message,
      error.kind === 'truncated'
        ? 'The response was cut short; it is fetched again at the next poll or resubscription.'
        : 'Check that the URL points at a Mesos master (1.x) and nothing in between rewrites its answers.',
      { cause: error },
    );
  }
  return error;
}

const needleOf = (filter: string | undefined): string => (filter ?? '').trim().toLowerCase();
