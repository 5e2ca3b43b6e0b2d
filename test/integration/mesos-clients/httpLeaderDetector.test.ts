import * as assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { afterEach, test } from 'node:test';
import { MemorySink } from '../../../src/core/log/logSink';
import { HttpLeaderDetector, type HttpLeaderDetectorOptions } from '../../../src/core/mesos/leader/httpLeaderDetector';
import { createLeaderDetector } from '../../../src/core/mesos/leader/createLeaderDetector';
import type { LeaderDetectorStatus, MasterLocation } from '../../../src/core/mesos/leader/leaderDetector';
import { LeaderDetectionError } from '../../../src/core/mesos/leader/leaderDetectionError';
import { ZooKeeperLeaderDetector } from '../../../src/core/mesos/leader/zookeeperLeaderDetector';
import { closedPort, type LoopbackServer, startLoopbackServer } from '../../support/loopbackServer';
import { eventually, liveHandles } from './liveHandles';

const OPTIONS = { timeout: 10_000 };

/** What a master answers on /master/redirect: the leader's base URL, or 503 / another status. */
type Answer = { leader: LoopbackServer } | { status: number; body?: string; contentType?: string };

interface Master {
  readonly server: LoopbackServer;
  answer: Answer;
  /** `127.0.0.1:port`: how the masters setting names it (no scheme: http is implied). */
  readonly hostPort: string;
  readonly url: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function master(answer?: Answer): Promise<Master> {
  const state: { answer: Answer } = { answer: answer ?? { status: 503, body: 'No leader elected' } };
  const server = await startLoopbackServer((req, res: ServerResponse) => {
    const current = state.answer;
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/master/redirect') {
      res.writeHead(404);
      return void res.end();
    }
    if ('leader' in current) {
      // Exactly as a 1.12 master words it: `Location: //127.0.0.1:15050`, no scheme, no path.
      res.writeHead(307, { location: `//127.0.0.1:${current.leader.port}` });
      return void res.end();
    }
    res.writeHead(current.status, { 'content-type': current.contentType ?? 'text/plain; charset=utf-8' });
    res.end(current.body ?? '');
  });
  cleanups.push(() => server.close());
  const result: Master = {
    server,
    hostPort: `127.0.0.1:${server.port}`,
    url: server.url,
    get answer() {
      return state.answer;
    },
    set answer(value: Answer) {
      state.answer = value;
    },
  };
  return result;
}

function detector(
  masters: string,
  options: HttpLeaderDetectorOptions = {},
): {
  detector: HttpLeaderDetector;
  leaders: (string | undefined)[];
  statuses: LeaderDetectorStatus[];
} {
  const made = new HttpLeaderDetector(masters, {
    retryInitialMs: 5,
    retryMaxMs: 20,
    minRecheckMs: 0,
    recheckIntervalMs: 60_000,
    probeTimeoutMs: 2_000,
    sink: new MemorySink(),
    ...options,
  });
  const leaders: (string | undefined)[] = [];
  const statuses: LeaderDetectorStatus[] = [];
  made.onLeaderChange((leader: MasterLocation | undefined) => leaders.push(leader?.url));
  made.onStatusChange((status) => statuses.push(status));
  cleanups.push(() => made.close());
  return { detector: made, leaders, statuses };
}

test('asks /master/redirect and follows the scheme-less Location to the leader', OPTIONS, async () => {
  const leader = await master();
  leader.answer = { leader: leader.server };
  const standby = await master({ leader: leader.server });
  const { detector: d, statuses } = detector(`${standby.hostPort},${leader.hostPort}`);
  assert.equal(d.status.state, 'idle');

  const found = await d.start();
  assert.equal(found.url, leader.url);
  assert.equal(found.hostname, '127.0.0.1');
  assert.equal(d.leader?.url, leader.url);
  assert.equal(d.status.state, 'leader');
  assert.match(d.status.message, new RegExp(`Leading master: ${leader.url} \\(named by ${standby.url}\\)`));
  assert.deepEqual(
    statuses.map((s) => s.state),
    ['connecting', 'leader'],
  );
  assert.equal(standby.server.requests.length, 1, 'one answer is enough');
  assert.equal(leader.server.requests.length, 0);
});

test('a master that knows no leader (503) is skipped for the next one', OPTIONS, async () => {
  const leader = await master();
  leader.answer = { leader: leader.server };
  const lost = await master({ status: 503, body: 'No leader elected' });
  const { detector: d } = detector(`${lost.url},${leader.url}`);
  assert.equal((await d.start()).url, leader.url);
  assert.equal(lost.server.requests.length, 1);
});

