import { HttpStatusError } from '../http/errors';
import { createLogger, silentSink, type Logger, type LogSink } from '../log/logSink';
import type { FrameworkInfo, SchedulerEvent, TaskStatus, WireEncoding } from '../mesos/codec';
import type { ReconnectBackoffOptions, WatchdogOptions } from '../mesos/connection/eventStreamSubscription';
import type { MasterConnection } from '../mesos/connection/masterConnection';
import type { SubscriptionStatus } from '../mesos/connection/subscriptionStatus';
import type { Disposable } from '../mesos/leader/leaderDetector';
import { SchedulerCallError } from '../mesos/scheduler/schedulerCallError';
import { SchedulerClient } from '../mesos/scheduler/schedulerClient';
import { SchedulerSubscriptionError } from '../mesos/scheduler/schedulerSubscriptionError';
import type { DecisionRecord } from './decisionRecord';
import type { OutgoingCall } from './outgoingCall';
import type { SchedulerInput } from './schedulerInput';
import { reduce } from './schedulerReducer';
import { restoreSchedulerState, snapshotOf } from './schedulerSnapshot';
import type { SchedulerOptions, SchedulerState } from './schedulerState';
import type { SchedulerStore } from './schedulerStore';
import { MemorySchedulerStore } from './schedulerStore';
import type { TaskRequest } from './taskRequest';

export interface SchedulerDriverOptions {
  readonly connection: MasterConnection;
  readonly frameworkInfo: FrameworkInfo;
  /** Where the framework id and tracked work are kept between runs (default: memory only). */
  readonly store?: SchedulerStore;
  readonly options?: Partial<SchedulerOptions>;
  readonly encoding?: WireEncoding;
  readonly sink?: LogSink;
  /** Clock for inputs; tests pass a fake one. */
  readonly now?: () => number;
  /** How often time advances for the reducer (suppress, reconciliation retries). Default 1 s. */
  readonly tickMs?: number;
  /** Per call; Mesos suggests ≈75 s for call responses (reference §2.10). Default 30 s. */
  readonly callTimeoutMs?: number;
  readonly watchdog?: WatchdogOptions;
  readonly backoff?: ReconnectBackoffOptions;
  /** Keep every input, for a replay of this run through the reducer. */
  readonly record?: boolean;
}

/** A task status update as it was applied, with the request it belongs to (for progress in the UI). */
export interface AppliedUpdate {
  readonly status: TaskStatus;
  readonly requestId?: string;
}

/** The longest the driver reduces inputs before letting the event loop breathe. */
const SLICE_MS = 8;
/** ACKNOWLEDGE calls are independent; sending a few at once keeps up with a burst of updates. */
const ACK_CONCURRENCY = 16;

/**
 * Connects the pure reducer to a SchedulerClient: events, launch and kill requests and clock ticks become
 * inputs, reduced one at a time in arrival order; the calls they produce go out on two lanes (control calls
 * in order, acknowledgements beside them; see pump), and what failed to arrive is fed back as `call-failed`. The reducer never waits on the network,
 * and reducing yields to the event loop every few milliseconds, so a burst of events never blocks the
 * editor.
 *
 * Acknowledgements wait until the snapshot that includes their update is saved (reference §2.8: ACK after
 * the update is durably recorded), so a crash can lose an update only into a resend, never for good.
 */
export class SchedulerDriver {
  private readonly log: Logger;
  private readonly store: SchedulerStore;
  private readonly now: () => number;
  private readonly inputs: SchedulerInput[] = [];
  private readonly outgoing: OutgoingCall[] = [];
  private readonly acks: OutgoingCall[] = [];
  private readonly recorded: SchedulerInput[] | undefined;
  private current: SchedulerState;
  private client: SchedulerClient | undefined;
  private clientSubscriptions: Disposable[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private draining = false;
  private pumping = false;
  private acking = false;
  private saving: Promise<void> = Promise.resolve();
  private dirty = false;
  private stopped = false;
  /** The first subscription succeeded; later failures are handled from status changes. */
  private running = false;
  private lastStatus: SubscriptionStatus = { state: 'idle', message: 'not started' };
  private readonly abort = new AbortController();
  private readonly listeners = {
    decision: new Set<(d: DecisionRecord) => void>(),
    update: new Set<(u: AppliedUpdate) => void>(),
    state: new Set<(s: SchedulerState) => void>(),
    status: new Set<(s: SubscriptionStatus) => void>(),
    call: new Set<(c: OutgoingCall) => void>(),
  };
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: SchedulerDriverOptions) {
    this.log = createLogger(options.sink ?? silentSink, 'scheduler');
    this.store = options.store ?? new MemorySchedulerStore();
    this.now = options.now ?? Date.now;
    this.recorded = options.record ? [] : undefined;
    this.current = restoreSchedulerState(undefined, options.options).state;
  }

