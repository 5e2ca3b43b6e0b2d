import { randomBytes } from 'node:crypto';
import { readComputerSnapshot, type ComputerView } from '../../jenkins/computerSnapshot';
import type { JenkinsComputerSetSnapshot, JenkinsQueueSnapshot } from '../../jenkins/jenkinsClientTypes';
import { JenkinsError } from '../../jenkins/jenkinsError';
import { createLogger, silentSink, type Logger, type LogSink } from '../../log/logSink';
import type { Disposable } from '../../mesos/leader/leaderDetector';
import { requestIdOfDecision, type DecisionRecord } from '../decisionRecord';
import { AgentActionQueue } from './agentActionQueue';
import { agentTaskRequest } from './agentTaskRequest';
import { AgentTaskWatch } from './agentTaskWatch';
import type { AgentTemplate } from './agentTemplate';
import { autoscale } from './autoscale';
import type { AutoscaleDecision } from './autoscaleDecision';
import type { AutoscalerAction } from './autoscalerAction';
import type { AutoscalerInput } from './autoscalerInput';
import type { AutoscalerJenkins } from './autoscalerJenkins';
import type { AutoscalerScheduler } from './autoscalerScheduler';
import {
  initialAutoscalerState,
  type AutoscalerOptions,
  type AutoscalerState,
  type ManagedAgent,
} from './autoscalerState';
import { DecisionRing } from './decisionRing';

/** How the driver runs the autoscaler, on top of the autoscaler's own options. */
export interface AutoscalerDriverSettings {
  /** Between Jenkins polls (queue + nodes). Default 2000 ms. */
  readonly pollMs: number;
  /** Deadline of one poll (both reads). Default 20 000 ms. */
  readonly pollTimeoutMs: number;
  /** After failed polls the next waits pollMs × 2^failures, at most this. Default 60 000 ms. */
  readonly pollBackoffMaxMs: number;
  /** Deadline of each action (create node, read the secret, offline, delete). Default 30 000 ms. */
  readonly actionTimeoutMs: number;
  /** Actions under way at once (one per agent at a time). Default 4. */
  readonly actionConcurrency: number;
  /** How long stop() lets actions under way finish before it cancels them. Default 10 000 ms. */
  readonly stopTimeoutMs: number;
}

export const DEFAULT_AUTOSCALER_DRIVER_SETTINGS: AutoscalerDriverSettings = {
  pollMs: 2000,
  pollTimeoutMs: 20_000,
  pollBackoffMaxMs: 60_000,
  actionTimeoutMs: 30_000,
  actionConcurrency: 4,
  stopTimeoutMs: 10_000,
};

export interface AutoscalerDriverOptions {
  readonly jenkins: AutoscalerJenkins;
  readonly scheduler: AutoscalerScheduler;
  /** The root URL the agents connect to (and fetch agent.jar from), as Mesos agents reach it. */
  readonly jenkinsUrl: string;
  readonly templates: readonly AgentTemplate[];
  /** Whose nodes these are (e.g. the cluster name): two autoscalers on one Jenkins leave each other's nodes alone. */
  readonly owner: string;
  /** Keeps this run's node names unique: `[a-z0-9]{1,8}`, random by default (never reuse one). */
  readonly instance?: string;
  readonly options?: Partial<AutoscalerDriverSettings & Omit<AutoscalerOptions, 'owner' | 'instance'>>;
  /** Start in dry run: decisions are recorded, nothing is done. */
  readonly dryRun?: boolean;
  /** Start paused. */
  readonly paused?: boolean;
  /** Clock of the inputs; tests pass a fake one. */
  readonly now?: () => number;
  readonly sink?: LogSink;
  /** Decisions kept for the webview and the export. Default 2000. */
  readonly ringSize?: number;
  /** Keep every input, for a replay through `autoscale` (they hold Jenkins' queue and nodes, never a secret). */
  readonly record?: boolean;
}

/** What happened to the driver; the state, decisions and last poll are read from it. */
export interface AutoscalerDriverChange {
  /** The input that changed things, or the driver starting or stopping. */
  readonly cause: AutoscalerInput['kind'] | 'started' | 'stopped';
  readonly at: number;
}

