export type DecisionKind =
  | 'subscribed'
  | 'queued'
  | 'rejected'
  | 'launched'
  | 'unmatched'
  | 'declined'
  | 'rescinded'
  | 'status'
  | 'finished'
  | 'requeued'
  | 'lost'
  | 'kill-sent'
  | 'kill-ignored'
  | 'removed'
  | 'suppressed'
  | 'revived'
  | 'agent-failed'
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
  readonly reason: string;
}
