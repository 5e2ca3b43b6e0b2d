import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { ClusterModel, type ClusterChange } from '../../../src/core/cluster';
import type {
  MasterEvent,
  MasterResponseGetAgentsAgent,
  MasterResponseGetFrameworksFramework,
  Task,
  TaskState,
} from '../../../src/core/mesos/codec';
import { agentId, frameworkId, taskUpdatedEvent } from './clusterStateBuilder';

// A small cluster written out in full, so that each case shows what an event changes: two agents, the
// framework "jenkins" with two running tasks on agent 0, and nothing else.

const agent = (i: number, extra: Partial<MasterResponseGetAgentsAgent> = {}): MasterResponseGetAgentsAgent => ({
  agent_info: { hostname: `agent-${i}.example`, id: { value: agentId(i) } },
  active: true,
  version: '1.12.0',
  total_resources: [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 8 } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 1024 } },
  ],
  ...extra,
});

const framework = (
  i: number,
  name: string,
  extra: Partial<MasterResponseGetFrameworksFramework> = {},
): MasterResponseGetFrameworksFramework => ({
  framework_info: { user: 'root', name, id: { value: frameworkId(i) } },
  active: true,
  connected: true,
  recovered: false,
  ...extra,
});

const task = (id: string, state: TaskState, onAgent = 0, ofFramework = 0): Task => ({
  name: id,
  task_id: { value: id },
  framework_id: { value: frameworkId(ofFramework) },
  agent_id: { value: agentId(onAgent) },
  state,
  resources: [
    { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
    { name: 'mem', type: 'SCALAR', scalar: { value: 128 } },
  ],
});

const JENKINS = frameworkId(0);
const A0 = agentId(0);
const A1 = agentId(1);

/** A change reduced to sorted arrays, so an expectation lists exactly what it names. */
function named(change: ClusterChange | undefined) {
  assert.ok(change, 'expected a change');
  return {
    frameworks: [...change.frameworks].sort(),
    agents: [...change.agents].sort(),
    tasks: [...change.tasks].sort(),
    offers: [...change.offers].sort(),
    lists: [...change.lists.keys()].sort(),
    totals: change.totals,
  };
}

describe('operator events', () => {
  let model: ClusterModel;
  let heard: ClusterChange[];

  beforeEach(async () => {
    model = new ClusterModel({ clock: { now: () => 1_000 } });
    await model.replaceState({
      get_tasks: { tasks: [task('build-1', 'TASK_RUNNING'), task('build-2', 'TASK_RUNNING')] },
      get_frameworks: {
        frameworks: [framework(0, 'jenkins', { allocated_resources: task('x', 'TASK_RUNNING').resources! })],
      },
      get_agents: {
        agents: [
          agent(0, {
            allocated_resources: [
              { name: 'cpus', type: 'SCALAR', scalar: { value: 2 } },
              { name: 'mem', type: 'SCALAR', scalar: { value: 256 } },
            ],
          }),
          agent(1),
        ],
      },
    });
    await model.whenIdle();
    heard = [];
    model.onDidChange((change) => heard.push(change));
  });

  it('TASK_ADDED: the task, its group, its framework and agent, their lists, the totals', () => {
    const change = model.applyEvent({ type: 'TASK_ADDED', task_added: { task: task('build-3', 'TASK_STAGING', 1) } });
    assert.deepEqual(named(change), {
      frameworks: [JENKINS],
      agents: [A1],
      tasks: [`${JENKINS}/build-3`],
      offers: [],
      lists: [`agent-tasks:${A1}`, `framework-tasks:${JENKINS}`, `framework-tasks:${JENKINS}:TASK_STAGING`],
      totals: true,
    });
    assert.deepEqual(heard, [change]);
    assert.equal(change!.at, 1_000);
    assert.deepEqual(model.taskGroups(JENKINS), [
      { state: 'TASK_RUNNING', count: 2 },
      { state: 'TASK_STAGING', count: 1 },
    ]);
    assert.deepEqual(model.agent(A1)?.used, { cpus: 1, mem: 128, disk: 0, gpus: 0 });
    assert.deepEqual(model.totals().used, { cpus: 3, mem: 384, disk: 0, gpus: 0 });
    assert.deepEqual(
      model.page({ kind: 'agentTasks', agentId: A1 }).items.map((t) => t.id),
      ['build-3'],
    );
  });

  it('TASK_UPDATED to a terminal state: moves the task between groups and releases its resources', () => {
    const change = model.applyEvent(taskUpdatedEvent(JENKINS, 'build-1', A0, 'TASK_FINISHED'));
    assert.deepEqual(named(change), {
      frameworks: [JENKINS],
      agents: [A0],
      tasks: [`${JENKINS}/build-1`],
      offers: [],
      lists: [`framework-tasks:${JENKINS}:TASK_FINISHED`, `framework-tasks:${JENKINS}:TASK_RUNNING`],
      totals: true,
    });
    assert.deepEqual(model.taskGroups(JENKINS), [
      { state: 'TASK_RUNNING', count: 1 },
      { state: 'TASK_FINISHED', count: 1 },
    ]);
    const updated = model.task(JENKINS, 'build-1');
    assert.equal(updated?.state, 'TASK_FINISHED');
    assert.equal(updated?.task.status_update_state, 'TASK_FINISHED');
    assert.equal(updated?.task.statuses?.length, 1);
    assert.deepEqual(model.agent(A0)?.used, { cpus: 1, mem: 128, disk: 0, gpus: 0 });
    assert.deepEqual(model.framework(JENKINS)?.used, { cpus: 0, mem: 0, disk: 0, gpus: 0 });
  });

  it('TASK_UPDATED keeping the state (a health check): only the task', () => {
    const change = model.applyEvent(taskUpdatedEvent(JENKINS, 'build-2', A0, 'TASK_RUNNING'));
    assert.deepEqual(named(change), {
      frameworks: [],
      agents: [],
      tasks: [`${JENKINS}/build-2`],
      offers: [],
      lists: [],
      totals: false,
    });
  });

  it('TASK_UPDATED uses the latest state, which may be newer than the acknowledged status', () => {
    const event = taskUpdatedEvent(JENKINS, 'build-2', A0, 'TASK_RUNNING');
    event.task_updated!.state = 'TASK_KILLED';
    model.applyEvent(event);
    assert.equal(model.task(JENKINS, 'build-2')?.state, 'TASK_KILLED');
    assert.equal(model.task(JENKINS, 'build-2')?.task.status_update_state, 'TASK_RUNNING');
  });

  it('TASK_UPDATED for a task never seen adds it from its status', () => {
    const change = model.applyEvent(taskUpdatedEvent(JENKINS, 'stranger', A1, 'TASK_RUNNING'));
    assert.deepEqual(named(change).tasks, [`${JENKINS}/stranger`]);
    assert.equal(model.task(JENKINS, 'stranger')?.agentId, A1);
    assert.equal(model.agent(A1)?.taskCount, 1);
  });

  it('AGENT_ADDED: the agent, the agent lists, the totals', () => {
    const change = model.applyEvent({ type: 'AGENT_ADDED', agent_added: { agent: agent(2) } });
    assert.deepEqual(named(change), {
      frameworks: [],
      agents: [agentId(2)],
      tasks: [],
      offers: [],
      lists: ['agents', 'agents:active'],
      totals: true,
    });
    assert.equal(model.count({ kind: 'agents' }), 3);
    assert.deepEqual(model.totals().total, { cpus: 24, mem: 3072, disk: 0, gpus: 0 });
  });

  it('AGENT_REMOVED: the agent turns gone and leaves the totals; its tasks stay', () => {
    const change = model.applyEvent({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: A0 } } });
    assert.deepEqual(named(change), {
      frameworks: [],
      agents: [A0],
      tasks: [],
      offers: [],
      lists: ['agents', 'agents:active', 'agents:gone'],
      totals: true,
    });
    assert.equal(model.agent(A0)?.status, 'gone');
    assert.deepEqual(model.totals().agents, { active: 1, inactive: 0, draining: 0, gone: 1 });
    assert.deepEqual(model.totals().total, { cpus: 8, mem: 1024, disk: 0, gpus: 0 });
    assert.deepEqual(model.totals().used, { cpus: 0, mem: 0, disk: 0, gpus: 0 });
    assert.equal(model.task(JENKINS, 'build-1')?.state, 'TASK_RUNNING');
    assert.equal(model.applyEvent({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: A0 } } }), undefined);
  });

  it('FRAMEWORK_ADDED, FRAMEWORK_UPDATED (deactivated), FRAMEWORK_REMOVED', () => {
    const added = model.applyEvent({ type: 'FRAMEWORK_ADDED', framework_added: { framework: framework(1, 'spark') } });
    assert.deepEqual(named(added), {
      frameworks: [frameworkId(1)],
      agents: [],
      tasks: [],
      offers: [],
      lists: ['frameworks', 'frameworks:active'],
      totals: true,
    });
    const updated = model.applyEvent({
      type: 'FRAMEWORK_UPDATED',
      framework_updated: { framework: framework(1, 'spark', { active: false, connected: false }) },
    });
    assert.deepEqual(named(updated).lists, ['frameworks', 'frameworks:active', 'frameworks:inactive']);
    assert.equal(model.framework(frameworkId(1))?.status, 'inactive');
    const removed = model.applyEvent({
      type: 'FRAMEWORK_REMOVED',
      framework_removed: { framework_info: { user: 'root', name: 'spark', id: { value: frameworkId(1) } } },
    });
    assert.deepEqual(named(removed).lists, ['frameworks', 'frameworks:completed', 'frameworks:inactive']);
    assert.deepEqual(model.totals().frameworks, { active: 1, inactive: 0, completed: 1 });
    assert.deepEqual(
      model.page({ kind: 'frameworks', status: 'completed' }).items.map((f) => f.name),
      ['spark'],
    );
  });

  it('FRAMEWORK_UPDATED without a change of status or name names only the framework', () => {
    const change = model.applyEvent({
      type: 'FRAMEWORK_UPDATED',
      framework_updated: { framework: framework(0, 'jenkins') },
    });
    assert.deepEqual(named(change), {
      frameworks: [JENKINS],
      agents: [],
      tasks: [],
      offers: [],
      lists: [],
      totals: false,
    });
    // Events carry no allocations: the framework's use stays what the snapshot and tasks said.
    assert.deepEqual(model.framework(JENKINS)?.used, { cpus: 1, mem: 128, disk: 0, gpus: 0 });
  });

  it('HEARTBEAT changes nothing but the last-updated time; unknown events nothing at all', () => {
    let now = 5_000;
    const clocked = new ClusterModel({ clock: { now: () => now } });
    assert.equal(clocked.applyEvent({ type: 'HEARTBEAT' }), undefined);
    assert.equal(clocked.lastUpdated, 5_000);
    now = 6_000;
    assert.equal(clocked.applyEvent({ type: 'UNKNOWN' }), undefined);
    assert.equal(clocked.lastUpdated, 5_000);
  });

  it('leaves out events without the ids it needs, and says so in its problems', () => {
    const broken: MasterEvent[] = [
      { type: 'TASK_ADDED', task_added: { task: { ...task('x', 'TASK_RUNNING'), task_id: undefined as never } } },
      { type: 'AGENT_REMOVED' },
      { type: 'TASK_UPDATED' },
    ];
    for (const event of broken) assert.equal(model.applyEvent(event), undefined);
    assert.equal(heard.length, 0);
    assert.equal(model.problems.length, 3);
    assert.equal(model.totals().tasks, 2);
  });

  it('tells every listener, and keeps going when one of them throws', () => {
    const second: ClusterChange[] = [];
    model.onDidChange(() => {
      throw new Error('listener bug');
    });
    const subscription = model.onDidChange((change) => second.push(change));
    model.applyEvent(taskUpdatedEvent(JENKINS, 'build-1', A0, 'TASK_KILLED'));
    assert.equal(second.length, 1);
    subscription.dispose();
    model.applyEvent(taskUpdatedEvent(JENKINS, 'build-2', A0, 'TASK_KILLED'));
    assert.equal(second.length, 1);
    assert.equal(heard.length, 2);
  });

  it('sets outstanding offers: the offers list, the agents offered to, the totals', () => {
    const offer = (n: number, onAgent: number) => ({
      id: { value: `O${n}` },
      framework_id: { value: JENKINS },
      agent_id: { value: agentId(onAgent) },
      hostname: `agent-${onAgent}.example`,
      resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 2 } }],
    });
    const first = model.setOffers([offer(1, 0), offer(2, 1)]);
    assert.deepEqual(named(first), {
      frameworks: [],
      agents: [A0, A1],
      tasks: [],
      offers: ['O1', 'O2'],
      lists: ['offers'],
      totals: true,
    });
    assert.deepEqual(model.totals().offered, { cpus: 4, mem: 0, disk: 0, gpus: 0 });
    assert.equal(model.setOffers([offer(1, 0), offer(2, 1)]), undefined);
    const second = model.setOffers([offer(2, 1), offer(3, 1)]);
    assert.deepEqual(named(second), {
      frameworks: [],
      agents: [A0, A1],
      tasks: [],
      offers: ['O1', 'O3'],
      lists: ['offers'],
      totals: true,
    });
    assert.deepEqual(model.agent(A1)?.offered, { cpus: 4, mem: 0, disk: 0, gpus: 0 });
    assert.deepEqual(model.agent(A0)?.offered, { cpus: 0, mem: 0, disk: 0, gpus: 0 });
    assert.deepEqual(
      model.page({ kind: 'offers' }).items.map((o) => [o.id, o.hostname, o.resources.cpus]),
      [
        ['O2', 'agent-1.example', 2],
        ['O3', 'agent-1.example', 2],
      ],
    );
    // An agent that goes away takes its offers with it.
    model.applyEvent({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: A1 } } });
    assert.equal(model.count({ kind: 'offers' }), 0);
  });
});