/** The last successful Jenkins poll, as the client read it. */
export interface AutoscalerPoll {
  readonly at: number;
  readonly queue: JenkinsQueueSnapshot;
  readonly computers: JenkinsComputerSetSnapshot;
}

/** How Jenkins and Mesos look from the driver, for a status line. */
export interface AutoscalerHealth {
  /** Failed Jenkins polls in a row, and the last failure's message while it lasts. */
  readonly pollFailures: number;
  readonly pollError?: string;
  /** The Mesos scheduler is subscribed and reconciled (agents can be counted). */
  readonly mesosReconciled: boolean;
}

export interface ScaleNowSummary {
  readonly summary: string;
}

export interface StopOptions {
  /**
   * Take idle agents offline and remove them (node deleted, task killed) before stopping, and give up
   * launches under way; agents running a build are left running. Default false: every agent keeps running
   * and the next start takes them over. Stop the autoscaler before its scheduler, so the kills are sent.
   */
  readonly drain?: boolean;
}

const SCHEDULER_KINDS_FOR_RESULTS: ReadonlySet<DecisionRecord['kind']> = new Set(['rejected', 'error']);

/**
 * Connects the pure autoscaler to Jenkins and to the Mesos scheduler. It polls the queue and the nodes
 * (never two polls at once; backing off while Jenkins fails), turns the scheduler's state into the
 * autoscaler's view of the agents' tasks, feeds both to `autoscale` one input at a time, records each
 * decision in a ring, and performs the actions it asks for (concurrently, each agent's in order, each with
 * a deadline), feeding their results back.
 *
 * Launching an agent is create node → read its secret → hand agentTaskRequest(…) to the scheduler. The
 * secret lives only in that request: it is never logged, never in a decision or a recorded input, and the
 * scheduler's saved state leaves it out (TaskRequest.secretEnvironment).
 */
export class AutoscalerDriver {
  readonly scheduler: AutoscalerScheduler;
  /** This run's instance id (part of every node name it makes). */
  readonly instance: string;
  private readonly jenkins: AutoscalerJenkins;
  private readonly settings: AutoscalerDriverSettings;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly ring: DecisionRing<AutoscaleDecision>;
  private readonly recorded: AutoscalerInput[] | undefined;
  private readonly watch = new AgentTaskWatch();
  private readonly actions: AgentActionQueue<AutoscalerAction>;
  /** Ends actions (and everything) when the driver stops. */
  private readonly abort = new AbortController();
  /** Ends a poll under way as soon as stop() begins. */
  private readonly pollAbort = new AbortController();
  private readonly inputs: AutoscalerInput[] = [];
  private readonly listeners = {
    decision: new Set<(d: AutoscaleDecision) => void>(),
    change: new Set<(c: AutoscalerDriverChange) => void>(),
  };
  private current: AutoscalerState;
  private subscriptions: Disposable[] = [];
  private feeding = false;
  private started = false;
  private stopping = false;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollFailures = 0;
  private pollError: string | undefined;
  private lastPollResult: AutoscalerPoll | undefined;
  /** What the autoscaler was last told of the scheduler; it starts out knowing nothing and not reconciled. */
  private lastSchedulerKey = JSON.stringify([false, {}]);
  private schedulerInputQueued = false;
  /** Collects the decisions made for one input (scaleNow's summary). */
  private collector: { input: AutoscalerInput; decisions: AutoscaleDecision[] } | undefined;

  constructor(private readonly options: AutoscalerDriverOptions) {
    const {
      pollMs,
      pollTimeoutMs,
      pollBackoffMaxMs,
      actionTimeoutMs,
      actionConcurrency,
      stopTimeoutMs,
      ...autoscalerOptions
    } = { ...DEFAULT_AUTOSCALER_DRIVER_SETTINGS, ...options.options };
    this.settings = { pollMs, pollTimeoutMs, pollBackoffMaxMs, actionTimeoutMs, actionConcurrency, stopTimeoutMs };
    for (const [key, value] of Object.entries(this.settings)) {
      if (!Number.isFinite(value) || value <= 0) {
        throw new RangeError(`the autoscaler setting ${key} must be a positive number of milliseconds, got ${value}`);
      }
    }
    this.jenkins = options.jenkins;
    this.scheduler = options.scheduler;
    this.instance = options.instance ?? randomInstance();
    this.log = createLogger(options.sink ?? silentSink, 'autoscaler');
    this.now = options.now ?? Date.now;
    this.ring = new DecisionRing(options.ringSize ?? 2000);
    this.recorded = options.record ? [] : undefined;
    this.current = initialAutoscalerState(
      { ...autoscalerOptions, owner: options.owner, instance: this.instance },
      options.templates,
    );
    this.actions = new AgentActionQueue(
      actionConcurrency,
      (action) => this.perform(action),
      (action, error) => this.log.error(`The ${action.kind} action for ${action.name} failed unexpectedly`, error),
    );
  }

