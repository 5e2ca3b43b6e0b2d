import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { masterResponseCodec } from '../../../src/core/mesos/codec';
import { compareShapes, describeDifference, shapeOf } from './jsonShape';
import {
  fixtureJson,
  httpGet,
  operatorPost,
  operatorSubscribe,
  playCaptureStory,
  startMasterTestBed,
  type CaptureStory,
  type MasterTestBed,
} from './masterTestBed';

// The legacy JSON endpoints (reference §7) against what a real 1.12 master answered: same keys, nesting
// and JSON types (maps such as flags and attributes compared by their values' shape only), and the
// query parameters, paging, ordering and errors of each endpoint.

/** Objects whose keys are data (flag names, attribute names, reservation roles). */
const MAPS = ['flags', 'attributes', 'reserved_resources', 'reserved_resources_full'];

function assertSameShape(actual: unknown, expected: unknown, optional: readonly string[] = []): void {
  const message = describeDifference(compareShapes(shapeOf(actual, MAPS), shapeOf(expected, MAPS), optional));
  assert.equal(message, undefined, message);
}

async function getJson<T = unknown>(url: string): Promise<T> {
  const res = await httpGet(url);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['content-type'], 'application/json');
  return JSON.parse(res.text) as T;
}

// Just what the assertions below read of the legacy documents.
interface LegacyStatus {
  state: string;
  message?: string;
  uuid?: string;
  container_status: { executor_pid?: number };
}
interface LegacyTask {
  id: string;
  state: string;
  executor_id: string;
  slave_id: string;
  role: string;
  statuses: LegacyStatus[];
}
interface LegacyFramework {
  id: string;
  role?: string;
  active: boolean;
  failover_timeout: number;
  registered_time: number;
  unregistered_time: number;
  tasks: LegacyTask[];
  completed_tasks: LegacyTask[];
  TASK_RUNNING?: number;
  slave_ids?: string[];
}
interface LegacyAgent {
  id: string;
  resources: Record<string, number | string>;
  used_resources: Record<string, number | string>;
  unreserved_resources_full: { name: string; role: string }[];
  TASK_RUNNING?: number;
  TASK_FINISHED?: number;
  TASK_KILLED?: number;
  framework_ids?: string[];
}
interface LegacyState {
  activated_slaves: number;
  leader: string;
  leader_info: { port: number };
  start_time: number;
  slaves: LegacyAgent[];
  frameworks: LegacyFramework[];
  completed_frameworks: LegacyFramework[];
}
interface LegacyRole {
  name: string;
  weight: number;
  allocated: Record<string, number>;
  frameworks: string[];
  quota: Record<string, unknown>;
}

describe('legacy endpoints: shapes of a real 1.12 master', () => {
  let bed: MasterTestBed;
  before(async () => {
    bed = await startMasterTestBed();
    playCaptureStory(bed);
  });
  after(async () => bed.close());

  const captured: [string, string][] = [
    ['/master/state', 'master-state.json'],
    ['/master/state-summary', 'master-state-summary.json'],
    ['/master/frameworks', 'master-frameworks.json'],
    ['/master/slaves', 'master-slaves.json'],
    ['/version', 'version.json'],
  ];
  for (const [path, fixture] of captured) {
    test(`${path} has the keys, nesting and types of ${fixture}`, async () => {
      assertSameShape(await getJson(`${bed.url}${path}`), fixtureJson(fixture));
    });
  }

  test('/state and /state.json are /master/state (the master process is the delegate)', async () => {
    const state = await getJson(`${bed.url}/master/state`);
    assert.deepEqual(await getJson(`${bed.url}/state`), state);
    assert.deepEqual(await getJson(`${bed.url}/master/state.json`), state);
  });
});

