import type {
  Disposable,
  LeaderDetector,
  LeaderDetectorStatus,
  MasterLocation,
} from '../../../src/core/mesos/leader/leaderDetector';
import { waitForLeader } from '../../../src/core/mesos/leader/waitForLeader';

/**
 * A leader detector the test moves by hand, standing in for ZooKeeper when a test is about what the
 * clients do as leadership moves, not about how it is found.
 */
export class ManualLeaderDetector implements LeaderDetector {
  private currentStatus: LeaderDetectorStatus = { state: 'idle', message: 'not started' };
  private readonly leaderListeners = new Set<(leader: MasterLocation | undefined) => void>();
  private readonly statusListeners = new Set<(status: LeaderDetectorStatus) => void>();
  suspicions: string[] = [];
  closed = false;

  constructor(private current: MasterLocation | undefined) {
    if (current) this.currentStatus = { state: 'leader', message: `leader ${current.url}`, leader: current };
  }

  get leader(): MasterLocation | undefined {
    return this.current;
  }

  get status(): LeaderDetectorStatus {
    return this.currentStatus;
  }

  start(signal?: AbortSignal): Promise<MasterLocation> {
    return waitForLeader(this, signal);
  }

  moveTo(url: string | undefined): void {
    this.current = url === undefined ? undefined : { url };
    this.currentStatus = this.current
      ? { state: 'leader', message: `leader ${url}`, leader: this.current }
      : { state: 'noLeader', message: 'no leader' };
    for (const listener of [...this.leaderListeners]) listener(this.current);
    for (const listener of [...this.statusListeners]) listener(this.currentStatus);
  }

  suspect(reason?: string): void {
    this.suspicions.push(reason ?? '');
  }

  onLeaderChange(listener: (leader: MasterLocation | undefined) => void): Disposable {
    this.leaderListeners.add(listener);
    return { dispose: () => this.leaderListeners.delete(listener) };
  }

  onStatusChange(listener: (status: LeaderDetectorStatus) => void): Disposable {
    this.statusListeners.add(listener);
    return { dispose: () => this.statusListeners.delete(listener) };
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
