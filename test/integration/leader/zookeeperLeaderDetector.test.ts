import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import * as zookeeper from 'node-zookeeper-client';
import { MemorySink } from '../../../src/core/log/logSink';
import { LeaderDetectionError } from '../../../src/core/mesos/leader/leaderDetectionError';
import { ZooKeeperLeaderDetector } from '../../../src/core/mesos/leader/zookeeperLeaderDetector';
import { freePort } from '../../harness/freePort';
import { connectZooKeeperClient, ZooKeeperServer } from '../../harness/zookeeper';
import {
  CAPTURED_MASTER_INFO,
  closeClient,
  LeaderChanges,
  liveHandles,
  MasterSession,
  masterInfoOnPort,
  statusWhere,
  zk,
} from './zookeeperMasters';

let server: ZooKeeperServer;
let admin: zookeeper.Client;
const masters: MasterSession[] = [];
const detectors: ZooKeeperLeaderDetector[] = [];

before(async () => {
  server = await ZooKeeperServer.start();
  admin = await connectZooKeeperClient(server.connectionString);
});

after(
  async () => {
    await Promise.all(detectors.map((d) => d.close()));
    await Promise.all(masters.map((m) => m.stop()));
    if (admin) await closeClient(admin);
    await server?.dispose();
  },
  { timeout: 10_000 },
);

function detectorFor(path: string, sink = new MemorySink(), credentials = ''): ZooKeeperLeaderDetector {
  const detector = new ZooKeeperLeaderDetector(`zk://${credentials}${server.connectionString}${path}`, {
    sink,
    reconnectDelayMs: 100,
    retryDelayMs: 200,
  });
  detectors.push(detector);
  return detector;
}

async function master(path: string, info: Buffer): Promise<MasterSession> {
  const session = await MasterSession.register(server.connectionString, path, info);
  masters.push(session);
  return session;
}

test(
  'finds the leader in the json.info node a real Mesos 1.12 master wrote, ignoring other children',
  { timeout: 20_000 },
  async () => {
    await zk((done) => admin.mkdirp('/captured/mesos', done));
    // What else lives beside the masters: the replicated log's node and a legacy protobuf member.
    await zk((done) => admin.create('/captured/mesos/log_replicas', Buffer.from(''), done));
    await zk((done) => admin.create('/captured/mesos/info_0000000000', Buffer.from([0x0a, 0x01, 0x78]), done));
    await master('/captured/mesos', CAPTURED_MASTER_INFO);

    const handlesBefore = liveHandles();
    const detector = detectorFor('/captured/mesos');
    const leader = await detector.start(AbortSignal.timeout(10_000));

    assert.equal(leader.url, 'http://127.0.0.1:15060');
    assert.equal(leader.id, '7bfac2d2-7c67-49d9-a9b0-d9bd2d465956');
    assert.equal(leader.hostname, '127.0.0.1');
    assert.equal(leader.version, '1.12.0');
    assert.deepEqual(leader.info, JSON.parse(CAPTURED_MASTER_INFO.toString('utf8')));
    assert.equal(detector.leader, leader);
    assert.equal(detector.status.state, 'leader');
    assert.equal(detector.status.masters, 1);

    await detector.close();
    assert.equal(detector.status.state, 'closed');
    assert.equal(detector.leader, undefined);
    assert.deepEqual(liveHandles(), handlesBefore, 'close() left a socket or timer behind');
  },
);

