import * as assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { HttpStatusError } from '../../../src/core/http/errors';
import { MemorySink } from '../../../src/core/log/logSink';
import {
  MEDIA_TYPE,
  MesosDecodeError,
  masterEventCodec,
  masterResponseCodec,
  type MasterEvent,
  type WireEncoding,
} from '../../../src/core/mesos/codec/index';
import { MasterConnection } from '../../../src/core/mesos/connection/masterConnection';
import type { SubscriptionStatus } from '../../../src/core/mesos/connection/subscriptionStatus';
import { OperatorClient } from '../../../src/core/mesos/operator/operatorClient';
import { encodeRecord } from '../../../src/core/mesos/recordio/recordIoEncoder';
import { capturedTasks, FakeOperatorMaster } from './fakeOperatorMaster';
import { eventually } from './liveHandles';
import { ManualLeaderDetector } from './manualLeaderDetector';

const OPTIONS = { timeout: 10_000 };
const signal = () => new AbortController().signal;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(encoding: WireEncoding = 'json'): Promise<{ master: FakeOperatorMaster; client: OperatorClient }> {
  const master = await FakeOperatorMaster.start();
  const connection = new MasterConnection({
    masters: new ManualLeaderDetector({ url: master.url }),
    encoding,
    retry: { attempts: 2, initialMs: 5, maxMs: 10 },
    sink: new MemorySink(),
  });
  const client = new OperatorClient({ connection, backoff: { initialMs: 5, maxMs: 20 }, sink: new MemorySink() });
  cleanups.push(async () => {
    await client.close();
    await connection.close();
    await master.close();
  });
  return { master, client };
}

const captured = (type: string, encoding: WireEncoding) =>
  masterResponseCodec.decode(FakeOperatorMaster.answer(type, encoding), encoding);

for (const encoding of ['json', 'protobuf'] as const) {
  test(`GET_* calls in ${encoding} return the payloads a real 1.12 master sent`, OPTIONS, async () => {
    const { master, client } = await setup(encoding);
    const s = signal();

    const health = await client.getHealth(s);
    assert.equal(health.healthy, true);
    const version = await client.getVersion(s);
    assert.equal(version.version_info.version, '1.12.0');
    const metrics = await client.getMetrics(s);
    assert.deepEqual(metrics, captured('GET_METRICS', encoding).get_metrics);
    assert.deepEqual(
      metrics.metrics?.find((m) => m.name === 'master/elected'),
      { name: 'master/elected', value: 1 },
    );
    const state = await client.getState(s);
    assert.deepEqual(state, captured('GET_STATE', encoding).get_state);
    assert.equal(state.get_agents?.agents?.[0]?.agent_info.hostname, '127.0.0.1');
    assert.ok((state.get_frameworks?.frameworks ?? []).some((f) => f.framework_info.name === 'capture-framework'));
    const agents = await client.getAgents(s);
    assert.equal(agents.agents?.length, 1);
    assert.equal(agents.agents?.[0]?.version, '1.12.0');
    const frameworks = await client.getFrameworks(s);
    assert.deepEqual(frameworks, captured('GET_FRAMEWORKS', encoding).get_frameworks);
    const tasks = await client.getTasks(s);
    assert.deepEqual(tasks, captured('GET_TASKS', encoding).get_tasks);
    assert.ok((tasks.tasks ?? []).some((t) => t.task_id.value === 'capture-long'));
    const leader = await client.getMaster(s);
    assert.equal(leader.master_info?.port, 15050);
    assert.equal(client.v1Supported, true);

    const media = MEDIA_TYPE[encoding];
    assert.deepEqual(
      master.calls.map((c) => c.call.type),
      [
        'GET_HEALTH',
        'GET_VERSION',
        'GET_METRICS',
        'GET_STATE',
        'GET_AGENTS',
        'GET_FRAMEWORKS',
        'GET_TASKS',
        'GET_MASTER',
      ],
    );
    for (const { headers } of master.calls) {
      assert.equal(headers['content-type'], media);
      assert.equal(headers.accept, media);
    }
    if (encoding === 'json') {
      // Mesos refuses {"type":"GET_METRICS"}: the empty payload message must be on the wire.
      assert.equal(master.calls[2]?.text, '{"type":"GET_METRICS","get_metrics":{}}');
      assert.equal(master.calls[0]?.text, '{"type":"GET_HEALTH"}');
    }
  });
}

test('GET_METRICS with a timeout, and TEARDOWN with its framework id', OPTIONS, async () => {
  const { master, client } = await setup();
  await client.getMetrics(signal(), { timeoutMs: 5_000 });
  assert.deepEqual(master.calls[0]?.call.get_metrics, { timeout: { nanoseconds: 5_000_000_000 } });
  await client.teardown('fw-0011', signal());
  assert.deepEqual(master.calls[1]?.call, { type: 'TEARDOWN', teardown: { framework_id: { value: 'fw-0011' } } });
});

test('an answer of the wrong type is a decode error that names both types', OPTIONS, async () => {
  const { master, client } = await setup();
  master.override = (call, res) => {
    if (call.type !== 'GET_AGENTS') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(FakeOperatorMaster.answer('GET_HEALTH', 'json'));
    return true;
  };
  await assert.rejects(client.getAgents(signal()), (error: unknown) => {
    assert.ok(error instanceof MesosDecodeError);
    assert.equal(error.kind, 'wrong-type');
    assert.match(error.reason, /answered GET_AGENTS with a GET_HEALTH response/);
    return true;
  });
});

