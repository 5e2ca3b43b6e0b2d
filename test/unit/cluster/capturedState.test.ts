import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ClusterModel, type ClusterChange } from '../../../src/core/cluster';
import { masterEventCodec, masterResponseCodec } from '../../../src/core/mesos/codec';

// The responses of a real Mesos 1.12 master (test/fixtures/mesos-1.12, see its README): one agent, the
// capture framework with `capture-long` running and `capture-short` finished, and eleven probe
// frameworks, some torn down. GET_STATE and /master/state were taken at the same moment.

const capturesDir = path.resolve(__dirname, '../../fixtures/mesos-1.12');
const capture = (name: string): Buffer => fs.readFileSync(path.join(capturesDir, name));
/** The `.recordio.txt` captures hold one JSON record per line (the size lines were dropped). */
const records = (name: string): Buffer[] =>
  capture(name)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => Buffer.from(line, 'utf8'));

const CAPTURE_FRAMEWORK = '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0011';
const AGENT = '9b5d8929-2afc-4fa6-a716-69ba2145bf88-S0';

/** What the views show, in their order: comparable across the v1 and legacy sources. */
function viewOf(model: ClusterModel) {
  const frameworks = model.page({ kind: 'frameworks' }).items.map((f) => ({
    id: f.id,
    name: f.name,
    status: f.status,
    used: f.used,
    groups: model.taskGroups(f.id),
    tasks: model.page({ kind: 'frameworkTasks', frameworkId: f.id }).items.map((t) => ({
      id: t.id,
      name: t.name,
      state: t.state,
      agentId: t.agentId,
      cpus: t.task.resources?.find((r) => r.name === 'cpus')?.scalar?.value,
      mem: t.task.resources?.find((r) => r.name === 'mem')?.scalar?.value,
      statuses: (t.task.statuses ?? []).map((s) => s.state),
    })),
  }));
  const agents = model.page({ kind: 'agents' }).items.map((a) => ({
    id: a.id,
    hostname: a.hostname,
    status: a.status,
    total: a.total,
    used: a.used,
    offered: a.offered,
    taskCount: a.taskCount,
    tasks: model.page({ kind: 'agentTasks', agentId: a.id }).items.map((t) => t.id),
  }));
  return { frameworks, agents, totals: { ...model.totals(), updatedAt: undefined } };
}

async function loaded(body: Buffer, format: 'get-state' | 'legacy-state' | 'subscribed'): Promise<ClusterModel> {
  const model = new ClusterModel();
  const result = await model.load(body, format);
  assert.deepEqual(result.problems, []);
  await model.whenIdle();
  return model;
}