test(
  'the lowest sequence leads: a new master changes nothing, the next takes over, none left means no leader',
  { timeout: 20_000 },
  async () => {
    const path = '/succession/mesos';
    const first = await master(path, masterInfoOnPort(15061));
    const second = await master(path, masterInfoOnPort(15062));
    const detector = detectorFor(path);
    assert.equal((await detector.start(AbortSignal.timeout(10_000))).url, 'http://127.0.0.1:15061');
    const changes = new LeaderChanges(detector);

    const third = await master(path, masterInfoOnPort(15063));
    await statusWhere(detector, (s) => s.masters === 3);
    assert.equal(detector.leader?.url, 'http://127.0.0.1:15061', 'a newer master must not take the lead');

    await second.stop();
    await statusWhere(detector, (s) => s.masters === 2);
    assert.equal(detector.leader?.url, 'http://127.0.0.1:15061', 'losing a standby must not move the lead');
    assert.deepEqual(changes.urls, []);

    await first.stop();
    assert.equal(await changes.nth(1), 'http://127.0.0.1:15063');
    assert.equal(detector.leader?.id, 'master-on-15063');

    await third.stop();
    assert.equal(await changes.nth(2), undefined);
    assert.equal(detector.leader, undefined);
    const status = await statusWhere(detector, (s) => s.state === 'noLeader');
    assert.match(status.message, /No Mesos master is registered under \/succession\/mesos/);
    assert.deepEqual(changes.urls, ['http://127.0.0.1:15063', undefined]);
  },
);

test(
  'a malformed leader node is reported once, leaves the leader unknown, and is watched until it goes',
  { timeout: 20_000 },
  async () => {
    const path = '/malformed/mesos';
    await zk((done) => admin.mkdirp(path, done));
    const bad = await zk<string>((done) =>
      admin.create(
        `${path}/json.info_`,
        Buffer.from('{"address": {"ip": "10.0.0.1", "port"'),
        zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
        done,
      ),
    );
    await master(path, masterInfoOnPort(15071));
    const sink = new MemorySink();
    const detector = detectorFor(path, sink);
    const started = detector.start(AbortSignal.timeout(15_000));

    const status = await statusWhere(detector, (s) => s.error?.code === 'malformedMasterInfo');
    assert.equal(status.state, 'noLeader');
    assert.equal(status.leader, undefined);
    assert.ok(status.error?.message.includes(bad), `the error names the node: ${status.error?.message}`);
    assert.match(status.error?.message ?? '', /does not hold JSON/);

    // Another read while the malformed node still leads must not repeat the report.
    await master(path, masterInfoOnPort(15072));
    await statusWhere(detector, (s) => s.masters === 3);
    assert.equal(sink.records.filter((r) => r.level === 'error' && /malformed/.test(r.message)).length, 1);

    await zk((done) => admin.remove(bad, done));
    assert.equal((await started).url, 'http://127.0.0.1:15071');

    // A malformed node that does not lead is never the leader's business.
    await zk<string>((done) =>
      admin.create(`${path}/json.info_`, Buffer.from('garbage'), zookeeper.CreateMode.PERSISTENT_SEQUENTIAL, done),
    );
    await statusWhere(detector, (s) => s.masters === 3);
    assert.equal(detector.status.state, 'leader');
    assert.equal(detector.leader?.url, 'http://127.0.0.1:15071');
  },
);

test(
  'waits for a missing path, follows it as masters create it, and waits again when it is removed',
  { timeout: 20_000 },
  async () => {
    const path = '/late/mesos';
    const detector = detectorFor(path);
    const started = detector.start(AbortSignal.timeout(15_000));

    const waiting = await statusWhere(detector, (s) => s.state === 'waiting');
    assert.match(waiting.message, /has no \/late\/mesos yet/);
    assert.equal(waiting.error?.code, 'zookeeper');

    await zk((done) => admin.mkdirp(path, done));
    const empty = await statusWhere(detector, (s) => s.state === 'noLeader');
    assert.equal(empty.masters, 0);

    const only = await master(path, masterInfoOnPort(15081));
    assert.equal((await started).url, 'http://127.0.0.1:15081');

    await only.stop();
    await zk((done) => admin.remove(path, done));
    await statusWhere(detector, (s) => s.state === 'waiting');
    assert.equal(detector.leader, undefined);
  },
);

