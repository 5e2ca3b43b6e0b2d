import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClusterModel, ClusterStateError } from '../../../src/core/cluster';
import { masterResponseCodec } from '../../../src/core/mesos/codec';
import {
  frameworkId,
  mesosJsonText,
  syntheticGetState,
  syntheticGetStateJson,
  syntheticLegacyStateJson,
} from './clusterStateBuilder';

const json = (value: unknown): Buffer => Buffer.from(mesosJsonText(value), 'utf8');

describe('loading a snapshot from its bytes', () => {
  it('gives the event loop turns while it loads: a timer set meanwhile fires before the load ends', async () => {
    const body = syntheticGetStateJson({ agents: 1000, tasks: 10_000 }); // about 13 MB
    const model = new ClusterModel();
    const order: string[] = [];
    const loading = model.load(body, 'get-state').then((result) => {
      order.push('loaded');
      return result;
    });
    setTimeout(() => order.push('timer'), 0);
    const result = await loading;
    assert.deepEqual(order, ['timer', 'loaded']);
    assert.ok(result.stats.slices > 2, `only ${result.stats.slices} slices`);
    assert.equal(model.totals().tasks, 10_000);
    await model.whenIdle();
  });

  it("reads the same model from bytes as from the codec's decoded object, nanoseconds exact", async () => {
    const options = { agents: 40, tasks: 400, offers: 5 };
    const fromBytes = new ClusterModel();
    await fromBytes.load(syntheticGetStateJson(options), 'get-state', { offers: 'snapshot' });
    const decoded = masterResponseCodec.decode(syntheticGetStateJson(options), 'json').get_state!;
    const fromObject = new ClusterModel();
    await fromObject.replaceState(decoded);
    for (const model of [fromBytes, fromObject]) await model.whenIdle();
    const view = (model: ClusterModel) => ({
      totals: { ...model.totals(), updatedAt: 0 },
      agents: model
        .page({ kind: 'agents' })
        .items.map((a) => [a.id, a.status, a.used, a.offered, a.agent?.registered_time]),
      tasks: model
        .page({ kind: 'frameworkTasks', frameworkId: decoded.get_frameworks!.frameworks![1]!.framework_info.id!.value })
        .items.map((t) => t.task),
      offers: model.page({ kind: 'offers' }).items.map((o) => o.offer),
    });
    assert.deepEqual(view(fromBytes), view(fromObject));
    assert.equal(typeof fromBytes.page({ kind: 'agents' }).items[0]?.agent?.registered_time?.nanoseconds, 'string');
    assert.equal(fromBytes.totals().offers, 5);
  });

  it('reads the legacy state of a generated cluster into the same counts and resources', async () => {
    const options = { agents: 30, tasks: 600, offers: 4 };
    const v1 = new ClusterModel();
    await v1.load(syntheticGetStateJson(options), 'get-state');
    const legacy = new ClusterModel();
    await legacy.load(syntheticLegacyStateJson(options), 'legacy-state');
    const { updatedAt: _a, ...v1Totals } = v1.totals();
    const { updatedAt: _b, ...legacyTotals } = legacy.totals();
    assert.deepEqual(legacyTotals, v1Totals);
    assert.deepEqual(
      legacy.page({ kind: 'offers' }).items.map((o) => [o.id, o.hostname, o.resources]),
      v1.page({ kind: 'offers' }).items.map((o) => [o.id, o.hostname, o.resources]),
    );
    for (const model of [v1, legacy]) await model.whenIdle();
  });

  it('keeps outstanding offers across a SUBSCRIBED snapshot, which carries none', async () => {
    const model = new ClusterModel();
    const state = syntheticGetState({ agents: 3, tasks: 6, offers: 2 });
    await model.load(json(state), 'get-state');
    assert.equal(model.totals().offers, 2);
    await model.load(
      json({ type: 'SUBSCRIBED', subscribed: { get_state: { ...state.get_state, get_frameworks: {} } } }),
      'subscribed',
    );
    assert.equal(model.totals().offers, 2);
    await model.whenIdle();
  });

  it('leaves out elements without the ids the model needs, and names them', async () => {
    const model = new ClusterModel();
    const result = await model.load(
      json({
        type: 'GET_STATE',
        get_state: {
          get_tasks: {
            tasks: [
              { name: 'no id', state: 'TASK_RUNNING' },
              {
                task_id: { value: 't' },
                framework_id: { value: 'f' },
                agent_id: { value: 'a' },
                state: 'TASK_NEW_IN_2030',
              },
            ],
          },
          get_agents: { agents: [{ active: true }] },
        },
      }),
      'get-state',
    );
    assert.equal(result.problemCount, 3);
    assert.match(result.problems.join('\n'), /task has no task_id\.value/);
    assert.match(result.problems.join('\n'), /task 't' has an unknown state "TASK_NEW_IN_2030"/);
    assert.equal(model.totals().tasks, 0);
  });

  it('reads non-finite doubles the way Mesos writes them (bare Infinity)', async () => {
    const text = mesosJsonText(syntheticGetState({ agents: 1, tasks: 1 })).replace(
      '"failover_timeout":604800',
      '"failover_timeout":Infinity',
    );
    const model = new ClusterModel();
    await model.load(Buffer.from(text), 'get-state');
    assert.equal(model.framework(frameworkId(0))?.framework?.framework_info.failover_timeout, Infinity);
  });

  const failures: [string, string | Buffer, 'get-state' | 'subscribed' | 'legacy-state', string, RegExp][] = [
    [
      'plain text',
      'Failed to validate master::Call',
      'get-state',
      'not-json',
      /not a JSON object: "Failed to validate master::Call"/,
    ],
    ['an HTML page', '<html><title>Login</title></html>', 'get-state', 'not-json', /HTML page/],
    [
      "another call's answer",
      '{"type":"GET_FRAMEWORKS","get_frameworks":{}}',
      'get-state',
      'unexpected-shape',
      /a GET_FRAMEWORKS message, not GET_STATE/,
    ],
    ['a response without state', '{"type":"GET_STATE"}', 'get-state', 'unexpected-shape', /no get_state/],
    [
      'a body cut short',
      '{"type":"GET_STATE","get_state":{"get_tasks":{"tasks":[{"name":"x"',
      'get-state',
      'not-json',
      /ends/,
    ],
    [
      'broken JSON inside an array',
      '{"type":"GET_STATE","get_state":{"get_tasks":{"tasks":[{"name":x}]}}}',
      'get-state',
      'not-json',
      /not valid JSON/,
    ],
    [
      'a GET_STATE where SUBSCRIBED is expected',
      '{"type":"GET_STATE","get_state":{}}',
      'subscribed',
      'unexpected-shape',
      /not SUBSCRIBED/,
    ],
    [
      'JSON that is no /master/state',
      '{"flags":{}}',
      'legacy-state',
      'unexpected-shape',
      /neither slaves nor frameworks/,
    ],
    ['an empty body', '', 'legacy-state', 'not-json', /the body is empty/],
    ['a JSON array', '[]', 'legacy-state', 'not-json', /not a JSON object/],
  ];
  for (const [what, body, format, kind, reason] of failures) {
    it(`rejects ${what} with a ClusterStateError (${kind}) and changes nothing`, async () => {
      const model = new ClusterModel();
      await model.load(syntheticGetStateJson({ agents: 2, tasks: 3 }), 'get-state');
      const error = await model.load(Buffer.from(body), format).then(
        () => assert.fail('expected a rejection'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof ClusterStateError, String(error));
      assert.equal(error.kind, kind);
      assert.match(error.message, reason);
      assert.ok(error.nextStep.length > 0);
      assert.equal(model.totals().tasks, 3);
      await model.whenIdle();
    });
  }

  it("stops when its signal aborts, with the signal's reason, and keeps the model as it was", async () => {
    const model = new ClusterModel();
    const controller = new AbortController();
    const loading = model.load(syntheticGetStateJson({ agents: 500, tasks: 5000 }), 'get-state', {
      signal: controller.signal,
    });
    const reason = new Error('view closed');
    controller.abort(reason);
    await assert.rejects(loading, (e) => e === reason);
    assert.equal(model.isLoaded, false);
    assert.equal(model.totals().tasks, 0);
  });

  it('stops a load when disposed', async () => {
    const model = new ClusterModel();
    const loading = model.load(syntheticGetStateJson({ agents: 500, tasks: 5000 }), 'get-state');
    model.dispose();
    await assert.rejects(loading, { name: 'ClusterStateError', kind: 'superseded' });
    await model.whenIdle();
  });
});
