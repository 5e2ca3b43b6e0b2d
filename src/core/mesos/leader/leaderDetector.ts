import type { LeaderDetectionError } from './leaderDetectionError';

/** Where the leading Mesos master answers, and what it said about itself. */
export interface MasterLocation {
  /** Base URL with scheme, host and port and no path, e.g. `http://10.0.0.1:5050`. */
  readonly url: string;
  readonly id?: string;
  readonly hostname?: string;
  readonly version?: string;
  /** The MasterInfo JSON exactly as found (ZooKeeper node content, `leader_info`, …). */
  readonly info?: unknown;
}

/**
 * What a detector is doing right now, for a status line or a tree's error node. `message` is a sentence
 * for people; `error` carries the cause and a next step when something is wrong.
 */
export type LeaderDetectorState =
  | 'idle' // constructed, start() not called yet
  | 'connecting' // reaching the source of truth (ZooKeeper ensemble, masters)
  | 'waiting' // reached it, but what it should hold is not there yet (e.g. the znode path)
  | 'leader' // a leading master is known
  | 'noLeader' // the source says no master leads right now (election, all masters down)
  | 'unreachable' // lost the source; the last known leader is kept until it says otherwise
  | 'failed' // needs the user (credentials, ACL): waits reject, retries are slow; see `error`
  | 'closed';

export interface LeaderDetectorStatus {
  readonly state: LeaderDetectorState;
  readonly message: string;
  readonly leader?: MasterLocation;
  /** How many masters the detector saw contending (leader included), where it can know. */
  readonly masters?: number;
  readonly error?: LeaderDetectionError;
}

export interface Disposable {
  dispose(): void;
}

/**
 * Finds the leading master of one cluster and follows it as leadership moves. Implemented by the
 * ZooKeeper detector (`zk://` masters) and the HTTP master-list detector.
 */
export interface LeaderDetector {
  /** The current leader, or undefined while none is known. */
  readonly leader: MasterLocation | undefined;
  readonly status: LeaderDetectorStatus;
  /**
   * Starts detecting (once; later calls only wait) and resolves with the leader as soon as one is known.
   * Rejects with a LeaderDetectionError when `signal` aborts (code 'timeout' for AbortSignal.timeout,
   * else 'aborted'), when the detector is closed, or on a failure that retrying will not fix (status
   * 'failed'). Aborting only ends this wait: detection goes on until close().
   */
  start(signal?: AbortSignal): Promise<MasterLocation>;
  /** Called with each new leader, and with undefined when the leader is gone. Never twice in a row for the same master. */
  onLeaderChange(listener: (leader: MasterLocation | undefined) => void): Disposable;
  onStatusChange(listener: (status: LeaderDetectorStatus) => void): Disposable;
  /** Stops detecting; resolves when no socket or timer of the detector is left. Idempotent. */
  close(): Promise<void>;
}

/** Two locations name the same master process (same address, same process id). */
export function sameMaster(a: MasterLocation | undefined, b: MasterLocation | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.url === b.url && a.id === b.id;
}
