import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  masterCallCodec,
  masterResponseCodec,
  MEDIA_TYPE,
  type MasterCall,
  type MasterResponse,
  type WireEncoding,
} from '../../../src/core/mesos/codec';
import { compareShapes, describeDifference, mergeShapes, shapeOf, type Shape } from './jsonShape';
import {
  fixtureBytes,
  fixtureJson,
  operatorPost,
  playCaptureStory,
  startMasterTestBed,
  type MasterTestBed,
} from './masterTestBed';

// Shape parity of the sandbox master's operator API with a real 1.12 master (test/fixtures/mesos-1.12):
// same keys, nesting and JSON types, in JSON; the same fields in protobuf; and both encodings carrying the
// same content. The model is built to tell the captures' story (see playCaptureStory).

/**
 * What a real master writes only for some data, or outside the v1 proto: `agent_info.checkpoint` comes
 * from the internal SlaveInfo and is not a field of mesos.v1.AgentInfo, so no v1 client can rely on it.
 */
const NOT_IN_V1_PROTO = [
  '.get_state.get_agents.agents[].agent_info.checkpoint',
  '.get_agents.agents[].agent_info.checkpoint',
];

async function call(
  bed: MasterTestBed,
  c: MasterCall,
  encoding: WireEncoding,
): Promise<{ status: number; contentType: unknown; body: Buffer }> {
  const res = await operatorPost(bed.url, masterCallCodec.encode(c, encoding), {
    'Content-Type': MEDIA_TYPE[encoding],
    Accept: MEDIA_TYPE[encoding],
  });
  return { status: res.status, contentType: res.headers['content-type'], body: res.body };
}

function assertSameShape(actual: unknown, expected: unknown | Shape, optional: readonly string[] = []): void {
  const want = expected instanceof Map ? (expected as Shape) : shapeOf(expected);
  const message = describeDifference(compareShapes(shapeOf(actual), want, optional));
  assert.equal(message, undefined, message);
}

