import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SchedulerInput } from '../../../src/core/scheduler/schedulerInput';
import {
  kill,
  kinds,
  launch,
  offer,
  offers,
  req,
  rescind,
  run,
  scalar,
  subscribed,
  tick,
  types,
  update,
} from '../../support/schedulerInputs';

describe('reduce: SUBSCRIBED', () => {
  it('records the framework id and reconciles known tasks explicitly, then implicitly', () => {
    const r = run([subscribed(0), launch(1, req('a')), offers(2, offer(1, 4, 4096)), subscribed(3, 'F2')]);
    assert.equal(r.state.frameworkId, 'F2');
    assert.deepEqual(r.calls[0], [{ type: 'RECONCILE', reconcile: { tasks: [] } }]);
    assert.deepEqual(r.calls[3], [
      { type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 'a.1' }, agent_id: { value: 'S1' } }] } },
      { type: 'RECONCILE', reconcile: { tasks: [] } },
    ]);
    for (const c of r.calls.flat()) assert.equal('framework_id' in c, false);
  });
});

describe('reduce: OFFERS', () => {
  it('accepts with a LAUNCH built from the placement and declines the unused offer with a filter', () => {
    const r = run([
      subscribed(0),
      launch(10, req('a', 1, 512, { name: 'build-a' })),
      offers(20, offer(1, 1, 512), offer(2, 8, 8192)),
    ]);
    const [accept, decline] = r.calls[2]!;
    assert.deepEqual(accept, {
      type: 'ACCEPT',
      accept: {
        offer_ids: [{ value: 'O1' }],
        operations: [
          {
            type: 'LAUNCH',
            launch: {
              task_infos: [
                {
                  name: 'build-a',
                  task_id: { value: 'a.1' },
                  agent_id: { value: 'S1' },
                  resources: [scalar('cpus', 1), scalar('mem', 512)],
                  command: { value: 'run a' },
                },
              ],
            },
          },
        ],
        filters: { refuse_seconds: 60 },
      },
    });
    assert.deepEqual(decline, {
      type: 'DECLINE',
      decline: { offer_ids: [{ value: 'O2' }], filters: { refuse_seconds: 60 } },
    });
    const launched = r.decisions[2]!.find((d) => d.kind === 'launched')!;
    assert.deepEqual(launched, {
      at: 20,
      kind: 'launched',
      requestId: 'a',
      taskId: 'a.1',
      offerId: 'O1',
      agentId: 'S1',
      reason: 'placed on agent-1',
    });
    assert.deepEqual(r.state.pending, []);
    assert.equal(r.state.tasks['a.1']!.state, 'TASK_STAGING');
  });

  it('records why a request did not fit, with the matcher reasons, and keeps it pending', () => {
    const r = run([subscribed(0), launch(1, req('big', 2, 4096)), offers(2, offer(1, 4, 1024))]);
    assert.deepEqual(types(r.calls[2]!), ['DECLINE']);
    const miss = r.decisions[2]!.find((d) => d.kind === 'unmatched')!;
    assert.equal(miss.requestId, 'big');
    assert.match(miss.reason, /agent-1 \(O1\): mem: needs 4096, offer has 1024/);
    assert.deepEqual(
      r.state.pending.map((p) => p.id),
      ['big'],
    );
  });

  it('gives a restarted request a fresh task id', () => {
    const r = run([
      subscribed(0),
      launch(1, req('a', 1, 512, { restart: 'on-failure' })),
      offers(2, offer(1, 4, 4096)),
      update(3, 'a.1', 'TASK_FAILED'),
      offers(4, offer(1, 4, 4096)),
    ]);
    // the ACCEPT filtered what it left of agent 1 (reference §2.3): the restart revives past that filter
    assert.deepEqual(kinds(r.decisions[3]!), ['requeued', 'revived']);
    const accept = r.calls[4]!.find((c) => c.type === 'ACCEPT')!;
    assert.equal(accept.accept!.operations![0]!.launch!.task_infos![0]!.task_id.value, 'a.2');
  });
});

describe('reduce: RESCIND', () => {
  it('forgets the offer and records it', () => {
    const r = run([subscribed(0), rescind(1, 'O9')]);
    assert.deepEqual(r.calls[1], []);
    assert.deepEqual(r.decisions[1], [
      { at: 1, kind: 'rescinded', offerId: 'O9', reason: 'the master took the offer back' },
    ]);
  });
});

