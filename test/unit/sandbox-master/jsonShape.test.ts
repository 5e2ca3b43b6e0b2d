import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareShapes, describeDifference, mergeShapes, shapeOf } from '../../integration/sandbox-master/jsonShape';

// The shape comparison the sandbox's parity tests rely on must itself see every kind of difference.

const real = {
  type: 'GET_AGENTS',
  get_agents: {
    agents: [{ active: true, registered_time: { nanoseconds: 1795566157810769920 } }],
    recovered_agents: [],
  },
};

test('identical shapes with other values agree', () => {
  const ours = {
    type: 'GET_AGENTS',
    get_agents: {
      agents: [
        { active: false, registered_time: { nanoseconds: 5 } },
        { active: true, registered_time: { nanoseconds: 6 } },
      ],
      recovered_agents: [],
    },
  };
  assert.equal(describeDifference(compareShapes(shapeOf(ours), shapeOf(real))), undefined);
});

test('a missing key, an extra key and another type are each reported', () => {
  const ours = {
    type: 'GET_AGENTS',
    get_agents: { agents: [{ active: 'yes', registered_time: { nanoseconds: '1795566157810769920' }, pid: 'x' }] },
  };
  const diff = compareShapes(shapeOf(ours), shapeOf(real));
  assert.deepEqual(diff.extra, ['.get_agents.agents[].pid']);
  assert.deepEqual(diff.missing, ['.get_agents.recovered_agents']);
  assert.deepEqual(diff.typeMismatch, [
    '.get_agents.agents[].active: string where Mesos has boolean',
    '.get_agents.agents[].registered_time.nanoseconds: string where Mesos has number',
  ]);
});

test('an empty list is not the same as an absent one, and an element key under it counts', () => {
  const diff = compareShapes(shapeOf({ a: [{ b: 1 }] }), shapeOf({ a: [] }));
  assert.deepEqual(diff.extra, ['.a[]', '.a[].b']);
  assert.deepEqual(compareShapes(shapeOf({}), shapeOf({ a: [] })).missing, ['.a']);
});

test('optional paths and their subtrees may be missing; map keys are folded', () => {
  const expected = shapeOf({ s: [{ reason: 'R', c: { d: 1 } }], flags: { port: '5050', quiet: 'false' } }, ['flags']);
  const ours = shapeOf({ s: [{}], flags: { hostname: 'h' } }, ['flags']);
  assert.deepEqual(compareShapes(ours, expected, ['.s[].reason', '.s[].c']), {
    extra: [],
    missing: [],
    typeMismatch: [],
  });
});

test('merged shapes hold what either document has', () => {
  const merged = mergeShapes(shapeOf({ a: 1 }), shapeOf({ a: 'x', b: true }));
  assert.deepEqual([...merged.get('.a')!].sort(), ['number', 'string']);
  assert.ok(merged.has('.b'));
});
