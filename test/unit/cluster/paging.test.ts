import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterModel, MAX_PAGE_SIZE } from '../../../src/core/cluster';
import type { MasterResponseGetAgentsAgent, Task, TaskState } from '../../../src/core/mesos/codec';
import { seededRandom } from '../../support/seededRandom';
import { agentId, frameworkId } from './clusterStateBuilder';

const F = frameworkId(0);
const name = (i: number): string => `task-${String(i).padStart(5, '0')}`;

const task = (i: number, state: TaskState = 'TASK_RUNNING', onAgent = i % 3): Task => ({
  name: name(i),
  task_id: { value: `id-${i}` },
  framework_id: { value: F },
  agent_id: { value: agentId(onAgent) },
  state,
});

const agent = (i: number): MasterResponseGetAgentsAgent => ({
  agent_info: { hostname: `host-${String(i).padStart(5, '0')}.example`, id: { value: agentId(i) } },
  active: true,
  version: '1.12.0',
});

/** A model with `count` tasks of one framework, given in a shuffled order (as Mesos lists them). */
async function modelWith(count: number, agents = 3): Promise<ClusterModel> {
  const random = seededRandom(count);
  const tasks = Array.from({ length: count }, (_, i) => task(i));
  for (let i = tasks.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [tasks[i], tasks[j]] = [tasks[j]!, tasks[i]!];
  }
  const model = new ClusterModel();
  await model.replaceState({
    get_tasks: { tasks },
    get_frameworks: {
      frameworks: [
        {
          framework_info: { user: 'u', name: 'jenkins', id: { value: F } },
          active: true,
          connected: true,
          recovered: false,
        },
      ],
    },
    get_agents: { agents: Array.from({ length: agents }, (_, i) => agent(i)) },
  });
  return model;
}

const running = { kind: 'frameworkTasks', frameworkId: F, state: 'TASK_RUNNING' } as const;