describe('reduce: UPDATE', () => {
  const launched = [subscribed(0), launch(1, req('a')), offers(2, offer(1, 4, 4096))];

  it('acknowledges exactly the updates that carry a uuid', () => {
    const r = run([
      ...launched,
      update(3, 'a.1', 'TASK_RUNNING', { uuid: 'dXVpZA==' }),
      update(4, 'a.1', 'TASK_RUNNING', { reason: 'REASON_RECONCILIATION' }),
    ]);
    assert.deepEqual(r.calls[3], [
      { type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'S1' }, task_id: { value: 'a.1' }, uuid: 'dXVpZA==' } },
    ]);
    assert.deepEqual(r.calls[4], []);
    assert.equal(r.state.tasks['a.1']!.state, 'TASK_RUNNING');
  });

  it('acknowledges an update for an unknown task too, and adopts it while it runs', () => {
    const r = run([subscribed(0), update(1, 'ghost.3', 'TASK_RUNNING', { uuid: 'eA==' })]);
    assert.deepEqual(types(r.calls[1]!), ['ACKNOWLEDGE']);
    assert.deepEqual(kinds(r.decisions[1]!), ['adopted']);
    assert.equal(r.state.tasks['ghost.3']?.adopted, true);
    assert.equal(r.state.attempts['ghost'], 3, 'a later launch of the same request gets a fresh task id');
    const ended = run([subscribed(0), update(1, 'ghost', 'TASK_FINISHED', { uuid: 'eA==' })]);
    assert.deepEqual(types(ended.calls[1]!), ['ACKNOWLEDGE']);
    assert.deepEqual(kinds(ended.decisions[1]!), ['status']);
    assert.deepEqual(ended.state.tasks, {});
  });

  it('frees a finished task; restart never by default does not re-queue a failure', () => {
    const done = run([...launched, update(3, 'a.1', 'TASK_FINISHED')]);
    assert.deepEqual(done.state.tasks, {});
    assert.deepEqual(done.state.pending, []);
    const failed = run([...launched, update(3, 'a.1', 'TASK_FAILED', { message: 'exit 1' })]);
    assert.deepEqual(failed.state.pending, []);
    assert.equal(failed.decisions[3]!.find((d) => d.kind === 'finished')!.reason, 'TASK_FAILED: exit 1');
  });

  it('says in a decision what the update says beyond its state: its message, else its reason, else nothing', () => {
    const r = run([
      ...launched,
      update(3, 'a.1', 'TASK_RUNNING'),
      update(4, 'a.1', 'TASK_RUNNING', { message: '' }),
      update(5, 'a.1', 'TASK_RUNNING', { reason: 'REASON_RECONCILIATION' }),
      update(6, 'a.1', 'TASK_FINISHED', { reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: 'exit 0' }),
    ]);
    assert.deepEqual(
      r.decisions.slice(3).map((step) => step.map((d) => d.reason)),
      [['TASK_RUNNING'], ['TASK_RUNNING'], ['TASK_RUNNING: REASON_RECONCILIATION'], ['TASK_FINISHED: exit 0']],
    );
  });

  it('re-queues on failure and definite loss with on-failure, but not on ERROR or uncertain loss', () => {
    const base = [subscribed(0), launch(1, req('a', 1, 512, { restart: 'on-failure' })), offers(2, offer(1, 4, 4096))];
    for (const state of ['TASK_FAILED', 'TASK_GONE', 'TASK_DROPPED'] as const) {
      const r = run([...base, update(3, 'a.1', state)]);
      assert.deepEqual(
        r.state.pending.map((p) => p.id),
        ['a'],
        state,
      );
      assert.deepEqual(r.state.tasks, {}, state);
    }
    const error = run([...base, update(3, 'a.1', 'TASK_ERROR')]);
    assert.deepEqual(error.state.pending, []);
    const lost = run([...base, update(3, 'a.1', 'TASK_LOST')]);
    assert.deepEqual(lost.state.pending, []);
    assert.equal(lost.state.tasks['a.1']!.state, 'TASK_LOST');
    assert.deepEqual(kinds(lost.decisions[3]!), ['lost']);
    // the operator's word moves the work at once; the old task is killed if it ever comes back
    const gone = run([...base, update(3, 'a.1', 'TASK_GONE_BY_OPERATOR')]);
    assert.deepEqual(gone.state.pending.map((p) => p.id), ['a']);
    assert.equal(gone.state.tasks['a.1']!.killRequested, true);
    assert.deepEqual(kinds(gone.decisions[3]!), ['lost', 'requeued', 'revived']);
    const unreachable = run([...base, update(3, 'a.1', 'TASK_UNREACHABLE'), update(4, 'a.1', 'TASK_RUNNING')]);
    assert.equal(unreachable.state.tasks['a.1']!.state, 'TASK_RUNNING');
    assert.deepEqual(unreachable.state.pending, []);
  });

  it('treats TASK_LOST for a launch on a rescinded offer as definite and re-queues it', () => {
    const r = run([
      subscribed(0),
      launch(1, req('a', 1, 512, { restart: 'on-failure' })),
      offers(2, offer(1, 4, 4096)),
      rescind(3, 'O1'),
      update(4, 'a.1', 'TASK_LOST', { reason: 'REASON_INVALID_OFFERS' }),
    ]);
    assert.deepEqual(r.state.tasks, {});
    assert.deepEqual(
      r.state.pending.map((p) => p.id),
      ['a'],
    );
    assert.deepEqual(kinds(r.decisions[4]!), ['requeued', 'revived']);
  });

  it('reconciles a task kept after TASK_LOST on the next subscription', () => {
    const r = run([...launched, update(3, 'a.1', 'TASK_LOST'), subscribed(4)]);
    assert.deepEqual(r.calls[4]![0], {
      type: 'RECONCILE',
      reconcile: { tasks: [{ task_id: { value: 'a.1' }, agent_id: { value: 'S1' } }] },
    });
  });
});