  get state(): AutoscalerState {
    return this.current;
  }

  /** The recent decisions, oldest first via `toArray()`. */
  get decisions(): DecisionRing<AutoscaleDecision> {
    return this.ring;
  }

  /** The inputs so far, when constructed with `record: true`. */
  get recording(): readonly AutoscalerInput[] {
    return this.recorded ?? [];
  }

  get lastPoll(): AutoscalerPoll | undefined {
    return this.lastPollResult;
  }

  get health(): AutoscalerHealth {
    return {
      pollFailures: this.pollFailures,
      ...(this.pollError !== undefined ? { pollError: this.pollError } : {}),
      mesosReconciled: this.current.mesos.fresh,
    };
  }

  /** Started and not stopping. */
  get running(): boolean {
    return this.started && !this.stopping;
  }

  /** The decisions as JSON lines, oldest first: for a bug report, or a test that replays them. */
  exportDecisions(): string {
    return this.ring.toJsonLines();
  }

  onDecision(listener: (decision: AutoscaleDecision) => void): Disposable {
    this.listeners.decision.add(listener);
    return { dispose: () => void this.listeners.decision.delete(listener) };
  }

  /** After each input and on start and stop; read `state`, `lastPoll` and `health` for what changed. */
  onChange(listener: (change: AutoscalerDriverChange) => void): Disposable {
    this.listeners.change.add(listener);
    return { dispose: () => void this.listeners.change.delete(listener) };
  }

  /**
   * Starts watching the scheduler and polling Jenkins; resolves once the first poll is done (whether Jenkins
   * answered or not: a failure is a decision, and polling goes on with backoff). The scheduler is the
   * caller's to start and stop; until it is subscribed and reconciled nothing is launched or removed.
   */
  async start(): Promise<void> {
    if (this.stopping || this.stopped) throw new Error('This autoscaler was stopped; create a new one to start again');
    if (this.started) return;
    this.started = true;
    this.subscriptions = [
      this.scheduler.onStateChange(() => this.queueSchedulerInput()),
      this.scheduler.onDecision((d) => this.onSchedulerDecision(d)),
    ];
    this.log.info(`started as instance ${this.instance} for ${this.current.options.owner}`);
    if (this.options.paused) this.feed({ kind: 'pause', at: this.now() });
    if (this.options.dryRun) this.feed({ kind: 'dry-run', at: this.now(), enabled: true });
    this.sendSchedulerInput();
    this.emitChange('started');
    await this.pollNow();
  }

  /** No launches, and no removals for idling or of orphans; launches under way are finished or cleaned up. */
  pause(): void {
    this.control({ kind: 'pause', at: this.now() });
  }

  resume(): void {
    this.control({ kind: 'resume', at: this.now() });
  }

  /** Dry run: every decision is recorded (marked dryRun), nothing is done. */
  setDryRun(on: boolean): void {
    this.control({ kind: 'dry-run', at: this.now(), enabled: on });
  }

  /** The settings changed: agents of a template that is gone are removed once idle. */
  setTemplates(templates: readonly AgentTemplate[]): void {
    this.control({ kind: 'templates', at: this.now(), templates });
  }

