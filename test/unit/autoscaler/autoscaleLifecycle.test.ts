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

const A1 = 'mesos-linux-t1-1';
const A2 = 'mesos-linux-t1-2';
const A3 = 'mesos-linux-t1-3';
const linux = (extra: Record<string, unknown> = {}) =>
  templates({ name: 'linux', labels: ['linux'], idleMinutes: 2, ...extra });

describe('autoscaler: an agent that does not connect', () => {
  it('is killed and deleted at its deadline, and the launch is retried after a growing backoff', () => {
    const build = [job(1, 'linux')];
    const r = run(start(linux(), { connectTimeoutMs: 5 * MIN, backoffBaseMs: 10 * SEC }), [
      mesos(T0),
      poll(T0, build),
      { kind: 'node-created', at: T0 + SEC, name: A1 },
      mesos(T0 + 2 * SEC, { [A1]: running('agent-7') }),
      poll(T0 + 4 * MIN, build, [node(A1, 'connecting')]),
      poll(T0 + 5 * MIN, build, [node(A1, 'connecting')]),
    ]);
    assert.deepEqual(r.actions[4], [], 'before the deadline it is waited for');
    assert.deepEqual(brief(r.actions[5]!), [`kill-agent ${A1}`, `delete-node ${A1}`]);
    assert.deepEqual(kinds(r.decisions[5]!), ['failure', 'retry', 'skip:backoff']);
    const [failure, retry] = r.decisions[5]!;
    assert.deepEqual([failure!.kind, failure!.agent, failure!.items, failure!.attempt], ['failure', A1, [1], 1]);
    assert.match(
      failure!.reason,
      /did not connect within 5 min: its task runs on agent-7 but the agent never connected: check that Mesos agents can reach the Jenkins URL/,
    );
    assert.deepEqual([retry!.kind, retry!.template, retry!.items, retry!.attempt], ['retry', 'linux', [1], 2]);
    assert.match(retry!.reason, /1 failed launch\(es\) of linux in a row: the next one waits 10 s/);

    // the node and task go away; inside the backoff nothing is launched, after it the build gets a new agent
    const r2 = more(r, [
      mesos(T0 + 5 * MIN + SEC, { [A1]: { state: 'terminal', reason: 'TASK_KILLED' } }),
      poll(T0 + 5 * MIN + 5 * SEC, build),
      poll(T0 + 5 * MIN + 11 * SEC, build),
    ]);
    assert.deepEqual(r2.actions[1], []);
    assert.deepEqual(r2.decisions[1], [], 'the backoff skip was already reported');
    assert.equal(r2.state.agents[A1], undefined, 'forgotten once both sides show it gone');
    assert.deepEqual(brief(r2.actions[2]!), [`create-node ${A2}`]);
    const relaunch = r2.decisions[2]!.find((d) => d.kind === 'launch')!;
    assert.deepEqual([relaunch.attempt, relaunch.items], [2, [1]]);
    assert.match(relaunch.reason, /retry after 1 failed launch\(es\)/);

    // the second failure (its task fails before connecting) doubles the backoff; a connected agent clears it
    const r3 = more(r2, [
      { kind: 'node-created', at: T0 + 5 * MIN + 12 * SEC, name: A2 },
      mesos(T0 + 5 * MIN + 13 * SEC, {
        [A2]: { state: 'terminal', reason: 'TASK_FAILED: Command exited with status 1' },
      }),
      poll(T0 + 5 * MIN + 25 * SEC, build, [node(A2, 'connecting')]),
      poll(T0 + 5 * MIN + 34 * SEC, build),
      { kind: 'node-created', at: T0 + 5 * MIN + 35 * SEC, name: A3 },
      poll(T0 + 5 * MIN + 40 * SEC, [], [node(A3, 'busy')]),
    ]);
    assert.deepEqual(brief(r3.actions[1]!), [`delete-node ${A2}`], 'its task already ended: only the node is deleted');
    assert.match(
      r3.decisions[1]![0]!.reason,
      /its task ended before the agent connected: TASK_FAILED: Command exited with status 1/,
    );
    assert.match(r3.decisions[1]![1]!.reason, /2 failed launch\(es\) of linux in a row: the next one waits 20 s/);
    assert.deepEqual(kinds(r3.decisions[2]!), ['skip:backoff']);
    assert.deepEqual(brief(r3.actions[3]!), [`create-node ${A3}`]);
    assert.deepEqual(kinds(r3.decisions[5]!), ['connected']);
    assert.equal(r3.state.backoff.linux, undefined);
  });

  it('a node Jenkins does not create, or a task that cannot be launched, is a failure with backoff', () => {
    const r = run(start(linux({ maxAgents: 2 })), [
      mesos(T0),
      poll(T0, [job(1, 'linux'), job(2, 'linux')]),
      { kind: 'node-create-failed', at: T0 + SEC, name: A1, message: 'HTTP 403: lacks Agent/Create' },
      { kind: 'node-created', at: T0 + SEC, name: A2 },
      { kind: 'launch-failed', at: T0 + 2 * SEC, name: A2, message: 'could not read the secret: HTTP 403' },
    ]);
    assert.deepEqual(r.actions[2], []);
    assert.deepEqual(kinds(r.decisions[2]!), ['failure', 'retry']);
    assert.match(r.decisions[2]![0]!.reason, /Jenkins did not create its node: HTTP 403: lacks Agent\/Create/);
    assert.equal(r.state.agents[A1], undefined);
    assert.deepEqual(brief(r.actions[4]!), [`delete-node ${A2}`]);
    assert.match(r.decisions[4]![0]!.reason, /its task could not be launched: could not read the secret/);
    assert.equal(r.state.backoff.linux?.failures, 2);
  });
});

