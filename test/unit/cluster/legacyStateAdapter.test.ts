import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  agentFromLegacy,
  ClusterModel,
  frameworkFromLegacy,
  offerFromLegacy,
  resourcesFromSummary,
  taskFromLegacy,
} from '../../../src/core/cluster';

describe('the legacy /master/state adapter', () => {
  it('turns a resources summary into a Resource list: scalars, ranges, sets, revocable; zeros left out', () => {
    assert.deepEqual(
      resourcesFromSummary({
        cpus: 4,
        gpus: 0,
        mem: 15000,
        disk: 0,
        ports: '[31000-31099, 31200-31299]',
        zones: '{a, b}',
        cpus_revocable: 2,
      }),
      [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 4 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 15000 } },
        {
          name: 'ports',
          type: 'RANGES',
          ranges: {
            range: [
              { begin: 31000, end: 31099 },
              { begin: 31200, end: 31299 },
            ],
          },
        },
        { name: 'zones', type: 'SET', set: { item: ['a', 'b'] } },
        { name: 'cpus', type: 'SCALAR', scalar: { value: 2 }, revocable: {} },
      ],
    );
    assert.deepEqual(resourcesFromSummary(undefined), []);
  });

  it('maps an agent: ids, attributes, times in nanoseconds, used and offered, draining', () => {
    const agent = agentFromLegacy({
      id: 'm-S3',
      hostname: 'a3',
      port: 5051,
      attributes: { rack: 'r12', zone_id: 3 },
      registered_time: 1795566157.81077,
      resources: { cpus: 4, mem: 4096, ports: '[31000-32000]' },
      used_resources: { cpus: 1 },
      offered_resources: { mem: 512 },
      active: true,
      deactivated: true,
      version: '1.12.0',
      capabilities: ['MULTI_ROLE'],
      drain_info: { state: 'DRAINING', config: { mark_gone: true } },
    });
    assert.deepEqual(agent.agent_info.attributes, [
      { name: 'rack', type: 'TEXT', text: { value: 'r12' } },
      { name: 'zone_id', type: 'SCALAR', scalar: { value: 3 } },
    ]);
    assert.equal(agent.agent_info.id?.value, 'm-S3');
    assert.deepEqual(agent.registered_time, { nanoseconds: '1795566157810770000' });
    assert.deepEqual(agent.allocated_resources, [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }]);
    assert.deepEqual(agent.offered_resources, [{ name: 'mem', type: 'SCALAR', scalar: { value: 512 } }]);
    assert.deepEqual(agent.capabilities, [{ type: 'MULTI_ROLE' }]);
    assert.deepEqual(agent.drain_info, { state: 'DRAINING', config: { mark_gone: true } });
  });

  it('maps a task with its statuses, labels and executor; a command task has none', () => {
    const task = taskFromLegacy({
      id: 't1',
      name: 'build',
      framework_id: 'f1',
      executor_id: '',
      slave_id: 's1',
      state: 'TASK_RUNNING',
      resources: { cpus: 0.5, mem: 64, gpus: 0, disk: 0 },
      statuses: [{ state: 'TASK_RUNNING', timestamp: 1795566364.72, healthy: true }],
      labels: [{ key: 'k', value: 'v' }],
    });
    assert.deepEqual(task, {
      name: 'build',
      task_id: { value: 't1' },
      framework_id: { value: 'f1' },
      agent_id: { value: 's1' },
      state: 'TASK_RUNNING',
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 64 } },
      ],
      statuses: [
        {
          task_id: { value: 't1' },
          state: 'TASK_RUNNING',
          agent_id: { value: 's1' },
          timestamp: 1795566364.72,
          healthy: true,
        },
      ],
      labels: { labels: [{ key: 'k', value: 'v' }] },
    });
    assert.deepEqual(
      taskFromLegacy({ id: 't2', framework_id: 'f1', executor_id: 'e', slave_id: 's1', state: 'TASK_STAGING' })
        .executor_id,
      {
        value: 'e',
      },
    );
  });

  it('maps a framework with its role or roles, and leaves out an unregistration that never happened', () => {
    const framework = frameworkFromLegacy({
      id: 'f1',
      name: 'jenkins',
      user: 'root',
      active: true,
      connected: true,
      recovered: false,
      roles: ['ci'],
      role: '*',
      hostname: '',
      webui_url: 'http://jenkins',
      capabilities: ['MULTI_ROLE'],
      registered_time: 10,
      unregistered_time: 0,
      used_resources: { cpus: 1 },
    });
    assert.deepEqual(framework.framework_info, {
      user: 'root',
      name: 'jenkins',
      id: { value: 'f1' },
      roles: ['ci'],
      webui_url: 'http://jenkins',
      capabilities: [{ type: 'MULTI_ROLE' }],
    });
    assert.deepEqual(framework.registered_time, { nanoseconds: 10_000_000_000 });
    assert.equal(framework.unregistered_time, undefined);
    assert.deepEqual(
      offerFromLegacy({ id: 'o1', framework_id: 'f1', slave_id: 's1', resources: { cpus: 2 } }, 'a1').hostname,
      'a1',
    );
  });

  it("names malformed legacy elements in the load's problems and keeps the rest", async () => {
    const model = new ClusterModel();
    const result = await model.load(
      Buffer.from(
        JSON.stringify({
          slaves: [{ id: 's1', hostname: 'a1', active: true }, { hostname: 'no id' }],
          frameworks: [
            {
              id: 'f1',
              name: 'jenkins',
              active: true,
              tasks: [
                { id: 't1', framework_id: 'f1', slave_id: 's1', state: 'TASK_RUNNING' },
                { id: 't2', framework_id: 'f1', slave_id: 's1', state: 'TASK_RUNNING', statuses: 'not a list' },
                { id: 't3', state: 'TASK_RUNNING' },
              ],
              offers: [{}],
            },
          ],
        }),
      ),
      'legacy-state',
    );
    assert.equal(result.problemCount, 4);
    assert.match(result.problems.join('\n'), /legacy agent has no id/);
    assert.match(result.problems.join('\n'), /legacy task 't2' is malformed: statuses is not a list/);
    assert.match(result.problems.join('\n'), /legacy task 't3' has no framework_id or slave_id/);
    assert.match(result.problems.join('\n'), /legacy offer has no id/);
    assert.equal(model.totals().tasks, 1);
    assert.equal(model.agent('s1')?.hostname, 'a1');
  });
});
