import * as assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { ConnectionError, HttpStatusError } from '../../../src/core/http/errors';
import { MemorySink } from '../../../src/core/log/logSink';
import {
  MesosDecodeError,
  MesosEncodeError,
  schedulerEventCodec,
  type FrameworkInfo,
  type SchedulerEvent,
  type WireEncoding,
} from '../../../src/core/mesos/codec/index';
import { MasterConnection } from '../../../src/core/mesos/connection/masterConnection';
import { MasterRedirectLoopError } from '../../../src/core/mesos/connection/masterRedirectLoopError';
import type { SubscriptionStatus } from '../../../src/core/mesos/connection/subscriptionStatus';
import { SubscriptionStreamError } from '../../../src/core/mesos/connection/subscriptionStreamError';
import { encodeRecord } from '../../../src/core/mesos/recordio/recordIoEncoder';
import { RecordIOError } from '../../../src/core/mesos/recordio/recordIoError';
import { SchedulerCallError } from '../../../src/core/mesos/scheduler/schedulerCallError';
import { SchedulerClient, type SchedulerClientOptions } from '../../../src/core/mesos/scheduler/schedulerClient';
import { SchedulerSubscriptionError } from '../../../src/core/mesos/scheduler/schedulerSubscriptionError';
import { capture, jsonRecords, recordIoRecords } from './captures';
import { FakeSchedulerMaster } from './fakeSchedulerMaster';
import { eventually, liveHandles } from './liveHandles';
import { ManualLeaderDetector } from './manualLeaderDetector';

const OPTIONS = { timeout: 10_000 };
const FRAMEWORK: FrameworkInfo = {
  user: 'jenkins',
  name: 'mesos-ops-test',
  principal: 'ops',
  failover_timeout: 604800,
  checkpoint: true,
  capabilities: [{ type: 'MULTI_ROLE' }],
  roles: ['ci'],
};
const SECRET = 's3cret-Value-that-must-not-be-logged';
const signal = () => new AbortController().signal;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startMaster(): Promise<FakeSchedulerMaster> {
  const master = await FakeSchedulerMaster.start();
  cleanups.push(() => master.close());
  return master;
}

interface Setup {
  client: SchedulerClient;
  connection: MasterConnection;
  sink: MemorySink;
  problems: Error[];
  statuses: SubscriptionStatus[];
}

function setup(
  masters: MasterConnection['detector'] | string[],
  options: { encoding?: WireEncoding; client?: Partial<SchedulerClientOptions>; retryAttempts?: number } = {},
): Setup {
  const sink = new MemorySink();
  const connection = new MasterConnection({
    masters,
    encoding: options.encoding ?? 'json',
    endpoint: { auth: { principal: 'ops', secret: SECRET } },
    retry: { attempts: options.retryAttempts ?? 3, initialMs: 5, maxMs: 20 },
    detector: { http: { retryInitialMs: 5, retryMaxMs: 20, minRecheckMs: 0 } },
    sink,
  });
  const client = new SchedulerClient({
    connection,
    sink,
    backoff: { initialMs: 5, maxMs: 40 },
    ...options.client,
  });
  const problems: Error[] = [];
  const statuses: SubscriptionStatus[] = [];
  client.onProblem((error) => problems.push(error));
  client.onStatusChange((status) => statuses.push(status));
  cleanups.push(async () => {
    await client.close();
    await connection.close();
  });
  return { client, connection, sink, problems, statuses };
}

function collect(client: SchedulerClient): SchedulerEvent[] {
  const events: SchedulerEvent[] = [];
  client.onEvent((event) => events.push(event));
  return events;
}

