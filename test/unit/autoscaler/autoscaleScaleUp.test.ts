import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inboundAgentSpec } from '../../../src/core/jenkins/inboundAgentSpec';
import type { AutoscalerAction } from '../../../src/core/scheduler/autoscaler/autoscalerAction';
import {
  brief,
  job,
  kinds,
  mesos,
  more,
  node,
  pipeline,
  poll,
  run,
  running,
  SEC,
  start,
  T0,
  templates,
} from './autoscalerFixtures';

const linux = (more: Record<string, unknown> = {}) =>
  templates({ name: 'linux', labels: ['linux', 'mesos'], cpus: 0.5, mem: 1024, ...more });

describe('autoscaler: scale up', () => {
  it('a burst of builds gets one agent per executor-full of builds, node first, then the task', () => {
    const r = run(start(linux({ executors: 2 })), [
      mesos(T0),
      poll(
        T0 + SEC,
        [1, 2, 3, 4, 5].map((id) => job(id, 'linux')),
      ),
    ]);
    const actions = r.actions[1]!;
    assert.deepEqual(brief(actions), [
      'create-node mesos-linux-t1-1',
      'create-node mesos-linux-t1-2',
      'create-node mesos-linux-t1-3',
    ]);
    assert.deepEqual(actions[0], {
      kind: 'create-node',
      name: 'mesos-linux-t1-1',
      template: 'linux',
      labels: ['linux', 'mesos'],
      executors: 2,
      remoteFs: 'jenkins',
      mode: 'EXCLUSIVE',
      description: 'Jenkins agent on Mesos (template linux), managed by Mesos Ops [mesos-ops:prod]; removed when idle',
      webSocket: true,
    } satisfies AutoscalerAction);
    // the Jenkins client takes the action as its node request
    const create = actions[0] as Extract<AutoscalerAction, { kind: 'create-node' }>;
    assert.equal(inboundAgentSpec(create).labelString, 'linux mesos');
    const launches = r.decisions[1]!.filter((d) => d.kind === 'launch');
    assert.deepEqual(
      launches.map((d) => [d.agent, d.items, d.label, d.attempt]),
      [
        ['mesos-linux-t1-1', [1, 2], 'linux', 1],
        ['mesos-linux-t1-2', [3, 4], 'linux', 1],
        ['mesos-linux-t1-3', [5], 'linux', 1],
      ],
    );
    assert.deepEqual(launches[0]!.resources, { cpus: 0.5, mem: 1024, disk: 0 });
    assert.equal(launches[0]!.at, T0 + SEC);
    assert.match(
      launches[0]!.reason,
      /2 build\(s\) wait for linux; linux has 0 idle and 0 starting executor\(s\) for 5 waiting build\(s\)/,
    );

    // Jenkins created the nodes: each gets its task; the next poll sees them connecting and launches nothing more
    const names = ['mesos-linux-t1-1', 'mesos-linux-t1-2', 'mesos-linux-t1-3'];
    const r2 = more(r, [
      ...names.map((name, i) => ({ kind: 'node-created' as const, at: T0 + 2 * SEC + i, name })),
      poll(
        T0 + 5 * SEC,
        [1, 2, 3, 4, 5].map((id) => job(id, 'linux')),
        names.map((n) => node(n, 'connecting', { executors: 2 })),
      ),
    ]);
    assert.deepEqual(
      r2.actions.slice(0, 3).flat(),
      names.map((name) => ({ kind: 'launch-agent', name, template: 'linux' })),
    );
    assert.deepEqual(r2.actions[3], []);
    assert.deepEqual(r2.decisions[3], []);

    // placed by Mesos, then online in Jenkins and busy: placed and connected are recorded
    const r3 = more(r2, [
      mesos(T0 + 10 * SEC, Object.fromEntries(names.map((n) => [n, running()]))),
      poll(
        T0 + 40 * SEC,
        [],
        names.map((n) => node(n, 'busy', { executors: 2 })),
      ),
    ]);
    assert.deepEqual(kinds(r3.decisions[0]!), ['placed', 'placed', 'placed']);
    assert.deepEqual(
      [r3.decisions[0]![0]!.offerId, r3.decisions[0]![0]!.mesosAgentId, r3.decisions[0]![0]!.hostname],
      ['O1', 'S1', 'agent-1'],
    );
    assert.deepEqual(kinds(r3.decisions[1]!), ['connected', 'connected', 'connected']);
    assert.deepEqual(
      Object.values(r3.state.agents).map((a) => a.phase),
      ['online', 'online', 'online'],
    );
  });

  it('idle executors of online agents and agents still starting count as capacity', () => {
    const r = run(start(linux()), [
      mesos(T0),
      poll(T0, [job(1, 'linux')]),
      { kind: 'node-created', at: T0 + SEC, name: 'mesos-linux-t1-1' },
      // a second build arrives while the first agent is still connecting: one more agent, not two
      poll(T0 + 5 * SEC, [job(1, 'linux'), job(2, 'linux')], [node('mesos-linux-t1-1', 'connecting')]),
      // the first agent is online and idle; a third build comes: the idle executor takes it
      poll(T0 + 60 * SEC, [job(3, 'linux')], [node('mesos-linux-t1-1', 'idle'), node('mesos-linux-t1-2', 'busy')]),
    ]);
    assert.deepEqual(brief(r.actions[3]!), ['create-node mesos-linux-t1-2']);
    assert.deepEqual(r.decisions[3]!.find((d) => d.kind === 'launch')?.items, [2]);
    assert.deepEqual(r.actions[4], []);
  });

  it('caps at the template maximum with one limit skip, reported once while it holds', () => {
    const items = [1, 2, 3, 4].map((id) => job(id, 'linux'));
    const r = run(start(linux({ maxAgents: 2 })), [mesos(T0), poll(T0, items), poll(T0 + 5 * SEC, items)]);
    assert.deepEqual(brief(r.actions[1]!), ['create-node mesos-linux-t1-1', 'create-node mesos-linux-t1-2']);
    const skip = r.decisions[1]!.find((d) => d.kind === 'skip');
    assert.deepEqual([skip?.skip, skip?.template, skip?.items, skip?.label], ['limit', 'linux', [3, 4], 'linux']);
    assert.match(skip!.reason, /2 build\(s\) wait, but linux has reached its maximum of 2 agent\(s\)/);
    assert.deepEqual(r.decisions[2], []);
    // the limit clears and comes back: reported again
    const r2 = more(r, [
      poll(T0 + 10 * SEC, items.slice(0, 2), [
        node('mesos-linux-t1-1', 'connecting'),
        node('mesos-linux-t1-2', 'connecting'),
      ]),
      poll(T0 + 15 * SEC, items),
    ]);
    assert.deepEqual(kinds(r2.decisions[0]!), []);
    assert.deepEqual(kinds(r2.decisions[1]!), ['skip:limit']);
  });

  it('caps at the global maximum across templates', () => {
    const list = templates({ name: 'linux', labels: ['linux'] }, { name: 'gpu', labels: ['gpu'] });
    const r = run(start(list, { maxAgents: 2 }), [
      mesos(T0),
      poll(T0, [job(1, 'linux'), job(2, 'linux'), job(3, 'gpu')]),
    ]);
    assert.deepEqual(brief(r.actions[1]!), ['create-node mesos-linux-t1-1', 'create-node mesos-linux-t1-2']);
    const skip = r.decisions[1]!.find((d) => d.kind === 'skip')!;
    assert.deepEqual([skip.skip, skip.template, skip.items], ['limit', 'gpu', [3]]);
    assert.match(skip.reason, /all templates together have reached the maximum of 2/);
  });

  it('a label no template serves is a skip naming the label; the first matching template wins', () => {
    const list = templates({ name: 'small', labels: ['linux'] }, { name: 'big', labels: ['linux', 'big'] });
    const r = run(start(list), [
      mesos(T0),
      poll(T0, [
        job(1, 'windows'),
        job(2, 'windows'),
        job(3, 'linux docker'),
        job(4, 'linux && big'),
        job(5, 'linux'),
        job(6, null),
      ]),
    ]);
    assert.deepEqual(brief(r.actions[1]!), ['create-node mesos-small-t1-1', 'create-node mesos-big-t1-2']);
    assert.deepEqual(
      r.decisions[1]!.filter((d) => d.kind === 'launch').map((d) => [d.template, d.items]),
      [
        ['small', [5]],
        ['big', [4]],
      ],
    );
    const skips = r.decisions[1]!.filter((d) => d.kind === 'skip').map((d) => [d.skip, d.label, d.items]);
    assert.deepEqual(skips, [
      ['no-template', 'windows', [1, 2]],
      ['no-template', 'linux docker', [3]],
      ['no-template', '(none)', [6]],
    ]);
    const lax = r.decisions[1]!.find((d) => d.label === 'linux docker')!;
    assert.match(lax.reason, /not a valid label expression, so Jenkins takes all of it as one label; use &&/);
  });

  it('unlabeled builds go to a template that serves them, on NORMAL-mode nodes', () => {
    const list = templates({ name: 'any', labels: ['generic'], servesUnlabeled: true });
    const r = run(start(list), [mesos(T0), poll(T0, [job(1, null)], [node('static-1', 'busy', { ours: false })])]);
    const create = r.actions[1]![0] as Extract<AutoscalerAction, { kind: 'create-node' }>;
    assert.deepEqual([create.name, create.mode], ['mesos-any-t1-1', 'NORMAL']);
    assert.equal(r.decisions[1]!.find((d) => d.kind === 'launch')?.label, '(none)');
  });

  it("Pipeline demand: a label from why; a resumed Pipeline's vanished agent is never provisioned", () => {
    const r = run(start(linux()), [
      mesos(T0),
      poll(T0, [
        pipeline(1, 'All nodes of label ‘linux&&mesos’ are offline'),
        pipeline(2, 'There are no nodes with the label ‘mesos-linux-old1-7’'),
      ]),
    ]);
    assert.deepEqual(brief(r.actions[1]!), ['create-node mesos-linux-t1-1']);
    const skip = r.decisions[1]!.find((d) => d.kind === 'skip')!;
    assert.deepEqual([skip.skip, skip.items, skip.label], ['node', [2], 'mesos-linux-old1-7']);
    assert.match(skip.reason, /which is gone \(a Pipeline resumed after a restart\)/);
  });

  it('a build waiting "on" our only agent by name counts for that agent\'s template', () => {
    const r = run(start(linux()), [
      mesos(T0),
      poll(T0, [job(1, 'linux')]),
      { kind: 'node-created', at: T0 + SEC, name: 'mesos-linux-t1-1' },
      mesos(T0 + 2 * SEC, { 'mesos-linux-t1-1': running() }),
      poll(T0 + 30 * SEC, [], [node('mesos-linux-t1-1', 'busy')]),
      poll(
        T0 + 35 * SEC,
        [pipeline(2, 'Waiting for next available executor on ‘mesos-linux-t1-1’')],
        [node('mesos-linux-t1-1', 'busy')],
      ),
      poll(
        T0 + 40 * SEC,
        [pipeline(3, 'Waiting for next available executor on ‘static-1’')],
        [node('mesos-linux-t1-1', 'busy'), node('static-1', 'busy', { ours: false })],
      ),
    ]);
    assert.deepEqual(brief(r.actions[5]!), ['create-node mesos-linux-t1-2']);
    assert.equal(r.decisions[5]!.find((d) => d.kind === 'launch')?.label, '(only node mesos-linux-t1-1)');
    assert.deepEqual(r.actions[6], []);
    const skip = r.decisions[6]!.find((d) => d.kind === 'skip')!;
    assert.deepEqual([skip.skip, skip.items], ['node', [3]]);
    assert.match(skip.reason, /node ‘static-1’, which the autoscaler does not manage/);
  });

  it('nothing is launched before the Mesos side is reconciled', () => {
    const r = run(start(linux()), [
      poll(T0, [job(1, 'linux')]),
      mesos(T0 + SEC, {}, false),
      poll(T0 + 5 * SEC, [job(1, 'linux')]),
      mesos(T0 + 6 * SEC),
      poll(T0 + 10 * SEC, [job(1, 'linux')]),
    ]);
    assert.deepEqual(r.actions.slice(0, 4).flat(), []);
    assert.deepEqual(kinds(r.decisions[0]!), ['skip:waiting-for-mesos']);
    assert.deepEqual(kinds(r.decisions[1]!), ['outage']);
    assert.deepEqual(kinds(r.decisions[2]!), []);
    assert.deepEqual(brief(r.actions[4]!), ['create-node mesos-linux-t1-1']);
    assert.match(
      r.decisions[4]!.find((d) => d.kind === 'reconcile')!.reason,
      /reconciled Jenkins nodes with Mesos tasks start/,
    );
  });
});
