import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { TaskState } from '../../core/mesos/codec';
import type { Logger } from '../../core/log/logSink';
import type { DecisionRecord } from '../../core/scheduler/decisionRecord';
import type { LeaseInfo } from '../../core/scheduler/lease/leaseInfo';
import type { SchedulerLease } from '../../core/scheduler/lease/schedulerLease';
import type { SchedulerMailbox } from '../../core/scheduler/lease/schedulerMailbox';
import type { SchedulerStatus, SchedulerStatusPublisher } from '../../core/scheduler/lease/schedulerStatusFile';
import type { SchedulerDriver } from '../../core/scheduler/schedulerDriver';
import type { SchedulerState } from '../../core/scheduler/schedulerState';
import type { TaskRequest } from '../../core/scheduler/taskRequest';
import type { ClusterRegistry } from '../clusters/clusterRegistry';
import { loadClusterRuntime } from '../clusters/loadClusterRuntime';
import { MementoSchedulerStore } from './mementoSchedulerStore';
import type {
  SchedulerAccess,
  SchedulerTaskSummary,
  SchedulerTaskUpdate,
  SchedulerWhere,
} from './schedulerAccess';

export interface ClusterSchedulerOptions {
  readonly cluster: string;
  readonly clusters: ClusterRegistry;
  readonly globalState: vscode.Memento;
  /** The directory all windows share (the extension's global storage). */
  readonly dir: string;
  readonly log: Logger;
  /** Test hooks: shorter lease timings. */
  readonly heartbeatMs?: number;
  readonly staleMs?: number;
}

/** How often a window that does not run the scheduler reads the holder's status file. */
const STATUS_POLL_MS = 1000;

/**
 * One cluster's scheduler for this window. The first window that needs it takes the cluster's lease and
 * runs the driver; the others read its status file and forward launch and kill through its mailbox, and
 * the first of them to notice the holder gone takes over (when it had asked for the scheduler). So two
 * windows never subscribe the same framework, and its id (kept in global state) fails over between them.
 */
