import type { Logger } from '../../log/logSink';
import { sameMaster, type Disposable, type LeaderDetectorStatus, type MasterLocation } from './leaderDetector';

/**
 * The leader and status a detector reports, and their listeners: what the HTTP and the ZooKeeper
 * detector share. Listeners hear a leader only when it changes and a status only when it says something
 * new; a listener that throws is logged and does not stop the others.
 */
export class LeaderTracker {
  private currentLeader: MasterLocation | undefined;
  private currentStatus: LeaderDetectorStatus = { state: 'idle', message: 'Leader detection has not started.' };
  private readonly leaderListeners = new Set<(leader: MasterLocation | undefined) => void>();
  private readonly statusListeners = new Set<(status: LeaderDetectorStatus) => void>();

  constructor(private readonly log: Logger) {}

  get leader(): MasterLocation | undefined {
    return this.currentLeader;
  }

  get status(): LeaderDetectorStatus {
    return this.currentStatus;
  }

  /** `{ leader }` while one is known, for spreading into a status. */
  leaderField(): { leader?: MasterLocation } {
    return this.currentLeader ? { leader: this.currentLeader } : {};
  }

  onLeaderChange(listener: (leader: MasterLocation | undefined) => void): Disposable {
    this.leaderListeners.add(listener);
    return { dispose: () => this.leaderListeners.delete(listener) };
  }

  onStatusChange(listener: (status: LeaderDetectorStatus) => void): Disposable {
    this.statusListeners.add(listener);
    return { dispose: () => this.statusListeners.delete(listener) };
  }

  setLeader(leader: MasterLocation | undefined): void {
    if (sameMaster(this.currentLeader, leader)) return;
    this.currentLeader = leader;
    this.log.info(leader ? `Leading master is now ${leader.url}` : 'No leading master');
    for (const listener of [...this.leaderListeners]) {
      try {
        listener(leader);
      } catch (error) {
        this.log.error('A leader-change listener threw', error);
      }
    }
  }

  setStatus(status: LeaderDetectorStatus): void {
    const previous = this.currentStatus;
    this.currentStatus = status;
    if (
      previous.state === status.state &&
      previous.message === status.message &&
      previous.leader === status.leader &&
      previous.error?.message === status.error?.message
    ) {
      return;
    }
    for (const listener of [...this.statusListeners]) {
      try {
        listener(status);
      } catch (error) {
        this.log.error('A status listener threw', error);
      }
    }
  }

  /** On close: the closed status goes out, then the leader is forgotten without notice and listeners dropped. */
  close(status: LeaderDetectorStatus): void {
    this.currentLeader = undefined;
    this.setStatus(status);
    this.leaderListeners.clear();
    this.statusListeners.clear();
  }
}
