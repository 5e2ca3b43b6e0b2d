// Follows launched requests through the scheduler's decisions and status updates until each is running
// or has failed, and words where they are for the progress notification. No vscode: unit-tested.
import { isTerminalTaskState } from '../../core/cluster/taskStates';
import type { TaskState } from '../../core/mesos/codec';
import { requestIdOfDecision, type DecisionRecord } from '../../core/scheduler/decisionRecord';
import { requestIdOf } from '../../core/scheduler/taskId';
import type { TaskRequest } from '../../core/scheduler/taskRequest';
import type { SchedulerTaskUpdate } from '../scheduler/schedulerAccess';

/**
 * waiting: queued, no offer fits yet · placed: launched on an agent, not running yet · running · finished
 * (ended well before we saw it run) · failed · rejected (the scheduler refused the request) · too-large (no
 * agent could ever hold it) · removed (dropped before it was placed).
 */
export type LaunchPhase =
  'waiting' | 'placed' | 'running' | 'finished' | 'failed' | 'rejected' | 'too-large' | 'removed';

const SETTLED: ReadonlySet<LaunchPhase> = new Set<LaunchPhase>([
  'running',
  'finished',
  'failed',
  'rejected',
  'too-large',
  'removed',
]);
const SUCCESS: ReadonlySet<LaunchPhase> = new Set<LaunchPhase>(['running', 'finished']);

export interface RequestProgress {
  readonly requestId: string;
  readonly name: string;
  readonly phase: LaunchPhase;
  /** The latest attempt's task id, once placed. */
  readonly taskId?: string;
  readonly agentId?: string;
  readonly state?: TaskState | string;
  /** Why it is where it is, in the scheduler's or the agent's words. */
  readonly reason?: string;
}

/** "larger than any agent" is how the reducer says no agent's total could ever hold the request. */
function tooLarge(reason: string): boolean {
  return /larger than any agent/i.test(reason);
}

export class LaunchTracker {
  private readonly progress = new Map<string, RequestProgress>();
  private readonly restarts = new Set<string>();

  constructor(requests: readonly TaskRequest[]) {
    for (const r of requests) {
      this.progress.set(r.id, {
        requestId: r.id,
        name: r.name ?? r.id,
        phase: 'waiting',
        reason: 'sent to the scheduler',
      });
      if (r.restart === 'on-failure') this.restarts.add(r.id);
    }
  }

  get requestIds(): readonly string[] {
    return [...this.progress.keys()];
  }

  /** Every request is running or has ended one way or another: nothing more to wait for. */
  get settled(): boolean {
    return [...this.progress.values()].every((p) => SETTLED.has(p.phase));
  }

  /** Every request got running (or finished). */
  get succeeded(): boolean {
    return [...this.progress.values()].every((p) => SUCCESS.has(p.phase));
  }

  results(): RequestProgress[] {
    return [...this.progress.values()];
  }

  private update(requestId: string, change: Partial<RequestProgress>): boolean {
    const current = this.progress.get(requestId);
    if (!current) return false;
    // once settled, a request stays so: a later kill or status is not this launch's story
    if (SETTLED.has(current.phase)) return false;
    this.progress.set(requestId, { ...current, ...change });
    return true;
  }

