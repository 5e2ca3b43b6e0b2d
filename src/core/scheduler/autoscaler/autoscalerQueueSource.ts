import { readComputerSnapshot } from '../../jenkins/computerSnapshot';
import { readQueueDemand } from '../../jenkins/queueDemand';
import type { Disposable } from '../../mesos/leader/leaderDetector';
import { requestIdOfDecision, type DecisionRecord } from '../decisionRecord';
import type {
  AgentRow,
  DecisionRow,
  QueueChange,
  QueueRow,
  QueueSnapshot,
  ScaleNowResult,
  SchedulerStatus,
  SchedulerWhere,
  TimelinePoint,
} from '../../../../webview/protocol';
import type { QueueSource } from './queueSource';
import { agentRows } from './agentRows';
import { parseAgentNodeName } from './agentNodeName';
import type { AutoscaleDecision } from './autoscaleDecision';
import type { AutoscalerDriver, AutoscalerDriverChange } from './autoscalerDriver';
import { isStartingAgent } from './autoscalerState';
import { clipPanelText } from './clipPanelText';
import { DecisionRing } from './decisionRing';
import { queueRows } from './queueRows';

export interface AutoscalerQueueSourceOptions {
  readonly driver: AutoscalerDriver;
  readonly cluster: string;
  /** Where the scheduler runs, as the host knows it; shown as 'stopped' whenever the driver is not running. */
  readonly where?: SchedulerWhere;
  /** A sentence that adds to `where`; without it, the status says what the autoscaler waits for. */
  readonly detail?: string;
  /** Decision rows kept for a fresh panel. Default 2000. */
  readonly decisionLimit?: number;
  /** Timeline kept. Default one hour. */
  readonly timelineSpanMs?: number;
}

const HOUR_MS = 60 * 60 * 1000;

/**
 * The scheduler's decisions the panel lists beside the autoscaler's: what happened to the agents' tasks
 * (placed, their states, their end), and the subscription itself. Offer declines and "no offer fits" repeat
 * with every offer round; the autoscaler reports the latter once, as an `unplaced` skip.
 */
const TASK_KINDS: ReadonlySet<DecisionRecord['kind']> = new Set([
  'launched',
  'launch-failed',
  'rejected',
  'status',
  'finished',
  'requeued',
  'lost',
  'adopted',
  'kill-sent',
  'error',
]);
const FRAMEWORK_KINDS: ReadonlySet<DecisionRecord['kind']> = new Set([
  'subscribed',
  'disconnected',
  'framework-removed',
]);

function autoscalerRow(d: AutoscaleDecision): DecisionRow {
  return {
    at: d.at,
    kind: d.kind,
    reason: clipPanelText(d.reason),
    ...(d.skip !== undefined ? { skip: d.skip } : {}),
    ...(d.label !== undefined ? { label: d.label } : {}),
    ...(d.template !== undefined ? { template: d.template } : {}),
    ...(d.items !== undefined ? { items: d.items } : {}),
    ...(d.agent !== undefined ? { agent: d.agent } : {}),
    ...(d.offerId !== undefined ? { offerId: d.offerId } : {}),
    ...(d.mesosAgentId !== undefined ? { mesosAgentId: d.mesosAgentId } : {}),
    ...(d.hostname !== undefined ? { hostname: d.hostname } : {}),
    ...(d.dryRun ? { dryRun: true } : {}),
  };
}

/** The agent (node name) a scheduler decision is about, when it is one of the autoscaler's. */
function agentOfRecord(d: DecisionRecord): string | undefined {
  const id = requestIdOfDecision(d);
  return id !== undefined && parseAgentNodeName(id) ? id : undefined;
}

function schedulerRow(d: DecisionRecord, agent: string | undefined): DecisionRow {
  return {
    at: d.at,
    kind: d.kind,
    reason: clipPanelText(
      d.state !== undefined && !d.reason.startsWith(d.state) ? `${d.state}: ${d.reason}` : d.reason,
    ),
    ...(agent !== undefined ? { agent } : {}),
    ...(d.taskId !== undefined ? { taskId: d.taskId } : {}),
    ...(d.offerId !== undefined ? { offerId: d.offerId } : {}),
    ...(d.agentId !== undefined ? { mesosAgentId: d.agentId } : {}),
  };
}

/**
 * The Jenkins Queue & Scaling panel's view of an autoscaler running in this process: the last poll's queue
 * with where each build stands, the agents with their tasks and hosts, the decisions of the autoscaler and
 * what the scheduler did with the agents' tasks, and a timeline point per poll (the last hour). Changes go
 * to listeners as they happen; the controls go to the driver.
 */
export class AutoscalerQueueSource implements QueueSource, Disposable {
  private readonly driver: AutoscalerDriver;
  private readonly cluster: string;
  private readonly rows: DecisionRing<DecisionRow>;
  private readonly spanMs: number;
  private readonly listeners = new Set<(change: QueueChange) => void>();
  private readonly subscriptions: Disposable[];
  private where: SchedulerWhere;
  private detail: string | undefined;
  private timeline: TimelinePoint[] = [];
  private queue: QueueRow[] = [];
  private queued = 0;
  private queueKey = '[]';
  private agentsKey: string;
  private statusKey: string;
  /** Offers the scheduler answered since the last timeline point. */
  private offerIds = new Set<string>();
  private stopped = false;