describe('legacy endpoints: content', () => {
  let bed: MasterTestBed;
  let story: CaptureStory;
  before(async () => {
    bed = await startMasterTestBed();
    story = playCaptureStory(bed);
  });
  after(async () => bed.close());

  test('/master/state: times in seconds, resources as summaries, tasks by framework', async () => {
    const state = await getJson<LegacyState>(`${bed.url}/master/state`);
    assert.equal(state.activated_slaves, 1);
    assert.equal(state.leader, `master@127.0.0.1:${new URL(bed.url).port}`);
    assert.equal(state.leader_info.port, Number(new URL(bed.url).port));
    assert.equal(state.start_time, bed.master.startTime);
    const slave = state.slaves[0]!;
    assert.equal(slave.id, story.agent.id);
    assert.deepEqual(slave.resources, { cpus: 4, gpus: 0, mem: 4096, disk: 10000, ports: '[31000-32000]' });
    assert.deepEqual(slave.used_resources, { cpus: 0.1, gpus: 0, mem: 32, disk: 0 });
    const framework = state.frameworks[0]!;
    assert.equal(framework.id, story.framework.id);
    assert.equal(framework.role, '*');
    assert.equal(framework.failover_timeout, 30);
    assert.equal(framework.unregistered_time, 0);
    assert.deepEqual(
      framework.tasks.map((t) => [t.id, t.state, t.executor_id, t.slave_id, t.role]),
      [['capture-long', 'TASK_RUNNING', '', story.agent.id, '*']],
    );
    assert.deepEqual(
      framework.completed_tasks.map((t) => t.id),
      ['capture-short'],
    );
    const statuses = framework.completed_tasks[0]!.statuses;
    assert.deepEqual(
      statuses.map((s) => s.state),
      ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED'],
    );
    assert.ok(
      statuses.every(
        (s) => s.message === undefined && s.uuid === undefined && s.container_status.executor_pid === undefined,
      ),
    );
    const probe = state.completed_frameworks[0]!;
    assert.equal(probe.id, story.probe.id);
    assert.equal(probe.active, false);
    assert.ok(probe.unregistered_time > probe.registered_time);
    assert.deepEqual(
      probe.completed_tasks.map((t) => [t.id, t.state]),
      [['probe-task', 'TASK_KILLED']],
    );
  });

  test('/master/state-summary counts tasks per state for agents and registered frameworks', async () => {
    const summary = await getJson<{ slaves: LegacyAgent[]; frameworks: LegacyFramework[] }>(
      `${bed.url}/master/state-summary`,
    );
    const slave = summary.slaves[0]!;
    // the probe framework is gone, so its killed task is not counted
    assert.equal(slave.TASK_RUNNING, 1);
    assert.equal(slave.TASK_FINISHED, 1);
    assert.equal(slave.TASK_KILLED, 0);
    assert.deepEqual(slave.framework_ids, [story.framework.id]);
    assert.deepEqual(
      summary.frameworks.map((f) => [f.id, f.TASK_RUNNING, f.slave_ids]),
      [[story.framework.id, 1, [story.agent.id]]],
    );
  });

  test('framework_id and slave_id select one framework or agent', async () => {
    type Frameworks = {
      frameworks: LegacyFramework[];
      completed_frameworks: LegacyFramework[];
      unregistered_frameworks: unknown[];
    };
    const one = await getJson<Frameworks>(`${bed.url}/master/frameworks?framework_id=${story.probe.id}`);
    assert.deepEqual(one.frameworks, []);
    assert.deepEqual(
      one.completed_frameworks.map((f) => f.id),
      [story.probe.id],
    );
    assert.deepEqual(one.unregistered_frameworks, []);
    const none = await getJson<Frameworks>(`${bed.url}/master/frameworks?framework_id=nope`);
    assert.equal(none.frameworks.length + none.completed_frameworks.length, 0);
    const slaves = await getJson<{ slaves: LegacyAgent[] }>(`${bed.url}/master/slaves?slave_id=${story.agent.id}`);
    assert.deepEqual(
      slaves.slaves.map((s) => s.id),
      [story.agent.id],
    );
    assert.deepEqual(
      slaves.slaves[0]!.unreserved_resources_full.map((r) => [r.name, r.role]),
      [
        ['cpus', '*'],
        ['mem', '*'],
        ['disk', '*'],
        ['ports', '*'],
      ],
    );
    assert.deepEqual((await getJson<{ slaves: LegacyAgent[] }>(`${bed.url}/master/slaves?slave_id=nope`)).slaves, []);
  });

  test('/master/roles lists the roles in use with what they hold', async () => {
    const roles = await getJson<{ roles: LegacyRole[] }>(`${bed.url}/master/roles`);
    assert.deepEqual(
      roles.roles.map((r) => r.name),
      ['*'],
    );
    const star = roles.roles[0]!;
    assert.equal(star.weight, 1);
    assert.deepEqual(star.allocated, { cpus: 0.1, mem: 32 });
    assert.deepEqual(star.frameworks, [story.framework.id]);
    assert.deepEqual(Object.keys(star.quota), ['role', 'guarantee', 'limit', 'consumed']);
  });

  test('/master/flags and GET_FLAGS report the same flags', async () => {
    const flags = ((await getJson(`${bed.url}/master/flags`)) as { flags: Record<string, string> }).flags;
    assert.equal(flags.port, new URL(bed.url).port);
    const res = await operatorPost(bed.url, '{"type":"GET_FLAGS"}', { 'Content-Type': 'application/json' });
    const v1 = masterResponseCodec.decode(res.body, 'json').get_flags!.flags!;
    assert.deepEqual(Object.fromEntries(v1.map((f) => [f.name, f.value])), flags);
  });

  test('jsonp wraps the JSON in a call', async () => {
    const res = await httpGet(`${bed.url}/version?jsonp=show`);
    assert.equal(res.headers['content-type'], 'text/javascript');
    assert.match(res.text, /^show\(\{.*"version":"1\.12\.0".*\}\);$/);
  });

  test('paths the master does not serve are 404', async () => {
    assert.equal((await httpGet(`${bed.url}/master/no-such-endpoint`)).status, 404);
  });
});