for (const encoding of ['json', 'protobuf'] as const) {
  test(
    `SUBSCRIBE in ${encoding} delivers the captured stream and subscribes again after the stream ends`,
    OPTIONS,
    async () => {
      const { master, client } = await setup(encoding);
      const records = FakeOperatorMaster.subscribeRecords(encoding);
      master.onSubscribe = (res, streamEncoding, attempt) => {
        for (const record of records) res.write(encodeRecord(record));
        if (attempt === 1) res.end();
      };
      const expected = records.map((record) => masterEventCodec.decode(record, encoding));
      const subscription = client.subscribe();
      const statuses: SubscriptionStatus[] = [];
      subscription.onStatusChange((status) => statuses.push(status));
      const events: MasterEvent[] = [];
      const reader = (async () => {
        for await (const event of subscription.events()) events.push(event);
      })();

      await subscription.whenSubscribed();
      await eventually('both subscriptions', () => events.length === 2 * expected.length);
      assert.deepEqual(events, [...expected, ...expected]);
      assert.deepEqual(
        events.map((e) => e.type),
        ['SUBSCRIBED', 'HEARTBEAT', 'TASK_UPDATED', 'SUBSCRIBED', 'HEARTBEAT', 'TASK_UPDATED'],
      );
      const snapshot = events[0]?.subscribed?.get_state;
      assert.ok((snapshot?.get_tasks?.tasks ?? []).some((t) => t.task_id.value === 'capture-long'));
      assert.equal(events[2]?.task_updated?.state, 'TASK_KILLED');
      assert.equal(master.subscribeAttempts, 2);
      assert.deepEqual(
        master.calls.map((c) => c.call.type),
        ['SUBSCRIBE', 'SUBSCRIBE'],
      );
      assert.ok(statuses.some((s) => s.state === 'reconnecting'));

      await client.close();
      await reader;
      assert.equal(subscription.status.state, 'closed');
    },
  );
}

test(
  'SUBSCRIBE on a master without the v1 API fails with the 404, and the client knows to fall back',
  OPTIONS,
  async () => {
    const { master, client } = await setup();
    master.v1 = false;
    const subscription = client.subscribe();
    await assert.rejects(
      subscription.whenSubscribed(),
      (error: unknown) => error instanceof HttpStatusError && error.status === 404,
    );
    assert.equal(subscription.status.state, 'failed');
    assert.equal(client.v1Supported, false);
  },
);

test(
  'without the v1 operator API, getClusterState reads the legacy /master/state, and keeps doing so',
  OPTIONS,
  async () => {
    const { master, client } = await setup();
    master.v1 = false;
    const first = await client.getClusterState(signal());
    assert.equal(first.source, 'legacy');
    assert.ok(first.source === 'legacy');
    assert.equal(first.state.version, '1.12.0');
    assert.equal(first.state.slaves[0]?.hostname, '127.0.0.1');
    assert.equal(first.state.slaves[0]?.resources.ports, '[31000-32000]');
    assert.equal(first.state.frameworks.length, 6);
    assert.equal(first.state.frameworks[0]?.tasks[0]?.state, 'TASK_RUNNING');
    assert.equal(first.state.leader_info?.port, 15050);
    assert.equal(client.v1Supported, false);

    const second = await client.getClusterState(signal());
    assert.equal(second.source, 'legacy');
    const asked = master.server.requests.map((r) => r.url);
    assert.deepEqual(asked, ['/api/v1', '/master/state', '/master/state']);
  },
);

test('getClusterState uses GET_STATE when the master has the v1 API', OPTIONS, async () => {
  const { client } = await setup();
  const state = await client.getClusterState(signal());
  assert.equal(state.source, 'v1');
  assert.ok(state.source === 'v1');
  assert.equal(state.state.get_agents?.agents?.length, 1);
});

test('/master/tasks is read page by page with limit, offset and order, each task once', OPTIONS, async () => {
  const { master, client } = await setup();
  const all = capturedTasks();
  const read: string[] = [];
  for await (const task of client.legacyTasks({ order: 'asc', pageSize: 5 }, signal())) read.push(task.id);
  const expected = [...all]
    .sort((a, b) => (a.statuses[0]?.timestamp ?? 0) - (b.statuses[0]?.timestamp ?? 0))
    .map((t) => t.id);
  assert.equal(all.length, 17);
  assert.deepEqual(read, expected);
  assert.deepEqual(
    master.taskPages.map((q) => [q.get('limit'), q.get('offset'), q.get('order')]),
    [
      ['5', '0', 'asc'],
      ['5', '5', 'asc'],
      ['5', '10', 'asc'],
      ['5', '15', 'asc'],
    ],
  );
});

test(
  '/master/tasks paging stops fetching when the consumer stops, and passes the framework filter',
  OPTIONS,
  async () => {
    const { master, client } = await setup();
    const frameworkId = '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0011';
    const read: string[] = [];
    for await (const task of client.legacyTasks({ frameworkId, pageSize: 1 }, signal())) {
      read.push(task.id);
      if (read.length === 1) break;
    }
    assert.deepEqual(read, ['capture-long'], 'newest first, as Mesos orders by default');
    assert.equal(master.taskPages.length, 1);
    assert.equal(master.taskPages[0]?.get('framework_id'), frameworkId);
    assert.equal(master.taskPages[0]?.get('order'), null, "Mesos's default order is left to Mesos");

    const everything: string[] = [];
    for await (const task of client.legacyTasks({ frameworkId, pageSize: 1 }, signal())) everything.push(task.id);
    assert.deepEqual(everything, ['capture-long', 'capture-short']);
  },
);
