import type { LeaderDetector, LeaderDetectorStatus, MasterLocation } from './leaderDetector';
import { LeaderDetectionError } from './leaderDetectionError';

/**
 * Resolves with the detector's leader as soon as there is one (at once if it already knows one, even
 * while it cannot reach its source). Rejects
 * with a LeaderDetectionError when `signal` aborts ('timeout' when it came from AbortSignal.timeout),
 * when the detector closes, or when it fails in a way retrying cannot fix. Does not start the detector.
 */
export function waitForLeader(detector: LeaderDetector, signal?: AbortSignal): Promise<MasterLocation> {
  const settled = outcome(detector.status);
  if (settled) return settled;
  if (signal?.aborted) return Promise.reject(abortError(signal, detector.status));
  return new Promise<MasterLocation>((resolve, reject) => {
    const subscription = detector.onStatusChange((status) => {
      const result = outcome(status);
      if (!result) return;
      cleanup();
      result.then(resolve, reject);
    });
    const onAbort = () => {
      cleanup();
      reject(abortError(signal as AbortSignal, detector.status));
    };
    const cleanup = () => {
      subscription.dispose();
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A known leader answers the wait even while the detector cannot reach its source: losing ZooKeeper (or
 * the other masters) says nothing about the leader itself, and requests to it will tell.
 */
function outcome(status: LeaderDetectorStatus): Promise<MasterLocation> | undefined {
  if (status.state !== 'closed' && status.leader) return Promise.resolve(status.leader);
  if (status.state === 'closed') {
    return Promise.reject(
      new LeaderDetectionError(
        'closed',
        'Leader detection was stopped before a leading master was found.',
        'Start it again to keep looking.',
      ),
    );
  }
  if (status.state === 'failed') {
    return Promise.reject(
      status.error ?? new LeaderDetectionError('zookeeper', status.message, "Check the cluster's masters setting."),
    );
  }
  return undefined;
}

function abortError(signal: AbortSignal, status: LeaderDetectorStatus): LeaderDetectionError {
  const reason: unknown = signal.reason;
  const timedOut =
    typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError';
  const what = timedOut
    ? 'No leading Mesos master was found before the deadline'
    : 'Stopped waiting for a leading Mesos master';
  return new LeaderDetectionError(
    timedOut ? 'timeout' : 'aborted',
    `${what}; last status: ${status.message}`,
    status.error?.nextStep ??
      "Check that the masters are running and that the cluster's masters setting points at them.",
    { cause: status.error ?? reason },
  );
}