  get state(): SchedulerState {
    return this.current;
  }

  get status(): SubscriptionStatus {
    return this.lastStatus;
  }

  get frameworkId(): string | undefined {
    return this.current.frameworkId ?? this.client?.frameworkId;
  }

  /** Base URL of the master holding the subscription. */
  get master(): string | undefined {
    return this.client?.master;
  }

  /** The inputs so far, when started with `record: true`. */
  get recording(): readonly SchedulerInput[] {
    return this.recorded ?? [];
  }

  /**
   * Loads the saved state and subscribes (failing over to the saved framework id, if any). Resolves at
   * the first SUBSCRIBED. When Mesos says the saved framework was removed, the id is forgotten and a new
   * framework is registered. Other refusals reject, with the master's reason.
   */
  async start(): Promise<void> {
    const restored = restoreSchedulerState(await this.store.load(), this.options.options);
    if (restored.problem) this.log.warn(`Saved scheduler state: ${restored.problem}`);
    this.current = restored.state;
    this.ticker = setInterval(() => this.enqueue({ kind: 'tick', at: this.now() }), this.options.tickMs ?? 1000);
    this.ticker.unref();
    try {
      await this.subscribe();
      this.running = true;
    } catch (error) {
      if (!(error instanceof SchedulerSubscriptionError) || !error.frameworkRemoved) throw error;
      this.log.warn(`Framework ${this.current.frameworkId ?? ''} was removed by Mesos: registering a new one`);
      this.enqueue({ kind: 'framework-removed', at: this.now(), reason: error.mesosMessage ?? error.reason });
      await this.whenIdle();
      await this.subscribe();
      this.running = true;
    }
  }

  /** Queues requests; they are placed on fitting offers. Decisions say what happened to each. */
  launch(requests: readonly TaskRequest[]): void {
    this.enqueue({ kind: 'launch', at: this.now(), requests });
  }

  /** Kills a task (by task id), or drops a pending request (by request id). Idempotent. */
  kill(taskId: string): void {
    this.enqueue({ kind: 'kill', at: this.now(), taskId });
  }

  onDecision(listener: (d: DecisionRecord) => void): Disposable {
    return this.listen('decision', listener);
  }

  /** Each status update, after it was applied. */
  onUpdate(listener: (u: AppliedUpdate) => void): Disposable {
    return this.listen('update', listener);
  }

  /** The state after each batch of inputs. */
  onStateChange(listener: (s: SchedulerState) => void): Disposable {
    return this.listen('state', listener);
  }

  onStatusChange(listener: (s: SubscriptionStatus) => void): Disposable {
    return this.listen('status', listener);
  }

  /**
   * Each call as it is handed to the client, before its answer (B3 times ACCEPTs against their offers).
   * An ACCEPT carries the agents' secrets in its TaskInfos: never log what a listener gets.
   */
  onCall(listener: (call: OutgoingCall) => void): Disposable {
    return this.listen('call', listener);
  }

