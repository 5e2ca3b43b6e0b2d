import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DecisionRecord } from '../../../src/core/scheduler/decisionRecord';
import type { TaskRequest } from '../../../src/core/scheduler/taskRequest';
import { requestIdOf as requestIdOfTask } from '../../../src/core/scheduler/taskId';
import { describe, LaunchTracker } from '../../../src/ui/tasks/launchTracker';

// How the launch progress reads the scheduler's decisions and status updates for its requests.

const web: TaskRequest = { id: 'web-a1', name: 'web', cpus: 1, mem: 128 };
const db: TaskRequest = { id: 'db-b2', name: 'db', cpus: 1, mem: 128 };
const at = 1_700_000_000_000;
const decision = (d: Omit<DecisionRecord, 'at'>): DecisionRecord => ({ at, ...d });

test('queued, unmatched with the reason, launched, running: settled and succeeded', () => {
  const t = new LaunchTracker([web]);
  assert.equal(t.settled, false);
  assert.equal(t.onDecision(decision({ kind: 'queued', requestId: 'web-a1', reason: 'waiting for an offer' })), true);
  assert.equal(
    t.onDecision(decision({ kind: 'unmatched', requestId: 'web-a1', reason: 'a1 (o1): mem: needs 128, offer has 64' })),
    true,
  );
  assert.equal(t.message(), 'Waiting for an offer: no offer fits yet: a1 (o1): mem: needs 128, offer has 64');
  t.onDecision(
    decision({ kind: 'launched', requestId: 'web-a1', taskId: 'web-a1.1', agentId: 'ag1', reason: 'placed on a1' }),
  );
  assert.equal(t.message(), 'Starting (TASK_STAGING): placed on a1');
  assert.equal(t.settled, false);
  t.onTaskUpdate({ taskId: 'web-a1.1', state: 'TASK_STARTING' });
  assert.equal(t.settled, false);
  t.onTaskUpdate({ taskId: 'web-a1.1', state: 'TASK_RUNNING' });
  assert.equal(t.settled, true);
  assert.equal(t.succeeded, true);
  assert.deepEqual(t.results(), [
    {
      requestId: 'web-a1',
      name: 'web',
      phase: 'running',
      taskId: 'web-a1.1',
      agentId: 'ag1',
      state: 'TASK_RUNNING',
      reason: 'TASK_RUNNING',
    },
  ]);
  // settled stays settled: a later failure is not this launch's
  assert.equal(t.onTaskUpdate({ taskId: 'web-a1.1', state: 'TASK_FAILED', message: 'later' }), false);
  assert.equal(t.results()[0]!.phase, 'running');
});

test("a failed status carries the agent's message and reason", () => {
  const t = new LaunchTracker([web]);
  t.onTaskUpdate({
    taskId: 'web-a1.1',
    state: 'TASK_FAILED',
    message: 'Command exited with status 1',
    reason: 'REASON_COMMAND_EXECUTOR_FAILED',
  });
  assert.equal(t.settled, true);
  assert.equal(t.succeeded, false);
  assert.deepEqual(t.results()[0], {
    requestId: 'web-a1',
    name: 'web',
    phase: 'failed',
    taskId: 'web-a1.1',
    state: 'TASK_FAILED',
    reason: 'TASK_FAILED: Command exited with status 1 · REASON_COMMAND_EXECUTOR_FAILED',
  });
  assert.equal(
    describe(t.results()[0]!),
    'web failed: TASK_FAILED: Command exited with status 1 · REASON_COMMAND_EXECUTOR_FAILED',
  );
});

test('rejected, larger than any agent, removed and finished decisions settle a request', () => {
  const t = new LaunchTracker([web, db, { ...web, id: 'x-1', name: 'x' }, { ...web, id: 'y-1', name: 'y' }]);
  t.onDecision(
    decision({
      kind: 'rejected',
      requestId: 'web-a1',
      reason: "a request with id 'web-a1' is already pending or running",
    }),
  );
  t.onDecision(decision({ kind: 'unmatched', requestId: 'db-b2', reason: 'larger than any agent' }));
  t.onDecision(
    decision({ kind: 'removed', requestId: 'x-1', reason: 'kill requested before launch: removed from the queue' }),
  );
  assert.equal(t.settled, false);
  assert.equal(
    t.message(),
    '1 rejected, 1 larger than any agent, 1 removed, 1 waiting for an offer — y: sent to the scheduler',
  );
  t.onDecision(
    decision({
      kind: 'finished',
      requestId: 'y-1',
      taskId: 'y-1.1',
      state: 'TASK_FINISHED',
      reason: 'TASK_FINISHED: done',
    }),
  );
  assert.equal(t.settled, true);
  assert.deepEqual(
    t.results().map((p) => p.phase),
    ['rejected', 'too-large', 'removed', 'finished'],
  );
  assert.equal(t.message(), '1 rejected, 1 larger than any agent, 1 removed, 1 finished');
});

test('with restart on-failure a failure is not the end: the requeue and the next attempt are followed', () => {
  const t = new LaunchTracker([{ ...web, restart: 'on-failure' }]);
  t.onTaskUpdate({ taskId: 'web-a1.1', state: 'TASK_FAILED', message: 'boom' });
  assert.equal(t.settled, false);
  assert.equal(t.results()[0]!.reason, 'TASK_FAILED: boom; restarting');
  t.onDecision(
    decision({
      kind: 'requeued',
      requestId: 'web-a1',
      taskId: 'web-a1.1',
      reason: "TASK_FAILED with restart 'on-failure': queued again: boom",
    }),
  );
  t.onDecision(
    decision({
      kind: 'status',
      requestId: 'web-a1',
      taskId: 'web-a1.2',
      state: 'TASK_RUNNING',
      reason: 'TASK_RUNNING: TASK_RUNNING',
    }),
  );
  assert.equal(t.settled, true);
  assert.equal(t.results()[0]!.taskId, 'web-a1.2');
});

test('events about other requests are ignored; task ids map back to request ids', () => {
  const t = new LaunchTracker([web]);
  assert.equal(t.onDecision(decision({ kind: 'queued', requestId: 'other', reason: 'x' })), false);
  assert.equal(t.onTaskUpdate({ taskId: 'other.1', state: 'TASK_RUNNING' }), false);
  assert.equal(t.onDecision(decision({ kind: 'declined', offerId: 'o', reason: 'nothing pending fits' })), false);
  assert.equal(t.settled, false);
  assert.equal(requestIdOfTask('web-a1.12'), 'web-a1');
  assert.equal(requestIdOfTask('web-a1'), 'web-a1');
  assert.equal(requestIdOfTask('v1.x'), 'v1.x');
});