for (const encoding of ['json', 'protobuf'] as const) {
  test(
    `SUBSCRIBE in ${encoding}: exact media types, no stream id, and the captured 1.12 stream arrives in order`,
    OPTIONS,
    async () => {
      const master = await startMaster();
      const records =
        encoding === 'json'
          ? jsonRecords('scheduler-subscribe-json.recordio.txt')
          : recordIoRecords('scheduler-subscribe-protobuf.recordio');
      const expected = records.map((record) => schedulerEventCodec.decode(record, encoding));
      const capturedId = expected[0]?.subscribed?.framework_id.value;
      assert.ok(capturedId);
      master.assignFrameworkId = capturedId;
      master.onSubscribe = (stream) => {
        // Chunks that cut records in odd places, as proxies re-chunk freely.
        const wire =
          encoding === 'json'
            ? Buffer.concat(records.map((r) => encodeRecord(r)))
            : capture('scheduler-subscribe-protobuf.recordio');
        for (let at = 0; at < wire.length; at += 97) stream.sendRaw(wire.subarray(at, at + 97));
      };
      const { client } = setup([master.url], { encoding });
      const events = collect(client);

      const subscribed = await client.subscribe(FRAMEWORK);
      assert.equal(subscribed.frameworkId, capturedId);
      assert.equal(subscribed.streamId, 'stream-1');
      assert.equal(subscribed.master, master.url);
      assert.equal(subscribed.heartbeatIntervalSeconds, 15);
      assert.equal(subscribed.masterInfo?.version, '1.12.0');
      assert.equal(client.frameworkId, capturedId);
      assert.equal(client.streamId, 'stream-1');
      assert.equal(client.status.state, 'subscribed');

      await eventually('every captured event', () => events.length === expected.length);
      assert.deepEqual(events, expected);
      assert.deepEqual(
        events.map((e) => e.type),
        encoding === 'json'
          ? ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS', 'UPDATE', 'UPDATE', 'UPDATE', 'UPDATE', 'UPDATE']
          : ['SUBSCRIBED', 'HEARTBEAT', 'OFFERS', 'UPDATE', 'UPDATE', 'UPDATE', 'OFFERS'],
      );

      const stream = await master.stream(1);
      const mediaType = encoding === 'json' ? 'application/json' : 'application/x-protobuf';
      assert.equal(stream.headers['content-type'], mediaType);
      assert.equal(stream.headers.accept, mediaType);
      assert.equal(stream.headers['mesos-stream-id'], undefined);
      assert.equal(stream.call.framework_id, undefined);
      assert.equal(stream.call.subscribe?.framework_info.id, undefined);
      assert.equal(stream.call.subscribe?.framework_info.name, FRAMEWORK.name);
    },
  );

  test(
    `calls in ${encoding} carry Mesos-Stream-Id and framework_id and succeed on 202 (200 for UPDATE_FRAMEWORK)`,
    OPTIONS,
    async () => {
      const master = await startMaster();
      const { client, sink } = setup([master.url], { encoding });
      await client.subscribe(FRAMEWORK);

      await client.decline({ offer_ids: [{ value: 'offer-1' }], filters: { refuse_seconds: 120 } }, signal());
      await client.acknowledge(
        { agent_id: { value: 'agent-1' }, task_id: { value: 'task-1' }, uuid: 'NsCqNnhZRE+5BQU46ZB3jA==' },
        signal(),
      );
      await client.reconcile({ tasks: [] }, signal());
      await client.suppress({}, signal());
      await client.updateFramework({ ...FRAMEWORK, name: 'renamed' }, {}, signal());

      assert.deepEqual(
        master.calls.map((c) => [c.call.type, c.status]),
        [
          ['DECLINE', 202],
          ['ACKNOWLEDGE', 202],
          ['RECONCILE', 202],
          ['SUPPRESS', 202],
          ['UPDATE_FRAMEWORK', 200],
        ],
      );
      for (const { call, headers } of master.calls) {
        assert.equal(headers['mesos-stream-id'], 'stream-1');
        assert.equal(headers['content-type'], encoding === 'json' ? 'application/json' : 'application/x-protobuf');
        assert.equal(headers.authorization, `Basic ${Buffer.from(`ops:${SECRET}`).toString('base64')}`);
        assert.deepEqual(call.framework_id, { value: 'fw-0001' });
      }
      assert.equal(master.calls[1]?.call.acknowledge?.uuid, 'NsCqNnhZRE+5BQU46ZB3jA==');
      assert.equal(master.calls[0]?.call.decline?.filters?.refuse_seconds, 120);
      assert.equal(master.calls[4]?.call.update_framework?.framework_info.id?.value, 'fw-0001');
      assert.equal(master.calls[4]?.call.update_framework?.framework_info.name, 'renamed');
      assert.ok(!sink.text().includes(SECRET), 'the secret must never reach the log');
    },
  );
}

