import type { Disposable } from '../../mesos/leader/leaderDetector';
import type { DecisionRecord } from '../decisionRecord';
import type { SchedulerState } from '../schedulerState';
import type { TaskRequest } from '../taskRequest';

/**
 * What the autoscaler driver needs from the Mesos scheduler: a SchedulerDriver is one; tests and a UI that
 * forwards to another window can pass anything with this shape. The driver reads the agents' tasks from
 * `state`, hands agents to `launch`, and ends them with `kill` (task ids are `<agent name>.<attempt>`; a
 * request id kills a request still waiting for an offer).
 */
export interface AutoscalerScheduler {
  readonly state: SchedulerState;
  launch(requests: readonly TaskRequest[]): void;
  kill(taskId: string): void;
  onDecision(listener: (decision: DecisionRecord) => void): Disposable;
  onStateChange(listener: (state: SchedulerState) => void): Disposable;
}
