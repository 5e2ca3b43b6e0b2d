import type { TaskState } from '../mesos/codec';
import type { TaskRequest } from './taskRequest';

/** A task the scheduler launched and still answers for. */
export interface TrackedTask {
  readonly taskId: string;
  readonly request: TaskRequest;
  readonly agentId: string;
  readonly hostname: string;
  readonly state: TaskState;
  /** KILL was sent; a second kill sends nothing and the end is not restarted. */
  readonly killRequested: boolean;
}

export interface SchedulerOptions {
  /** DECLINE filter for offers nothing pending could use. */
  readonly refuseSeconds: number;
  /** How long demand must stay at zero before SUPPRESS, so a burst of short tasks does not flap. */
  readonly suppressAfterMs: number;
}

export interface SchedulerState {
  readonly options: SchedulerOptions;
  readonly frameworkId?: string;
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
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = { refuseSeconds: 120, suppressAfterMs: 5000 };

export function initialSchedulerState(options: Partial<SchedulerOptions> = {}): SchedulerState {
  return {
    options: { ...DEFAULT_SCHEDULER_OPTIONS, ...options },
    pending: [],
    tasks: {},
    attempts: {},
    suppressed: false,
  };
}
