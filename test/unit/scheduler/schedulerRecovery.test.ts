import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutgoingCall } from '../../../src/core/scheduler/outgoingCall';
import type { SchedulerInput } from '../../../src/core/scheduler/schedulerInput';
import {
  initialSchedulerState,
  type SchedulerOptions,
  type SchedulerState,
} from '../../../src/core/scheduler/schedulerState';
import type { TaskRequest } from '../../../src/core/scheduler/taskRequest';
import {
  ack,
  callFailed,
  disconnected,
  frameworkRemoved,
  implicitReconcile,
  kill,
  killCall,
  kinds,
  launch,
  offer,
  offers,
  plain,
  reconcileCall,
  reconciled,
  req,
  rescind,
  revive,
  run,
  scalar,
  subscribed,
  suppress,
  tick,
  update,
} from '../../support/schedulerInputs';

// Short delays so a recorded case stays readable; every number below follows from these.
const OPTIONS: SchedulerOptions = {
  refuseSeconds: 60,
  suppressAfterMs: 1000,
  maxRequestsPerPass: 200,
  busyRefuseSeconds: 1,
  reconcileRetryMs: 1000,
  reconcileRetryMaxMs: 4000,
  implicitReconcileMs: 60_000,
  unreachableReplaceMs: 10_000,
};
const start = (more: Partial<SchedulerOptions> = {}): SchedulerState => initialSchedulerState({ ...OPTIONS, ...more });
/** For cases about reconciliation only: SUPPRESS never comes into them. */
const neverIdle = (): SchedulerState => start({ suppressAfterMs: 10 ** 9 });

const onFailure = (id: string, cpus = 1, mem = 512): TaskRequest => req(id, cpus, mem, { restart: 'on-failure' });

/** The ACCEPT the reducer builds for one task placed whole on offer `O<n>`. */
function acceptOf(n: number, taskId: string, request: TaskRequest, refuseSeconds: number): OutgoingCall {
  return {
    type: 'ACCEPT',
    accept: {
      offer_ids: [{ value: `O${n}` }],
      operations: [
        {
          type: 'LAUNCH',
          launch: {
            task_infos: [
              {
                name: request.name ?? request.id,
                task_id: { value: taskId },
                agent_id: { value: `S${n}` },
                resources: [scalar('cpus', request.cpus), scalar('mem', request.mem)],
                ...(request.command !== undefined && { command: request.command }),
              },
            ],
          },
        },
      ],
      filters: { refuse_seconds: refuseSeconds },
    },
  };
}

const ids = (requests: readonly TaskRequest[]) => requests.map((r) => r.id);

