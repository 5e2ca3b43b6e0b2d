export type LeaderDetectionErrorCode =
  | 'invalidMasterUrl' // the configured masters value cannot be used
  | 'malformedMasterInfo' // a master advertised itself in a shape we cannot read
  | 'zookeeper' // the ensemble answered with an error
  | 'authFailed' // the ensemble rejected the digest credentials
  | 'timeout' // no leader before the caller's deadline
  | 'aborted' // the caller gave up waiting
  | 'closed'; // the detector was closed while someone waited

/**
 * Every failure of leader detection. `reason` says what was wrong and why, `nextStep` what the user can
 * do about it, so the UI can show them apart; `message` is both in one sentence pair for logs.
 */
export class LeaderDetectionError extends Error {
  override readonly name = 'LeaderDetectionError';

  constructor(
    readonly code: LeaderDetectionErrorCode,
    /** What was wrong and why, without the next step. */
    readonly reason: string,
    readonly nextStep: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason} ${nextStep}`, options);
  }
}