  /** Takes a decision of the scheduler; true when it concerned one of these requests. */
  onDecision(d: DecisionRecord): boolean {
    const requestId = requestIdOfDecision(d);
    if (requestId === undefined || !this.progress.has(requestId)) return false;
    const about = {
      ...(d.taskId !== undefined ? { taskId: d.taskId } : {}),
      ...(d.agentId !== undefined ? { agentId: d.agentId } : {}),
    };
    switch (d.kind) {
      case 'queued':
        return this.update(requestId, { reason: d.reason });
      case 'rejected':
        return this.update(requestId, { phase: 'rejected', reason: d.reason });
      case 'unmatched':
        return this.update(
          requestId,
          tooLarge(d.reason) ? { phase: 'too-large', reason: d.reason } : { reason: `no offer fits yet: ${d.reason}` },
        );
      case 'launched':
        return this.update(requestId, { phase: 'placed', ...about, state: 'TASK_STAGING', reason: d.reason });
      case 'launch-failed':
      case 'requeued':
        return this.update(requestId, { phase: 'waiting', ...about, reason: d.reason });
      case 'status':
      case 'adopted':
        if (d.state === 'TASK_RUNNING')
          return this.update(requestId, { phase: 'running', ...about, state: d.state, reason: d.reason });
        return this.update(requestId, {
          ...about,
          ...(d.state !== undefined ? { state: d.state } : {}),
          reason: d.reason,
        });
      case 'finished':
        return this.update(requestId, {
          phase: d.state === 'TASK_FINISHED' ? 'finished' : 'failed',
          ...about,
          ...(d.state !== undefined ? { state: d.state } : {}),
          reason: d.reason,
        });
      case 'removed':
        return this.update(requestId, { phase: 'removed', reason: d.reason });
      case 'lost':
      case 'kill-sent':
        return this.update(requestId, { ...about, reason: d.reason });
      default:
        return false;
    }
  }

  /** Takes a status update of one of the scheduler's tasks; true when it concerned one of these requests. */
  onTaskUpdate(u: SchedulerTaskUpdate): boolean {
    const requestId = u.requestId ?? requestIdOf(u.taskId);
    if (!this.progress.has(requestId)) return false;
    const why = [u.message, u.reason].filter((x) => x !== undefined && x !== '').join(' · ') || undefined;
    const reason = why ? `${u.state}: ${why}` : u.state;
    if (u.state === 'TASK_RUNNING')
      return this.update(requestId, { phase: 'running', taskId: u.taskId, state: u.state, reason });
    if (u.state === 'TASK_FINISHED')
      return this.update(requestId, { phase: 'finished', taskId: u.taskId, state: u.state, reason });
    if (isTerminalTaskState(u.state)) {
      // with restart 'on-failure' the scheduler places it again: the decision that follows says how it went
      if (this.restarts.has(requestId))
        return this.update(requestId, {
          phase: 'waiting',
          taskId: u.taskId,
          state: u.state,
          reason: `${reason}; restarting`,
        });
      return this.update(requestId, { phase: 'failed', taskId: u.taskId, state: u.state, reason });
    }
    return this.update(requestId, { taskId: u.taskId, state: u.state, reason });
  }

  /** One line for the progress notification. */
  message(): string {
    const all = this.results();
    if (all.length === 1) return describe(all[0]!);
    const counts = new Map<LaunchPhase, number>();
    for (const p of all) counts.set(p.phase, (counts.get(p.phase) ?? 0) + 1);
    const summary = [...counts.entries()].map(([phase, n]) => `${n} ${PHASE_WORDS[phase]}`).join(', ');
    const open = all.find((p) => !SETTLED.has(p.phase));
    return open ? `${summary} — ${open.name}: ${open.reason ?? PHASE_WORDS[open.phase]}` : summary;
  }
}

const PHASE_WORDS: Record<LaunchPhase, string> = {
  waiting: 'waiting for an offer',
  placed: 'starting',
  running: 'running',
  finished: 'finished',
  failed: 'failed',
  rejected: 'rejected',
  'too-large': 'larger than any agent',
  removed: 'removed',
};

/** "web: placed on a1 — TASK_STARTING", "web: waiting for an offer — no offer fits yet: a1 (o1): mem: needs 2048, offer has 1024". */
export function describe(p: RequestProgress): string {
  switch (p.phase) {
    case 'waiting':
      return `Waiting for an offer: ${p.reason ?? 'queued'}`;
    case 'placed':
      return `Starting (${p.state ?? 'TASK_STAGING'}): ${p.reason ?? ''}`.replace(/: $/, '');
    case 'too-large':
      return `${p.name} is larger than any agent of the cluster: it cannot be placed until it asks for less or a larger agent joins`;
    default:
      return `${p.name} ${PHASE_WORDS[p.phase]}${p.reason ? `: ${p.reason}` : ''}`;
  }
}