describe('recovery: a failed ACCEPT', () => {
  // 'big' never fits, so the queue is never empty and its order can be checked
  const placed: SchedulerInput[] = [
    subscribed(0),
    launch(10, req('a'), req('big', 64, 1)),
    offers(20, offer(1, 4, 4096)),
  ];

  it('builds the ACCEPT that the failures below hand back', () => {
    const r = run(placed, start());
    assert.deepEqual(r.calls[2], [acceptOf(1, 'a.1', req('a'), 60)]);
  });

  it('definite: forgets the task, puts the request back at the head of the queue and revives past our filter', () => {
    const accept = acceptOf(1, 'a.1', req('a'), 60);
    const r = run([...placed, callFailed(30, accept, true, 'Mesos refused the ACCEPT call with 400')], start());
    // the ACCEPT asked Mesos to filter the agent's remainder for 60 s; whether or not that took, REVIVE clears it
    assert.deepEqual(r.calls[3], [revive]);
    assert.deepEqual(r.decisions[3], [
      {
        at: 30,
        kind: 'launch-failed',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        offerId: 'O1',
        reason: 'the launch was not taken (Mesos refused the ACCEPT call with 400); placing it again',
      },
      { at: 30, kind: 'revived', reason: 'new requests while our decline filters are active' },
    ]);
    assert.deepEqual(r.state.tasks, {});
    assert.deepEqual(ids(r.state.pending), ['a', 'big']);
    assert.equal(r.state.filteredUntil, undefined);
    // the next offer places it again under a fresh task id
    const again = run([...placed, callFailed(30, accept, true, '400'), offers(40, offer(2, 4, 4096))], start());
    assert.deepEqual(again.calls[4], [acceptOf(2, 'a.2', req('a'), 60)]);
  });

  it('definite while suppressed: revives because requests are pending again', () => {
    const r = run(
      [
        subscribed(0),
        launch(10, req('a')),
        offers(20, offer(1, 4, 4096)),
        tick(1020),
        callFailed(1500, acceptOf(1, 'a.1', req('a'), 60), true, 'not subscribed'),
      ],
      start(),
    );
    assert.deepEqual(r.calls[3], [suppress]);
    assert.deepEqual(r.calls[4], [revive]);
    assert.deepEqual(kinds(r.decisions[4]!), ['launch-failed', 'revived']);
    assert.equal(r.decisions[4]![1]!.reason, 'requests are pending again');
    assert.equal(r.state.suppressed, false);
    assert.deepEqual(ids(r.state.pending), ['a']);
  });

  it('definite for a task already asked to be killed: gone, and not placed again', () => {
    const r = run([...placed, kill(25, 'a.1'), callFailed(30, acceptOf(1, 'a.1', req('a'), 60), true, '400')], start());
    assert.deepEqual(r.calls[4], []);
    assert.deepEqual(r.decisions[4], [
      {
        at: 30,
        kind: 'launch-failed',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        offerId: 'O1',
        reason: 'the launch was not taken (400); it was to be killed, so it is not placed again',
      },
    ]);
    assert.deepEqual(r.state.tasks, {});
    assert.deepEqual(ids(r.state.pending), ['big']);
  });

  const uncertain: SchedulerInput[] = [
    ...placed,
    callFailed(30, acceptOf(1, 'a.1', req('a'), 60), false, 'no answer within 30000 ms'),
  ];

  it('indefinite: keeps the task as unconfirmed and reconciles it explicitly', () => {
    const r = run(uncertain, start());
    assert.deepEqual(r.calls[3], [reconcileCall(['a.1', 'S1'])]);
    assert.deepEqual(r.decisions[3], [
      {
        at: 30,
        kind: 'launch-failed',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        offerId: 'O1',
        reason: 'the launch may or may not have reached Mesos (no answer within 30000 ms); reconciling',
      },
    ]);
    assert.deepEqual(r.state.tasks['a.1'], {
      taskId: 'a.1',
      request: req('a'),
      agentId: 'S1',
      hostname: 'agent-1',
      state: 'TASK_STAGING',
      killRequested: false,
      updatedAt: 20,
      unconfirmed: true,
    });
    assert.deepEqual(r.state.reconcile, { waiting: ['a.1'], attempt: 0, nextAt: 1030 });
    assert.deepEqual(ids(r.state.pending), ['big']);
  });

  it('indefinite, then TASK_GONE from reconciliation: it never started, so it goes back to the head even with restart never', () => {
    const r = run(
      [...uncertain, reconciled(40, 'a.1', 'TASK_GONE', 'S1', 'Reconciliation: Task is unknown to the agent')],
      start(),
    );
    // no uuid: a master-generated answer is never acknowledged (reference §2.8)
    assert.deepEqual(r.calls[4], [revive]);
    assert.deepEqual(r.decisions[4], [
      {
        at: 40,
        kind: 'requeued',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        state: 'TASK_GONE',
        reason: 'TASK_GONE: the launch never started (Reconciliation: Task is unknown to the agent); placing it again',
      },
      { at: 40, kind: 'revived', reason: 'new requests while our decline filters are active' },
    ]);
    assert.deepEqual(r.state.tasks, {});
    assert.deepEqual(ids(r.state.pending), ['a', 'big']);
    assert.equal(r.state.reconcile, undefined, 'the answer ends the reconciliation round');
  });

  it('indefinite, then TASK_RUNNING from reconciliation: the launch took, the task is confirmed', () => {
    const r = run([...uncertain, reconciled(40, 'a.1', 'TASK_RUNNING')], start());
    assert.deepEqual(r.calls[4], []);
    assert.deepEqual(r.decisions[4], [
      {
        at: 40,
        kind: 'status',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        state: 'TASK_RUNNING',
        reason: 'TASK_RUNNING: Reconciliation: Latest task state',
      },
    ]);
    assert.deepEqual(plain(r.state.tasks['a.1']), {
      taskId: 'a.1',
      request: req('a'),
      agentId: 'S1',
      hostname: 'agent-1',
      state: 'TASK_RUNNING',
      killRequested: false,
      updatedAt: 40,
    });
    assert.equal(r.state.reconcile, undefined);
    assert.deepEqual(ids(r.state.pending), ['big']);
    // a later GONE is an ordinary end now: restart never does not place it again
    const later = run([...uncertain, reconciled(40, 'a.1', 'TASK_RUNNING'), update(50, 'a.1', 'TASK_GONE')], start());
    assert.deepEqual(kinds(later.decisions[5]!), ['finished']);
    assert.deepEqual(ids(later.state.pending), ['big']);
  });

  it('indefinite, then TASK_UNREACHABLE from reconciliation: still unconfirmed, so a GONE once the agent is back still re-queues', () => {
    // the master answers UNREACHABLE for any task id on an unreachable agent (reference §2.9): no proof it exists
    const r = run(
      [
        ...uncertain,
        reconciled(40, 'a.1', 'TASK_UNREACHABLE'),
        reconciled(50, 'a.1', 'TASK_GONE', 'S1', 'Reconciliation: Task is unknown to the agent'),
      ],
      start(),
    );
    assert.equal(r.state.tasks['a.1'] === undefined, true);
    assert.deepEqual(kinds(r.decisions[4]!), ['status']);
    assert.deepEqual(kinds(r.decisions[5]!), ['requeued', 'revived']);
    assert.deepEqual(ids(r.state.pending), ['a', 'big']);
  });

  it('indefinite while the stream is down: no RECONCILE now; the next SUBSCRIBED reconciles it', () => {
    const r = run(
      [
        ...placed,
        disconnected(25),
        callFailed(30, acceptOf(1, 'a.1', req('a'), 60), false, 'socket hang up'),
        subscribed(40),
      ],
      start(),
    );
    assert.deepEqual(r.calls[4], []);
    assert.equal(r.state.tasks['a.1']!.unconfirmed, true);
    assert.deepEqual(r.calls[5], [reconcileCall(['a.1', 'S1']), implicitReconcile]);
  });
});