  /**
   * Polls Jenkins now (after a poll under way) and decides; resolves with what that round did. Rejects with
   * a sentence for the user when the autoscaler is not running or Jenkins could not be polled.
   */
  async scaleNow(): Promise<ScaleNowSummary> {
    if (!this.running) throw new Error('The autoscaler is not running. Start the scheduler of this cluster first.');
    if (this.polling) await this.polling;
    let made: AutoscaleDecision[] | undefined;
    let failed: string | undefined;
    const poll = this.pollNow((input, decisions) => {
      if (input.kind === 'poll-failed') failed = input.message;
      else made = decisions;
    });
    await poll;
    if (failed !== undefined) throw new Error(`Could not scale now: Jenkins could not be polled: ${failed}`);
    if (made === undefined) throw new Error('Could not scale now: the autoscaler stopped meanwhile.');
    return { summary: summarize(made, this.current) };
  }

  /**
   * Stops polling and acting; actions under way may finish (for up to stopTimeoutMs), nothing new starts.
   * With `drain`, idle agents are removed first (see StopOptions). The scheduler is left running.
   */
  async stop(options: StopOptions = {}): Promise<void> {
    if (this.stopping || this.stopped) return;
    this.stopping = true;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    this.pollAbort.abort();
    try {
      if (this.polling) await this.polling;
      const dropped = this.actions.clear();
      if (dropped.length > 0) {
        this.log.info(
          `stopping: ${dropped.length} action(s) not started are left to the next start's reconciliation ` +
            `(${dropped.map((a) => `${a.kind} ${a.name}`).join(', ')})`,
        );
      }
      await withDeadline(this.actions.whenIdle(), this.settings.stopTimeoutMs);
      if (options.drain && this.started) await this.drainAgents();
    } finally {
      this.abort.abort();
      for (const s of this.subscriptions) s.dispose();
      this.subscriptions = [];
      this.stopped = true;
      this.log.info(options.drain ? 'stopped after draining idle agents' : 'stopped; agents keep running');
      this.emitChange('stopped');
      this.listeners.decision.clear();
      this.listeners.change.clear();
    }
  }

  /** Resolves once no poll runs and no action waits or runs (for tests and orderly shutdowns). */
  async whenIdle(): Promise<void> {
    while (this.polling || !this.actions.idle) {
      if (this.polling) await this.polling;
      await this.actions.whenIdle();
    }
  }

  // ---- inputs --------------------------------------------------------------------------------------

  private control(input: AutoscalerInput): void {
    if (this.stopping || this.stopped)
      throw new Error('The autoscaler is stopped. Start the scheduler of this cluster again.');
    this.feed(input);
  }

  /** Inputs are reduced one at a time, in order, even when a listener feeds another one meanwhile. */
  private feed(input: AutoscalerInput): void {
    this.inputs.push(input);
    if (this.feeding) return;
    this.feeding = true;
    try {
      while (this.inputs.length > 0) this.reduce(this.inputs.shift()!);
    } finally {
      this.feeding = false;
    }
  }

  private reduce(input: AutoscalerInput): void {
    this.recorded?.push(input);
    let result;
    try {
      result = autoscale(this.current, input);
    } catch (error) {
      this.log.error(`The autoscaler could not handle a ${input.kind} input; it is skipped`, error);
      return;
    }
    this.current = result.state;
    if (this.collector?.input === input) this.collector.decisions.push(...result.decisions);
    for (const decision of result.decisions) this.record(decision);
    for (const action of result.actions) {
      if (this.stopping) this.log.debug(`stopping: ${action.kind} ${action.name} is left to the next start`);
      else this.actions.enqueue(action);
    }
    this.emitChange(input.kind, input.at);
  }

  private record(decision: AutoscaleDecision): void {
    this.ring.push(decision);
    const about = decision.agent ?? decision.template ?? decision.label;
    const line = `${decision.kind}${decision.skip ? ` (${decision.skip})` : ''}${about ? ` ${about}` : ''}: ${decision.reason}`;
    if (decision.kind === 'failure' || decision.kind === 'outage') this.log.warn(line);
    else this.log.info(line);
    for (const listener of this.listeners.decision) this.safely(() => listener(decision));
  }