test(
  "a call is refused with Mesos's reason as a typed error; a wrong success status is an error too",
  OPTIONS,
  async () => {
    const master = await startMaster();
    const { client } = setup([master.url]);
    const before = client.kill({ task_id: { value: 't' } }, signal());
    await assert.rejects(before, (error: unknown) => {
      assert.ok(error instanceof SchedulerCallError);
      assert.equal(error.kind, 'not-subscribed');
      assert.equal(error.callType, 'KILL');
      return true;
    });
    assert.equal(master.calls.length, 0, 'nothing is sent without a subscription');

    await client.subscribe(FRAMEWORK);
    master.answerCall = (call) =>
      call.type === 'ACKNOWLEDGE'
        ? { status: 400, body: "Failed to validate scheduler::Call: Expecting 'uuid' to be 16 bytes" }
        : call.type === 'DECLINE'
          ? { status: 200 }
          : undefined;
    await assert.rejects(
      client.acknowledge({ agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: 'AAAA' }, signal()),
      (error: unknown) => {
        assert.ok(error instanceof SchedulerCallError);
        assert.equal(error.kind, 'refused');
        assert.equal(error.status, 400);
        assert.equal(error.reason, "Failed to validate scheduler::Call: Expecting 'uuid' to be 16 bytes");
        assert.equal(error.master, master.url);
        assert.match(error.message, /refused the ACKNOWLEDGE call .* with 400: Failed to validate/);
        assert.ok(error.cause instanceof HttpStatusError);
        return true;
      },
    );
    await assert.rejects(client.decline({ offer_ids: [{ value: 'o' }] }, signal()), (error: unknown) => {
      assert.ok(error instanceof SchedulerCallError);
      assert.equal(error.kind, 'unexpected-status');
      assert.equal(error.status, 200);
      return true;
    });
    // The master's own check of the stream id, reached by a call with a stale one.
    master.answerCall = undefined;
    (master.streams[0] as { streamId: string }).streamId = 'stream-replaced';
    await assert.rejects(client.revive({}, signal()), (error: unknown) => {
      assert.ok(error instanceof SchedulerCallError);
      assert.equal(error.status, 400);
      assert.match(error.reason, /didn't match the stream ID/);
      assert.equal(error.retryable, true);
      return true;
    });
  },
);

test(
  'a 307 with a scheme-less Location moves SUBSCRIBE and every call to the leader, which is remembered',
  OPTIONS,
  async () => {
    const standby = await startMaster();
    const leader = await startMaster();
    standby.redirectTo = leader.url;
    const detector = new ManualLeaderDetector({ url: standby.url });
    const { client, connection } = setup(detector);
    const changes: unknown[] = [];
    connection.onLeaderChange((change) => changes.push(change));

    const subscribed = await client.subscribe(FRAMEWORK);
    assert.equal(subscribed.master, leader.url);
    assert.equal(client.master, leader.url);
    assert.equal(connection.leader, leader.url);
    assert.deepEqual(changes, [{ leader: leader.url, source: 'redirect' }]);
    assert.equal((await leader.stream(1)).call.subscribe?.framework_info.name, FRAMEWORK.name);
    assert.ok(
      detector.suspicions.some((s) => s.includes(leader.url)),
      'the detector is told to look again',
    );

    await client.revive({ roles: ['ci'] }, signal());
    assert.equal(leader.calls.length, 1);
    assert.deepEqual(leader.calls[0]?.call.revive, { roles: ['ci'] });
    assert.equal(
      standby.server.requests.filter((r) => r.url.includes('scheduler')).length,
      1,
      'only the first request went to the standby',
    );
  },
);

test(
  'a redirect loop between two masters gives up with a clear error, and the subscription keeps trying',
  OPTIONS,
  async () => {
    const a = await startMaster();
    const b = await startMaster();
    a.redirectTo = b.url;
    b.redirectTo = a.url;
    const { client, statuses } = setup(new ManualLeaderDetector({ url: a.url }), { retryAttempts: 1 });
    void client.subscribe(FRAMEWORK).catch(() => undefined);
    await eventually('a reconnect after the loop', () => statuses.some((s) => s.state === 'reconnecting'));
    const status = statuses.find((s) => s.state === 'reconnecting');
    assert.ok(status?.state === 'reconnecting');
    assert.ok(status.error instanceof MasterRedirectLoopError, `got ${String(status.error)}`);
    assert.equal(status.error.cycle, true);
    assert.match(status.error.message, /redirected POST in a circle/);
    assert.ok(status.error.hops.length >= 3);
    assert.ok(status.error.hops.every((hop) => hop.startsWith(a.url) || hop.startsWith(b.url)));
    assert.ok(status.nextAttemptAt >= Date.now() - 1000);
  },
);

test(
  '503 "Master has not finished recovery" is retried with backoff until the master subscribes',
  OPTIONS,
  async () => {
    const master = await startMaster();
    master.beforeSubscribe = (res, attempt) => {
      if (attempt > 2) return false;
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Master has not finished recovery');
      return true;
    };
    const { client } = setup([master.url]);
    const subscribed = await client.subscribe(FRAMEWORK);
    assert.equal(subscribed.frameworkId, 'fw-0001');
    assert.equal(master.subscribeRequests, 3);
  },
);

test('a refused SUBSCRIBE (401) ends the subscription with that error instead of retrying', OPTIONS, async () => {
  const master = await startMaster();
  master.beforeSubscribe = (res) => {
    res.writeHead(401, { 'www-authenticate': 'Basic realm="mesos-master-scheduler"' });
    res.end();
    return true;
  };
  const { client, statuses } = setup([master.url]);
  await assert.rejects(
    client.subscribe(FRAMEWORK),
    (error: unknown) => error instanceof HttpStatusError && error.status === 401,
  );
  assert.equal(client.status.state, 'failed');
  assert.ok(!statuses.some((s) => s.state === 'reconnecting'));
  await client.close();
  assert.equal(master.subscribeRequests, 1);
});

for (const cut of ['ends', 'breaks'] as const) {
  test(
    `a stream that ${cut} mid-record is subscribed again with the framework id (failover), and calls use the new stream id`,
    OPTIONS,
    async () => {
      const master = await startMaster();
      const defaultSubscribe = master.onSubscribe;
      master.onSubscribe = (stream) => {
        defaultSubscribe(stream);
        if (stream.attempt > 1) return;
        stream.sendRaw('120\n{"type":"OFFERS","offers":{"off');
        setImmediate(() => (cut === 'ends' ? stream.end() : stream.destroy()));
      };
      const { client, problems, statuses } = setup([master.url]);
      await client.subscribe(FRAMEWORK);
      const second = await master.stream(2);
      await eventually('the second subscription', () => client.streamId === 'stream-2');

      assert.deepEqual(second.call.framework_id, { value: 'fw-0001' });
      assert.deepEqual(second.call.subscribe?.framework_info.id, { value: 'fw-0001' });
      assert.equal(second.headers['mesos-stream-id'], undefined);
      const problem = problems[0];
      if (cut === 'ends') {
        assert.ok(problem instanceof RecordIOError, `got ${String(problem)}`);
        assert.equal(problem.kind, 'truncated');
      } else {
        assert.ok(problem instanceof ConnectionError || problem instanceof RecordIOError, `got ${String(problem)}`);
      }
      assert.deepEqual(
        statuses.map((s) => s.state),
        ['connecting', 'subscribed', 'reconnecting', 'connecting', 'subscribed'],
      );

      await client.kill({ task_id: { value: 'task-1' } }, signal());
      assert.equal(master.calls.at(-1)?.headers['mesos-stream-id'], 'stream-2');
      assert.equal(master.calls.at(-1)?.status, 202);
    },
  );
}

test(
  'stalled heartbeats trip the watchdog (interval from SUBSCRIBED) and the client subscribes again',
  OPTIONS,
  async () => {
    const master = await startMaster();
    master.heartbeatSeconds = 0.02;
    master.onSubscribe = (stream) => {
      stream.send({
        type: 'SUBSCRIBED',
        subscribed: { framework_id: { value: stream.frameworkId }, heartbeat_interval_seconds: 0.02 },
      });
      // ...and then nothing, as a half-open connection looks.
    };
    const { client, problems } = setup([master.url], { client: { watchdog: { missedHeartbeats: 3 } } });
    await client.subscribe(FRAMEWORK);
    const second = await master.stream(2);
    assert.deepEqual(second.call.framework_id, { value: 'fw-0001' });
    const problem = problems[0];
    assert.ok(problem instanceof SubscriptionStreamError, `got ${String(problem)}`);
    assert.equal(problem.kind, 'heartbeat-missed');
    assert.match(problem.message, /for 60 ms \(3 heartbeats\)/);
    await eventually('the silent stream to be dropped', () => master.streams[0]?.closed === true);
  },
);

test('heartbeats that keep coming keep the stream', OPTIONS, async () => {
  const master = await startMaster();
  const { client } = setup([master.url], { client: { watchdog: { heartbeatIntervalMs: 50, missedHeartbeats: 4 } } });
  await client.subscribe(FRAMEWORK);
  const stream = await master.stream(1);
  for (let beat = 0; beat < 30; beat++) {
    stream.send({ type: 'HEARTBEAT' });
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(master.streams.length, 1);
  assert.equal(client.status.state, 'subscribed');
});

test('ERROR "Framework has been removed" ends the subscription: surfaced, not resubscribed', OPTIONS, async () => {
  const master = await startMaster();
  master.onSubscribe = (stream) => {
    stream.send({ type: 'ERROR', error: { message: 'Framework has been removed' } });
    stream.end();
  };
  const { client } = setup([master.url], { client: { frameworkId: 'fw-dead' } });
  const events = collect(client);
  await assert.rejects(client.subscribe(FRAMEWORK), (error: unknown) => {
    assert.ok(error instanceof SchedulerSubscriptionError);
    assert.equal(error.kind, 'framework-removed');
    assert.equal(error.frameworkRemoved, true);
    assert.equal(error.frameworkId, 'fw-dead');
    assert.equal(error.mesosMessage, 'Framework has been removed');
    return true;
  });
  const first = await master.stream(1);
  assert.deepEqual(first.call.framework_id, { value: 'fw-dead' }, 'a stored id is used from the first SUBSCRIBE');
  assert.deepEqual(first.call.subscribe?.framework_info.id, { value: 'fw-dead' });
  assert.deepEqual(
    events.map((e) => e.type),
    ['ERROR'],
  );
  assert.equal(client.status.state, 'failed');
  await client.close();
  assert.equal(master.subscribeRequests, 1);
});

test('ERROR "Framework failed over" after SUBSCRIBED ends an events() iteration with the error', OPTIONS, async () => {
  const master = await startMaster();
  const defaultSubscribe = master.onSubscribe;
  master.onSubscribe = (stream) => {
    defaultSubscribe(stream);
    setImmediate(() => stream.send({ type: 'ERROR', error: { message: 'Framework failed over' } }));
  };
  const { client } = setup([master.url]);
  const iterator = client.events();
  const seen: string[] = [];
  await client.subscribe(FRAMEWORK);
  await assert.rejects(
    (async () => {
      for await (const event of iterator) seen.push(event.type ?? '');
    })(),
    (error: unknown) => error instanceof SchedulerSubscriptionError && error.kind === 'failed-over',
  );
  assert.deepEqual(seen, ['SUBSCRIBED', 'HEARTBEAT', 'ERROR']);
});

test(
  'a malformed record is surfaced as a decode error, the connection dropped and the framework resubscribed',
  OPTIONS,
  async () => {
    const master = await startMaster();
    const defaultSubscribe = master.onSubscribe;
    master.onSubscribe = (stream) => {
      defaultSubscribe(stream);
      if (stream.attempt === 1) stream.sendRaw(encodeRecord('{"type":"OFFERS","offers":{"offers":[{"id":42}]}}'));
    };
    const { client, problems } = setup([master.url]);
    const events = collect(client);
    await client.subscribe(FRAMEWORK);
    await master.stream(2);
    await eventually('the second subscription', () => client.streamId === 'stream-2');
    const problem = problems[0];
    assert.ok(problem instanceof MesosDecodeError, `got ${String(problem)}`);
    assert.equal(problem.encoding, 'json');
    assert.ok(master.streams[0]?.closed, 'the connection with the bad record is dropped');
    assert.deepEqual(
      events.map((e) => e.type),
      ['SUBSCRIBED', 'HEARTBEAT', 'SUBSCRIBED', 'HEARTBEAT'],
    );
  },
);

test(
  'a consumer that awaits its own work never holds up the stream, and reads every event in order',
  OPTIONS,
  async () => {
    const master = await startMaster();
    const { client } = setup([master.url]);
    const heard: SchedulerEvent[] = [];
    client.onEvent((event) => heard.push(event));
    const iterator = client.events();
    await client.subscribe(FRAMEWORK);
    const stream = await master.stream(1);
    for (let i = 0; i < 50; i++) stream.send({ type: 'RESCIND', rescind: { offer_id: { value: `offer-${i}` } } });

    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const read: string[] = [];
    const consumer = (async () => {
      for await (const event of iterator) {
        if (read.length === 0) await blocked;
        read.push(event.rescind?.offer_id.value ?? event.type ?? '');
        if (read.length === 52) break;
      }
    })();
    // While the consumer is stuck on its first event, the stream is still read and calls still go out.
    await eventually('all events heard', () => heard.length === 52);
    await client.decline({ offer_ids: [{ value: 'offer-0' }] }, signal());
    release();
    await consumer;
    assert.deepEqual(read, ['SUBSCRIBED', 'HEARTBEAT', ...Array.from({ length: 50 }, (_, i) => `offer-${i}`)]);
  },
);

test(
  'when leader detection moves to another master the client resubscribes there with its framework id',
  OPTIONS,
  async () => {
    const first = await startMaster();
    const second = await startMaster();
    const detector = new ManualLeaderDetector({ url: first.url });
    const { client } = setup(detector);
    await client.subscribe(FRAMEWORK);
    assert.equal(client.master, first.url);

    detector.moveTo(second.url);
    const moved = await second.stream(1);
    assert.deepEqual(moved.call.framework_id, { value: 'fw-0001' });
    assert.deepEqual(moved.call.subscribe?.framework_info.id, { value: 'fw-0001' });
    await eventually(
      'the subscription on the new leader',
      () => client.master === second.url && client.status.state === 'subscribed',
    );
    assert.equal(first.streams.length, 1);
    await eventually('the old stream to close', () => first.streams[0]?.closed === true);
  },
);

test('close() aborts the stream and ends iterators, leaving no socket and no timer', OPTIONS, async () => {
  const master = await startMaster();
  const baseline = liveHandles();
  const { client, connection } = setup([master.url], { client: { watchdog: { heartbeatIntervalMs: 10_000 } } });
  const seen: string[] = [];
  const consumer = (async () => {
    for await (const event of client.events()) seen.push(event.type ?? '');
  })();
  await client.subscribe(FRAMEWORK);
  await eventually('the heartbeat', () => seen.length === 2);
  assert.ok(liveHandles().sockets > baseline.sockets);

  await client.close();
  await consumer; // the iteration ends instead of waiting forever
  assert.deepEqual(seen, ['SUBSCRIBED', 'HEARTBEAT']);
  assert.equal(client.status.state, 'closed');
  assert.equal(client.streamId, undefined);
  await assert.rejects(client.kill({ task_id: { value: 't' } }, signal()), SchedulerCallError);
  await connection.close();
  await master.server.allSocketsClosed();
  await eventually('sockets and timers to be released', () => {
    const now = liveHandles();
    return now.sockets <= baseline.sockets && now.timers <= baseline.timers;
  });
});

test('an aborted subscribe signal closes the subscription', OPTIONS, async () => {
  const master = await startMaster();
  const { client } = setup([master.url]);
  const controller = new AbortController();
  await client.subscribe(FRAMEWORK, { signal: controller.signal });
  controller.abort();
  await eventually('the subscription to close', () => client.status.state === 'closed');
  await eventually('the stream to close on the master', () => master.streams[0]?.closed === true);
});

test(
  'a FrameworkInfo Mesos would refuse fails the subscription at once, before anything is sent',
  OPTIONS,
  async () => {
    const master = await startMaster();
    const { client } = setup([master.url]);
    const broken = { name: 'no user' } as FrameworkInfo;
    await assert.rejects(client.subscribe(broken), (error: unknown) => {
      assert.ok(error instanceof MesosEncodeError);
      assert.match(error.message, /user/);
      return true;
    });
    assert.equal(client.status.state, 'failed');
    assert.equal(master.subscribeRequests, 0);
  },
);