describe('recovery: a launch on an offer that was rescinded (REASON_INVALID_OFFERS)', () => {
  for (const state of ['TASK_DROPPED', 'TASK_LOST'] as const) {
    for (const restart of ['never', 'on-failure'] as const) {
      it(`${state} with restart ${restart}: re-queued at the head, not acknowledged`, () => {
        const r = run(
          [
            subscribed(0),
            launch(10, req('a', 1, 512, { restart }), req('big', 64, 1)),
            offers(20, offer(1, 4, 4096)),
            rescind(21, 'O1'),
            update(30, 'a.1', state, {
              source: 'SOURCE_MASTER',
              reason: 'REASON_INVALID_OFFERS',
              message: 'Task launched with invalid offers: Offer O1 is no longer valid',
            }),
          ],
          start(),
        );
        assert.deepEqual(r.calls[4], [revive]);
        assert.deepEqual(r.decisions[4], [
          {
            at: 30,
            kind: 'requeued',
            requestId: 'a',
            taskId: 'a.1',
            agentId: 'S1',
            state,
            reason: `${state}: the launch never started (Task launched with invalid offers: Offer O1 is no longer valid); placing it again`,
          },
          { at: 30, kind: 'revived', reason: 'new requests while our decline filters are active' },
        ]);
        assert.deepEqual(r.state.tasks, {});
        assert.deepEqual(ids(r.state.pending), ['a', 'big']);
      });
    }
  }

  it('a killed launch on a rescinded offer is finished, not placed again', () => {
    const r = run(
      [
        subscribed(0),
        launch(10, req('a')),
        offers(20, offer(1, 4, 4096)),
        kill(25, 'a.1'),
        update(30, 'a.1', 'TASK_DROPPED', { reason: 'REASON_INVALID_OFFERS' }),
      ],
      start(),
    );
    assert.deepEqual(r.calls[4], []);
    assert.deepEqual(kinds(r.decisions[4]!), ['finished']);
    assert.deepEqual(r.state.pending, []);
    assert.deepEqual(r.state.tasks, {});
  });
});