  private emitChange(cause: AutoscalerDriverChange['cause'], at = this.now()): void {
    for (const listener of this.listeners.change) this.safely(() => listener({ cause, at }));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log.error('An autoscaler listener threw', error);
    }
  }

  // ---- the scheduler's side ------------------------------------------------------------------------

  private onSchedulerDecision(decision: DecisionRecord): void {
    if (this.watch.observe(decision)) this.queueSchedulerInput();
    if (!SCHEDULER_KINDS_FOR_RESULTS.has(decision.kind) || this.stopped) return;
    // an agent's request id is its node name
    const name = requestIdOfDecision(decision);
    const agent = name === undefined ? undefined : this.current.agents[name];
    if (!agent || name === undefined) return;
    if (decision.kind === 'rejected' && agent.phase === 'launching') {
      this.feed({
        kind: 'launch-failed',
        at: this.now(),
        name,
        message: `the scheduler refused its task: ${decision.reason}`,
      });
    } else if (decision.call === 'KILL' && decision.taskId !== undefined) {
      this.feed({ kind: 'kill-failed', at: this.now(), name, message: decision.reason });
    }
  }

  /** State changes come in bursts: one `scheduler` input per burst, and only when the agents' view changed. */
  private queueSchedulerInput(): void {
    if (this.schedulerInputQueued || this.stopped) return;
    this.schedulerInputQueued = true;
    queueMicrotask(() => {
      this.schedulerInputQueued = false;
      if (!this.stopped) this.sendSchedulerInput();
    });
  }

  private sendSchedulerInput(): void {
    const state = this.scheduler.state;
    const reconciled = this.watch.reconciled(state);
    const tasks = this.watch.reports(state);
    this.watch.reported();
    const key = JSON.stringify([reconciled, tasks]);
    if (key === this.lastSchedulerKey) return;
    this.lastSchedulerKey = key;
    this.feed({ kind: 'scheduler', at: this.now(), reconciled, tasks });
  }

  // ---- polling -------------------------------------------------------------------------------------

  /** One poll at a time: a second caller shares the one under way. */
  private pollNow(observe?: (input: AutoscalerInput, decisions: AutoscaleDecision[]) => void): Promise<void> {
    if (this.polling && !observe) return this.polling;
    const run = (this.polling ?? Promise.resolve()).then(() => this.poll(observe));
    const polling = run.finally(() => {
      if (this.polling === polling) this.polling = undefined;
    });
    this.polling = polling;
    return polling;
  }

  private async poll(observe?: (input: AutoscalerInput, decisions: AutoscaleDecision[]) => void): Promise<void> {
    if (this.stopping || this.stopped) return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    const signal = AbortSignal.any([this.pollAbort.signal, AbortSignal.timeout(this.settings.pollTimeoutMs)]);
    let input: AutoscalerInput;
    try {
      const [queue, computers] = await Promise.all([this.jenkins.queue(signal), this.jenkins.computers(signal)]);
      if (this.stopping) return;
      const at = this.now();
      this.lastPollResult = { at, queue, computers };
      const session = this.jenkins.session;
      input = { kind: 'poll', at, queue, computers, ...(session !== undefined ? { session } : {}) };
      this.pollFailures = 0;
      this.pollError = undefined;
    } catch (error) {
      if (this.stopping) return;
      const message = messageOf(error, signal, this.settings.pollTimeoutMs);
      this.pollFailures += 1;
      this.pollError = message;
      input = { kind: 'poll-failed', at: this.now(), message };
    }
    const collector = { input, decisions: [] as AutoscaleDecision[] };
    this.collector = collector;
    try {
      this.feed(input);
    } finally {
      this.collector = undefined;
    }
    observe?.(input, collector.decisions);
    if (!this.stopping) {
      const delay =
        this.pollFailures === 0
          ? this.settings.pollMs
          : Math.min(this.settings.pollBackoffMaxMs, this.settings.pollMs * 2 ** Math.min(this.pollFailures, 20));
      this.pollTimer = setTimeout(() => void this.pollNow(), delay);
    }
  }

  // ---- actions -------------------------------------------------------------------------------------

  private actionSignal(): AbortSignal {
    return AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.settings.actionTimeoutMs)]);
  }

  private actionMessage(error: unknown, signal: AbortSignal): string {
    return messageOf(error, signal, this.settings.actionTimeoutMs);
  }

  private async perform(action: AutoscalerAction): Promise<void> {
    const name = action.name;
    switch (action.kind) {
      case 'create-node': {
        const { kind: _kind, template: _template, ...request } = action;
        const signal = this.actionSignal();
        try {
          await this.jenkins.createInboundAgent(request, signal);
          this.feed({ kind: 'node-created', at: this.now(), name });
        } catch (error) {
          this.feed({ kind: 'node-create-failed', at: this.now(), name, message: this.actionMessage(error, signal) });
        }
        return;
      }
      case 'launch-agent':
        return this.launchAgent(name, action.template);
      case 'offline-node': {
        const signal = this.actionSignal();
        try {
          await this.jenkins.setOffline(name, action.message, signal);
        } catch (error) {
          // a node already gone needs no marking: the next poll shows it gone and the agent is removed
          if (error instanceof JenkinsError && error.kind === 'not-found') return;
          this.feed({ kind: 'node-offline-failed', at: this.now(), name, message: this.actionMessage(error, signal) });
        }
        return;
      }
      case 'delete-node': {
        const signal = this.actionSignal();
        try {
          await this.jenkins.deleteNode(name, signal);
        } catch (error) {
          this.feed({ kind: 'node-delete-failed', at: this.now(), name, message: this.actionMessage(error, signal) });
        }
        return;
      }
      case 'kill-agent':
        this.killAgent(name);
        return;
    }
  }

  private async launchAgent(name: string, templateName: string): Promise<void> {
    const template = this.current.templates.find((t) => t.name === templateName);
    const failed = (message: string) => this.feed({ kind: 'launch-failed', at: this.now(), name, message });
    if (!template) return failed(`its template ${templateName} is no longer configured`);
    let secret: string;
    const signal = this.actionSignal();
    try {
      secret = await this.jenkins.agentSecret(name, signal);
    } catch (error) {
      return failed(`its secret could not be read: ${this.actionMessage(error, signal)}`);
    }
    // a stop that began meanwhile launches nothing new: the node is cleaned up by the next start
    if (this.stopping) return;
    try {
      this.scheduler.launch([agentTaskRequest(template, name, this.options.jenkinsUrl, secret)]);
    } catch (error) {
      failed(messageOf(error));
    }
  }

  /** Kills every task of the agent (its request id is the node name) and drops its request if it still waits. */
  private killAgent(name: string): number {
    const state = this.scheduler.state;
    let n = 0;
    for (const task of Object.values(state.tasks)) {
      if (task.request.id === name && !task.killRequested) {
        this.scheduler.kill(task.taskId);
        n += 1;
      }
    }
    if (state.pending.some((r) => r.id === name)) {
      this.scheduler.kill(name);
      n += 1;
    }
    return n;
  }

  // ---- drain ---------------------------------------------------------------------------------------

  /**
   * Removes what need not outlive the autoscaler: idle agents (offline first, then deleted once Jenkins
   * confirms nothing started on them, then their task killed), launches under way, and removals that were
   * not finished. Agents with a build keep running; the next start takes them over.
   */
  private async drainAgents(): Promise<void> {
    const at = this.now();
    const decide = (
      kind: AutoscaleDecision['kind'],
      agent: ManagedAgent,
      reason: string,
      skip?: AutoscaleDecision['skip'],
    ) =>
      this.record({
        at: this.now(),
        kind,
        ...(skip ? { skip } : {}),
        agent: agent.name,
        template: agent.template,
        reason,
      });
    this.record({ at, kind: 'mode', reason: 'stopping: draining idle agents before the autoscaler stops' });
    let nodes: Map<string, ComputerView>;
    try {
      nodes = new Map(readComputerSnapshot(await this.jenkins.computers(this.actionSignal())).map((c) => [c.name, c]));
    } catch (error) {
      this.record({
        at: this.now(),
        kind: 'outage',
        reason: `stopping without draining: Jenkins could not be read (${messageOf(error)}); every agent keeps running`,
      });
      return;
    }
    const agents = Object.values(this.current.agents);
    const drainOne = async (agent: ManagedAgent): Promise<void> => {
      const node = nodes.get(agent.name);
      const remove = async (reason: string) => {
        if (node) await this.jenkins.deleteNode(agent.name, this.actionSignal());
        this.killAgent(agent.name);
        decide('removed', agent, reason);
      };
      try {
        switch (agent.phase) {
          case 'creating':
          case 'launching':
            return await remove('stopping: its launch is given up (node deleted, task killed)');
          case 'removing':
            return await remove('stopping: its removal is finished');
          case 'online':
          case 'draining': {
            if (!node) {
              this.killAgent(agent.name);
              decide('removed', agent, 'stopping: its node is gone, so its task is killed');
              return;
            }
            if (!node.idle) {
              decide(
                'skip',
                agent,
                'stopping: it runs a build, so it keeps running (the next start takes it over)',
                'build-running',
              );
              return;
            }
            if (agent.phase === 'online') {
              await this.jenkins.setOffline(
                agent.name,
                'The Mesos Ops autoscaler stopped: removed while idle',
                this.actionSignal(),
              );
              // a build may have been given to it between the read and the offline mark
              const again = await this.jenkins.computer(agent.name, this.actionSignal());
              if (again && !again.idle) {
                await this.jenkins.setOnline(agent.name, this.actionSignal());
                decide(
                  'skip',
                  agent,
                  'stopping: a build started on it meanwhile, so it keeps running',
                  'build-running',
                );
                return;
              }
            }
            return await remove('stopping: idle, so taken offline, its node deleted and its task killed');
          }
        }
      } catch (error) {
        decide('failure', agent, `stopping: could not be removed (${messageOf(error)}); the next start cleans it up`);
      }
    };
    for (let i = 0; i < agents.length; i += this.settings.actionConcurrency) {
      await Promise.all(agents.slice(i, i + this.settings.actionConcurrency).map(drainOne));
    }
  }
}