  constructor(options: AutoscalerQueueSourceOptions) {
    this.driver = options.driver;
    this.cluster = options.cluster;
    this.where = options.where ?? 'here';
    this.detail = options.detail;
    this.spanMs = options.timelineSpanMs ?? HOUR_MS;
    this.rows = new DecisionRing(options.decisionLimit ?? 2000);
    this.rows.push(...this.driver.decisions.toArray().map(autoscalerRow));
    this.refreshQueue();
    this.agentsKey = JSON.stringify(this.agents());
    this.statusKey = JSON.stringify(this.status());
    this.subscriptions = [
      this.driver.onDecision((d) => this.addRow(autoscalerRow(d))),
      this.driver.scheduler.onDecision((d) => this.onSchedulerDecision(d)),
      this.driver.onChange((c) => this.onDriverChange(c)),
    ];
  }

  snapshot(): QueueSnapshot {
    return {
      cluster: this.cluster,
      scheduler: this.status(),
      queue: this.queue,
      agents: this.agents(),
      decisions: this.rows.toArray(),
      timeline: [...this.timeline],
    };
  }

  onDidChange(listener: (change: QueueChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  pause(): void {
    this.driver.pause();
  }

  resume(): void {
    this.driver.resume();
  }

  setDryRun(on: boolean): void {
    this.driver.setDryRun(on);
  }

  scaleNow(): Promise<ScaleNowResult> {
    return this.driver.scaleNow();
  }

  /** The host learnt where the scheduler runs (e.g. another window took it over). */
  setWhere(where: SchedulerWhere, detail?: string): void {
    this.where = where;
    this.detail = detail;
    this.refreshStatus();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.listeners.clear();
  }

  // ---- what changed --------------------------------------------------------------------------------

  private onDriverChange(change: AutoscalerDriverChange): void {
    if (change.cause === 'stopped') this.stopped = true;
    if (change.cause === 'poll' || change.cause === 'poll-failed') {
      if (change.cause === 'poll') this.refreshQueue(true);
      this.addPoint(change.at);
    }
    this.refreshAgents();
    this.refreshStatus();
  }

  private onSchedulerDecision(d: DecisionRecord): void {
    if ((d.kind === 'launched' || d.kind === 'declined') && d.offerId !== undefined) this.offerIds.add(d.offerId);
    const agent = agentOfRecord(d);
    if ((agent !== undefined && TASK_KINDS.has(d.kind)) || FRAMEWORK_KINDS.has(d.kind)) {
      this.addRow(schedulerRow(d, agent));
      // a task's state changed: its agent's row (task id, host) may have too
      if (agent !== undefined) this.refreshAgents();
    }
  }

  private addRow(row: DecisionRow): void {
    this.rows.push(row);
    this.emit({ kind: 'decisions', decisions: [row] });
  }

  private addPoint(at: number): void {
    const state = this.driver.state;
    const agents = Object.values(state.agents);
    const node = (name: string) => state.jenkins.nodes[name];
    const connected = agents.filter(
      (a) => (a.phase === 'online' && node(a.name) !== undefined && !node(a.name)!.offline) || a.phase === 'draining',
    );
    const point: TimelinePoint = {
      at,
      queued: this.queued,
      launching: agents.filter(isStartingAgent).length,
      online: connected.length,
      busy: connected.filter((a) => node(a.name) !== undefined && !node(a.name)!.idle).length,
      offers: this.offerIds.size,
    };
    this.offerIds = new Set();
    this.timeline.push(point);
    const oldest = at - this.spanMs;
    let drop = 0;
    while (drop < this.timeline.length && this.timeline[drop]!.at < oldest) drop += 1;
    if (drop > 0) this.timeline.splice(0, drop);
    this.emit({ kind: 'timeline', points: [point] });
  }

  private refreshQueue(announce = false): void {
    const poll = this.driver.lastPoll;
    if (!poll) return;
    try {
      const computers = readComputerSnapshot(poll.computers);
      const demand = readQueueDemand(poll.queue, computers);
      this.queue = queueRows(this.driver.state, poll.queue, demand, computers);
      this.queued = demand.items.length;
    } catch {
      // the driver fed the same answer to the autoscaler, which reported it as an outage
      return;
    }
    const key = JSON.stringify(this.queue);
    if (key === this.queueKey) return;
    this.queueKey = key;
    if (announce) this.emit({ kind: 'queue', queue: this.queue });
  }

  private agents(): AgentRow[] {
    return agentRows(this.driver.state, this.driver.scheduler.state);
  }

  private refreshAgents(): void {
    const agents = this.agents();
    const key = JSON.stringify(agents);
    if (key === this.agentsKey) return;
    this.agentsKey = key;
    this.emit({ kind: 'agents', agents });
  }

  private status(): SchedulerStatus {
    const state = this.driver.state;
    const running = this.driver.running && !this.stopped;
    const health = this.driver.health;
    const waiting =
      health.pollError !== undefined
        ? `Jenkins cannot be polled: ${health.pollError}`
        : !health.mesosReconciled
          ? 'waiting for the Mesos scheduler to subscribe and reconcile; nothing is launched or removed until then'
          : undefined;
    const detail = this.detail ?? (running && waiting !== undefined ? clipPanelText(waiting) : undefined);
    return {
      where: running ? this.where : 'stopped',
      paused: state.paused,
      dryRun: state.dryRun,
      ...(detail !== undefined ? { detail } : {}),
    };
  }

  private refreshStatus(): void {
    const scheduler = this.status();
    const key = JSON.stringify(scheduler);
    if (key === this.statusKey) return;
    this.statusKey = key;
    this.emit({ kind: 'status', scheduler });
  }

  private emit(change: QueueChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // a listener's failure is its own; the others still hear of the change
      }
    }
  }
}