test(
  'start() rejects with a clear error on timeout, abort and close, and detection goes on meanwhile',
  { timeout: 20_000 },
  async () => {
    const detector = detectorFor('/never/mesos');
    const untilClosed = detector.start();
    untilClosed.catch(() => undefined); // asserted below, after close()
    await statusWhere(detector, (s) => s.state === 'waiting');

    await assert.rejects(detector.start(AbortSignal.timeout(20)), (error: unknown) => {
      assert.ok(error instanceof LeaderDetectionError);
      assert.equal(error.code, 'timeout');
      assert.match(
        error.message,
        /No leading Mesos master was found before the deadline; last status: ZooKeeper has no \/never\/mesos yet/,
      );
      assert.match(error.nextStep, /--zk flag/);
      return true;
    });
    const controller = new AbortController();
    const aborted = detector.start(controller.signal);
    controller.abort();
    await assert.rejects(
      aborted,
      (error: unknown) => error instanceof LeaderDetectionError && error.code === 'aborted',
    );
    assert.equal(detector.status.state, 'waiting');

    await detector.close();
    await assert.rejects(
      untilClosed,
      (error: unknown) => error instanceof LeaderDetectionError && error.code === 'closed',
    );
    await assert.rejects(
      detector.start(),
      (error: unknown) => error instanceof LeaderDetectionError && error.code === 'closed',
    );
  },
);

test(
  'reads with digest credentials from the zk:// URL, and says so when the ACL shuts it out',
  { timeout: 20_000 },
  async () => {
    const path = '/guarded';
    const auth = admin;
    auth.addAuthInfo('digest', Buffer.from('ops:s3cret'));
    const digest = createHash('sha1').update('ops:s3cret').digest('base64');
    const acl = [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('digest', `ops:${digest}`))];
    await zk<string>((done) => auth.create(path, Buffer.from(''), acl, zookeeper.CreateMode.PERSISTENT, done));
    await zk<string>((done) =>
      auth.create(`${path}/json.info_`, masterInfoOnPort(15091), acl, zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, done),
    );

    const sink = new MemorySink();
    const allowed = detectorFor(path, sink, 'ops:s3cret@');
    assert.equal(allowed.url.display, `zk://ops:***@${server.connectionString}/guarded`);
    assert.equal((await allowed.start(AbortSignal.timeout(10_000))).url, 'http://127.0.0.1:15091');

    const shutOut = detectorFor(path, sink);
    await assert.rejects(shutOut.start(AbortSignal.timeout(10_000)), (error: unknown) => {
      assert.ok(error instanceof LeaderDetectionError);
      assert.equal(error.code, 'authFailed');
      assert.match(error.message, /refused listing \/guarded: NO_AUTH/);
      assert.match(error.nextStep, /user:password/);
      return true;
    });
    assert.equal(shutOut.status.state, 'failed');
    assert.doesNotMatch(sink.text(), /s3cret/, 'the password must never reach the log');
  },
);

test('close() leaves no socket or timer behind while the ensemble cannot be reached', { timeout: 20_000 }, async () => {
  const nobody = await freePort();
  const handlesBefore = liveHandles();
  const detector = new ZooKeeperLeaderDetector(`zk://127.0.0.1:${nobody}/mesos`, {
    sessionTimeoutMs: 500,
    reconnectDelayMs: 100,
  });
  const started = detector.start();
  started.catch(() => undefined); // asserted below, after close()
  const status = await statusWhere(detector, (s) => s.state === 'unreachable');
  assert.match(status.message, new RegExp(`Cannot reach ZooKeeper at 127\\.0\\.0\\.1:${nobody}; still trying`));
  await detector.close();
  await assert.rejects(started, (error: unknown) => error instanceof LeaderDetectionError && error.code === 'closed');
  assert.deepEqual(liveHandles(), handlesBefore, 'close() left a socket or timer behind');
});
