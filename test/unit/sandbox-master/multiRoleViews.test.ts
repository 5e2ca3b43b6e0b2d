import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Resource } from '../../../src/core/mesos/codec';
import { parseResourceFlag } from '../../../src/core/mesos/resources/resourceMath';
import { agentJson, frameworkJson, rolesJson } from '../../../src/sandbox/mesos/master/legacyViews';
import { withLegacyRole, withoutLegacyRole } from '../../../src/sandbox/mesos/master/masterUsage';
import { getStateView, offerView } from '../../../src/sandbox/mesos/master/operatorViews';
import { SandboxMaster } from '../../../src/sandbox/mesos/master/sandboxMaster';
import { FakeAgentRuntime, FakeSubscriber } from '../../integration/sandbox-master/masterTestBed';

// How the views show roles: allocation roles on what a MULTI_ROLE framework holds, reservations in both
// resource formats, and the role lists of the legacy endpoints. Built on the model alone, no HTTP.

const describeResource = (r: Resource) =>
  `${r.name}:${r.role ?? '-'}:${r.allocation_info?.role ?? '-'}:${(r.reservations ?? []).map((x) => x.role).join('/') || '-'}`;

describe('views of a MULTI_ROLE framework on reserved resources', () => {
  const master = new SandboxMaster({ clock: () => 1_795_566_000_000 });
  let agentId: string;
  let frameworkId: string;

  before(() => {
    const agent = master.addAgent(
      (id) => new FakeAgentRuntime(id),
      { hostname: '127.0.0.1', port: 15051, resources: parseResourceFlag('cpus:2;mem:1024;cpus(jenkins):1') },
      'http://127.0.0.1:15051',
    );
    agentId = agent.id;
    const subscriber = new FakeSubscriber();
    const refused = master.subscribe(
      {
        type: 'SUBSCRIBE',
        subscribe: {
          framework_info: {
            user: 'jenkins',
            name: 'autoscaler',
            roles: ['jenkins'],
            capabilities: [{ type: 'MULTI_ROLE' }],
          },
        },
      },
      subscriber,
      'stream',
    );
    assert.equal(refused, undefined);
    frameworkId = subscriber.events[0]!.subscribed!.framework_id.value;
    const offer = subscriber.offers()[0]!;
    const reservedCpu = offer.resources!.find((r) => r.name === 'cpus' && r.role === 'jenkins')!;
    const result = master.call(
      {
        type: 'ACCEPT',
        framework_id: { value: frameworkId },
        accept: {
          offer_ids: [offer.id],
          operations: [
            {
              type: 'LAUNCH',
              launch: {
                task_infos: [
                  {
                    name: 'agent-1',
                    task_id: { value: 'agent-1' },
                    agent_id: offer.agent_id,
                    resources: [
                      { ...reservedCpu, scalar: { value: 1 } },
                      {
                        name: 'mem',
                        type: 'SCALAR',
                        scalar: { value: 256 },
                        role: '*',
                        allocation_info: { role: 'jenkins' },
                      },
                    ],
                    command: { value: 'java -jar agent.jar', user: 'jenkins' },
                  },
                ],
              },
            },
          ],
        },
      },
      'stream',
    );
    assert.equal(result.status, 202);
    assert.equal(master.tasks.size, 1, JSON.stringify(subscriber.events.at(-1)));
  });
  after(async () => master.stop());

  test('the task and the agent show the allocation role; agent_info keeps reservations, total_resources the role field', () => {
    const state = getStateView(master);
    const [task] = state.get_tasks!.tasks!;
    assert.ok(task!.resources!.every((r) => r.allocation_info?.role === 'jenkins'));
    assert.equal(task!.user, 'jenkins', "the command's user is the task's user");
    const [agent] = state.get_agents!.agents!;
    assert.deepEqual(agent!.agent_info.resources!.map(describeResource), [
      'cpus:-:-:-',
      'mem:-:-:-',
      'cpus:-:-:jenkins',
    ]);
    assert.deepEqual(agent!.total_resources!.map(describeResource), ['cpus:*:-:-', 'mem:*:-:-', 'cpus:jenkins:-:-']);
    assert.deepEqual(
      agent!.allocated_resources!.map((r) => `${describeResource(r)}=${r.scalar?.value}`),
      ['cpus:jenkins:jenkins:-=1', 'mem:*:jenkins:-=256'],
    );
    const [framework] = state.get_frameworks!.frameworks!;
    assert.deepEqual(framework!.allocated_resources, agent!.allocated_resources);
  });

  test('legacy views: roles instead of role, reservations per role, and /master/roles', () => {
    const fw = frameworkJson(master, master.frameworks.get(frameworkId)!);
    assert.deepEqual(fw.roles, ['jenkins']);
    assert.equal('role' in fw, false);
    assert.deepEqual(fw.capabilities, ['MULTI_ROLE']);
    const agent = agentJson(master, master.agents.get(agentId)!, true);
    assert.deepEqual(agent.reserved_resources, { jenkins: { cpus: 1, gpus: 0, mem: 0, disk: 0 } });
    assert.deepEqual(agent.unreserved_resources, { cpus: 2, gpus: 0, mem: 1024, disk: 0 });
    assert.deepEqual((agent.reserved_resources_full as Record<string, Resource[]>).jenkins!.map(describeResource), [
      'cpus:jenkins:-:-',
    ]);
    const roles = rolesJson(master).roles as Record<string, unknown>[];
    assert.deepEqual(
      roles.map((r) => r.name),
      ['jenkins'],
    );
    assert.deepEqual(roles[0]!.allocated, { cpus: 1, mem: 256 });
    assert.deepEqual(roles[0]!.reserved, { cpus: 1 });
    assert.deepEqual(roles[0]!.frameworks, [frameworkId]);
  });

  test('an outstanding offer is shown with its allocation role even to the operator of a non-MULTI_ROLE framework', () => {
    const shown = offerView({
      offer: {
        id: { value: 'o' },
        framework_id: { value: 'f' },
        agent_id: { value: 'a' },
        hostname: 'h',
        resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: '*' }],
      },
      frameworkId: 'f',
      agentId: 'a',
      role: '*',
      resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }],
    });
    assert.deepEqual(shown.allocation_info, { role: '*' });
    assert.deepEqual(shown.resources!.map(describeResource), ['cpus:*:*:-']);
  });
});

test('the two resource formats convert both ways for static reservations', () => {
  const post: Resource = {
    name: 'cpus',
    type: 'SCALAR',
    scalar: { value: 1 },
    reservations: [{ type: 'STATIC', role: 'a' }],
  };
  const pre: Resource = { name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: 'a' };
  assert.deepEqual(withLegacyRole(post), pre);
  assert.deepEqual(withoutLegacyRole(pre), post);
  assert.deepEqual(withLegacyRole({ name: 'mem', type: 'SCALAR' }), { name: 'mem', type: 'SCALAR', role: '*' });
  assert.deepEqual(withoutLegacyRole({ name: 'mem', type: 'SCALAR', role: '*' }), { name: 'mem', type: 'SCALAR' });
  const refined: Resource = {
    name: 'cpus',
    type: 'SCALAR',
    reservations: [
      { type: 'STATIC', role: 'a' },
      { type: 'DYNAMIC', role: 'a/b' },
    ],
  };
  assert.equal(withLegacyRole(refined).role, 'a/b');
  assert.equal(withLegacyRole(refined).reservations?.length, 2, 'a refined reservation cannot be folded into one role');
});
