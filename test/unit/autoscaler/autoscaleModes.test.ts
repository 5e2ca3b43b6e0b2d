import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brief, job, kinds, mesos, more, node, poll, run, SEC, start, T0, templates } from './autoscalerFixtures';

const linux = templates({ name: 'linux', labels: ['linux'], idleMinutes: 0 });

describe('autoscaler: dry run', () => {
  it('records each decision once while it holds, does nothing, and changes no agents', () => {
    const builds = [job(1, 'linux'), job(2, 'windows')];
    const r = run(start(linux), [
      { kind: 'dry-run', at: T0, enabled: true },
      mesos(T0),
      poll(T0 + SEC, builds, [node('mesos-linux-old1-1', 'idle')]),
      poll(T0 + 5 * SEC, builds, [node('mesos-linux-old1-1', 'idle')]),
      poll(T0 + 10 * SEC, [...builds, job(3, 'linux')], [node('mesos-linux-old1-1', 'idle')]),
    ]);
    assert.deepEqual(r.actions.flat(), []);
    assert.deepEqual(kinds(r.decisions[0]!), ['mode']);
    assert.deepEqual(kinds(r.decisions[2]!), ['skip:no-template', 'orphan', 'reconcile', 'launch']);
    assert.ok(r.decisions[2]!.every((d) => d.dryRun === true));
    assert.equal(r.decisions[2]![3]!.agent, 'mesos-linux-t1-1');
    assert.deepEqual(r.decisions[3], [], 'unchanged: nothing new to report');
    // a third build changes the plan: the would-be launches are reported again, under the same names
    assert.deepEqual(
      r.decisions[4]!.filter((d) => d.kind === 'launch').map((d) => [d.agent, d.items]),
      [
        ['mesos-linux-t1-1', [1]],
        ['mesos-linux-t1-2', [3]],
      ],
    );
    assert.deepEqual([r.state.agents, r.state.counter], [{}, 0]);

    // dry run off: the same plan is carried out
    const live = more(r, [
      { kind: 'dry-run', at: T0 + 11 * SEC, enabled: false },
      poll(T0 + 15 * SEC, builds, [node('mesos-linux-old1-1', 'idle')]),
    ]);
    assert.deepEqual(brief(live.actions[1]!), ['delete-node mesos-linux-old1-1', 'create-node mesos-linux-t1-1']);
    assert.ok(live.decisions[1]!.every((d) => d.dryRun === undefined));
  });
});

describe('autoscaler: pause', () => {
  it('launches nothing, removes nothing for idling and leaves orphans, until resumed', () => {
    const r = run(start(linux), [
      mesos(T0),
      poll(T0, [job(1, 'linux')]),
      { kind: 'node-created', at: T0 + SEC, name: 'mesos-linux-t1-1' },
      { kind: 'pause', at: T0 + 2 * SEC },
      poll(T0 + 30 * SEC, [job(2, 'linux')], [node('mesos-linux-t1-1', 'idle'), node('mesos-linux-old1-1', 'idle')]),
      poll(T0 + 40 * SEC, [], [node('mesos-linux-t1-1', 'idle'), node('mesos-linux-old1-1', 'idle')]),
      { kind: 'resume', at: T0 + 50 * SEC },
      poll(T0 + 60 * SEC, [], [node('mesos-linux-t1-1', 'idle'), node('mesos-linux-old1-1', 'idle')]),
    ]);
    assert.deepEqual(kinds(r.decisions[3]!), ['mode']);
    assert.deepEqual(r.actions.slice(3, 6).flat(), []);
    // the agent that was starting still connects; the idle executor covers build 2, so only the orphan is a skip
    assert.deepEqual(kinds(r.decisions[4]!), ['connected', 'skip:paused']);
    assert.match(r.decisions[4]![1]!.reason, /paused: left alone until resumed: 1 node\(s\) without a task/);
    assert.deepEqual(r.decisions[5], [], 'the pause skip is reported once');
    assert.deepEqual(brief(r.actions[7]!), ['offline-node mesos-linux-t1-1', 'delete-node mesos-linux-old1-1']);
  });

  it('paused builds are reported as waiting', () => {
    const r = run(start(linux), [
      { kind: 'pause', at: T0 },
      mesos(T0),
      poll(T0 + SEC, [job(1, 'linux')]),
      { kind: 'resume', at: T0 + 2 * SEC },
      poll(T0 + 3 * SEC, [job(1, 'linux')]),
    ]);
    assert.deepEqual(r.actions[2], []);
    assert.deepEqual(
      r.decisions[2]!.filter((d) => d.kind === 'skip').map((d) => [d.skip, d.items]),
      [['paused', [1]]],
    );
    assert.deepEqual(brief(r.actions[4]!), ['create-node mesos-linux-t1-1']);
  });
});