function randomInstance(): string {
  return randomBytes(4).toString('hex');
}

/**
 * Error messages here are sentences from the Jenkins client or the task builder; none carries a secret. A
 * call cut by the driver's own deadline says so, rather than just "aborted".
 */
function messageOf(error: unknown, signal?: AbortSignal, deadlineMs?: number): string {
  const reason: unknown = signal?.reason;
  if (signal?.aborted && reason instanceof Error && reason.name === 'TimeoutError' && deadlineMs !== undefined) {
    return `Jenkins did not answer within ${Math.round(deadlineMs / 1000)} s (the autoscaler's deadline for this step)`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function withDeadline(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** One sentence on what a round decided, for "Scale now". */
function summarize(decisions: readonly AutoscaleDecision[], state: AutoscalerState): string {
  const count = (kind: AutoscaleDecision['kind'], skip?: AutoscaleDecision['skip']) =>
    decisions.filter((d) => d.kind === kind && (skip === undefined || d.skip === skip)).length;
  const items = (skip: AutoscaleDecision['skip']) =>
    decisions.filter((d) => d.kind === 'skip' && d.skip === skip).reduce((n, d) => n + (d.items?.length ?? 0), 0);
  const parts: string[] = [];
  const launched = count('launch');
  if (launched > 0) parts.push(`${state.dryRun ? 'would launch' : 'launched'} ${launched} agent(s)`);
  const removed = count('remove');
  if (removed > 0) parts.push(`${state.dryRun ? 'would take' : 'took'} ${removed} idle agent(s) offline for removal`);
  const orphans = count('orphan');
  if (orphans > 0) parts.push(`${state.dryRun ? 'would clean' : 'cleaned'} up ${orphans} orphan(s)`);
  const limited = items('limit');
  if (limited > 0) parts.push(`${limited} build(s) wait at an agent limit`);
  const backoff = items('backoff');
  if (backoff > 0) parts.push(`${backoff} build(s) wait out a backoff after failed launches`);
  if (count('skip', 'waiting-for-mesos') > 0)
    parts.push('nothing is launched until the Mesos scheduler is subscribed and reconciled');
  if (state.paused) parts.push('paused: nothing is launched or removed');
  if (parts.length === 0) {
    const agents = Object.keys(state.agents).length;
    return (
      `Nothing to do: no waiting build needs another agent (${agents} agent(s) running)` +
      `${state.dryRun ? '; in dry run, decisions already reported are not repeated' : ''}.`
    );
  }
  const text = parts.join('; ');
  return `${state.dryRun ? 'Dry run: ' : ''}${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