  /** Resolves once every queued input is reduced and every call it made was sent (or failed). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Ends the subscription. Without `teardown` the framework stays registered for its failover timeout:
   * its tasks keep running and the next start reconciles them. With it, Mesos kills every task of the
   * framework and forgets the id (the saved state is cleared).
   */
  async stop(options: { teardown?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    await this.whenIdleOrTimeout(2000);
    const client = this.client;
    let failure: unknown;
    if (options.teardown && client) {
      try {
        await client.teardown(AbortSignal.timeout(this.options.callTimeoutMs ?? 30_000));
        this.current = restoreSchedulerState(undefined, this.options.options).state;
        this.dirty = true;
      } catch (error) {
        this.log.error(`TEARDOWN failed: ${(error as Error).message}`);
        failure = error;
      }
    }
    // whatever TEARDOWN did, the subscription ends here: no stream may keep reconnecting after stop()
    this.abort.abort();
    for (const d of this.clientSubscriptions) d.dispose();
    this.clientSubscriptions = [];
    await client?.close();
    await this.flush();
    for (const set of Object.values(this.listeners)) set.clear();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
    if (failure !== undefined) throw failure;
  }

  private listen<T>(kind: keyof SchedulerDriver['listeners'], listener: (value: T) => void): Disposable {
    const set = this.listeners[kind] as unknown as Set<(value: T) => void>;
    set.add(listener);
    return { dispose: () => void set.delete(listener) };
  }

  private async subscribe(): Promise<void> {
    for (const d of this.clientSubscriptions) d.dispose();
    await this.client?.close();
    const client = new SchedulerClient({
      connection: this.options.connection,
      ...(this.current.frameworkId !== undefined && { frameworkId: this.current.frameworkId }),
      ...(this.options.encoding !== undefined && { encoding: this.options.encoding }),
      ...(this.options.watchdog !== undefined && { watchdog: this.options.watchdog }),
      ...(this.options.backoff !== undefined && { backoff: this.options.backoff }),
      ...(this.options.sink !== undefined && { sink: this.options.sink }),
    });
    this.client = client;
    this.clientSubscriptions = [
      client.onEvent((event) => this.onEvent(event)),
      client.onStatusChange((status) => this.onClientStatus(status)),
    ];
    await client.subscribe(this.options.frameworkInfo, { signal: this.abort.signal });
  }

  private onEvent(event: SchedulerEvent): void {
    if (event.type === 'HEARTBEAT') return;
    this.enqueue({ kind: 'event', at: this.now(), event });
  }

  private onClientStatus(status: SubscriptionStatus): void {
    const was = this.lastStatus.state;
    this.lastStatus = status;
    if (was === 'subscribed' && status.state !== 'subscribed')
      this.enqueue({ kind: 'disconnected', at: this.now(), reason: status.message });
    if (status.state === 'failed') {
      const error = status.error;
      if (error instanceof SchedulerSubscriptionError && error.frameworkRemoved && this.running && !this.stopped) {
        this.enqueue({ kind: 'framework-removed', at: this.now(), reason: error.mesosMessage ?? error.reason });
        // a removed framework's id is dead for good: register anew, once the state says so
        void this.whenIdle().then(() =>
          this.stopped
            ? undefined
            : this.subscribe().catch((e: unknown) => this.log.error(`Registering a new framework failed: ${(e as Error).message}`)),
        );
      } else {
        this.log.error(`The scheduler subscription ended: ${error.message}`);
      }
    }
    for (const l of this.listeners.status) safely(() => l(status), this.log);
  }

  private enqueue(input: SchedulerInput): void {
    if (this.stopped && input.kind !== 'tick') return;
    this.inputs.push(input);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => this.drain());
    }
  }

  /** Reduces queued inputs in slices of a few ms, so the event loop stays responsive. */
  private drain(): void {
    const started = performance.now();
    let changed = false;
    while (this.inputs.length > 0 && performance.now() - started < SLICE_MS) {
      const input = this.inputs.shift()!;
      this.recorded?.push(input);
      const step = reduce(this.current, input);
      if (step.state !== this.current) {
        changed = true;
        this.dirty = true;
      }
      this.current = step.state;
      for (const call of step.calls) (call.type === 'ACKNOWLEDGE' ? this.acks : this.outgoing).push(call);
      for (const d of step.decisions) {
        this.log.debug(`${d.kind}: ${d.reason}`);
        for (const l of this.listeners.decision) safely(() => l(d), this.log);
      }
      if (input.kind === 'event' && input.event.type === 'UPDATE' && input.event.update) {
        const status = input.event.update.status;
        const task = this.current.tasks[status.task_id.value];
        const requestId = task?.request.id ?? step.decisions.find((d) => d.requestId !== undefined)?.requestId;
        const applied: AppliedUpdate = { status, ...(requestId !== undefined && { requestId }) };
        for (const l of this.listeners.update) safely(() => l(applied), this.log);
      }
    }
    if (changed) for (const l of this.listeners.state) safely(() => l(this.current), this.log);
    if (this.inputs.length > 0) {
      setImmediate(() => this.drain());
    } else {
      this.draining = false;
    }
    void this.pump();
    this.settleIdle();
  }

  /**
   * Two lanes, so a launch never waits behind acknowledgements (bench B3): the control lane sends ACCEPT,
   * DECLINE, KILL, RECONCILE, REVIVE and SUPPRESS one at a time in the order the reducer made them (a KILL
   * must follow the ACCEPT that launched its task); the acknowledgement lane saves the state, then sends
   * the ACKNOWLEDGEs that follow it, several at once (they are independent of each other and of the rest).
   */
  private pump(): void {
    void this.pumpControl();
    void this.pumpAcks();
  }

  private async pumpControl(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      // calls queued while the state was being saved are sent too: nothing else would start this lane again
      // until the next input (and never after stop(), which waits for idle)
      while (this.outgoing.length > 0) {
        for (let call = this.outgoing.shift(); call; call = this.outgoing.shift()) await this.send(call);
        if (this.dirty && !this.acking) await this.flush();
      }
    } finally {
      this.pumping = false;
      this.settleIdle();
    }
  }

  private async pumpAcks(): Promise<void> {
    if (this.acking) return;
    this.acking = true;
    try {
      // acknowledgements queued while the state was being saved go out too: nothing else would start this
      // lane again until the next input (and never after stop(), which waits for idle)
      while (this.acks.length > 0) {
        await this.flush();
        const batch = this.acks.splice(0, ACK_CONCURRENCY);
        await Promise.all(batch.map((call) => this.send(call)));
      }
    } finally {
      this.acking = false;
      this.settleIdle();
    }
  }

  private async send(call: OutgoingCall): Promise<void> {
    const client = this.client;
    if (!client) return;
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.options.callTimeoutMs ?? 30_000)]);
    for (const l of this.listeners.call) safely(() => l(call), this.log);
    try {
      await client.call(call, signal);
    } catch (error) {
      if (this.abort.signal.aborted) return;
      const definite =
        (error instanceof SchedulerCallError && error.kind !== 'unexpected-status') ||
        (error instanceof HttpStatusError && error.status >= 400 && error.status < 500);
      const reason = error instanceof SchedulerCallError ? error.reason : (error as Error).message;
      // ACKNOWLEDGE, DECLINE and RECONCILE lost with a stream are redone by Mesos or by the next SUBSCRIBED
      const quiet = call.type === 'ACKNOWLEDGE' || call.type === 'DECLINE' || call.type === 'RECONCILE';
      if (quiet) this.log.debug(`${call.type} not delivered: ${reason}`);
      else this.log.warn(`${call.type} not delivered: ${(error as Error).message}`);
      this.enqueue({ kind: 'call-failed', at: this.now(), call, definite, reason });
    }
  }

  /** Saves the state if it changed; resolves only once a save that includes the current state is done. */
  private flush(): Promise<void> {
    // saves run one after another, so a caller never returns while an earlier save is still being written
    this.saving = this.saving.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await this.store.save(snapshotOf(this.current));
      } catch (error) {
        this.dirty = true;
        this.log.error(`Saving the scheduler state failed: ${(error as Error).message}`);
      }
    });
    return this.saving;
  }

  private isIdle(): boolean {
    return (
      !this.draining && !this.pumping && !this.acking && this.inputs.length === 0 && this.outgoing.length === 0 && this.acks.length === 0
    );
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private whenIdleOrTimeout(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      void this.whenIdle().then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function safely(fn: () => void, log: Logger): void {
  try {
    fn();
  } catch (error) {
    log.error(`A scheduler listener threw: ${(error as Error).message}`);
  }
}