describe('reduce: kill', () => {
  it('sends KILL once for a known task and does not restart what it killed', () => {
    const r = run([
      subscribed(0),
      launch(1, req('a', 1, 512, { restart: 'on-failure' })),
      offers(2, offer(1, 4, 4096)),
      kill(3, 'a.1'),
      kill(4, 'a.1'),
      update(5, 'a.1', 'TASK_KILLED'),
    ]);
    assert.deepEqual(r.calls[3], [{ type: 'KILL', kill: { task_id: { value: 'a.1' }, agent_id: { value: 'S1' } } }]);
    assert.deepEqual(types(r.calls[4]!), []);
    assert.deepEqual(kinds(r.decisions[4]!), ['kill-ignored']);
    assert.deepEqual(r.state.pending, []);
    assert.deepEqual(r.state.tasks, {});
  });

  it('removes a pending request with a decision and no call', () => {
    const r = run([subscribed(0), launch(1, req('a'), req('b')), kill(2, 'a')]);
    assert.deepEqual(
      r.state.pending.map((p) => p.id),
      ['b'],
    );
    assert.deepEqual(r.calls[2], []);
    assert.deepEqual(r.decisions[2]![0], {
      at: 2,
      kind: 'removed',
      requestId: 'a',
      reason: 'kill requested before launch: removed from the queue',
    });
  });
});

describe('reduce: launch validation', () => {
  it('rejects a duplicate id and an invalid request with a decision', () => {
    const r = run([subscribed(0), launch(1, req('a'), req('a'), req('bad', -1))]);
    assert.deepEqual(kinds(r.decisions[1]!), ['queued', 'rejected', 'rejected']);
    assert.match(r.decisions[1]![2]!.reason, /cpus must be a finite number/);
    assert.deepEqual(
      r.state.pending.map((p) => p.id),
      ['a'],
    );
  });
});

describe('reduce: SUPPRESS and REVIVE', () => {
  it('suppresses once after the idle delay and revives once when demand appears', () => {
    const r = run([
      subscribed(0),
      tick(500),
      tick(1000),
      tick(2000),
      launch(3000, req('a')),
      launch(3001, req('b')),
      offers(3002, offer(1, 4, 4096)),
      tick(3500),
      tick(4002),
      tick(5000),
    ]);
    assert.deepEqual(r.calls.map(types), [
      ['RECONCILE'],
      [],
      ['SUPPRESS'],
      [],
      ['REVIVE'],
      [],
      ['ACCEPT'],
      [],
      ['SUPPRESS'],
      [],
    ]);
    assert.equal(r.state.suppressed, true);
  });

  it('revives when new demand arrives while our decline filters are active, not after they expire', () => {
    const during = run([
      subscribed(0),
      launch(1, req('big', 64, 1)),
      offers(2, offer(1, 4, 4096)),
      launch(3, req('b')),
    ]);
    assert.deepEqual(types(during.calls[3]!), ['REVIVE']);
    assert.deepEqual(types(during.calls[2]!), ['DECLINE']);
    const after = run([
      subscribed(0),
      launch(1, req('big', 64, 1)),
      offers(2, offer(1, 4, 4096)),
      tick(70_000),
      launch(70_001, req('b')),
    ]);
    assert.deepEqual(types(after.calls[4]!), []);
  });
});

describe('reduce: replay', () => {
  it('gives identical calls, decisions and state for the same recorded inputs', () => {
    const recorded: SchedulerInput[] = [
      subscribed(0),
      launch(10, req('a', 1, 512, { restart: 'on-failure' }), req('b', 2, 1024), req('huge', 99, 1)),
      offers(20, offer(1, 2, 2048), offer(2, 4, 4096), offer(3, 1, 256)),
      rescind(21, 'O3'),
      update(30, 'a.1', 'TASK_RUNNING', { uuid: 'AQ==' }),
      update(31, 'b.1', 'TASK_FAILED', { uuid: 'Ag==' }),
      update(32, 'a.1', 'TASK_GONE'),
      kill(33, 'huge'),
      offers(40, offer(4, 4, 4096)),
      tick(5000),
      subscribed(6000),
    ];
    const first = run(recorded);
    const second = run(recorded);
    assert.deepEqual(second, first);
    assert.ok(first.calls.flat().length > 8);
  });
});
