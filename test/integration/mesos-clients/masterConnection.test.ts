import * as assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, test } from 'node:test';
import { ConnectionError, HttpStatusError, RequestAbortedError } from '../../../src/core/http/errors';
import { MemorySink } from '../../../src/core/log/logSink';
import { MasterConnection, type MasterConnectionOptions } from '../../../src/core/mesos/connection/masterConnection';
import { MasterRedirectLoopError } from '../../../src/core/mesos/connection/masterRedirectLoopError';
import { HttpLeaderDetector } from '../../../src/core/mesos/leader/httpLeaderDetector';
import { LeaderDetectionError } from '../../../src/core/mesos/leader/leaderDetectionError';
import { closedPort, type LoopbackServer, startLoopbackServer } from '../../support/loopbackServer';
import { eventually, liveHandles } from './liveHandles';
import { ManualLeaderDetector } from './manualLeaderDetector';

const OPTIONS = { timeout: 10_000 };
const signal = () => new AbortController().signal;
const BODY = '{"type":"GET_STATE"}';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(
  handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void,
): Promise<LoopbackServer> {
  const started = await startLoopbackServer(handler);
  cleanups.push(() => started.close());
  return started;
}

/** Answers 200 with what it received, so a test sees the method, path and body that arrived. */
const echo = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      method: req.method,
      url: req.url,
      contentType: req.headers['content-type'],
      body: body.toString(),
    }),
  );
};

/** A standby master: 307 to `target` with a scheme-less Location and the delegate-rewritten path. */
const redirectTo = (target: () => LoopbackServer) => (req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(307, { location: `//127.0.0.1:${target().port}/master${req.url ?? ''}` });
  res.end();
};

function connection(
  masters: MasterConnectionOptions['masters'],
  options: Partial<MasterConnectionOptions> = {},
): MasterConnection {
  const made = new MasterConnection({
    masters,
    encoding: 'json',
    retry: { attempts: 3, initialMs: 5, maxMs: 20 },
    sink: new MemorySink(),
    ...options,
  });
  cleanups.push(() => made.close());
  return made;
}

const post = (path = '/api/v1') => ({
  method: 'POST',
  path,
  body: BODY,
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  signal: signal(),
});

test(
  'a 307 with a scheme-less Location is followed with the same method and body, and the leader remembered',
  OPTIONS,
  async () => {
    const later: { leader?: LoopbackServer } = {};
    const standby = await server(redirectTo(() => later.leader as LoopbackServer));
    const leader = (later.leader = await server(echo));
    const detector = new ManualLeaderDetector({ url: standby.url });
    const made = connection(detector);
    const changes: unknown[] = [];
    made.onLeaderChange((change) => changes.push(change));

    const response = await made.request(post());
    assert.equal(response.master, leader.url);
    assert.deepEqual(JSON.parse(Buffer.from(response.body).toString()), {
      method: 'POST',
      url: '/master/api/v1',
      contentType: 'application/json',
      body: BODY,
    });
    assert.equal(made.leader, leader.url);
    assert.deepEqual(changes, [{ leader: leader.url, source: 'redirect' }]);

    await made.request(post());
    assert.equal(standby.requests.length, 1, 'the second request goes straight to the leader');
    assert.equal(leader.requests.length, 2);

    // Leader detection knows better than a remembered redirect once it moves.
    detector.moveTo(standby.url);
    assert.equal(made.leader, standby.url);
    assert.deepEqual(changes.at(-1), { leader: standby.url, source: 'detector' });
  },
);

test('a chain of redirects gives up after maxRedirects hops', OPTIONS, async () => {
  const chain: LoopbackServer[] = [];
  for (let i = 0; i < 5; i++) chain.push(await server(redirectTo(() => chain[i + 1] as LoopbackServer)));
  const made = connection(new ManualLeaderDetector({ url: chain[0]!.url }), { maxRedirects: 2 });
  await assert.rejects(made.request({ ...post(), retry: false }), (error: unknown) => {
    assert.ok(error instanceof MasterRedirectLoopError);
    assert.equal(error.cycle, false);
    assert.equal(error.hops.length, 4);
    assert.equal(error.hops[0], `${chain[0]!.url}/api/v1`);
    assert.equal(error.hops[3], `${chain[3]!.url}/master/master/master/api/v1`);
    assert.match(error.message, /redirected POST 3 times without an answer/);
    assert.equal(error.retryable, true);
    return true;
  });
  assert.equal(chain[3]!.requests.length, 0, 'the hop past the limit is not taken');
});

test('a redirect loop between two masters is retried with backoff, then reported with every hop', OPTIONS, async () => {
  const later: { b?: LoopbackServer } = {};
  const a = await server(redirectTo(() => later.b as LoopbackServer));
  const b = (later.b = await server(redirectTo(() => a)));
  const made = connection(new ManualLeaderDetector({ url: a.url }), {
    retry: { attempts: 2, initialMs: 5, maxMs: 10 },
  });
  await assert.rejects(made.request(post()), (error: unknown) => {
    assert.ok(error instanceof MasterRedirectLoopError);
    assert.equal(error.cycle, true);
    assert.match(error.message, /in a circle/);
    return true;
  });
  assert.equal(a.requests.length + b.requests.length, 6, 'three tries of two hops each');
});

