import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterModel, type ClusterChange } from '../../../src/core/cluster';
import type { MasterResponseGetState, Task, TaskState } from '../../../src/core/mesos/codec';
import { agentId, frameworkId, mesosJsonText, taskUpdatedEvent } from './clusterStateBuilder';

// The slow-poll backstop: a fresh snapshot replaces the model, and the change names what differs.

const task = (id: string, state: TaskState, onAgent = 0): Task => ({
  name: id,
  task_id: { value: id },
  framework_id: { value: frameworkId(0) },
  agent_id: { value: agentId(onAgent) },
  state,
});

interface Cluster {
  readonly tasks: readonly Task[];
  readonly agents: readonly number[];
  readonly completed?: boolean;
}

function state({ tasks, agents, completed = false }: Cluster): MasterResponseGetState {
  const framework = {
    framework_info: { user: 'root', name: 'jenkins', id: { value: frameworkId(0) } },
    active: !completed,
    connected: !completed,
    recovered: false,
  };
  return {
    get_tasks: { tasks: [...tasks] },
    get_frameworks: completed ? { completed_frameworks: [framework] } : { frameworks: [framework] },
    get_agents: {
      agents: agents.map((i) => ({
        agent_info: { hostname: `agent-${i}.example`, id: { value: agentId(i) } },
        active: true,
        version: '1.12.0',
        total_resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 4 } }],
      })),
    },
  };
}

const body = (cluster: Cluster): Buffer => Buffer.from(mesosJsonText({ type: 'GET_STATE', get_state: state(cluster) }));

function named(change: ClusterChange) {
  return {
    full: change.full,
    frameworks: [...change.frameworks].sort(),
    agents: [...change.agents].sort(),
    tasks: [...change.tasks].sort(),
    lists: [...change.lists.keys()].sort(),
    totals: change.totals,
  };
}

const BEFORE: Cluster = {
  tasks: [task('a', 'TASK_RUNNING'), task('b', 'TASK_RUNNING', 1), task('c', 'TASK_STAGING', 1)],
  agents: [0, 1],
};
const F = frameworkId(0);
const A0 = agentId(0);
const A1 = agentId(1);

async function modelOf(cluster: Cluster): Promise<ClusterModel> {
  const model = new ClusterModel();
  const first = await model.load(body(cluster), 'get-state');
  assert.equal(first.change.full, true);
  await model.whenIdle();
  return model;
}