describe('sandbox master operator API: shapes of a real 1.12 master', () => {
  let bed: MasterTestBed;
  before(async () => {
    bed = await startMasterTestBed();
    playCaptureStory(bed);
  });
  after(async () => bed.close());

  const captured: [MasterCall, string][] = [
    [{ type: 'GET_STATE' }, 'operator-get_state'],
    [{ type: 'GET_AGENTS' }, 'operator-get_agents'],
    [{ type: 'GET_FRAMEWORKS' }, 'operator-get_frameworks'],
    [{ type: 'GET_HEALTH' }, 'operator-get_health'],
    [{ type: 'GET_MASTER' }, 'operator-get_master'],
    [{ type: 'GET_VERSION' }, 'operator-get_version'],
  ];

  for (const [c, fixture] of captured) {
    test(`${c.type} in JSON has the keys, nesting and types of ${fixture}.json`, async () => {
      const res = await call(bed, c, 'json');
      assert.equal(res.status, 200);
      assert.equal(res.contentType, 'application/json');
      assertSameShape(JSON.parse(res.body.toString('utf8')), fixtureJson(`${fixture}.json`), NOT_IN_V1_PROTO);
    });

    test(`${c.type} in protobuf carries the fields of ${fixture}.pb, and the same content as in JSON`, async () => {
      const res = await call(bed, c, 'protobuf');
      assert.equal(res.status, 200);
      assert.equal(res.contentType, 'application/x-protobuf');
      const decoded = masterResponseCodec.decode(res.body, 'protobuf');
      // Decoded through the same codec, both sides lose what our proto subset does not know. The .pb and
      // .json captures were taken moments apart, so the fields either shows count as Mesos's.
      const real = mergeShapes(
        shapeOf(masterResponseCodec.decode(fixtureBytes(`${fixture}.pb`), 'protobuf')),
        shapeOf(masterResponseCodec.decode(fixtureBytes(`${fixture}.json`), 'json')),
      );
      assertSameShape(decoded, real);
      const json = masterResponseCodec.decode((await call(bed, c, 'json')).body, 'json');
      assert.deepEqual(normalizeTimes(decoded), normalizeTimes(json));
    });
  }

  test('GET_TASKS in protobuf has the fields of operator-get_tasks.pb (and of the tasks in GET_STATE)', async () => {
    const res = await call(bed, { type: 'GET_TASKS' }, 'protobuf');
    const state = masterResponseCodec.decode(fixtureBytes('operator-get_state.json'), 'json');
    const real = mergeShapes(
      shapeOf(masterResponseCodec.decode(fixtureBytes('operator-get_tasks.pb'), 'protobuf')),
      shapeOf({ type: 'GET_TASKS', get_tasks: state.get_state!.get_tasks }),
    );
    assertSameShape(masterResponseCodec.decode(res.body, 'protobuf'), real);
  });

  test('the SUBSCRIBED snapshot is GET_STATE, and GET_STATE lists what GET_TASKS, GET_AGENTS and GET_FRAMEWORKS list', async () => {
    const state = masterResponseCodec.decode((await call(bed, { type: 'GET_STATE' }, 'json')).body, 'json').get_state!;
    const tasks = masterResponseCodec.decode((await call(bed, { type: 'GET_TASKS' }, 'json')).body, 'json');
    const agents = masterResponseCodec.decode((await call(bed, { type: 'GET_AGENTS' }, 'json')).body, 'json');
    const frameworks = masterResponseCodec.decode((await call(bed, { type: 'GET_FRAMEWORKS' }, 'json')).body, 'json');
    const executors = masterResponseCodec.decode((await call(bed, { type: 'GET_EXECUTORS' }, 'json')).body, 'json');
    assert.deepEqual(state.get_tasks, tasks.get_tasks);
    assert.deepEqual(state.get_agents, agents.get_agents);
    assert.deepEqual(state.get_frameworks, frameworks.get_frameworks);
    assert.deepEqual(state.get_executors, executors.get_executors);
    assert.deepEqual(
      state.get_tasks!.tasks!.map((t) => `${t.task_id.value}:${t.state}`),
      ['capture-long:TASK_RUNNING'],
    );
    assert.deepEqual(
      state.get_tasks!.completed_tasks!.map((t) => `${t.task_id.value}:${t.state}`),
      ['probe-task:TASK_KILLED', 'capture-short:TASK_FINISHED'],
    );
    assert.deepEqual(
      state.get_frameworks!.frameworks!.map((f) => f.framework_info.name),
      ['capture-framework'],
    );
    assert.deepEqual(
      state.get_frameworks!.completed_frameworks!.map((f) => f.framework_info.name),
      ['heldout-probe'],
    );
  });

  test('resources carry the allocation role the master gave them, and usage counts only live tasks', async () => {
    const res = masterResponseCodec.decode((await call(bed, { type: 'GET_STATE' }, 'json')).body, 'json');
    const state = res.get_state!;
    const running = state.get_tasks!.tasks!.find((t) => t.task_id.value === 'capture-long')!;
    assert.ok(running.resources!.every((r) => r.allocation_info?.role === '*'));
    assert.equal(running.user, undefined, 'a task shows a user only when its CommandInfo named one');
    const [agent] = state.get_agents!.agents!;
    // capture-long only: capture-short finished, probe-task was killed with its framework
    assert.deepEqual(
      agent!.allocated_resources!.map((r) => [r.name, r.scalar?.value, r.role, r.allocation_info?.role]),
      [
        ['cpus', 0.1, '*', '*'],
        ['mem', 32, '*', '*'],
      ],
    );
    assert.ok(agent!.total_resources!.every((r) => r.role === '*'));
    assert.ok(agent!.agent_info.resources!.every((r) => r.role === undefined));
    const [framework] = state.get_frameworks!.frameworks!;
    assert.equal(framework!.framework_info.checkpoint, false, 'proto defaults are written');
    assert.deepEqual(framework!.reregistered_time, framework!.registered_time);
  });

  test('GET_METRICS, GET_FLAGS, GET_EXECUTORS, GET_OPERATIONS and GET_WEIGHTS answer in both encodings alike', async () => {
    const calls: MasterCall[] = [
      { type: 'GET_METRICS', get_metrics: {} },
      { type: 'GET_FLAGS' },
      { type: 'GET_EXECUTORS' },
      { type: 'GET_OPERATIONS' },
      { type: 'GET_WEIGHTS' },
    ];
    for (const c of calls) {
      const json = await call(bed, c, 'json');
      const pb = await call(bed, c, 'protobuf');
      assert.equal(json.status, 200, `${c.type}: ${json.body.toString()}`);
      assert.equal(pb.status, 200);
      const fromJson: MasterResponse = masterResponseCodec.decode(json.body, 'json');
      const fromPb: MasterResponse = masterResponseCodec.decode(pb.body, 'protobuf');
      assert.equal(fromJson.type, c.type);
      if (c.type === 'GET_METRICS') {
        // uptime and the host's load move between two requests; the names do not
        assert.deepEqual(
          fromPb.get_metrics!.metrics!.map((m) => m.name),
          fromJson.get_metrics!.metrics!.map((m) => m.name),
        );
      } else {
        assert.deepEqual(fromPb, fromJson);
      }
    }
  });
});

/** TimeInfo nanoseconds come as a number or an exact decimal string depending on size: compare as strings. */
function normalizeTimes(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'nanoseconds' ? String(v) : v)));
}
