import type { TaskState } from '../mesos/codec';
import type { TaskRequest } from './taskRequest';

/** A task the scheduler launched (or adopted) and still answers for. */
export interface TrackedTask {
  readonly taskId: string;
  readonly request: TaskRequest;
  readonly agentId: string;
  readonly hostname: string;
  readonly state: TaskState;
  /** KILL was sent; a second kill sends nothing and the end is not restarted. */
  readonly killRequested: boolean;
  /**
   * The ACCEPT that launched it failed in a way that leaves its fate open (a timeout): until Mesos says
   * anything about it, an answer that it does not exist means it never started and may be placed again.
   */
  readonly unconfirmed?: boolean;
  /** Reported by Mesos for our framework but not launched by this state (e.g. state lost on disk). */
  readonly adopted?: boolean;
  /** When its last status update arrived (ms since the epoch). */
  readonly updatedAt?: number;
  /** Since when its agent is out of reach (UNREACHABLE, or an uncertain LOST); undefined while in touch. */
  readonly awaySince?: number;
}

export interface SchedulerOptions {
  /** DECLINE filter for offers nothing pending could use. */
  readonly refuseSeconds: number;
  /** How long demand must stay at zero before SUPPRESS, so a burst of short tasks does not flap. */
  readonly suppressAfterMs: number;
  /**
   * At most this many pending requests are matched against one OFFERS event, so a huge queue never
   * blocks the event loop for long (Fenzo's 200 tasks per pass); offers left over then get a short filter.
   */
  readonly maxRequestsPerPass: number;
  /** DECLINE filter used while requests wait that a pass did not consider. */
  readonly busyRefuseSeconds: number;
  /** First retry of an explicit reconciliation for tasks that did not answer; doubles up to the max. */
  readonly reconcileRetryMs: number;
  readonly reconcileRetryMaxMs: number;
  /** Implicit reconciliation this often (Mesos recommends ~15 minutes). */
  readonly implicitReconcileMs: number;
  /**
   * A task with restart 'on-failure' whose agent stays out of reach this long is placed again, and the old
   * one is killed if its agent comes back (Marathon's unreachable strategy). GONE_BY_OPERATOR replaces at once.
   */
  readonly unreachableReplaceMs: number;
}

/** One round of explicit reconciliation (reference §2.9): the tasks that have not answered yet. */
export interface ReconcileRound {
  readonly waiting: readonly string[];
  readonly attempt: number;
  readonly nextAt: number;
}

export interface SchedulerState {
  readonly options: SchedulerOptions;
  readonly frameworkId?: string;
  /** A SUBSCRIBED arrived and the stream is believed up (calls can be sent). */
  readonly subscribed: boolean;
  /** Requests waiting for an offer, in arrival order. */
  readonly pending: readonly TaskRequest[];
  readonly tasks: Readonly<Record<string, TrackedTask>>;
  /** Launches per request id, so a restarted request gets a fresh task id. */
  readonly attempts: Readonly<Record<string, number>>;
  readonly suppressed: boolean;
  /** Since when nothing has been pending (undefined while demand exists). */
  readonly idleSince?: number;
  /** Until when agents may still be filtered by our DECLINE; new demand before then needs a REVIVE. */
  readonly filteredUntil?: number;
  readonly reconcile?: ReconcileRound;
  readonly lastImplicitReconcileAt?: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  refuseSeconds: 120,
  suppressAfterMs: 5000,
  maxRequestsPerPass: 200,
  busyRefuseSeconds: 1,
  reconcileRetryMs: 5000,
  reconcileRetryMaxMs: 120_000,
  implicitReconcileMs: 15 * 60_000,
  unreachableReplaceMs: 5 * 60_000,
};

export function initialSchedulerState(options: Partial<SchedulerOptions> = {}): SchedulerState {
  return {
    options: { ...DEFAULT_SCHEDULER_OPTIONS, ...options },
    subscribed: false,
    pending: [],
    tasks: {},
    attempts: {},
    suppressed: false,
  };
}
