import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  brief,
  job,
  kinds,
  mesos,
  MIN,
  more,
  node,
  poll,
  run,
  running,
  SEC,
  start,
  T0,
  templates,
} from './autoscalerFixtures';

const linux = templates({ name: 'linux', labels: ['linux'] });

describe('autoscaler: no orphans', () => {
  it('on start, nodes without tasks are deleted, tasks without nodes killed, nodes with tasks taken over', () => {
    const leftovers = [
      node('mesos-linux-old1-4', 'busy'), // ours, task alive: taken over
      node('mesos-linux-old1-5', 'connecting'), // ours, no task: deleted
      node('mesos-linux-t1-9', 'idle'), // ours (same instance id), task alive: taken over, counter moves past it
      node('mesos-linux-zz-1', 'idle', { owner: 'staging' }), // another autoscaler's: left alone
      node('mesos-linux-old1-6', 'idle', { ours: false }), // our shape, but no marker: not ours
    ];
    const r = run(start(linux), [
      mesos(T0, {
        'mesos-linux-old1-4': running(),
        'mesos-linux-t1-9': running(),
        'mesos-linux-old1-7': running(), // task without a node: killed
        'mesos-linux-old1-8': { state: 'terminal', reason: 'TASK_FINISHED' }, // already over
        'build-123': running(), // not an agent: left alone
      }),
      poll(T0 + SEC, [job(1, 'linux'), job(2, 'linux')], leftovers),
    ]);
    const step = r.decisions[1]!;
    assert.deepEqual(brief(r.actions[1]!), [
      'delete-node mesos-linux-old1-5',
      'kill-agent mesos-linux-old1-7',
      'create-node mesos-linux-t1-10',
    ]);
    assert.deepEqual(kinds(step), ['adopt', 'adopt', 'orphan', 'orphan', 'reconcile', 'launch']);
    assert.deepEqual(
      step.filter((d) => d.kind === 'adopt').map((d) => d.agent),
      ['mesos-linux-old1-4', 'mesos-linux-t1-9'],
    );
    assert.match(
      step[4]!.reason,
      /reconciled Jenkins nodes with Mesos tasks start: 2 agent\(s\) taken over; cleaned up 1 node\(s\) without a task, 1 task\(s\) without a node/,
    );
    // the adopted idle agent takes one build; one more agent for the other
    assert.deepEqual(step[5]!.items, [2]);
    assert.equal(r.state.agents['mesos-linux-t1-9']?.phase, 'online');

    // the cleanups are tracked until both sides show them gone, and not repeated meanwhile
    const r2 = more(r, [
      poll(T0 + 5 * SEC, [], leftovers),
      mesos(T0 + 6 * SEC, { 'mesos-linux-old1-4': running(), 'mesos-linux-t1-9': running() }),
      poll(
        T0 + 10 * SEC,
        [],
        leftovers.filter((n) => n.displayName !== 'mesos-linux-old1-5'),
      ),
    ]);
    assert.deepEqual(
      r2.actions.flat().filter((a) => a.name.startsWith('mesos-linux-old1-5') || a.name === 'mesos-linux-old1-7'),
      [],
    );
    assert.equal(r2.state.agents['mesos-linux-old1-5'], undefined);
    assert.equal(r2.state.agents['mesos-linux-old1-7'], undefined);
  });

  it('after a Mesos outage: nothing is judged meanwhile, then a task without a node is killed', () => {
    const r = run(start(linux), [
      mesos(T0),
      poll(T0, []),
      mesos(T0 + SEC, {}, false),
      poll(T0 + 10 * MIN, [job(1, 'linux')]),
      mesos(T0 + 11 * MIN, { 'mesos-linux-old1-3': running() }),
      poll(T0 + 11 * MIN + 5 * SEC, []),
    ]);
    assert.deepEqual(kinds(r.decisions[2]!), ['outage']);
    assert.deepEqual(r.actions[3], []);
    assert.deepEqual(kinds(r.decisions[3]!), ['skip:waiting-for-mesos']);
    assert.deepEqual(brief(r.actions[5]!), ['kill-agent mesos-linux-old1-3']);
    assert.match(
      r.decisions[5]!.find((d) => d.kind === 'reconcile')!.reason,
      /after the Mesos scheduler reconnected: 0 agent\(s\) taken over; cleaned up 0 node\(s\) without a task, 1 task\(s\) without a node/,
    );
  });

  it('after a Jenkins outage: deadlines wait for Jenkins, and a node left without a task is deleted', () => {
    const r = run(start(linux), [
      mesos(T0),
      poll(T0, [job(1, 'linux')]),
      { kind: 'node-created', at: T0 + SEC, name: 'mesos-linux-t1-1' },
      mesos(T0 + 2 * SEC, { 'mesos-linux-t1-1': running() }),
      { kind: 'poll-failed', at: T0 + MIN, message: 'connect ECONNREFUSED 127.0.0.1:8080' },
      { kind: 'poll-failed', at: T0 + 2 * MIN, message: 'connect ECONNREFUSED 127.0.0.1:8080' },
      { kind: 'tick', at: T0 + 6 * MIN },
      mesos(T0 + 6 * MIN + SEC, { 'mesos-linux-t1-1': { state: 'terminal', reason: 'TASK_FAILED' } }),
      poll(T0 + 7 * MIN, [], [node('mesos-linux-t1-1', 'connecting'), node('mesos-linux-old1-2', 'idle')], 'S2'),
    ]);
    assert.deepEqual(kinds(r.decisions[4]!), ['outage']);
    assert.match(r.decisions[4]![0]!.reason, /Jenkins could not be polled: connect ECONNREFUSED/);
    assert.deepEqual(r.decisions[5], [], 'the same outage is reported once');
    assert.deepEqual(r.actions[6], [], 'the connect deadline passed, but Jenkins cannot be seen');
    // the task ended: judged from Mesos alone, the node is deleted (Jenkins will answer or it is sent again)
    assert.deepEqual(brief(r.actions[7]!), ['delete-node mesos-linux-t1-1']);
    // back: the delete that went out during the outage is sent again, and the orphan node is deleted
    assert.deepEqual(brief(r.actions[8]!), ['delete-node mesos-linux-t1-1', 'delete-node mesos-linux-old1-2']);
    assert.match(
      r.decisions[8]!.find((d) => d.kind === 'reconcile')!.reason,
      /after Jenkins restarted \(its X-Jenkins-Session changed\)/,
    );
  });

  it('an answer that is not a queue counts as a failed poll', () => {
    const r = run(start(linux), [
      mesos(T0),
      { kind: 'poll', at: T0, queue: '<html>Sign in</html>', computers: { computer: [] } },
    ]);
    assert.deepEqual(r.actions[1], []);
    assert.deepEqual(kinds(r.decisions[1]!), ['outage']);
    assert.match(
      r.decisions[1]![0]!.reason,
      /Jenkins could not be polled: In the build queue \(queue\/api\/json\) is the string "<html>Sign in<\/html>", expected an object/,
    );
    assert.equal(r.state.jenkins.fresh, false);
  });
});

describe('autoscaler: an unreadable queue item', () => {
  it('is reported, and the readable ones are served', () => {
    const r = run(start(linux), [mesos(T0), poll(T0, [{ buildable: true, why: 'x' }, job(2, 'linux')])]);
    assert.deepEqual(brief(r.actions[1]!), ['create-node mesos-linux-t1-1']);
    const skip = r.decisions[1]!.find((d) => d.skip === 'unknown-label')!;
    assert.equal(skip.reason, 'the queue has an item that cannot be read: queue item 1 has no numeric "id"; skipped');
  });
});
