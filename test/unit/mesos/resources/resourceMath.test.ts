import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addResources,
  containsResources,
  parseResourceFlag,
  resourceRole,
  resourcesForRole,
  resourceSummary,
  scalarTotal,
  subtractResources,
} from '../../../../src/core/mesos/resources/resourceMath';
import type { Resource } from '../../../../src/core/mesos/proto/generated/wireTypes';

const agent = parseResourceFlag('cpus:4;mem:4096;disk:10000;ports:[31000-32000];cpus(jenkins):1;mem(jenkins):1024');
const cpus = (value: number, role = '*'): Resource => ({ name: 'cpus', type: 'SCALAR', scalar: { value }, role });
const ports = (...r: [number, number][]): Resource => ({ name: 'ports', type: 'RANGES', role: '*', ranges: { range: r.map(([begin, end]) => ({ begin, end })) } });

test('the agent flag format parses unreserved and statically reserved resources', () => {
  assert.equal(scalarTotal(agent, 'cpus'), 5);
  assert.equal(scalarTotal(agent, 'mem'), 5120);
  const reserved = agent.filter((r) => resourceRole(r) === 'jenkins').map((r) => r.name).sort();
  assert.deepEqual(reserved, ['cpus', 'mem']);
  assert.throws(() => parseResourceFlag('cpus=4'), /expected name:value/);
  assert.throws(() => parseResourceFlag('ports:[5-1]'), /bad ranges/);
});

test('scalars are summed in thousandths: 0.1 + 0.2 is 0.3 exactly', () => {
  assert.equal(scalarTotal(addResources([cpus(0.1)], [cpus(0.2)]), 'cpus'), 0.3);
});

test('subtract takes ports out of the middle of a range and refuses what is not there', () => {
  const left = subtractResources(agent, [cpus(1.5), ports([31005, 31005])]);
  assert.ok(left);
  assert.equal(scalarTotal(left, 'cpus'), 3.5);
  assert.deepEqual(resourceSummary(left).ports, '[31000-31004, 31006-32000]');
  assert.equal(subtractResources(agent, [cpus(4.5)]), undefined, 'only 4 unreserved cpus');
  assert.equal(subtractResources(agent, [ports([30000, 30000])]), undefined);
  assert.equal(containsResources(agent, [cpus(1, 'jenkins')]), true);
  assert.equal(containsResources(agent, [cpus(2, 'jenkins')]), false);
});

test('a role sees unreserved resources and its own reservations only', () => {
  assert.equal(scalarTotal(resourcesForRole(agent, 'jenkins'), 'cpus'), 5);
  assert.equal(scalarTotal(resourcesForRole(agent, 'other'), 'cpus'), 4);
});

test('the legacy summary has cpus/gpus/mem/disk always and ranges as text', () => {
  assert.deepEqual(resourceSummary([ports([31000, 31099], [31200, 31299])]), {
    cpus: 0,
    gpus: 0,
    mem: 0,
    disk: 0,
    ports: '[31000-31099, 31200-31299]',
  });
});