describe('recovery: reconciliation rounds', () => {
  const twoTasks: SchedulerInput[] = [
    subscribed(0),
    launch(1, req('b')),
    offers(2, offer(2, 4, 4096)),
    launch(3, req('a')),
    offers(4, offer(1, 4, 4096)),
  ];

  it('asks about known tasks in task id order, then those that stay silent with doubling delays, then implicitly', () => {
    const inputs: SchedulerInput[] = [
      ...twoTasks,
      disconnected(5),
      subscribed(1000),
      tick(1999),
      tick(2000),
      reconciled(2500, 'a.1', 'TASK_RUNNING'),
      tick(3999),
      tick(4000),
      tick(7999),
      tick(8000),
      tick(12_000),
      reconciled(12_500, 'b.1', 'TASK_RUNNING', 'S2'),
      tick(20_000),
      tick(60_999),
      tick(61_000),
      tick(120_999),
      tick(121_000),
    ];
    const r = run(inputs, neverIdle());
    assert.deepEqual(Object.keys(run(twoTasks, neverIdle()).state.tasks), ['b.1', 'a.1']);
    assert.deepEqual(r.calls.slice(6), [
      [reconcileCall(['a.1', 'S1'], ['b.1', 'S2']), implicitReconcile], // SUBSCRIBED at 1000
      [], // 999 ms later
      [reconcileCall(['a.1', 'S1'], ['b.1', 'S2'])], // 1000 ms: both silent
      [], // a.1 answers
      [],
      [reconcileCall(['b.1', 'S2'])], // 2000 ms later, only the silent one
      [],
      [reconcileCall(['b.1', 'S2'])], // 4000 ms later
      [reconcileCall(['b.1', 'S2'])], // 8000 would be next, capped at 4000
      [], // b.1 answers: the round is over
      [],
      [],
      [implicitReconcile], // 60 s after the SUBSCRIBED one
      [],
      [implicitReconcile],
    ]);
    assert.deepEqual(r.decisions[6], [
      { at: 1000, kind: 'subscribed', reason: 'subscribed as framework F1; reconciling 2 known task(s)' },
    ]);
    assert.deepEqual(r.decisions[8], [
      { at: 2000, kind: 'reconciling', reason: '2 task(s) have not answered reconciliation yet; asking again' },
    ]);
    assert.deepEqual(r.decisions[11], [
      { at: 4000, kind: 'reconciling', reason: '1 task(s) have not answered reconciliation yet; asking again' },
    ]);
    assert.equal(r.state.reconcile, undefined);
    assert.equal(r.state.lastImplicitReconcileAt, 121_000);
  });

  it('keeps the round state as the reference loop says: waiting tasks, attempt and next time', () => {
    const r = run(
      [...twoTasks, subscribed(1000), tick(2000), reconciled(2500, 'a.1', 'TASK_RUNNING'), tick(4000)],
      neverIdle(),
    );
    assert.deepEqual(r.state.reconcile, { waiting: ['b.1'], attempt: 2, nextAt: 8000 });
  });

  it('sends nothing while not subscribed, and starts a fresh round on the next SUBSCRIBED', () => {
    const r = run(
      [
        ...twoTasks,
        subscribed(1000),
        disconnected(1500),
        tick(2000),
        tick(70_000),
        launch(70_001, req('c')),
        kill(70_002, 'a.1'),
        subscribed(80_000),
        tick(80_999),
        tick(81_000),
      ],
      neverIdle(),
    );
    assert.deepEqual(r.calls.slice(6, 11), [[], [], [], [], []]);
    assert.equal(r.state.subscribed, true);
    assert.deepEqual(r.calls[11], [killCall('a.1'), reconcileCall(['a.1', 'S1'], ['b.1', 'S2']), implicitReconcile]);
    assert.deepEqual(r.calls[12], []);
    assert.deepEqual(r.calls[13], [reconcileCall(['a.1', 'S1'], ['b.1', 'S2'])]);
    assert.deepEqual(r.decisions[6], [
      { at: 1500, kind: 'disconnected', reason: 'the subscription is down (stream closed); reconnecting' },
    ]);
  });

  it('forgets a task in the round that goes away without answering, and ends the round with it', () => {
    // SUBSCRIBED asks about a.1, then the ACCEPT that launched it is reported as refused
    const r = run(
      [
        subscribed(0),
        launch(1, req('a')),
        offers(2, offer(1, 4, 4096)),
        subscribed(3),
        callFailed(4, acceptOf(1, 'a.1', req('a'), 60), true, 'stream id is stale'),
        tick(1003),
        tick(5000),
      ],
      neverIdle(),
    );
    assert.deepEqual(r.state.tasks, {});
    assert.deepEqual(r.calls.slice(5), [[], []]);
    assert.deepEqual(r.decisions.slice(5), [[], []]);
    assert.equal(r.state.reconcile, undefined);
  });
});

describe('recovery: kill while the stream is down', () => {
  const running: SchedulerInput[] = [subscribed(0), launch(1, onFailure('a')), offers(2, offer(1, 4, 4096))];

  it('records the kill, sends nothing, and sends the KILL on the next SUBSCRIBED', () => {
    const r = run([...running, disconnected(3), kill(4, 'a.1'), subscribed(10)], start());
    assert.deepEqual(r.calls[4], []);
    assert.deepEqual(r.decisions[4], [
      {
        at: 4,
        kind: 'kill-sent',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        reason: 'kill requested; sent once subscribed again',
      },
    ]);
    assert.equal(r.state.tasks['a.1']!.killRequested, true);
    assert.deepEqual(r.calls[5], [killCall('a.1'), reconcileCall(['a.1', 'S1']), implicitReconcile]);
  });

  it('a KILL refused for certain is forgotten, so the task can be killed again', () => {
    const r = run(
      [
        ...running,
        kill(3, 'a.1'),
        callFailed(4, killCall('a.1'), true, 'Mesos refused the KILL call with 403'),
        kill(5, 'a.1'),
      ],
      start(),
    );
    assert.deepEqual(r.calls[3], [killCall('a.1')]);
    assert.deepEqual(r.calls[4], []);
    assert.deepEqual(r.decisions[4], [
      {
        at: 4,
        kind: 'error',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        call: 'KILL',
        reason: 'KILL was not delivered (Mesos refused the KILL call with 403); kill the task again',
      },
    ]);
    assert.deepEqual(r.calls[5], [killCall('a.1')]);
    assert.deepEqual(kinds(r.decisions[5]!), ['kill-sent']);
    assert.equal(r.state.tasks['a.1']!.killRequested, true);
  });

  it('a KILL that may have arrived stays requested: a second kill is ignored and SUBSCRIBED sends it again', () => {
    const r = run(
      [
        ...running,
        kill(3, 'a.1'),
        callFailed(4, killCall('a.1'), false, 'no answer within 30000 ms'),
        kill(5, 'a.1'),
        disconnected(6),
        subscribed(7),
      ],
      start(),
    );
    assert.deepEqual(r.calls[4], []);
    assert.deepEqual(r.decisions[4], [
      {
        at: 4,
        kind: 'error',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        call: 'KILL',
        reason: 'KILL may not have arrived (no answer within 30000 ms); it is sent again on the next subscription',
      },
    ]);
    assert.equal(r.state.tasks['a.1']!.killRequested, true);
    assert.deepEqual(r.calls[5], []);
    assert.deepEqual(kinds(r.decisions[5]!), ['kill-ignored']);
    assert.deepEqual(r.calls[7], [killCall('a.1'), reconcileCall(['a.1', 'S1']), implicitReconcile]);
  });
});