describe('a snapshot replacing the model', () => {
  it('the same snapshot again changes nothing and tells no one', async () => {
    const model = await modelOf(BEFORE);
    let heard = 0;
    model.onDidChange(() => heard++);
    const again = await model.load(body(BEFORE), 'get-state');
    assert.deepEqual(named(again.change), {
      full: false,
      frameworks: [],
      agents: [],
      tasks: [],
      lists: [],
      totals: false,
    });
    assert.equal(heard, 0);
  });

  it("a task gone: the task, its group, its agent's list, both parents, the totals", async () => {
    const model = await modelOf(BEFORE);
    const result = await model.load(
      body({ ...BEFORE, tasks: BEFORE.tasks.filter((t) => t.task_id.value !== 'c') }),
      'get-state',
    );
    assert.deepEqual(named(result.change), {
      full: false,
      frameworks: [F],
      agents: [A1],
      tasks: [`${F}/c`],
      lists: [`agent-tasks:${A1}`, `framework-tasks:${F}`, `framework-tasks:${F}:TASK_STAGING`],
      totals: true,
    });
    assert.equal(model.task(F, 'c'), undefined);
    assert.equal(model.agent(A1)?.taskCount, 1);
  });

  it('a task that changed state names its two groups, not the lists it stays in', async () => {
    const model = await modelOf(BEFORE);
    const tasks = BEFORE.tasks.map((t) => (t.task_id.value === 'a' ? task('a', 'TASK_FINISHED') : t));
    const result = await model.load(body({ ...BEFORE, tasks }), 'get-state');
    assert.deepEqual(named(result.change), {
      full: false,
      frameworks: [F],
      agents: [],
      tasks: [`${F}/a`],
      lists: [`framework-tasks:${F}:TASK_FINISHED`, `framework-tasks:${F}:TASK_RUNNING`],
      totals: true,
    });
  });

  it('an agent gone: the agent and the agent lists; its tasks that went with it too', async () => {
    const model = await modelOf(BEFORE);
    const result = await model.load(
      body({ tasks: BEFORE.tasks.filter((t) => t.agent_id.value === A0), agents: [0] }),
      'get-state',
    );
    const change = named(result.change);
    assert.deepEqual(change.agents, [A1]);
    assert.deepEqual(change.tasks, [`${F}/b`, `${F}/c`]);
    assert.ok(change.lists.includes('agents') && change.lists.includes('agents:active'));
    assert.equal(model.agent(A1), undefined);
    assert.equal(model.count({ kind: 'agents' }), 1);
    assert.deepEqual(model.totals().total, { cpus: 4, mem: 0, disk: 0, gpus: 0 });
  });

  it('a framework completed: the framework moves from the active to the completed list', async () => {
    const model = await modelOf(BEFORE);
    const result = await model.load(body({ ...BEFORE, completed: true }), 'get-state');
    assert.deepEqual(named(result.change), {
      full: false,
      frameworks: [F],
      agents: [],
      tasks: [],
      lists: ['frameworks', 'frameworks:active', 'frameworks:completed'],
      totals: true,
    });
    assert.equal(model.framework(F)?.status, 'completed');
  });

  it('keeps the old state readable until the new one is complete, and the views switch at once', async () => {
    const model = await modelOf(BEFORE);
    const loading = model.load(body({ ...BEFORE, tasks: [] }), 'get-state');
    assert.equal(model.count({ kind: 'frameworkTasks', frameworkId: F }), 3);
    await loading;
    assert.equal(model.count({ kind: 'frameworkTasks', frameworkId: F }), 0);
  });

  it('a broken snapshot leaves the model as it was', async () => {
    const model = await modelOf(BEFORE);
    const cut = body({ ...BEFORE, tasks: [] });
    await assert.rejects(model.load(cut.subarray(0, cut.length - 40), 'get-state'), {
      name: 'ClusterStateError',
      kind: 'not-json',
    });
    assert.equal(model.count({ kind: 'frameworkTasks', frameworkId: F }), 3);
    assert.equal(model.isLoading, false);
  });

  it('a newer snapshot supersedes one still loading', async () => {
    const model = await modelOf(BEFORE);
    const first = model.load(body({ ...BEFORE, tasks: [] }), 'get-state');
    const second = model.load(body(BEFORE), 'get-state');
    await assert.rejects(first, { name: 'ClusterStateError', kind: 'superseded' });
    assert.deepEqual(named((await second).change).tasks, []);
    assert.equal(model.count({ kind: 'frameworkTasks', frameworkId: F }), 3);
  });

  it('a polled snapshot does not undo the events applied while it was being fetched', async () => {
    const model = await modelOf(BEFORE);
    const recording = model.recordEvents();
    const fetchedBefore = body(BEFORE); // the master answers with the state of when it got the request
    model.applyEvent(taskUpdatedEvent(F, 'a', A0, 'TASK_FINISHED'));
    model.applyEvent({ type: 'HEARTBEAT' });
    const result = await model.load(fetchedBefore, 'get-state', { replay: recording });
    assert.equal(model.task(F, 'a')?.state, 'TASK_FINISHED');
    assert.deepEqual(named(result.change).tasks, [`${F}/a`]);
    // Without the recording, the snapshot would have put the task back to running.
    await model.load(fetchedBefore, 'get-state');
    assert.equal(model.task(F, 'a')?.state, 'TASK_RUNNING');
    // A recording is used once.
    await model.load(fetchedBefore, 'get-state', { replay: recording });
    assert.equal(model.task(F, 'a')?.state, 'TASK_RUNNING');
  });

  it("applies events that arrive during a polled load after it, and drops them for a new stream's snapshot", async () => {
    const model = await modelOf(BEFORE);
    const polled = model.load(body(BEFORE), 'get-state');
    assert.equal(model.applyEvent(taskUpdatedEvent(F, 'b', A1, 'TASK_KILLED')), undefined);
    await polled;
    assert.equal(model.task(F, 'b')?.state, 'TASK_KILLED');

    const polledAgain = model.load(body(BEFORE), 'get-state');
    model.applyEvent(taskUpdatedEvent(F, 'c', A1, 'TASK_FAILED'));
    const subscribed = mesosJsonText({ type: 'SUBSCRIBED', subscribed: { get_state: state(BEFORE) } });
    const resubscribed = model.load(Buffer.from(subscribed), 'subscribed');
    await assert.rejects(polledAgain, { name: 'ClusterStateError', kind: 'superseded' });
    await resubscribed;
    assert.equal(model.task(F, 'c')?.state, 'TASK_STAGING');
    assert.equal(model.task(F, 'b')?.state, 'TASK_RUNNING');
  });

  it('keeps the same task once when a framework reused the id of a completed one', async () => {
    const model = new ClusterModel();
    await model.replaceState({
      ...state(BEFORE),
      get_tasks: { tasks: [task('a', 'TASK_RUNNING')], completed_tasks: [task('a', 'TASK_FINISHED')] },
    });
    await model.whenIdle();
    assert.equal(model.task(F, 'a')?.state, 'TASK_RUNNING');
    assert.equal(model.count({ kind: 'frameworkTasks', frameworkId: F }), 1);
    assert.deepEqual(model.taskGroups(F), [{ state: 'TASK_RUNNING', count: 1 }]);
    assert.equal(model.agent(A0)?.taskCount, 1);
  });
});