describe('paging a list', () => {
  for (const count of [0, 1, 500, 501]) {
    it(`${count} children: pages of at most ${MAX_PAGE_SIZE}, in name order, the offset of the next page`, async () => {
      const model = await modelWith(count);
      const first = model.page(running);
      assert.equal(first.total, count);
      assert.equal(first.offset, 0);
      assert.equal(first.items.length, Math.min(count, MAX_PAGE_SIZE));
      assert.deepEqual(
        first.items.map((t) => t.name),
        Array.from({ length: first.items.length }, (_, i) => name(i)),
      );
      assert.equal(first.nextOffset, count > MAX_PAGE_SIZE ? MAX_PAGE_SIZE : undefined);
      if (first.nextOffset !== undefined) {
        const second = model.page(running, { offset: first.nextOffset });
        assert.deepEqual(
          second.items.map((t) => t.name),
          [name(500)],
        );
        assert.equal(second.nextOffset, undefined);
      }
      assert.equal(model.count(running), count);
      await model.whenIdle();
    });
  }

  it('never returns more than 500, whatever the limit asked; smaller limits page exactly', async () => {
    const model = await modelWith(1200);
    assert.equal(model.page(running, { limit: 10_000 }).items.length, MAX_PAGE_SIZE);
    const page = model.page(running, { offset: 995, limit: 10 });
    assert.deepEqual(
      page.items.map((t) => t.name),
      [995, 996, 997, 998, 999, 1000, 1001, 1002, 1003, 1004].map(name),
    );
    assert.equal(page.nextOffset, 1005);
    assert.deepEqual(model.page(running, { offset: 5000 }).items, []);
    await model.whenIdle();
  });

  it('is in order right after a load, while large lists still sort in the background, and after', async () => {
    const model = await modelWith(5000);
    const during = model.page(running, { offset: 2500, limit: 3 }).items.map((t) => t.name);
    await model.whenIdle();
    const after = model.page(running, { offset: 2500, limit: 3 }).items.map((t) => t.name);
    assert.deepEqual(during, [name(2500), name(2501), name(2502)]);
    assert.deepEqual(after, during);
  });

  it("filters before paging: case-insensitive substring of id, name, state, or the agent's hostname", async () => {
    const model = await modelWith(501);
    const byName = model.page(running, { filter: ' TASK-004 ' });
    assert.equal(byName.total, 100);
    assert.deepEqual(
      byName.items.slice(0, 2).map((t) => t.name),
      [name(400), name(401)],
    );
    assert.equal(model.count(running, 'task-004'), 100);
    assert.equal(model.page(running, { filter: 'id-17' }).total, 11); // id-17, id-170…179
    assert.equal(model.page(running, { filter: 'Running' }).total, 501);
    assert.equal(model.page(running, { filter: 'host-00001' }).total, 167); // every third task
    assert.equal(model.page(running, { filter: 'nothing like it' }).total, 0);
    assert.equal(model.page(running, { filter: '   ' }).total, 501);
  });

  it('keeps order and filters current as tasks come and go', async () => {
    const model = await modelWith(3);
    assert.equal(model.page(running, { filter: 'task-0000' }).total, 3);
    model.applyEvent({ type: 'TASK_ADDED', task_added: { task: task(7) } });
    model.applyEvent({ type: 'TASK_ADDED', task_added: { task: task(5) } });
    assert.deepEqual(
      model.page(running).items.map((t) => t.name),
      [0, 1, 2, 5, 7].map(name),
    );
    assert.equal(model.page(running, { filter: 'task-0000' }).total, 5);
    model.applyEvent({
      type: 'TASK_UPDATED',
      task_updated: {
        framework_id: { value: F },
        status: { task_id: { value: 'id-1' }, state: 'TASK_KILLED' },
        state: 'TASK_KILLED',
      },
    });
    assert.deepEqual(
      model.page(running).items.map((t) => t.name),
      [0, 2, 5, 7].map(name),
    );
    assert.equal(model.page(running, { filter: 'task-0000' }).total, 4);
    assert.deepEqual(
      model.page({ kind: 'frameworkTasks', frameworkId: F }).items.map((t) => [t.name, t.state]),
      [
        [name(0), 'TASK_RUNNING'],
        [name(1), 'TASK_KILLED'],
        [name(2), 'TASK_RUNNING'],
        [name(5), 'TASK_RUNNING'],
        [name(7), 'TASK_RUNNING'],
      ],
    );
  });

  it("counts groups without building their lists, and pages an agent's tasks", async () => {
    const model = await modelWith(10);
    model.applyEvent({ type: 'TASK_ADDED', task_added: { task: task(10, 'TASK_STAGING', 1) } });
    assert.deepEqual(model.taskGroups(F), [
      { state: 'TASK_RUNNING', count: 10 },
      { state: 'TASK_STAGING', count: 1 },
    ]);
    assert.equal(model.count({ kind: 'agentTasks', agentId: agentId(1) }), 4);
    assert.deepEqual(
      model.page({ kind: 'agentTasks', agentId: agentId(1) }).items.map((t) => t.name),
      [1, 4, 7, 10].map(name),
    );
    assert.deepEqual(model.agentTaskGroups(agentId(1)), [
      { state: 'TASK_RUNNING', count: 3 },
      { state: 'TASK_STAGING', count: 1 },
    ]);
    assert.equal(model.page({ kind: 'agentTasks', agentId: 'no such agent' }).total, 0);
    assert.equal(model.page({ kind: 'frameworkTasks', frameworkId: 'no such framework' }).total, 0);
  });

  it('pages agents by hostname, and filters them by hostname, id or status', async () => {
    const model = await modelWith(0, 501);
    const first = model.page({ kind: 'agents' });
    assert.equal(first.total, 501);
    assert.equal(first.items[0]?.hostname, 'host-00000.example');
    assert.equal(model.page({ kind: 'agents' }, { offset: 500 }).items[0]?.hostname, 'host-00500.example');
    assert.equal(model.page({ kind: 'agents', status: 'active' }).total, 501);
    assert.equal(model.page({ kind: 'agents', status: 'draining' }).total, 0);
    assert.equal(model.page({ kind: 'agents' }, { filter: 'HOST-0042' }).total, 10);
    assert.equal(model.page({ kind: 'agents' }, { filter: agentId(500) }).total, 1);
    // The filter is a literal substring: characters a regular expression would read are plain text here.
    assert.equal(model.page({ kind: 'agents' }, { filter: '01.EXAMPLE' }).total, 5);
    assert.equal(model.page({ kind: 'agents' }, { filter: '.*' }).total, 0);
    assert.equal(model.page({ kind: 'agents' }, { filter: 'host-(0' }).total, 0);
    assert.equal(model.page({ kind: 'frameworks' }, { filter: 'active' }).total, 1);
  });
});
