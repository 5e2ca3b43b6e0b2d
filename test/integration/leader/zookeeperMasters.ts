import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as zookeeper from 'node-zookeeper-client';
import type {
  LeaderDetector,
  LeaderDetectorStatus,
  MasterLocation,
} from '../../../src/core/mesos/leader/leaderDetector';
import { shutdownZooKeeperClient } from '../../../src/core/mesos/leader/zookeeperClientShutdown';
import { connectZooKeeperClient } from '../../harness/zookeeper';

/** What a real Mesos 1.12 master wrote to /mesos/json.info_0000000000 (captured). */
export const CAPTURED_MASTER_INFO = readFileSync(
  join(__dirname, '..', '..', 'fixtures', 'mesos-1.12', 'zookeeper-json.info.json'),
);

/** The captured MasterInfo moved to another port and id, to play a second or third master. */
export function masterInfoOnPort(port: number): Buffer {
  const info = JSON.parse(CAPTURED_MASTER_INFO.toString('utf8')) as Record<string, unknown>;
  const address = info.address as Record<string, unknown>;
  return Buffer.from(
    JSON.stringify({
      ...info,
      address: { ...address, port },
      id: `master-on-${port}`,
      pid: `master@127.0.0.1:${port}`,
      port,
    }),
  );
}

/** Runs one ZooKeeper call in callback style as a promise. */
export function zk<T = unknown>(run: (done: (error: unknown, result?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => run((error, result) => (error ? reject(error) : resolve(result as T))));
}

/**
 * One contending master as Mesos runs it: its own ZooKeeper session holding an ephemeral sequential
 * `json.info_` node, which disappears when the session ends.
 */
export class MasterSession {
  private stopped: Promise<void> | undefined;

  private constructor(
    readonly client: zookeeper.Client,
    readonly node: string,
  ) {}

  static async register(connectionString: string, path: string, info: Buffer): Promise<MasterSession> {
    const client = await connectZooKeeperClient(connectionString);
    await zk<string>((done) => client.mkdirp(path, done));
    const node = await zk<string>((done) =>
      client.create(`${path}/json.info_`, info, zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, done),
    );
    return new MasterSession(client, node);
  }

  /** Ends the master's session, as a master process that exits; resolves once its node is gone. */
  stop(): Promise<void> {
    this.stopped ??= closeClient(this.client);
    return this.stopped;
  }
}

/** Closes a test client, whatever state it is in; resolves when it holds no socket or timer. */
export function closeClient(client: zookeeper.Client): Promise<void> {
  return shutdownZooKeeperClient(client);
}

/** Resolves with the detector's status once `matches` holds (at once if it already does). */
export function statusWhere(
  detector: LeaderDetector,
  matches: (status: LeaderDetectorStatus) => boolean,
  signal: AbortSignal = AbortSignal.timeout(10_000),
): Promise<LeaderDetectorStatus> {
  if (matches(detector.status)) return Promise.resolve(detector.status);
  return new Promise((resolve, reject) => {
    const subscription = detector.onStatusChange((status) => {
      if (!matches(status)) return;
      subscription.dispose();
      signal.removeEventListener('abort', onAbort);
      resolve(status);
    });
    const onAbort = () => {
      subscription.dispose();
      reject(
        new Error(
          `The detector's status never matched; it stayed at: ${detector.status.state}: ${detector.status.message}`,
        ),
      );
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Every leader change a detector announces, as URLs (undefined for "no leader"), in order. */
export class LeaderChanges {
  readonly urls: (string | undefined)[] = [];
  readonly leaders: (MasterLocation | undefined)[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(detector: LeaderDetector) {
    detector.onLeaderChange((leader) => {
      this.leaders.push(leader);
      this.urls.push(leader?.url);
      this.waiters = this.waiters.filter((w) => (this.urls.length >= w.count ? (w.resolve(), false) : true));
    });
  }

  /** Resolves with the change number `count` (1-based) once it has happened. */
  async nth(count: number, signal: AbortSignal = AbortSignal.timeout(10_000)): Promise<string | undefined> {
    if (this.urls.length < count) {
      await new Promise<void>((resolve, reject) => {
        const waiter = { count, resolve };
        this.waiters.push(waiter);
        signal.addEventListener(
          'abort',
          () => {
            this.waiters = this.waiters.filter((w) => w !== waiter);
            reject(
              new Error(
                `Only ${this.urls.length} leader change(s) happened, waited for ${count}: ${JSON.stringify(this.urls)}`,
              ),
            );
          },
          { once: true },
        );
      });
    }
    return this.urls[count - 1];
  }
}

/** Counts of the kinds of handle that a detector could leak. */
export function liveHandles(): { sockets: number; timers: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    sockets: resources.filter((r) => r === 'TCPSocketWrap').length,
    timers: resources.filter((r) => r === 'Timeout').length,
  };
}
