export type ClusterStateErrorKind =
  /** The body is not JSON, or is cut short. */
  | 'not-json'
  /** JSON, but not the expected message (another call's response, another endpoint). */
  | 'unexpected-shape'
  /** A newer snapshot started before this one finished; the model moved on to that one. */
  | 'superseded';

/**
 * A cluster state that could not be loaded. The model is left as it was: a snapshot is built apart and
 * only swapped in once complete. `reason` says what was wrong, `nextStep` what to do.
 */
export class ClusterStateError extends Error {
  override readonly name = 'ClusterStateError';

  constructor(
    readonly kind: ClusterStateErrorKind,
    readonly reason: string,
    readonly nextStep: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot load the cluster state: ${reason}. ${nextStep}`, options);
  }
}