describe('autoscaler: idle agents', () => {
  function online() {
    return run(start(linux()), [
      mesos(T0),
      poll(T0, [job(1, 'linux')]),
      { kind: 'node-created', at: T0 + SEC, name: A1 },
      mesos(T0 + 2 * SEC, { [A1]: running() }),
      poll(T0 + 30 * SEC, [], [node(A1, 'busy')]),
      poll(T0 + 60 * SEC, [], [node(A1, 'idle')]),
    ]);
  }

  it('an agent idle longer than its template allows is taken offline, waits for a build that slipped in, then goes', () => {
    const r = more(online(), [
      poll(T0 + 60 * SEC + 2 * MIN - SEC, [], [node(A1, 'idle')]),
      poll(T0 + 60 * SEC + 2 * MIN, [], [node(A1, 'idle')]),
      poll(T0 + 60 * SEC + 2 * MIN + 5 * SEC, [], [node(A1, 'offline-busy')]),
      poll(T0 + 60 * SEC + 2 * MIN + 10 * SEC, [], [node(A1, 'offline-busy')]),
      poll(T0 + 60 * SEC + 4 * MIN, [], [node(A1, 'offline-idle')]),
      mesos(T0 + 60 * SEC + 4 * MIN + SEC, { [A1]: { state: 'terminal', reason: 'TASK_KILLED' } }),
      poll(T0 + 60 * SEC + 4 * MIN + 5 * SEC, [], []),
    ]);
    assert.deepEqual(r.actions[0], [], 'not before its idle time is up');
    assert.deepEqual(r.actions[1], [
      { kind: 'offline-node', name: A1, message: 'Idle for 2 min: removed by the Mesos Ops autoscaler' },
    ]);
    assert.deepEqual(kinds(r.decisions[1]!), ['remove']);
    assert.match(r.decisions[1]![0]!.reason, /idle for 2 min \(template allows 2 min\): taken offline/);
    assert.deepEqual(r.actions[2], [], 'a running build is allowed to finish');
    assert.deepEqual(kinds(r.decisions[2]!), ['skip:build-running']);
    assert.deepEqual(r.decisions[3], [], 'the wait is reported once');
    assert.deepEqual(brief(r.actions[4]!), [`delete-node ${A1}`, `kill-agent ${A1}`]);
    assert.deepEqual(kinds(r.decisions[4]!), ['removed']);
    assert.deepEqual(r.state.agents, {});
    assert.deepEqual(r.actions.slice(5).flat(), []);
  });

  it('an idle agent is kept while builds wait for its template', () => {
    const r = more(online(), [poll(T0 + 60 * SEC + 3 * MIN, [job(9, 'linux')], [node(A1, 'idle')])]);
    assert.deepEqual(r.actions[0], []);
    assert.equal(r.state.agents[A1]?.phase, 'online');
  });

  it('an agent whose node was deleted by someone else loses its task; one whose task ended loses its node', () => {
    const gone = more(online(), [poll(T0 + 70 * SEC, [], [])]);
    assert.deepEqual(brief(gone.actions[0]!), [`kill-agent ${A1}`]);
    assert.match(gone.decisions[0]![0]!.reason, /deleted outside the autoscaler/);
    const died = more(online(), [
      mesos(T0 + 70 * SEC, { [A1]: { state: 'terminal', reason: 'TASK_LOST: agent removed' } }),
    ]);
    assert.deepEqual(brief(died.actions[0]!), [`delete-node ${A1}`]);
    assert.deepEqual(kinds(died.decisions[0]!), ['failure']);
    assert.match(died.decisions[0]![0]!.reason, /its task ended: TASK_LOST: agent removed; its node is deleted/);
  });

  it('a removal that does not finish is sent again; a failed offline leaves the agent online', () => {
    const r = more(online(), [
      poll(T0 + 60 * SEC + 2 * MIN, [], [node(A1, 'idle')]),
      { kind: 'node-offline-failed', at: T0 + 60 * SEC + 2 * MIN + SEC, name: A1, message: 'HTTP 403' },
      poll(T0 + 60 * SEC + 4 * MIN + SEC, [], [node(A1, 'idle')]),
      poll(T0 + 60 * SEC + 4 * MIN + 5 * SEC, [], [node(A1, 'offline-idle')]),
      { kind: 'node-delete-failed', at: T0 + 60 * SEC + 4 * MIN + 6 * SEC, name: A1, message: 'HTTP 500' },
      poll(T0 + 60 * SEC + 4 * MIN + 20 * SEC, [], [node(A1, 'offline-idle')]),
      poll(T0 + 60 * SEC + 4 * MIN + 40 * SEC, [], [node(A1, 'offline-idle')]),
    ]);
    assert.deepEqual(kinds(r.decisions[1]!), ['failure']);
    assert.equal(r.state.agents[A1] !== undefined, true);
    assert.deepEqual(brief(r.actions[2]!), [`offline-node ${A1}`], 'tried again after another idle period');
    assert.deepEqual(brief(r.actions[3]!), [`delete-node ${A1}`, `kill-agent ${A1}`]);
    assert.match(r.decisions[4]![0]!.reason, /its node could not be deleted: HTTP 500; tried again in 30 s/);
    assert.deepEqual(r.actions[5], [], 'not before resendAfterMs');
    assert.deepEqual(brief(r.actions[6]!), [`delete-node ${A1}`, `kill-agent ${A1}`]);
  });
});
