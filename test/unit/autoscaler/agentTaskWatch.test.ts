import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentTaskWatch } from '../../../src/core/scheduler/autoscaler/agentTaskWatch';
import { reduce } from '../../../src/core/scheduler/schedulerReducer';
import type { SchedulerInput } from '../../../src/core/scheduler/schedulerInput';
import { initialSchedulerState, type SchedulerState } from '../../../src/core/scheduler/schedulerState';
import { kill, launch, offer, offers, reconciled, req, subscribed, update } from '../../support/schedulerInputs';

/** Feeds the reducer and the watch as the driver does; returns the reports after each input. */
function watch(inputs: readonly SchedulerInput[], state: SchedulerState = initialSchedulerState()) {
  const w = new AgentTaskWatch();
  const seen: { reconciled: boolean; reports: ReturnType<AgentTaskWatch['reports']> }[] = [];
  for (const input of inputs) {
    const step = reduce(state, input);
    state = step.state;
    for (const d of step.decisions) w.observe(d);
    seen.push({ reconciled: w.reconciled(state), reports: w.reports(state) });
    w.reported();
  }
  return seen;
}

const A = 'mesos-linux-t1-1';

describe('AgentTaskWatch', () => {
  it('reports an agent task pending (with why no offer fits), running (with its offer and host), then its end once', () => {
    const seen = watch([
      subscribed(0),
      launch(1, req(A, 2, 1024), req('not-an-agent')),
      offers(2, offer(1, 1, 512)),
      offers(3, offer(2, 4, 4096)),
      update(4, `${A}.1`, 'TASK_RUNNING'),
      kill(5, `${A}.1`),
      update(6, `${A}.1`, 'TASK_KILLED', { message: 'Command terminated with signal Terminated' }),
      update(7, 'other.1', 'TASK_RUNNING'),
    ]);
    assert.deepEqual(seen[0], { reconciled: true, reports: {} });
    assert.deepEqual(seen[1]!.reports, { [A]: { state: 'pending' } }, 'only agent-shaped names');
    assert.match(seen[2]!.reports[A]!.unmatched!, /^agent-1 \(O1\): /);
    assert.deepEqual(seen[3]!.reports, {
      [A]: { state: 'staging', offerId: 'O2', mesosAgentId: 'S2', hostname: 'agent-2' },
    });
    assert.equal(seen[4]!.reports[A]!.state, 'running');
    assert.equal(seen[5]!.reports[A]!.state, 'running', 'a kill asked for is not an end');
    assert.deepEqual(seen[6]!.reports, {
      [A]: { state: 'terminal', reason: 'TASK_KILLED: Command terminated with signal Terminated' },
    });
    assert.deepEqual(seen[7]!.reports, {}, 'the end is reported once');
  });

  it('is reconciled only while subscribed and once every known task answered', () => {
    let state = initialSchedulerState();
    for (const input of [subscribed(0), launch(1, req(A)), offers(2, offer(1, 4, 4096))])
      state = reduce(state, input).state;
    const restored: SchedulerState = { ...state, subscribed: false, reconcile: undefined };
    const seen = watch(
      [subscribed(10), reconciled(11, `${A}.1`, 'TASK_RUNNING'), { kind: 'disconnected', at: 12, reason: 'cut' }],
      restored,
    );
    assert.deepEqual(
      seen.map((s) => s.reconciled),
      [false, true, false],
    );
    assert.equal(seen[1]!.reports[A]!.state, 'running');
  });
});
