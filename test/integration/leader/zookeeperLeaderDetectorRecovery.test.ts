import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as zookeeper from 'node-zookeeper-client';
import { MemorySink } from '../../../src/core/log/logSink';
import { ZooKeeperLeaderDetector } from '../../../src/core/mesos/leader/zookeeperLeaderDetector';
import { connectZooKeeperClient, ZooKeeperServer } from '../../harness/zookeeper';
import { TcpProxy } from './tcpProxy';
import { closeClient, LeaderChanges, MasterSession, masterInfoOnPort, statusWhere, zk } from './zookeeperMasters';

// Its own server: these tests stop it and cut connections to it.
let server: ZooKeeperServer;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  server = await ZooKeeperServer.start();
});

after(
  async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await server?.dispose();
  },
  { timeout: 10_000 },
);

async function master(path: string, port: number): Promise<MasterSession> {
  const session = await MasterSession.register(server.connectionString, path, masterInfoOnPort(port));
  cleanups.push(() => session.stop());
  return session;
}

function hex(sessionId: Buffer): string {
  return BigInt(`0x${sessionId.toString('hex')}`).toString(16);
}

test(
  'keeps the leader while the ensemble is down, and follows changes once it is back',
  { timeout: 30_000 },
  async () => {
    const path = '/outage/mesos';
    // Persistent nodes stand in for the masters here: a master's own session could lapse while the
    // ensemble is down, and this test is about the detector's view, not the masters' sessions.
    const writer = await connectZooKeeperClient(server.connectionString);
    await zk((done) => writer.mkdirp(path, done));
    const register = (port: number) =>
      zk<string>((done) =>
        writer.create(`${path}/json.info_`, masterInfoOnPort(port), zookeeper.CreateMode.PERSISTENT_SEQUENTIAL, done),
      );
    const first = await register(15101);
    await register(15102);
    await closeClient(writer);
    const detector = new ZooKeeperLeaderDetector(`zk://${server.connectionString}${path}`, {
      sessionTimeoutMs: 4_000,
      // A server that is starting may take a connection and never answer it: give up on it quickly.
      connectTimeoutMs: 1_000,
      reconnectDelayMs: 50,
    });
    cleanups.push(() => detector.close());
    assert.equal((await detector.start(AbortSignal.timeout(10_000))).url, 'http://127.0.0.1:15101');
    const changes = new LeaderChanges(detector);

    await server.stop();
    const down = await statusWhere(detector, (s) => s.state === 'unreachable');
    assert.match(down.message, /Lost the connection to ZooKeeper .*Keeping http:\/\/127\.0\.0\.1:15101 as the leader/);
    assert.equal(down.leader?.url, 'http://127.0.0.1:15101');
    assert.equal(detector.leader?.url, 'http://127.0.0.1:15101');

    await server.restart();
    await statusWhere(detector, (s) => s.state === 'leader');
    assert.deepEqual(changes.urls, [], 'an outage of the ensemble is not a change of leader');

    // Watching goes on after the outage: the leader's node goes, the standby takes over.
    const remover = await connectZooKeeperClient(server.connectionString);
    cleanups.push(() => closeClient(remover));
    await zk((done) => remover.remove(first, done));
    assert.equal(await changes.nth(1), 'http://127.0.0.1:15102');
    assert.deepEqual(changes.urls, ['http://127.0.0.1:15102']);
  },
);

test(
  'after its session expires it opens a new one, reads the leader again and watches again',
  { timeout: 30_000 },
  async () => {
    const path = '/expiry/mesos';
    const first = await master(path, 15111);
    const second = await master(path, 15112);
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(() => proxy.close());
    const clients: zookeeper.Client[] = [];
    const sink = new MemorySink();
    const detector = new ZooKeeperLeaderDetector(`zk://${proxy.connectionString}${path}`, {
      sink,
      sessionTimeoutMs: 1_000,
      // Longer than the partition, so that the ensemble's expiry (not our own impatience) ends the session.
      connectTimeoutMs: 20_000,
      reconnectDelayMs: 50,
      createClient: (connectionString, options) => {
        const client = zookeeper.createClient(connectionString, options);
        clients.push(client);
        return client;
      },
    });
    cleanups.push(() => detector.close());
    assert.equal((await detector.start(AbortSignal.timeout(10_000))).url, 'http://127.0.0.1:15111');
    const changes = new LeaderChanges(detector);
    const [firstClient] = clients;
    assert.ok(firstClient);
    const firstSession = hex(firstClient.getSessionId());
    assert.ok((await server.sessionIds()).includes(firstSession));

    // A partition longer than the session timeout: the ensemble expires the detector's session.
    proxy.cut();
    const deadline = AbortSignal.timeout(10_000);
    while ((await server.sessionIds()).includes(firstSession)) {
      assert.ok(!deadline.aborted, 'ZooKeeper never expired the session');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Meanwhile the leader goes away; the old session's watch can no longer tell.
    await first.stop();
    proxy.resume();

    assert.equal(await changes.nth(1), 'http://127.0.0.1:15112');
    assert.equal(clients.length, 2, 'a new client, hence a new session, after the expiry');
    assert.notEqual(hex(clients[1]!.getSessionId()), firstSession);
    assert.match(sink.text(), /session expired; opening a new one/);

    // The new session watches too.
    await master(path, 15113);
    await second.stop();
    assert.equal(await changes.nth(2), 'http://127.0.0.1:15113');
    assert.deepEqual(
      changes.urls,
      ['http://127.0.0.1:15112', 'http://127.0.0.1:15113'],
      'never "no leader" on the way',
    );
  },
);

test(
  'started while the ensemble cannot be reached, it says so and finds the leader once it answers',
  { timeout: 30_000 },
  async () => {
    const path = '/unreachable/mesos';
    await master(path, 15121);
    const proxy = await TcpProxy.start(server.port);
    cleanups.push(() => proxy.close());
    proxy.cut();
    const detector = new ZooKeeperLeaderDetector(`zk://${proxy.connectionString}${path}`, {
      sessionTimeoutMs: 500,
      reconnectDelayMs: 50,
    });
    cleanups.push(() => detector.close());
    const started = detector.start(AbortSignal.timeout(10_000));

    const status = await statusWhere(detector, (s) => s.state === 'unreachable');
    assert.equal(status.message, `Cannot reach ZooKeeper at ${proxy.connectionString}; still trying.`);
    assert.match(status.error?.nextStep ?? '', /ensemble is running and reachable/);

    proxy.resume();
    assert.equal((await started).url, 'http://127.0.0.1:15121');
  },
);
