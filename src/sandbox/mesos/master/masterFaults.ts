/**
 * What the fault-injection endpoint (and `mesos-ops sandbox` admin commands) can make the sandbox master
 * do wrong, so that clients are tested against the failures real clusters show.
 */
export interface MasterFaults {
  /** Answer every API and state request with 503 (a master still recovering, or no leader). */
  unavailable: boolean;
  /** Answer leader-only requests with a 307 to this same master: a redirect loop. */
  redirectLoop: boolean;
  /** Delay every response by this many milliseconds. */
  delayMs: number;
  /** Stop sending heartbeats on every stream. */
  stallHeartbeats: boolean;
}

export function noFaults(): MasterFaults {
  return { unavailable: false, redirectLoop: false, delayMs: 0, stallHeartbeats: false };
}