test(
  'while every master answers 503 there is no leader; the detector backs off and finds the one elected later',
  OPTIONS,
  async () => {
    const a = await master();
    const b = await master();
    const { detector: d, leaders, statuses } = detector(`${a.url},${b.url}`);
    const started = d.start();
    await eventually('the no-leader status', () => d.status.state === 'noLeader');
    assert.match(d.status.message, /No master knows a leader right now/);
    assert.equal(d.leader, undefined);
    await eventually('a few rounds of asking', () => a.server.requests.length >= 3);

    a.answer = { leader: b.server };
    b.answer = { leader: b.server };
    assert.equal((await started).url, b.url);
    assert.deepEqual(leaders, [b.url]);
    assert.ok(statuses.filter((s) => s.state === 'noLeader').length === 1, 'the same status is not repeated');
  },
);

test('suspect() checks again at once and reports the move to a new leader', OPTIONS, async () => {
  const a = await master();
  const b = await master();
  a.answer = { leader: a.server };
  b.answer = { leader: a.server };
  const { detector: d, leaders } = detector(`${a.url},${b.url}`);
  await d.start();
  assert.deepEqual(leaders, [a.url]);

  a.answer = { leader: b.server };
  b.answer = { leader: b.server };
  d.suspect('a call to the leader failed');
  await eventually('the new leader', () => d.leader?.url === b.url);
  assert.deepEqual(leaders, [a.url, b.url]);
  // The last known leader is asked first: it knows best who followed it.
  assert.equal(a.server.requests.length, 2);
});

test('checks again periodically while a leader is known', OPTIONS, async () => {
  const a = await master();
  const b = await master();
  a.answer = { leader: a.server };
  b.answer = { leader: a.server };
  const { detector: d, leaders } = detector(`${a.url},${b.url}`, { recheckIntervalMs: 20 });
  await d.start();
  a.answer = { leader: b.server };
  await eventually('the periodic check to see the move', () => d.leader?.url === b.url);
  assert.deepEqual(leaders, [a.url, b.url]);
});

test('when no master can be reached the status says so and the last leader is kept', OPTIONS, async () => {
  const a = await master();
  a.answer = { leader: a.server };
  const deadPort = await closedPort();
  const { detector: d, leaders } = detector(`${a.url},127.0.0.1:${deadPort}`);
  await d.start();
  await a.server.close();
  d.suspect('test');
  await eventually('the unreachable status', () => d.status.state === 'unreachable');
  assert.equal(d.leader?.url, a.url);
  assert.equal(d.status.leader?.url, a.url);
  assert.match(d.status.message, /Cannot reach any master/);
  assert.match(d.status.message, new RegExp(`Keeping ${a.url} as the leader`));
  assert.deepEqual(leaders, [a.url]);
});

test('masters that never answer leave start() waiting until its signal says stop', OPTIONS, async () => {
  const dead = await closedPort();
  const { detector: d } = detector(`127.0.0.1:${dead}`);
  await assert.rejects(d.start(AbortSignal.timeout(100)), (error: unknown) => {
    assert.ok(error instanceof LeaderDetectionError);
    assert.equal(error.code, 'timeout');
    assert.match(error.message, /Cannot reach any master/);
    return true;
  });
});

test('URLs that answer but are not Mesos masters fail detection with the reason', OPTIONS, async () => {
  const web = await master({ status: 404, body: '<html><title>Not Found</title></html>', contentType: 'text/html' });
  const { detector: d } = detector(web.url);
  await assert.rejects(d.start(), (error: unknown) => {
    assert.ok(error instanceof LeaderDetectionError);
    assert.equal(error.code, 'invalidMasterUrl');
    assert.match(error.reason, /answered \/master\/redirect as a Mesos master does/);
    assert.match(error.reason, /404/);
    return true;
  });
  assert.equal(d.status.state, 'failed');
});

test('close() stops checking: no socket, no timer; waiting callers are told', OPTIONS, async () => {
  const a = await master();
  const baseline = liveHandles();
  const { detector: d } = detector(a.url);
  const waiting = d.start();
  await eventually('the first answer', () => a.server.requests.length >= 1);
  const told = assert.rejects(
    waiting,
    (error: unknown) => error instanceof LeaderDetectionError && error.code === 'closed',
  );
  await d.close();
  await told;
  assert.equal(d.status.state, 'closed');
  const asked = a.server.requests.length;
  await a.server.allSocketsClosed();
  await eventually('handles to be released', () => {
    const now = liveHandles();
    return now.sockets <= baseline.sockets && now.timers <= baseline.timers;
  });
  assert.equal(a.server.requests.length, asked, 'nothing is asked after close()');
});

test('createLeaderDetector picks ZooKeeper for zk:// and HTTP for a list of masters', () => {
  const http = createLeaderDetector('m1:5050, https://m2:5050');
  assert.ok(http instanceof HttpLeaderDetector);
  assert.deepEqual(http.masters, ['http://m1:5050', 'https://m2:5050']);
  const zk = createLeaderDetector('zk://z1:2181,z2:2181/mesos');
  assert.ok(zk instanceof ZooKeeperLeaderDetector);
  assert.throws(() => createLeaderDetector('zk://z1:2181/mesos,http://m1:5050'), LeaderDetectionError);
  assert.throws(() => new HttpLeaderDetector('zk://z1:2181/mesos'), /HTTP master-list detector/);
});
