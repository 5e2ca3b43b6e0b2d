import { requestIdOf } from './taskId';

export type DecisionKind =
  | 'subscribed'
  | 'disconnected'
  | 'queued'
  | 'rejected'
  | 'launched'
  | 'launch-failed'
  | 'unmatched'
  | 'declined'
  | 'rescinded'
  | 'status'
  | 'finished'
  | 'requeued'
  | 'lost'
  | 'adopted'
  | 'reconciling'
  | 'kill-sent'
  | 'kill-ignored'
  | 'removed'
  | 'suppressed'
  | 'revived'
  | 'agent-failed'
  | 'framework-removed'
  | 'error';

/** Why the scheduler did (or did not do) something; plain data so a webview can render it and a test compare it. */
export interface DecisionRecord {
  /** Milliseconds since the epoch, from the input that caused it. */
  readonly at: number;
  readonly kind: DecisionKind;
  readonly requestId?: string;
  readonly taskId?: string;
  readonly offerId?: string;
  readonly agentId?: string;
  /** For status decisions: the task's new state. */
  readonly state?: string;
  /** For a call that was not delivered: which one (consumers such as the autoscaler react to a failed KILL). */
  readonly call?: 'ACCEPT' | 'KILL';
  readonly reason: string;
}

/** The request a decision is about: its `requestId`, or the request part of its task id. */
export function requestIdOfDecision(decision: DecisionRecord): string | undefined {
  return decision.requestId ?? (decision.taskId !== undefined ? requestIdOf(decision.taskId) : undefined);
}
