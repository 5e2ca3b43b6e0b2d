import type { TaskState } from '../../mesos/codec';
import type { DecisionRecord } from '../decisionRecord';
import type { SchedulerState } from '../schedulerState';
import { parseAgentNodeName } from './agentNodeName';
import type { AgentTaskReport } from './agentTaskReport';

/** Scheduler decisions that change what the agents' task reports say. */
const REPORTED: ReadonlySet<DecisionRecord['kind']> = new Set(['unmatched', 'launched', 'finished', 'removed']);

function reportState(state: TaskState): AgentTaskReport['state'] {
  switch (state) {
    case 'TASK_STAGING':
    case 'TASK_STARTING':
      return 'staging';
    default:
      // RUNNING and KILLING run; UNREACHABLE, LOST and GONE_BY_OPERATOR stay tracked because the task may
      // still run on an agent out of reach: live until Mesos says otherwise
      return 'running';
  }
}

/**
 * Turns the scheduler's state and decisions into the autoscaler's `scheduler` input: every agent task of
 * the framework by agent name (pending with the latest reason no offer fits, staging, running), and each
 * end once (`terminal`, with Mesos' state and reason) before the agent simply has no task. The scheduler's
 * state alone cannot say why a request waits or how a task ended: those come from its decisions.
 */
export class AgentTaskWatch {
  /** Request id → why no offer fits it (the latest 'unmatched'). */
  private readonly unmatched = new Map<string, string>();
  /** Task id → the offer it was launched on. */
  private readonly offers = new Map<string, string>();
  /** Request id → how its task (or request) ended, until it was reported once. */
  private readonly ended = new Map<string, string>();

  /** Takes note of a scheduler decision; true when the agents' reports may have changed. */
  observe(decision: DecisionRecord): boolean {
    if (!REPORTED.has(decision.kind)) return false;
    const requestId = decision.requestId;
    if (requestId === undefined || !parseAgentNodeName(requestId)) return false;
    switch (decision.kind) {
      case 'unmatched':
        this.unmatched.set(requestId, decision.reason);
        break;
      case 'launched':
        this.unmatched.delete(requestId);
        if (decision.taskId !== undefined && decision.offerId !== undefined)
          this.offers.set(decision.taskId, decision.offerId);
        break;
      case 'finished':
        this.ended.set(requestId, decision.reason);
        break;
      case 'removed':
        this.ended.set(requestId, `its request was dropped before it got an offer: ${decision.reason}`);
        break;
      default:
        break;
    }
    return true;
  }

  /**
   * The subscription is up and every task the scheduler knew has answered reconciliation since, so an
   * agent without a task here really has none.
   */
  reconciled(state: SchedulerState): boolean {
    return state.subscribed && state.reconcile === undefined;
  }

  /** Every agent task by agent name; ends noted since the last `reported()` are included once. */
  reports(state: SchedulerState): Record<string, AgentTaskReport> {
    const out: Record<string, AgentTaskReport> = {};
    for (const [name, reason] of this.ended) out[name] = { state: 'terminal', reason };
    const pendingIds = new Set<string>();
    for (const request of state.pending) {
      if (!parseAgentNodeName(request.id)) continue;
      pendingIds.add(request.id);
      const unmatched = this.unmatched.get(request.id);
      out[request.id] = { state: 'pending', ...(unmatched !== undefined ? { unmatched } : {}) };
    }
    const liveTaskIds = new Set<string>();
    for (const task of Object.values(state.tasks)) {
      const name = task.request.id;
      if (!parseAgentNodeName(name)) continue;
      liveTaskIds.add(task.taskId);
      const offerId = this.offers.get(task.taskId);
      const report: AgentTaskReport = {
        state: reportState(task.state),
        ...(offerId !== undefined ? { offerId } : {}),
        mesosAgentId: task.agentId,
        ...(task.hostname !== '' ? { hostname: task.hostname } : {}),
      };
      const previous = out[name];
      // an old copy whose kill was asked for yields to the one that is meant to run
      if (!previous || previous.state === 'terminal' || previous.state === 'pending' || !task.killRequested)
        out[name] = report;
    }
    for (const id of [...this.unmatched.keys()]) if (!pendingIds.has(id)) this.unmatched.delete(id);
    for (const id of [...this.offers.keys()]) if (!liveTaskIds.has(id)) this.offers.delete(id);
    return out;
  }

  /** The ends included in the last reports were handed to the autoscaler: they are not reported again. */
  reported(): void {
    this.ended.clear();
  }
}
