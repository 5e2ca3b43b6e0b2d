import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentTableRows, decisionTableRows, queueTableRows } from '../../../webview/tableRows';
import { controlsEnabled, schedulerWhereLabel } from '../../../webview/stateLabels';
import type { QueueItemState } from '../../../webview/protocol';
import { agentRow, decision, queueRow, T0 } from '../../support/queuePanelBuilders';

test('queue rows: longest waiting first, every column as text', () => {
  const rows = queueTableRows(
    [
      queueRow({ id: 12, since: T0 + 60_000, state: 'agent-launching' }),
      queueRow({
        id: 11,
        since: T0,
        labelExpression: null,
        why: null,
        template: null,
        state: 'blocked-by-limit',
        blockedBy: 'max agents (4) of template linux',
      }),
    ],
    T0 + 200_000,
  );
  assert.deepEqual(
    rows.map((r) => r.key),
    ['queue-row-11', 'queue-row-12'],
  );
  assert.deepEqual(rows[0]!.cells, {
    item: '#11',
    job: 'app-build',
    label: '(any)',
    waiting: '3 min 20 s',
    why: '',
    template: '(none)',
    state: 'blocked by max agents (4) of template linux',
  });
  assert.deepEqual(rows[0]!.data, { state: 'blocked-by-limit' });
  assert.equal(rows[1]!.cells.state, 'agent launching');
  assert.equal(rows[1]!.cells.label, 'linux && docker');
  assert.equal(rows[1]!.cells.waiting, '2 min 20 s');
});

test('queue state labels for each state', () => {
  const label = (state: QueueItemState) => queueTableRows([queueRow({ state })], T0)[0]!.cells.state;
  assert.equal(label('waiting'), 'waiting');
  assert.equal(label('agent-launching'), 'agent launching');
  assert.equal(label('agent-online'), 'agent online');
  assert.equal(label('blocked-by-limit'), 'blocked by a limit', 'without the limit named');
});

test('agent rows: by name; idle time only when idle', () => {
  const rows = agentTableRows(
    [
      agentRow({ name: 'b', state: 'busy', idleSince: null }),
      agentRow({ name: 'a', idleSince: T0 - 90_000, taskId: null, host: null }),
    ],
    T0,
  );
  assert.deepEqual(
    rows.map((r) => r.key),
    ['agent-row-a', 'agent-row-b'],
  );
  assert.deepEqual(rows[0]!.cells, {
    name: 'a',
    labels: 'linux docker',
    state: 'idle',
    idle: '1 min 30 s',
    task: '',
    host: '',
  });
  assert.equal(rows[1]!.cells.idle, '');
  assert.equal(rows[1]!.cells.task, 'jenkins-agent-mesos-linux-1');
  assert.equal(rows[1]!.cells.host, 'agent-3.example.com');
});

test('decision rows keep the given order and say what each was about', () => {
  const at = new Date(2024, 0, 1, 9, 5, 1).getTime();
  const rows = decisionTableRows([
    decision({
      at,
      kind: 'removed',
      agent: 'mesos-linux-1',
      taskId: 't1',
      hostname: 'agent-3',
      reason: 'idle for 10 min',
    }),
    decision({ kind: 'declined', label: undefined, offerId: 'o-7', reason: 'no request fits' }),
    decision({ kind: 'skip', skip: 'limit', items: [1190], template: 'linux', reason: 'max agents 4' }),
    decision({ kind: 'launch', taskId: 't2', items: [3, 4, 5, 6, 7], dryRun: true }),
  ]);
  assert.deepEqual(
    rows.map((r) => r.key),
    ['decision-row-0', 'decision-row-1', 'decision-row-2', 'decision-row-3'],
  );
  assert.deepEqual(rows[0]!.cells, {
    time: '09:05:01',
    kind: 'removed',
    label: 'linux',
    subject: 'mesos-linux-1, on agent-3',
    reason: 'idle for 10 min',
  });
  assert.equal(rows[1]!.cells.subject, 'offer o-7');
  assert.equal(rows[1]!.cells.label, '');
  assert.equal(rows[2]!.cells.subject, 'item #1190');
  assert.equal(rows[2]!.cells.kind, 'skip (limit)');
  assert.equal(rows[3]!.cells.subject, 'task t2, items #3 #4 #5 +2');
  assert.equal(rows[3]!.cells.kind, 'launch (dry run)');
  assert.deepEqual(rows[2]!.data, { kind: 'skip' });
});

test('where the scheduler runs, in words; controls only for the one in this window', () => {
  assert.equal(
    schedulerWhereLabel({ where: 'here', paused: false, dryRun: false }),
    'Scheduler running in this window',
  );
  assert.equal(
    schedulerWhereLabel({ where: 'other-window', paused: true, dryRun: true }),
    'Scheduler running in another window (paused, dry run)',
  );
  assert.equal(
    schedulerWhereLabel({ where: 'headless', paused: false, dryRun: false, detail: 'ci-01, pid 4242' }),
    'Scheduler running headless: ci-01, pid 4242',
  );
  assert.equal(schedulerWhereLabel({ where: 'stopped', paused: false, dryRun: true }), 'Scheduler stopped (dry run)');
  assert.equal(controlsEnabled({ where: 'here', paused: true, dryRun: false }), true);
  for (const where of ['other-window', 'headless', 'stopped'] as const)
    assert.equal(controlsEnabled({ where, paused: false, dryRun: false }), false);
});
