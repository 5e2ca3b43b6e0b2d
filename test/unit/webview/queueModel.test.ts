import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyChanges, boundSnapshot, MAX_DECISIONS } from '../../../webview/queueModel';
import { agentRow, decision, point, queueRow, snapshot, T0 } from '../../support/queuePanelBuilders';

const minute = 60_000;

test('status, queue and agents are replaced; decisions and timeline points appended', () => {
  const start = snapshot({ decisions: [decision({ at: T0 - 2 })], timeline: [point({ at: T0 - 2 * minute })] });
  const next = applyChanges(
    start,
    [
      { kind: 'status', scheduler: { where: 'other-window', paused: true, dryRun: false } },
      { kind: 'queue', queue: [queueRow({ id: 5 }), queueRow({ id: 6 })] },
      { kind: 'agents', agents: [] },
      { kind: 'decisions', decisions: [decision({ at: T0 - 1, kind: 'declined' })] },
      { kind: 'timeline', points: [point({ at: T0 - minute })] },
    ],
    T0,
  );
  assert.deepEqual(next.scheduler, { where: 'other-window', paused: true, dryRun: false });
  assert.deepEqual(
    next.queue.map((q) => q.id),
    [5, 6],
  );
  assert.deepEqual(next.agents, []);
  assert.deepEqual(
    next.decisions.map((d) => d.kind),
    ['launched', 'declined'],
  );
  assert.deepEqual(
    next.timeline.map((p) => p.at),
    [T0 - 2 * minute, T0 - minute],
  );
  assert.equal(next.cluster, 'prod');
  assert.equal(start.queue.length, 1, 'the model before is left as it was');
});

test('a snapshot change replaces everything, and later changes in the batch apply on top', () => {
  const fresh = snapshot({ cluster: 'prod', queue: [], agents: [agentRow({ name: 'x' })], decisions: [] });
  const next = applyChanges(
    snapshot(),
    [
      { kind: 'snapshot', snapshot: fresh },
      { kind: 'decisions', decisions: [decision({ kind: 'removed' })] },
    ],
    T0,
  );
  assert.deepEqual(next.queue, []);
  assert.deepEqual(
    next.agents.map((a) => a.name),
    ['x'],
  );
  assert.deepEqual(
    next.decisions.map((d) => d.kind),
    ['removed'],
  );
});

test('keeps the newest decisions and the last hour of the timeline', () => {
  const many = Array.from({ length: MAX_DECISIONS + 5 }, (_, i) => decision({ at: T0 + i }));
  const bounded = boundSnapshot(
    snapshot({ decisions: many, timeline: [point({ at: T0 - 61 * minute }), point({ at: T0 })] }),
    T0,
  );
  assert.equal(bounded.decisions.length, MAX_DECISIONS);
  assert.equal(bounded.decisions[0]!.at, T0 + 5, 'the oldest five went');
  assert.equal(bounded.decisions.at(-1)!.at, T0 + MAX_DECISIONS + 4);
  assert.deepEqual(
    bounded.timeline.map((p) => p.at),
    [T0],
  );

  const appended = applyChanges(
    bounded,
    [{ kind: 'decisions', decisions: [decision({ at: T0 + 99_999 })] }],
    T0 + 2 * minute,
  );
  assert.equal(appended.decisions.length, MAX_DECISIONS);
  assert.equal(appended.decisions.at(-1)!.at, T0 + 99_999);
});

test('time moving on drops points that left the hour, even with no new change', () => {
  const model = snapshot({ timeline: [point({ at: T0 }), point({ at: T0 + 30 * minute })] });
  assert.equal(applyChanges(model, [], T0 + 70 * minute).timeline.length, 1);
});
