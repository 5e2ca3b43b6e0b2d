import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecisionRecord } from '../../../src/core/scheduler/decisionRecord';
import { TaskProgressReport, unmatchedReasonText } from '../../../src/cli/taskProgressReport';

function report(json = false) {
  const out: string[] = [];
  const r = new TaskProgressReport({ write: (s: string | Uint8Array) => out.push(String(s)) }, json, () => 'fw-1');
  return { r, lines: () => out.join('').split('\n').filter(Boolean) };
}

const unmatched = (reason: string): DecisionRecord => ({ at: 1, kind: 'unmatched', requestId: 'job', reason });

test('unmatched reasons lose their offer ids and count offers that failed alike', () => {
  assert.equal(unmatchedReasonText('a1 (O-1): cpus: needs 8, offer has 4'), 'a1: cpus: needs 8, offer has 4');
  assert.equal(
    unmatchedReasonText(
      'a1 (O-1): cpus: needs 8, offer has 4; mem: needs 64, offer has 32; a2 (O-2): cpus: needs 8, offer has 4; a1 (O-3): cpus: needs 8, offer has 4; mem: needs 64, offer has 32',
    ),
    'a1: cpus: needs 8, offer has 4; mem: needs 64, offer has 32 (2 offers); a2: cpus: needs 8, offer has 4',
  );
  assert.equal(unmatchedReasonText('no offers'), 'no offers');
});

test('an unmatched reason is printed once until it changes, whatever the offer ids', () => {
  const { r, lines } = report();
  r.decision(unmatched('a1 (O-1): cpus: needs 8, offer has 4'));
  r.decision(unmatched('a1 (O-2): cpus: needs 8, offer has 4'));
  r.decision(unmatched('a1 (O-3): cpus: needs 8, offer has 2'));
  r.decision(unmatched('a1 (O-4): cpus: needs 8, offer has 2'));
  assert.deepEqual(lines(), [
    'task job unmatched: a1: cpus: needs 8, offer has 4',
    'task job unmatched: a1: cpus: needs 8, offer has 2',
  ]);
  assert.equal(r.unmatchedReason, 'a1: cpus: needs 8, offer has 2');
});

test('status lines carry message and reason; a reconciliation repeating the state is not printed', () => {
  const { r, lines } = report();
  r.update({ task_id: { value: 'job.1' }, state: 'TASK_RUNNING' });
  r.update({ task_id: { value: 'job.1' }, state: 'TASK_RUNNING', reason: 'REASON_RECONCILIATION' });
  r.update({
    task_id: { value: 'job.1' },
    state: 'TASK_FAILED',
    message: 'Command exited with status 3',
    reason: 'REASON_COMMAND_EXECUTOR_FAILED',
  });
  assert.deepEqual(lines(), [
    'task job.1 TASK_RUNNING',
    'task job.1 TASK_FAILED: Command exited with status 3 (REASON_COMMAND_EXECUTOR_FAILED)',
  ]);
});

test('offer bookkeeping is not shown; JSON mode prints one object per line and the exit record', () => {
  const { r, lines } = report(true);
  r.decision({ at: 1, kind: 'declined', offerId: 'O-1', reason: 'nothing pending fits' });
  r.decision({ at: 2, kind: 'suppressed', reason: 'nothing pending' });
  r.decision(
    { at: 3, kind: 'launched', requestId: 'job', taskId: 'job.1', agentId: 'S1', reason: 'placed on a1' },
    'a1',
  );
  r.exit(0, { state: 'TASK_FINISHED' });
  const objects = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(objects, [
    {
      event: 'decision',
      at: 3,
      kind: 'launched',
      requestId: 'job',
      taskId: 'job.1',
      agentId: 'S1',
      reason: 'placed on a1',
      hostname: 'a1',
    },
    { event: 'exit', code: 0, state: 'TASK_FINISHED' },
  ]);
});