test('503 is retried with backoff until the master answers; a 503 that lasts is reported', OPTIONS, async () => {
  let unavailable = 2;
  const recovering = await server((req, res, body) => {
    if (unavailable-- > 0) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('Master has not finished recovery');
    }
    echo(req, res, body);
  });
  const made = connection(new ManualLeaderDetector({ url: recovering.url }));
  const response = await made.request(post());
  assert.equal(response.status, 200);
  assert.equal(recovering.requests.length, 3);

  unavailable = 100;
  await assert.rejects(made.request(post()), (error: unknown) => {
    assert.ok(error instanceof HttpStatusError);
    assert.equal(error.status, 503);
    assert.equal(error.reason, 'Master has not finished recovery');
    return true;
  });
  assert.equal(recovering.requests.length, 3 + 4, 'the first try and three retries');
});

test(
  'a refused connection makes the detector look again, and the request goes to the leader it finds',
  OPTIONS,
  async () => {
    const live = await server(echo);
    const detector = new ManualLeaderDetector({ url: `http://127.0.0.1:${await closedPort()}` });
    detector.suspect = (reason) => {
      detector.suspicions.push(reason ?? '');
      detector.moveTo(live.url);
    };
    const made = connection(detector);
    const response = await made.request(post());
    assert.equal(response.master, live.url);
    assert.match(detector.suspicions[0] ?? '', /failed/);
  },
);

test('a write whose connection broke after sending is not repeated unless it is idempotent', OPTIONS, async () => {
  let breakNext = true;
  const flaky = await server((req, res, body) => {
    if (breakNext) {
      breakNext = false;
      return void req.socket.destroy();
    }
    echo(req, res, body);
  });
  const made = connection(new ManualLeaderDetector({ url: flaky.url }));
  await assert.rejects(
    made.request(post()),
    (error: unknown) => error instanceof ConnectionError && error.kind === 'reset',
  );
  assert.equal(flaky.requests.length, 1);

  breakNext = true;
  const response = await made.request({ ...post(), idempotent: true });
  assert.equal(response.status, 200);
  assert.equal(flaky.requests.length, 3);
});

test('a request pinned to one master does not follow redirects', OPTIONS, async () => {
  const leader = await server(echo);
  const standby = await server(redirectTo(() => leader));
  const made = connection(new ManualLeaderDetector({ url: leader.url }));
  await assert.rejects(made.request({ ...post(), master: standby.url }), (error: unknown) => {
    assert.ok(error instanceof HttpStatusError);
    assert.equal(error.status, 307);
    assert.equal(error.redirectTo, `${leader.url}/master/api/v1`);
    return true;
  });
  assert.equal(leader.requests.length, 0);
});

test("without a leader a request waits leaderTimeoutMs, then fails with the detector's status", OPTIONS, async () => {
  const detector = new ManualLeaderDetector(undefined);
  detector.moveTo(undefined);
  const made = connection(detector, { leaderTimeoutMs: 50 });
  await assert.rejects(made.request(post()), (error: unknown) => {
    assert.ok(error instanceof LeaderDetectionError);
    assert.equal(error.code, 'timeout');
    assert.match(error.message, /no leader/);
    return true;
  });
});

test(
  'from a list of master URLs it finds the leader over HTTP; close() closes every endpoint and the detector',
  OPTIONS,
  async () => {
    const later: { leader?: LoopbackServer } = {};
    const handler = (target: () => LoopbackServer) => (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
      if (req.url === '/master/redirect') {
        res.writeHead(307, { location: `//127.0.0.1:${target().port}` });
        return void res.end();
      }
      echo(req, res, body);
    };
    const standby = await server(handler(() => later.leader as LoopbackServer));
    const leader = (later.leader = await server(handler(() => later.leader as LoopbackServer)));
    const baseline = liveHandles();
    const made = new MasterConnection({ masters: [standby.url, leader.url], encoding: 'json' });
    assert.ok(made.detector instanceof HttpLeaderDetector);
    const response = await made.request(post());
    assert.equal(response.master, leader.url);
    assert.deepEqual(
      leader.requests.map((r) => r.url),
      ['/api/v1'],
    );
    await made.close();
    assert.equal(made.detector.status.state, 'closed');
    await assert.rejects(made.request(post()), RequestAbortedError);
    await Promise.all([standby.allSocketsClosed(), leader.allSocketsClosed()]);
    await eventually('sockets and timers to be released', () => {
      const now = liveHandles();
      return now.sockets <= baseline.sockets && now.timers <= baseline.timers;
    });
  },
);