describe('recovery: adopting a task this state does not know', () => {
  const adopted: SchedulerInput[] = [subscribed(0), update(1, 'x.4', 'TASK_RUNNING', { uuid: 'eA==' })];

  it('adopts a running x.4 as request x at attempt 4', () => {
    const r = run(adopted, start());
    assert.deepEqual(r.calls[1], [ack('x.4', 'eA==')]);
    assert.deepEqual(r.decisions[1], [
      {
        at: 1,
        kind: 'adopted',
        requestId: 'x',
        taskId: 'x.4',
        agentId: 'S1',
        state: 'TASK_RUNNING',
        reason: 'TASK_RUNNING for a task of this framework that this scheduler did not know: adopted',
      },
    ]);
    assert.deepEqual(r.state.tasks['x.4'], {
      taskId: 'x.4',
      request: { id: 'x', cpus: 0, mem: 0 },
      agentId: 'S1',
      hostname: '',
      state: 'TASK_RUNNING',
      killRequested: false,
      adopted: true,
      updatedAt: 1,
    });
    assert.deepEqual(r.state.attempts, { x: 4 });
  });

  it('kills the adopted task with KILL, and a later launch of x gets task id x.5', () => {
    const r = run(
      [
        ...adopted,
        launch(2, req('x')),
        kill(3, 'x.4'),
        update(4, 'x.4', 'TASK_KILLED', { uuid: 'eQ==' }),
        launch(5, req('x')),
        offers(6, offer(1, 4, 4096)),
      ],
      start(),
    );
    // one request id runs once: while x.4 runs, x is already running
    assert.deepEqual(kinds(r.decisions[2]!), ['rejected']);
    assert.deepEqual(r.calls[3], [killCall('x.4')]);
    assert.deepEqual(kinds(r.decisions[3]!), ['kill-sent']);
    assert.deepEqual(r.calls[4], [ack('x.4', 'eQ==')]);
    assert.deepEqual(kinds(r.decisions[4]!), ['finished']);
    assert.deepEqual(kinds(r.decisions[5]!), ['queued']);
    assert.deepEqual(r.calls[6], [acceptOf(1, 'x.5', req('x'), 60)]);
    assert.deepEqual(r.state.attempts, { x: 5 });
  });

  it('does not adopt what has ended or what Mesos does not know', () => {
    const r = run(
      [subscribed(0), update(1, 'y.2', 'TASK_FAILED', { uuid: 'eA==' }), reconciled(2, 'z.1', 'TASK_UNKNOWN')],
      start(),
    );
    assert.deepEqual(r.calls[1], [ack('y.2', 'eA==')]);
    assert.deepEqual(r.calls[2], []);
    assert.deepEqual(kinds(r.decisions[1]!), ['status']);
    assert.deepEqual(kinds(r.decisions[2]!), ['status']);
    assert.deepEqual(r.state.tasks, {});
    assert.deepEqual(r.state.attempts, {});
  });
});

