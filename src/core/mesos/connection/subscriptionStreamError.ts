export type SubscriptionStreamErrorKind =
  | 'ended' // the master ended the response (it closed the stream, or lost leadership)
  | 'heartbeat-missed' // nothing arrived for several heartbeat intervals: a dead or half-open connection
  | 'leader-changed'; // leader detection names another master than the one the stream is on

/**
 * Why a subscription stream that was open is not any more, when no HTTP or RecordIO error says so.
 * All of these are reconnected; the error is what the status shows while that happens.
 */
export class SubscriptionStreamError extends Error {
  override readonly name = 'SubscriptionStreamError';

  constructor(
    readonly kind: SubscriptionStreamErrorKind,
    /** Base URL of the master the stream was on. */
    readonly master: string,
    /** What was wrong and why, without the next step. */
    readonly reason: string,
    readonly nextStep: string,
  ) {
    super(`${reason} ${nextStep}`);
  }
}