describe('the model of a real Mesos 1.12 master', () => {
  it('reads GET_STATE: frameworks by status, tasks by state, the agent and its resources', async () => {
    const model = await loaded(capture('operator-get_state.json'), 'get-state');
    const totals = model.totals();
    assert.deepEqual(totals.frameworks, { active: 1, inactive: 5, completed: 6 });
    assert.deepEqual(totals.agents, { active: 1, inactive: 0, draining: 0, gone: 0 });
    assert.equal(totals.tasks, 17);
    assert.deepEqual(totals.tasksByState, [
      { state: 'TASK_RUNNING', count: 2 },
      { state: 'TASK_KILLED', count: 5 },
      { state: 'TASK_FINISHED', count: 10 },
    ]);
    assert.deepEqual(totals.total, { cpus: 4, mem: 4096, disk: 10000, gpus: 0 });
    assert.deepEqual(totals.used, { cpus: 0.2, mem: 64, disk: 0, gpus: 0 });

    const framework = model.framework(CAPTURE_FRAMEWORK);
    assert.equal(framework?.name, 'capture-framework');
    assert.equal(framework?.status, 'active');
    assert.deepEqual(framework?.used, { cpus: 0.1, mem: 32, disk: 0, gpus: 0 });
    assert.deepEqual(model.taskGroups(CAPTURE_FRAMEWORK), [
      { state: 'TASK_RUNNING', count: 1 },
      { state: 'TASK_FINISHED', count: 1 },
    ]);
    const long = model.task(CAPTURE_FRAMEWORK, 'capture-long');
    assert.equal(long?.state, 'TASK_RUNNING');
    assert.equal(long?.agentId, AGENT);
    assert.equal(model.agent(AGENT)?.hostname, '127.0.0.1');
    assert.equal(model.agent(AGENT)?.taskCount, 17);
    // Completed frameworks are listed apart, sorted by name then id.
    const completed = model.page({ kind: 'frameworks', status: 'completed' }).items.map((f) => f.id.slice(-4));
    assert.deepEqual(completed, ['0005', '0002', '0004', '0000', '0001', '0003']);
  });

  it('reads the legacy /master/state of the same moment into the same frameworks, agents and tasks', async () => {
    const v1 = await loaded(capture('operator-get_state.json'), 'get-state');
    const legacy = await loaded(capture('master-state.json'), 'legacy-state');
    assert.deepEqual(viewOf(legacy), viewOf(v1));
  });

  it('reads an already decoded GET_STATE and legacy state into the same model as the bytes', async () => {
    const fromBytes = await loaded(capture('operator-get_state.json'), 'get-state');
    const decoded = new ClusterModel();
    await decoded.replaceState(masterResponseCodec.decode(capture('operator-get_state.json'), 'json').get_state!);
    await decoded.whenIdle();
    assert.deepEqual(viewOf(decoded), viewOf(fromBytes));
    const legacy = new ClusterModel();
    await legacy.replaceLegacyState(JSON.parse(capture('master-state.json').toString('utf8')));
    await legacy.whenIdle();
    assert.deepEqual(viewOf(legacy), viewOf(fromBytes));
  });

  it('follows the captured operator SUBSCRIBE stream: SUBSCRIBED, HEARTBEAT, then the kill of capture-long', async () => {
    const [subscribed, heartbeat, killed] = records('operator-subscribe-json.recordio.txt');
    const model = new ClusterModel();
    const result = await model.load(subscribed!, 'subscribed');
    assert.equal(result.heartbeatIntervalSeconds, 15);
    assert.equal(result.change.full, true);
    await model.whenIdle();
    assert.equal(model.task(CAPTURE_FRAMEWORK, 'capture-long')?.state, 'TASK_RUNNING');

    const changes: ClusterChange[] = [];
    model.onDidChange((change) => changes.push(change));
    assert.equal(model.applyEvent(masterEventCodec.decode(heartbeat!, 'json')), undefined);
    const change = model.applyEvent(masterEventCodec.decode(killed!, 'json'));

    assert.deepEqual(changes, [change]);
    assert.deepEqual([...change!.tasks], [`${CAPTURE_FRAMEWORK}/capture-long`]);
    assert.deepEqual([...change!.lists.keys()].sort(), [
      `framework-tasks:${CAPTURE_FRAMEWORK}:TASK_KILLED`,
      `framework-tasks:${CAPTURE_FRAMEWORK}:TASK_RUNNING`,
    ]);
    assert.deepEqual([...change!.frameworks], [CAPTURE_FRAMEWORK]);
    assert.deepEqual([...change!.agents], [AGENT]);
    const task = model.task(CAPTURE_FRAMEWORK, 'capture-long');
    assert.equal(task?.state, 'TASK_KILLED');
    assert.equal(task?.task.statuses?.at(-1)?.message, 'Command terminated with signal Terminated');
    assert.deepEqual(model.taskGroups(CAPTURE_FRAMEWORK), [
      { state: 'TASK_KILLED', count: 1 },
      { state: 'TASK_FINISHED', count: 1 },
    ]);
    // The killed task's resources are released: 0.1 cpus and 32 MB less in use.
    assert.deepEqual(model.framework(CAPTURE_FRAMEWORK)?.used, { cpus: 0, mem: 0, disk: 0, gpus: 0 });
    assert.deepEqual(model.agent(AGENT)?.used, { cpus: 0.1, mem: 32, disk: 0, gpus: 0 });
    assert.deepEqual(model.totals().used, { cpus: 0.1, mem: 32, disk: 0, gpus: 0 });
  });

  it('treats a decoded SUBSCRIBED event like the bytes of one, and applies events that came meanwhile after it', async () => {
    const [subscribed, , killed] = records('operator-subscribe-json.recordio.txt');
    const model = new ClusterModel();
    assert.equal(model.applyEvent(masterEventCodec.decode(subscribed!, 'json')), undefined);
    assert.equal(model.isLoading, true);
    // Arrives while the snapshot loads: held back, then applied on top of it.
    assert.equal(model.applyEvent(masterEventCodec.decode(killed!, 'json')), undefined);
    await model.whenIdle();
    assert.equal(model.task(CAPTURE_FRAMEWORK, 'capture-long')?.state, 'TASK_KILLED');
    assert.equal(model.totals().tasks, 17);
  });
});
