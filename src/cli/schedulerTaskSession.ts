import type { TaskState } from '../core/mesos/codec';
import { SchedulerSubscriptionError } from '../core/mesos/scheduler/schedulerSubscriptionError';
import type { DecisionRecord } from '../core/scheduler/decisionRecord';
import type { SchedulerDriver, SchedulerDriverOptions } from '../core/scheduler/schedulerDriver';
import type { CliContext } from './cliCommand';
import { CliLogSink } from './cliLogSink';
import { CliScheduler } from './cliScheduler';
import { TaskProgressReport } from './taskProgressReport';

/** How the watched request ended, as far as this scheduler could tell. */
export interface TaskEnd {
  /** The task's last state, when it reached one. */
  readonly state?: TaskState;
  readonly taskId?: string;
  /** True when Mesos says the task is over for good (not LOST/GONE_BY_OPERATOR, which an agent can undo). */
  readonly final: boolean;
  /** Why, when the state alone does not say it (no offer fitted, the framework was removed, …). */
  readonly message?: string;
}

/**
 * A scheduler driver run for one request of `mesos-ops execute` or `mesos-ops kill`: prints its progress,
 * and resolves `ended` once from the scheduler's decisions (the truth about the task: a TASK_DROPPED before
 * start is placed again, a LOST may still come back) or from a subscription that ended for good.
 */
export class SchedulerTaskSession {
  readonly driver: SchedulerDriver;
  readonly report: TaskProgressReport;
  readonly ended: Promise<TaskEnd>;
  /** The request's current task (set at launch, or given for a task launched by an earlier run). */
  taskId: string | undefined;
  /** True once the subscription failed for good (taken over, refused): TEARDOWN cannot be sent. */
  subscriptionFailed = false;
  private resolveEnded!: (end: TaskEnd) => void;
  private done = false;
  private readonly runningListeners: ((taskId: string) => void)[] = [];
  private readonly scheduler: CliScheduler;

  constructor(
    private readonly ctx: CliContext,
    driverOptions: Omit<SchedulerDriverOptions, 'sink'>,
    private readonly requestId: string,
    json: boolean,
    taskId?: string,
  ) {
    this.taskId = taskId;
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.scheduler = new CliScheduler(new CliLogSink(ctx), driverOptions);
    this.driver = this.scheduler.driver;
    this.report = new TaskProgressReport(ctx.stdout, json, () => this.driver.frameworkId);
    this.driver.onDecision((d) => this.onDecision(d));
    this.driver.onUpdate(({ status, requestId }) => {
      const taskId = status.task_id.value;
      if (requestId !== this.requestId && taskId !== this.taskId) return;
      this.report.update(status);
      if (status.state === 'TASK_RUNNING' && taskId === this.taskId) for (const l of this.runningListeners) l(taskId);
    });
    this.driver.onStatusChange((status) => {
      if (status.state !== 'failed') return;
      this.subscriptionFailed = true;
      const error = status.error;
      const message =
        error instanceof SchedulerSubscriptionError && error.kind === 'failed-over'
          ? `another scheduler took framework ${this.driver.frameworkId ?? ''} over (e.g. 'mesos-ops kill --force'): the task is in its hands now`
          : `the scheduler subscription ended: ${error.message}`;
      this.settle({ final: false, message, ...(this.taskId !== undefined && { taskId: this.taskId }) });
    });
  }

  get isEnded(): boolean {
    return this.done;
  }

  /** Called with the task id at each TASK_RUNNING of the request's current task. */
  onRunning(listener: (taskId: string) => void): void {
    this.runningListeners.push(listener);
  }

  /** Subscribes within `timeoutMs`; resolves to why not, or undefined once subscribed. */
  async start(timeoutMs: number): Promise<string | undefined> {
    const started = await this.scheduler.subscribe(
      timeoutMs,
      this.ctx.signal,
      'Check --master and that it is reachable, or raise --timeout.',
    );
    if (started.kind === 'subscribed') return undefined;
    return started.kind === 'aborted' ? 'interrupted before the framework was subscribed' : started.message;
  }

  settle(end: TaskEnd): void {
    if (this.done) return;
    this.done = true;
    this.resolveEnded(end);
  }

  /**
   * Ends the subscription. With `teardown` (and while still subscribed) Mesos kills whatever the framework
   * still runs and forgets it; otherwise it stays registered for its failover timeout.
   */
  async stop(teardown: boolean): Promise<boolean> {
    const canTeardown = teardown && !this.subscriptionFailed && this.driver.status.state === 'subscribed';
    const problem = await this.scheduler.stop(canTeardown);
    if (problem === undefined) return canTeardown;
    this.ctx.stderr.write(`mesos-ops: ${problem}.\n`);
    return false;
  }

  private onDecision(d: DecisionRecord): void {
    const mine = d.requestId === this.requestId || (d.taskId !== undefined && d.taskId === this.taskId);
    const frameworkWide = d.requestId === undefined && d.taskId === undefined;
    if (!mine && !frameworkWide) return;
    if (d.kind === 'launched' && d.taskId !== undefined) this.taskId = d.taskId;
    const hostname = d.kind === 'launched' && d.taskId ? this.driver.state.tasks[d.taskId]?.hostname : undefined;
    this.report.decision(d, hostname);
    const about =
      d.taskId !== undefined ? { taskId: d.taskId } : this.taskId !== undefined ? { taskId: this.taskId } : {};
    const state = d.state as TaskState | undefined;
    // the update listener runs right after the decisions of the same input, so its line is printed first
    switch (d.kind) {
      case 'finished':
        if (mine) this.settle({ final: true, ...about, ...(state && { state }) });
        return;
      case 'lost':
        if (mine) this.settle({ final: false, ...about, ...(state && { state }), message: d.reason });
        return;
      case 'rejected':
        if (mine) this.settle({ final: false, message: `the scheduler rejected the request: ${d.reason}` });
        return;
      case 'removed':
        if (mine) this.settle({ final: false, message: 'the request was withdrawn before it was launched' });
        return;
      case 'framework-removed':
        this.settle({ final: false, ...about, message: d.reason });
        return;
      default:
        return;
    }
  }
}
