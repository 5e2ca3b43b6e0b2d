import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  LeaderDetector,
  LeaderDetectorStatus,
  MasterLocation,
} from '../../../src/core/mesos/leader/leaderDetector';
import { LeaderDetectionError } from '../../../src/core/mesos/leader/leaderDetectionError';
import { waitForLeader } from '../../../src/core/mesos/leader/waitForLeader';

/** A detector whose status the test sets by hand: waitForLeader only reads the interface. */
class ScriptedDetector implements LeaderDetector {
  status: LeaderDetectorStatus = { state: 'connecting', message: 'Connecting to ZooKeeper at zk1:2181…' };
  private readonly listeners = new Set<(status: LeaderDetectorStatus) => void>();

  get leader(): MasterLocation | undefined {
    return this.status.leader;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  set(status: LeaderDetectorStatus): void {
    this.status = status;
    for (const listener of [...this.listeners]) listener(status);
  }

  start(signal?: AbortSignal): Promise<MasterLocation> {
    return waitForLeader(this, signal);
  }

  onLeaderChange(): { dispose(): void } {
    return { dispose: () => undefined };
  }

  onStatusChange(listener: (status: LeaderDetectorStatus) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async close(): Promise<void> {
    this.set({ state: 'closed', message: 'Leader detection stopped.' });
  }
}

const leader: MasterLocation = { url: 'http://10.0.0.1:5050', id: 'm1' };

test('resolves at once with a known leader, or with the first one that comes', async () => {
  const detector = new ScriptedDetector();
  const waiting = waitForLeader(detector);
  detector.set({ state: 'noLeader', message: 'No Mesos master is registered under /mesos.' });
  detector.set({ state: 'leader', message: 'Leading master: http://10.0.0.1:5050', leader });
  assert.equal(await waiting, leader);
  assert.equal(detector.listenerCount, 0, 'the wait unsubscribes when it ends');
  assert.equal(await waitForLeader(detector), leader);
});

test('a leader kept while the source is unreachable answers at once; a failure without one rejects', async () => {
  const detector = new ScriptedDetector();
  detector.set({ state: 'unreachable', message: 'Lost the connection to ZooKeeper; reconnecting.', leader });
  assert.equal(await waitForLeader(detector), leader);

  const denied = new LeaderDetectionError('authFailed', 'The ACL denies reading /mesos.', 'Check the user:password.');
  detector.set({ state: 'failed', message: denied.reason, leader, error: denied });
  assert.equal(await waitForLeader(detector), leader, 'a failure to read does not unmake the known leader');
  detector.set({ state: 'failed', message: denied.reason, error: denied });
  await assert.rejects(waitForLeader(detector), (e: unknown) => e === denied);
});

test('a timeout names the last status and keeps its next step', async () => {
  const detector = new ScriptedDetector();
  const hint = new LeaderDetectionError('zookeeper', 'The znode /mesos does not exist.', 'Check the --zk flag.');
  detector.set({ state: 'waiting', message: 'ZooKeeper has no /mesos yet.', error: hint });
  await assert.rejects(waitForLeader(detector, AbortSignal.timeout(1)), (error: unknown) => {
    assert.ok(error instanceof LeaderDetectionError);
    assert.equal(error.code, 'timeout');
    assert.equal(
      error.reason,
      'No leading Mesos master was found before the deadline; last status: ZooKeeper has no /mesos yet.',
    );
    assert.equal(error.nextStep, 'Check the --zk flag.');
    assert.equal(error.cause, hint);
    return true;
  });
  assert.equal(detector.listenerCount, 0);
});

test('an abort, a close and a failure each reject with their own code', async () => {
  const detector = new ScriptedDetector();
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    waitForLeader(detector, controller.signal),
    (e: unknown) => e instanceof LeaderDetectionError && e.code === 'aborted',
  );

  const failing = waitForLeader(detector);
  const denied = new LeaderDetectionError(
    'authFailed',
    'ZooKeeper rejected the digest credentials.',
    'Check the user:password.',
  );
  detector.set({ state: 'failed', message: denied.reason, error: denied });
  await assert.rejects(failing, (e: unknown) => e === denied);

  const closed = new ScriptedDetector();
  const waitingOnClosed = waitForLeader(closed);
  await closed.close();
  await assert.rejects(waitingOnClosed, (e: unknown) => e instanceof LeaderDetectionError && e.code === 'closed');
  await assert.rejects(waitForLeader(closed), (e: unknown) => e instanceof LeaderDetectionError && e.code === 'closed');
});