export class ClusterScheduler implements SchedulerAccess, vscode.Disposable {
  readonly cluster: string;
  private readonly ownerId = `window-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly decisions = new vscode.EventEmitter<DecisionRecord>();
  private readonly updates = new vscode.EventEmitter<SchedulerTaskUpdate>();
  readonly onDidChange = this.changed.event;
  readonly onDecision = this.decisions.event;
  readonly onTaskUpdate = this.updates.event;

  private lease: SchedulerLease | undefined;
  private mailbox: SchedulerMailbox | undefined;
  private publisher: SchedulerStatusPublisher | undefined;
  private driver: SchedulerDriver | undefined;
  private serving: { dispose(): Promise<void> } | undefined;
  private readonly disposables: { dispose(): unknown }[] = [];
  /** Who runs the scheduler when another window or the daemon does. */
  private holderInfo: LeaseInfo | undefined;
  /** The holder's status as last read. */
  private remote: SchedulerStatus | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  /**
   * Taking the lease and starting the driver, while that runs: one start at a time (the lease reports
   * 'held' while tryAcquire runs, and that event must not start a second driver).
   */
  private starting: Promise<void> | undefined;
  private opening: Promise<void> | undefined;
  /** This window asked for the scheduler, so it takes over when the holder goes away. */
  private wanted = false;
  private disposed = false;

  constructor(private readonly options: ClusterSchedulerOptions) {
    this.cluster = options.cluster;
  }

  get where(): SchedulerWhere {
    if (this.driver) return 'here';
    if (this.holderInfo) return this.holderInfo.where === 'headless' ? 'headless' : 'other-window';
    return 'stopped';
  }

  get frameworkId(): string | undefined {
    return this.driver?.frameworkId ?? this.remote?.frameworkId ?? savedFrameworkId(this.options.globalState.get(this.storeKey()));
  }

  /** The subscription's state in words, wherever the scheduler runs. */
  get statusText(): string {
    if (this.driver) return this.driver.status.message;
    if (this.remote) return this.remote.subscription.message;
    return 'not running';
  }

  /** Starts watching the lease (who runs the scheduler), without taking it. */
  open(): Promise<void> {
    this.opening ??= (async () => {
      const { SchedulerLease, SchedulerMailbox, leaseKey } = loadClusterRuntime();
      const key = leaseKey(this.cluster);
      this.lease = SchedulerLease.open({
        dir: this.options.dir,
        key,
        ownerId: this.ownerId,
        where: 'window',
        ...(this.options.heartbeatMs !== undefined && { heartbeatMs: this.options.heartbeatMs }),
        ...(this.options.staleMs !== undefined && { staleMs: this.options.staleMs }),
        log: this.options.log,
      });
      this.mailbox = SchedulerMailbox.open({ dir: this.options.dir, key, ownerId: this.ownerId, log: this.options.log });
      this.disposables.push(
        this.lease.onChange((state, holder) => void this.onLease(state, holder)),
        this.lease.watch({
          pollMs: this.options.heartbeatMs ?? 2000,
          takeOver: () => this.wanted && !this.disposed,
        }),
      );
      this.setHolder(await this.lease.holder());
      this.changed.fire();
    })();
    return this.opening;
  }

  async ensureRunning(): Promise<void> {
    this.wanted = true;
    await this.open();
    if (this.driver) return;
    return this.startOnce(async () => {
      let other = await this.lease!.holder();
      if (other?.ownerId === this.ownerId) other = undefined;
      if (!other) {
        if (await this.lease!.tryAcquire()) return this.startDriver();
        other = await this.lease!.holder();
      }
      this.setHolder(other);
      this.changed.fire();
    });
  }

  async launch(requests: readonly TaskRequest[]): Promise<void> {
    await this.ensureRunning();
    if (this.driver) {
      this.driver.launch(requests);
      return;
    }
    const reply = await this.mailbox!.launch(requests, { where: this.holderInfo?.where ?? 'window' });
    if (!reply.ok) throw new Error(`The scheduler in the other window refused the launch: ${reply.message}`);
  }

  async kill(taskIds: readonly string[]): Promise<void> {
    await this.ensureRunning();
    for (const id of taskIds) {
      if (this.driver) this.driver.kill(id);
      else {
        const reply = await this.mailbox!.kill(id, { where: this.holderInfo?.where ?? 'window' });
        if (!reply.ok) throw new Error(`The scheduler in the other window refused to kill ${id}: ${reply.message}`);
      }
    }
  }

  tasks(): readonly SchedulerTaskSummary[] {
    if (this.driver) return summaries(this.driver.state);
    if (!this.remote) return [];
    return this.remote.tasks.map((t) => ({
      taskId: t.taskId,
      requestId: t.requestId,
      name: t.requestId,
      state: t.state as TaskState,
      agentId: t.agentId,
      hostname: t.hostname,
    }));
  }

  /** The driver, while this window runs the scheduler (the autoscaler launches through it). */
  get localDriver(): SchedulerDriver | undefined {
    return this.driver;
  }

  /**
   * Stops the scheduler in this window. Without teardown its framework stays registered for its failover
   * timeout (tasks keep running and the next start reconciles them); with it, Mesos kills every task.
   */
  async stop(options: { teardown?: boolean } = {}): Promise<void> {
    this.wanted = false;
    await this.stopDriver(options);
    await this.lease?.release();
    this.setHolder(await this.lease?.holder());
    this.changed.fire();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.statusTimer);
    void this.stop().finally(() => {
      for (const d of this.disposables.splice(0)) d.dispose();
      void this.mailbox?.dispose();
      void this.lease?.dispose();
    });
    this.changed.dispose();
    this.decisions.dispose();
    this.updates.dispose();
  }

  private storeKey(): string {
    return `mesos.scheduler.${this.cluster}`;
  }

  /** Runs `start` unless a start is under way already, and gives the one under way. */
  private startOnce(start: () => Promise<void>): Promise<void> {
    this.starting ??= start().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /** Starts the driver in this window, which holds the lease; whatever fails on the way gives the lease back. */
  private async startDriver(): Promise<void> {
    try {
      await this.runDriver();
    } catch (error) {
      await this.stopDriver().catch(() => undefined);
      await this.lease?.release();
      this.changed.fire();
      throw error;
    }
  }

  private async runDriver(): Promise<void> {
    const handle = this.options.clusters.get(this.cluster);
    if (!handle) throw new Error(`There is no cluster "${this.cluster}" in mesos.clusters.`);
    if (handle.config.readOnly)
      throw new Error(`Cluster "${this.cluster}" is read-only (mesos.clusters): the scheduler does not run on it.`);
    const session = await handle.session();
    const { SchedulerDriver, SchedulerStatusPublisher, frameworkInfoFor, leaseKey } = loadClusterRuntime();
    const settings = vscode.workspace.getConfiguration('mesos.scheduler');
    const role = handle.config.role;
    const driver = new SchedulerDriver({
      connection: session.connection,
      frameworkInfo: frameworkInfoFor({
        name: settings.get<string>('frameworkName', 'mesos-ops'),
        ...(role !== undefined && { roles: [role] }),
        ...(handle.config.principal !== undefined && { principal: handle.config.principal }),
        checkpoint: settings.get<boolean>('checkpoint', true),
        failoverTimeoutSeconds: settings.get<number>('failoverTimeoutSeconds', 7 * 24 * 3600),
      }),
      store: new MementoSchedulerStore(this.options.globalState, this.storeKey()),
      encoding: handle.config.encoding,
      options: { refuseSeconds: settings.get<number>('refuseSeconds', 120) },
    });
    const publisher = SchedulerStatusPublisher.open({ dir: this.options.dir, key: leaseKey(this.cluster), log: this.options.log });
    const recent: DecisionRecord[] = [];
    const publish = () =>
      publisher.publish({
        where: 'window',
        ownerId: this.ownerId,
        ...(driver.frameworkId !== undefined && { frameworkId: driver.frameworkId }),
        ...(driver.master !== undefined && { master: driver.master }),
        subscription: { state: driver.status.state, message: driver.status.message },
        tasks: loadClusterRuntime().summarizeTasks(driver.state.tasks),
        pending: driver.state.pending.length,
        decisions: recent.slice(-50),
      });
    driver.onDecision((d) => {
      recent.push(d);
      if (recent.length > 100) recent.splice(0, recent.length - 100);
      this.decisions.fire(d);
      publish();
    });
    driver.onUpdate((u) =>
      this.updates.fire({
        taskId: u.status.task_id.value,
        state: u.status.state,
        ...(u.requestId !== undefined && { requestId: u.requestId }),
        ...(u.status.message !== undefined && { message: u.status.message }),
        ...(u.status.reason !== undefined && { reason: u.status.reason }),
      }),
    );
    driver.onStateChange(() => {
      publish();
      this.changed.fire();
    });
    driver.onStatusChange(() => {
      publish();
      this.changed.fire();
    });
    this.driver = driver;
    this.publisher = publisher;
    this.setHolder(undefined);
    this.changed.fire();
    await driver.start();
    this.serving = await this.mailbox!.serve((request) => {
      if (!this.driver) return { ok: false, message: 'the scheduler in this window is stopping' };
      if (request.kind === 'launch') {
        this.driver.launch(request.requests);
        return { ok: true, message: `queued ${request.requests.length} request(s)` };
      }
      this.driver.kill(request.taskId);
      return { ok: true, message: `kill of ${request.taskId} requested` };
    });
    publish();
    this.options.log.info(`Scheduler for ${this.cluster} runs in this window as framework ${driver.frameworkId ?? '?'}`);
  }

  /** Stops the driver, if this window runs one; the lease stays as it is. */
  private async stopDriver(options: { teardown?: boolean } = {}): Promise<void> {
    const { driver, serving, publisher } = this;
    this.driver = undefined;
    this.serving = undefined;
    this.publisher = undefined;
    await serving?.dispose();
    // the last status is written before the driver stops: what the stop reports is never published, so a
    // window that lost the lease never overwrites the new holder's status
    await publisher?.dispose();
    if (!driver) return;
    try {
      await driver.stop(options);
    } finally {
      if (options.teardown) await this.options.globalState.update(this.storeKey(), undefined);
    }
  }

  private async onLease(state: string, holder: LeaseInfo | undefined): Promise<void> {
    if (state === 'lost' && this.driver) {
      // another window holds the lease now: stop at once, so two never subscribe the same framework
      this.options.log.warn(`Scheduler lease of ${this.cluster} was lost: stopping the scheduler in this window`);
      await this.stopDriver().catch(() => undefined);
    }
    // taken over from a holder that went away (a start under way acts on its own 'held')
    if (state === 'held' && !this.driver && this.wanted && !this.disposed && !this.starting) {
      await this.startOnce(() => this.startDriver()).catch((e: unknown) =>
        this.options.log.error(`Taking over the scheduler failed: ${(e as Error).message}`),
      );
    }
    this.setHolder(state === 'other' ? holder : state === 'held' ? undefined : await this.lease?.holder());
    this.changed.fire();
  }

  /** Records who holds the lease when not this window, and reads their status while there is one. */
  private setHolder(holder: LeaseInfo | undefined): void {
    this.holderInfo = holder;
    this.pollRemote();
  }

  /**
   * Reads the holder's status file every STATUS_POLL_MS while another window or the daemon runs the
   * scheduler (for tasks() and events); the reads end when nobody else does.
   */
  private pollRemote(): void {
    if (this.statusTimer || this.disposed || this.driver || !this.holderInfo) return;
    this.statusTimer = setTimeout(() => {
      void this.readRemote()
        .catch((e: unknown) =>
          this.options.log.warn(`Reading the scheduler status of ${this.cluster}: ${(e as Error).message}`),
        )
        .finally(() => {
          this.statusTimer = undefined;
          this.pollRemote();
        });
    }, STATUS_POLL_MS);
    this.statusTimer.unref();
  }

  private async readRemote(): Promise<void> {
    const holder = this.holderInfo;
    if (this.driver || !holder) return;
    const { readSchedulerStatus, leaseKey } = loadClusterRuntime();
    const read = await readSchedulerStatus(this.options.dir, leaseKey(this.cluster));
    const status = read.status?.ownerId === holder.ownerId ? read.status : undefined;
    if (!status || status.publishedAt === this.remote?.publishedAt) return;
    const previous = this.remote;
    this.remote = status;
    this.replayRemote(previous, status);
    this.changed.fire();
  }

  /** Turns what changed since the holder's last status into this window's events (for launches started here). */
  private replayRemote(previous: SchedulerStatus | undefined, status: SchedulerStatus): void {
    const decisionKey = (d: DecisionRecord) => `${d.at}|${d.kind}|${d.taskId ?? d.requestId ?? ''}|${d.reason}`;
    const known = new Set(previous?.decisions.map(decisionKey));
    for (const d of status.decisions) if (!known.has(decisionKey(d))) this.decisions.fire(d);
    const states = new Map(previous?.tasks.map((t) => [t.taskId, t.state]));
    for (const t of status.tasks) {
      if (states.get(t.taskId) === t.state) continue;
      this.updates.fire({ taskId: t.taskId, requestId: t.requestId, state: t.state as TaskState });
    }
  }
}

function summaries(state: SchedulerState): SchedulerTaskSummary[] {
  const tasks = Object.values(state.tasks).map((t) => ({
    taskId: t.taskId,
    requestId: t.request.id,
    name: t.request.name ?? t.request.id,
    state: t.state,
    agentId: t.agentId,
    hostname: t.hostname,
  }));
  const pending = state.pending.map((r) => ({ taskId: r.id, requestId: r.id, name: r.name ?? r.id, state: 'PENDING' as const }));
  return [...tasks, ...pending];
}

function savedFrameworkId(saved: unknown): string | undefined {
  const id = (saved as { frameworkId?: unknown } | undefined)?.frameworkId;
  return typeof id === 'string' ? id : undefined;
}