describe('recovery: unreachable agents', () => {
  const away: SchedulerInput[] = [
    subscribed(0),
    launch(1, onFailure('a')),
    offers(2, offer(1, 4, 4096)),
    update(3, 'a.1', 'TASK_RUNNING', { uuid: 'AQ==' }),
    tick(1002), // idle for 1000 ms: SUPPRESS
    update(5000, 'a.1', 'TASK_UNREACHABLE', { source: 'SOURCE_MASTER', reason: 'REASON_AGENT_DISCONNECTED' }),
  ];

  it('marks the task away without acknowledging the master-generated update', () => {
    const r = run(away, start());
    assert.deepEqual(r.calls[4], [suppress]);
    assert.deepEqual(r.calls[5], []);
    assert.deepEqual(plain(r.state.tasks['a.1']), {
      taskId: 'a.1',
      request: onFailure('a'),
      agentId: 'S1',
      hostname: 'agent-1',
      state: 'TASK_UNREACHABLE',
      killRequested: false,
      updatedAt: 5000,
      awaySince: 5000,
    });
  });

  it("with restart 'on-failure', places the request again once, after unreachableReplaceMs, and kills the old task when its agent is back", () => {
    const r = run(
      [
        ...away,
        tick(14_999),
        tick(15_000),
        tick(15_001),
        tick(59_000),
        offers(59_001, offer(2, 4, 4096)),
        update(59_500, 'a.1', 'TASK_RUNNING', { uuid: 'Ag==', reason: 'REASON_AGENT_REREGISTERED' }),
        update(59_900, 'a.1', 'TASK_KILLED', { uuid: 'Aw==' }),
        tick(59_999),
      ],
      start(),
    );
    assert.deepEqual(r.calls[6], []);
    assert.deepEqual(r.calls[7], [revive]);
    assert.deepEqual(r.decisions[7], [
      {
        at: 15_000,
        kind: 'requeued',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        reason:
          'its agent has been out of reach for 10 s: placing the request again; the old task is killed if its agent comes back',
      },
      { at: 15_000, kind: 'revived', reason: 'requests are pending again' },
    ]);
    // exactly one replacement, however many ticks
    assert.deepEqual(r.calls[8], []);
    assert.deepEqual(r.decisions[8], []);
    assert.deepEqual(r.calls[9], []);
    assert.deepEqual(r.decisions[9], []);
    // the replacement is attempt 2
    assert.deepEqual(r.calls[10], [acceptOf(2, 'a.2', onFailure('a'), 60)]);
    // the agent is back: acknowledge, and end the old copy
    assert.deepEqual(r.calls[11], [ack('a.1', 'Ag=='), killCall('a.1')]);
    // its end is what we asked for: finished, not placed a third time
    assert.deepEqual(r.calls[12], [ack('a.1', 'Aw==')]);
    assert.deepEqual(r.decisions[12], [
      {
        at: 59_900,
        kind: 'finished',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        state: 'TASK_KILLED',
        reason: 'TASK_KILLED',
      },
    ]);
    assert.deepEqual(Object.keys(r.state.tasks), ['a.2']);
    assert.deepEqual(r.state.pending, []);
    assert.deepEqual(r.state.attempts, { a: 2 });
  });

  it('queues the request again and marks the old task to be killed, which stays so after the replacement is placed', () => {
    const queued = run([...away, tick(15_000)], start());
    assert.deepEqual(ids(queued.state.pending), ['a']);
    assert.deepEqual(plain(queued.state.tasks['a.1']), {
      taskId: 'a.1',
      request: onFailure('a'),
      agentId: 'S1',
      hostname: 'agent-1',
      state: 'TASK_UNREACHABLE',
      killRequested: true,
      updatedAt: 5000,
      awaySince: 5000,
    });
    const placed = run([...away, tick(15_000), offers(15_001, offer(2, 4, 4096))], start());
    assert.deepEqual(placed.state.pending, []);
    assert.equal(placed.state.tasks['a.1']!.killRequested, true);
    assert.equal(placed.state.tasks['a.2']!.state, 'TASK_STAGING');
  });

  it('a KILL for the old copy that Mesos refused is not forgotten while the replacement runs', () => {
    const r = run(
      [
        ...away,
        tick(15_000),
        offers(15_001, offer(2, 4, 4096)),
        update(20_000, 'a.1', 'TASK_RUNNING', { uuid: 'Ag==' }),
        callFailed(20_001, killCall('a.1'), true, 'Mesos refused the KILL call with 403'),
        reconciled(30_000, 'a.1', 'TASK_RUNNING'),
        update(40_000, 'a.1', 'TASK_FAILED', { uuid: 'Aw==' }),
      ],
      start(),
    );
    // (the queue has been empty for a while by then, hence the SUPPRESS)
    assert.deepEqual(r.calls[8], [ack('a.1', 'Ag=='), killCall('a.1'), suppress]);
    assert.deepEqual(r.decisions[9], [
      {
        at: 20_001,
        kind: 'error',
        requestId: 'a',
        taskId: 'a.1',
        agentId: 'S1',
        call: 'KILL',
        reason:
          'KILL was not delivered (Mesos refused the KILL call with 403); its request runs again elsewhere, so it is sent again when the task next reports',
      },
    ]);
    // the next word from it brings the KILL again
    assert.deepEqual(r.calls[10], [killCall('a.1')]);
    // and however it ends, it is not placed a third time
    assert.deepEqual(kinds(r.decisions[11]!), ['finished']);
    assert.deepEqual(Object.keys(r.state.tasks), ['a.2']);
    assert.deepEqual(r.state.pending, []);
  });

  it("with restart 'never', nothing is replaced, and a task back from an unreachable agent is left alone", () => {
    const never: SchedulerInput[] = [
      subscribed(0),
      launch(1, req('a')),
      offers(2, offer(1, 4, 4096)),
      update(5000, 'a.1', 'TASK_UNREACHABLE'),
      tick(15_000),
      tick(59_000),
      update(59_500, 'a.1', 'TASK_RUNNING', { uuid: 'Ag==' }),
    ];
    const r = run(never, start());
    // every step settles offer interest: the update itself finds the queue idle long enough
    assert.deepEqual(r.calls[3], [suppress]);
    assert.deepEqual(kinds(r.decisions[3]!), ['status', 'suppressed']);
    assert.deepEqual(r.calls[4], []);
    assert.deepEqual(r.decisions[4], []);
    assert.deepEqual(r.calls[5], []);
    assert.deepEqual(r.state.pending, []);
    assert.deepEqual(r.calls[6], [ack('a.1', 'Ag==')]);
    assert.deepEqual(plain(r.state.tasks['a.1']), {
      taskId: 'a.1',
      request: req('a'),
      agentId: 'S1',
      hostname: 'agent-1',
      state: 'TASK_RUNNING',
      killRequested: false,
      updatedAt: 59_500,
    });
  });
});