describe('/master/tasks paging and ordering', () => {
  let bed: MasterTestBed;
  let ids: string[];
  before(async () => {
    bed = await startMasterTestBed();
    const agent = bed.addAgent();
    const fw = bed.subscribe({ user: 'root', name: 'many' });
    // 105 tasks whose first statuses come in order t000, t001, ..., and 2 still staging (no status)
    ids = Array.from({ length: 105 }, (_, i) => `t${String(i).padStart(3, '0')}`);
    bed.launch(
      fw,
      agent,
      [...ids, 'staging-a', 'staging-b'].map((id) => ({ id, cpus: 0.01, mem: 1 })),
    );
    for (const id of ids) bed.update(fw, agent, id, 'TASK_STARTING');
    // one finishes and is acknowledged: completed tasks are listed too
    bed.acknowledge(fw, bed.update(fw, agent, 't003', 'TASK_FINISHED'));
  });
  after(async () => bed.close());

  const taskIds = async (query: string) =>
    ((await getJson(`${bed.url}/master/tasks${query}`)) as { tasks: { id: string }[] }).tasks.map((t) => t.id);

  test('default: newest first status first, tasks without a status last, at most 100', async () => {
    const page = await taskIds('');
    assert.equal(page.length, 100);
    assert.deepEqual(page.slice(0, 3), ['t104', 't103', 't102']);
    assert.equal(page.at(-1), 't005');
  });

  test('order=asc puts tasks without a status first, then the oldest', async () => {
    assert.deepEqual(await taskIds('?order=asc&limit=6'), ['staging-a', 'staging-b', 't000', 't001', 't002', 't003']);
    // t003 finished and was acknowledged: completed tasks are listed with the others
  });

  test('limit and offset page through the sorted list', async () => {
    assert.deepEqual(await taskIds('?limit=2&offset=103'), ['t001', 't000']);
    assert.deepEqual(await taskIds('?limit=5&offset=105'), ['staging-a', 'staging-b']);
    assert.deepEqual(await taskIds('?offset=107'), []);
    assert.equal((await taskIds('?limit=-1')).length, 107, 'a negative limit is no limit');
    assert.equal((await taskIds('?limit=abc')).length, 100, 'an unreadable limit is the default');
  });

  test('framework_id and task_id select', async () => {
    assert.deepEqual(await taskIds('?framework_id=nope'), []);
    const fwId = [...bed.master.frameworks.keys()][0]!;
    assert.deepEqual(await taskIds(`?framework_id=${fwId}&task_id=t050`), ['t050']);
    assert.deepEqual(await taskIds('?task_id=t003'), ['t003']);
  });
});

describe('/metrics/snapshot', () => {
  let bed: MasterTestBed;
  let standbyUrl: string;
  before(async () => {
    bed = await startMasterTestBed();
    playCaptureStory(bed);
    standbyUrl = await bed.startStandby();
  });
  after(async () => bed.close());

  const KEYS = [
    'master/elected',
    'master/uptime_secs',
    'master/cpus_total',
    'master/cpus_used',
    'master/cpus_percent',
    'master/mem_total',
    'master/disk_used',
    'master/gpus_percent',
    'master/cpus_revocable_total',
    'master/slaves_active',
    'master/slaves_inactive',
    'master/slaves_connected',
    'master/slaves_disconnected',
    'master/slaves_unreachable',
    'master/frameworks_active',
    'master/frameworks_inactive',
    'master/frameworks_connected',
    'master/frameworks_disconnected',
    'master/tasks_staging',
    'master/tasks_starting',
    'master/tasks_running',
    'master/tasks_killing',
    'master/tasks_unreachable',
    'master/tasks_finished',
    'master/tasks_failed',
    'master/tasks_killed',
    'master/tasks_lost',
    'master/tasks_error',
    'master/tasks_dropped',
    'master/tasks_gone',
    'master/tasks_gone_by_operator',
    'master/outstanding_offers',
    'master/operator_event_stream_subscribers',
    'master/event_queue_messages',
    'master/event_queue_dispatches',
    'master/event_queue_http_requests',
    'system/cpus_total',
    'system/load_1min',
    'system/load_5min',
    'system/load_15min',
    'system/mem_total_bytes',
    'system/mem_free_bytes',
  ];

  test('a flat object of numbers with the master/* and system/* keys of the reference', async () => {
    const metrics = (await getJson(`${bed.url}/metrics/snapshot`)) as Record<string, unknown>;
    for (const key of KEYS) assert.equal(typeof metrics[key], 'number', key);
    assert.ok(Object.values(metrics).every((v) => typeof v === 'number'));
  });

  test('values come from the model: gauges now, counters since start', async () => {
    const metrics = (await getJson(`${bed.url}/metrics/snapshot`)) as Record<string, number>;
    assert.equal(metrics['master/elected'], 1);
    assert.equal(metrics['master/tasks_running'], 1);
    assert.equal(metrics['master/tasks_finished'], 1);
    assert.equal(metrics['master/tasks_killed'], 1);
    assert.equal(metrics['master/cpus_total'], 4);
    assert.equal(metrics['master/cpus_used'], 0.1);
    assert.equal(metrics['master/cpus_percent'], 0.1 / 4);
    assert.equal(metrics['master/slaves_active'], 1);
    assert.equal(metrics['master/frameworks_active'], 1);
    assert.equal(metrics['master/outstanding_offers'], bed.master.offers.size);
    assert.equal(metrics['master/operator_event_stream_subscribers'], 0);
    const sub = await operatorSubscribe(bed.url, 'json');
    try {
      await sub.waitFor((e) => e.type === 'SUBSCRIBED');
      const withStream = (await getJson(`${bed.url}/metrics/snapshot`)) as Record<string, number>;
      assert.equal(withStream['master/operator_event_stream_subscribers'], 1);
    } finally {
      sub.close();
    }
  });

  test('master/elected is 0 on a standby, which answers metrics itself', async () => {
    const metrics = (await getJson(`${standbyUrl}/metrics/snapshot`)) as Record<string, number>;
    assert.equal(metrics['master/elected'], 0);
    assert.equal(metrics['master/tasks_running'], 1, 'the standby sees the same model');
  });

  test('GET_METRICS lists the same metric names', async () => {
    const res = await operatorPost(bed.url, '{"type":"GET_METRICS","get_metrics":{}}', {
      'Content-Type': 'application/json',
    });
    const names = masterResponseCodec.decode(res.body, 'json').get_metrics!.metrics!.map((m) => m.name);
    const snapshot = (await getJson(`${bed.url}/metrics/snapshot`)) as Record<string, number>;
    assert.deepEqual(names.sort(), Object.keys(snapshot).sort());
  });
});

describe('POST /master/teardown', () => {
  let bed: MasterTestBed;
  let story: CaptureStory;
  before(async () => {
    bed = await startMasterTestBed();
    story = playCaptureStory(bed);
  });
  after(async () => bed.close());

  const teardown = async (body: string, method: 'POST' | 'GET' = 'POST') => {
    const res = await request(`${bed.url}/master/teardown`, {
      method,
      ...(method === 'POST' ? { body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } } : {}),
    });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  };

  test('only POST', async () => {
    const res = await teardown('', 'GET');
    assert.equal(res.status, 405);
    assert.equal(res.headers.allow, 'POST');
  });

  test('a missing or unknown frameworkId is 400', async () => {
    assert.deepEqual(await teardown('id=x').then((r) => [r.status, r.text]), [
      400,
      "Missing 'frameworkId' query parameter in the request body",
    ]);
    assert.deepEqual(await teardown('frameworkId=nope').then((r) => [r.status, r.text]), [
      400,
      'No framework found with specified ID',
    ]);
  });

  test('frameworkId=<id> removes the framework', async () => {
    const res = await teardown(`frameworkId=${encodeURIComponent(story.framework.id)}`);
    assert.equal(res.status, 200);
    assert.equal(bed.master.frameworks.size, 0);
    assert.ok(bed.master.completedFrameworks.some((f) => f.id === story.framework.id));
    assert.ok(story.framework.subscriber.closed);
  });
});