describe('recovery: Mesos removed the framework', () => {
  const removed: SchedulerInput[] = [
    subscribed(0),
    launch(1, onFailure('a'), req('b'), onFailure('c'), req('d', 64, 1)),
    offers(2, offer(1, 1, 512), offer(2, 1, 512), offer(3, 1, 512)),
    kill(3, 'c.1'),
    frameworkRemoved(4, 'Framework has been removed'),
  ];

  it("forgets the framework id and its tasks, queues the 'on-failure' requests again and reports the rest", () => {
    const r = run(removed, start());
    const agentOf = (taskId: string) =>
      r.decisions[2]!.find((d) => d.kind === 'launched' && d.taskId === taskId)!.agentId;
    assert.deepEqual(r.calls[4], []);
    assert.equal(r.state.frameworkId, undefined);
    assert.equal(r.state.subscribed, false);
    assert.deepEqual(r.state.tasks, {});
    assert.equal(r.state.reconcile, undefined);
    assert.deepEqual(ids(r.state.pending), ['d', 'a']);
    assert.deepEqual(r.decisions[4], [
      {
        at: 4,
        kind: 'framework-removed',
        reason:
          'Mesos removed the framework (Framework has been removed); its 3 task(s) were killed by Mesos; 1 queued again under a new framework',
      },
      {
        at: 4,
        kind: 'requeued',
        requestId: 'a',
        taskId: 'a.1',
        agentId: agentOf('a.1'),
        reason: "the framework was removed with its tasks; restart 'on-failure': queued again",
      },
      {
        at: 4,
        kind: 'finished',
        requestId: 'b',
        taskId: 'b.1',
        agentId: agentOf('b.1'),
        reason: 'the framework was removed with its tasks',
      },
      {
        at: 4,
        kind: 'finished',
        requestId: 'c',
        taskId: 'c.1',
        agentId: agentOf('c.1'),
        reason: 'the framework was removed with its tasks',
      },
    ]);
  });

  it('the new framework places the work again, under fresh task ids', () => {
    const r = run([...removed, subscribed(10, 'F2'), offers(11, offer(4, 4, 4096))], start());
    assert.equal(r.state.frameworkId, 'F2');
    assert.deepEqual(r.calls[5], [implicitReconcile]);
    assert.deepEqual(r.calls[6], [acceptOf(4, 'a.2', onFailure('a'), 60)]);
  });
});

describe('recovery: a bounded matching pass', () => {
  it('launches at most maxRequestsPerPass per OFFERS event and declines the rest with the busy filter', () => {
    const five = ['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => req(id));
    const firstPass: SchedulerInput[] = [
      subscribed(0),
      launch(1, ...five),
      offers(2, offer(1, 1, 512), offer(2, 1, 512), offer(3, 1, 512), offer(4, 1, 512)),
    ];
    const r = run(firstPass, start({ maxRequestsPerPass: 2 }));
    const [accepts, rest] = [
      r.calls[2]!.filter((c) => c.type === 'ACCEPT'),
      r.calls[2]!.filter((c) => c.type !== 'ACCEPT'),
    ];
    assert.equal(accepts.length, 2);
    const launchedIds = accepts.map((c) => c.accept!.operations![0]!.launch!.task_infos![0]!.task_id.value).sort();
    assert.deepEqual(launchedIds, ['r1.1', 'r2.1']);
    // whatever the accepted offers leave is filtered only briefly too, since more requests wait
    for (const a of accepts) assert.deepEqual(a.accept!.filters, { refuse_seconds: 1 });
    const usedOffers = accepts.map((c) => c.accept!.offer_ids![0]!.value);
    const declined = ['O1', 'O2', 'O3', 'O4'].filter((o) => !usedOffers.includes(o));
    assert.deepEqual(rest, [
      { type: 'DECLINE', decline: { offer_ids: declined.map((value) => ({ value })), filters: { refuse_seconds: 1 } } },
    ]);
    assert.deepEqual(
      r.decisions[2]!.filter((d) => d.kind === 'declined').map((d) => d.reason),
      ['more requests wait for the next pass; refused for 1s', 'more requests wait for the next pass; refused for 1s'],
    );
    assert.deepEqual(
      kinds(r.decisions[2]!).filter((k) => k === 'unmatched'),
      [],
      'requests not considered are not unmatched',
    );
    assert.deepEqual(ids(r.state.pending), ['r3', 'r4', 'r5']);
    assert.equal(r.state.filteredUntil, 1002);
    // the next pass takes the next two
    const second = run(
      [...firstPass, offers(1003, offer(3, 1, 512), offer(4, 1, 512), offer(5, 1, 512))],
      start({ maxRequestsPerPass: 2 }),
    );
    const next = second.calls[3]!.filter((c) => c.type === 'ACCEPT');
    assert.deepEqual(next.map((c) => c.accept!.operations![0]!.launch!.task_infos![0]!.task_id.value).sort(), [
      'r3.1',
      'r4.1',
    ]);
    assert.deepEqual(ids(second.state.pending), ['r5']);
  });
});

describe('recovery: SUPPRESS and REVIVE that fail', () => {
  const suppressed: SchedulerInput[] = [subscribed(0), tick(1000)];

  it('a failed REVIVE is sent again by the next step while requests wait, not by the failure itself', () => {
    const r = run(
      [
        ...suppressed,
        launch(2000, req('a')),
        callFailed(2100, revive, true, 'Mesos refused the REVIVE call with 403'),
        tick(3100),
        tick(4100),
      ],
      start(),
    );
    assert.deepEqual(r.calls[1], [suppress]);
    assert.deepEqual(r.calls[2], [revive]);
    // answering a failure with the same call at once would loop as fast as the master refuses
    assert.deepEqual(r.calls[3], []);
    assert.equal(r.state.suppressed, false);
    assert.deepEqual(r.calls[4], [revive]);
    assert.deepEqual(r.decisions[4], [{ at: 3100, kind: 'revived', reason: 'requests are pending again' }]);
    assert.deepEqual(r.calls[5], []);
  });

  it('a REVIVE that may not have arrived is sent again too', () => {
    const r = run(
      [...suppressed, launch(2000, req('a')), callFailed(2100, revive, false, 'timeout'), tick(3100)],
      start(),
    );
    assert.deepEqual(r.calls.slice(2), [[revive], [], [revive]]);
  });

  it('a failed REVIVE with nothing pending any more sends nothing', () => {
    const r = run(
      [...suppressed, launch(2000, req('a')), kill(2050, 'a'), callFailed(2100, revive, true, '403'), tick(2200)],
      start(),
    );
    assert.deepEqual(r.calls.slice(3), [[], [], []]);
  });

  it('a SUPPRESS refused for certain is sent again after suppressAfterMs of idleness', () => {
    const r = run(
      [
        ...suppressed,
        callFailed(1100, suppress, true, 'Mesos refused the SUPPRESS call with 403'),
        tick(2099),
        tick(2100),
      ],
      start(),
    );
    assert.deepEqual(r.calls.slice(1), [[suppress], [], [], [suppress]]);
    assert.deepEqual(r.decisions[4], [{ at: 2100, kind: 'suppressed', reason: 'nothing pending for 1000 ms' }]);
    assert.equal(r.state.suppressed, true);
  });

  it('a SUPPRESS that may have taken effect counts as taken: new demand revives', () => {
    const r = run(
      [...suppressed, callFailed(1100, suppress, false, 'timeout'), tick(5000), launch(6000, req('a'))],
      start(),
    );
    assert.deepEqual(r.calls.slice(1), [[suppress], [], [], [revive]]);
    assert.equal(r.state.suppressed, false);
  });

  it('a SUPPRESS failure after demand came back changes nothing: the REVIVE that followed it stands', () => {
    const r = run(
      [...suppressed, launch(1050, req('a')), callFailed(1100, suppress, false, 'timeout'), tick(1200)],
      start(),
    );
    assert.deepEqual(r.calls.slice(1), [[suppress], [revive], [], []]);
    assert.equal(r.state.suppressed, false);
  });
});
