import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QueueChangeBatcher } from '../../../src/ui/queue/queueChangeBatcher';
import { decision, point, queueRow, snapshot, T0 } from '../../support/queuePanelBuilders';

test('replacements keep only the last; appends are joined in order', () => {
  const b = new QueueChangeBatcher();
  assert.equal(b.isEmpty, true);
  b.add({ kind: 'queue', queue: [queueRow({ id: 1 })] });
  b.add({ kind: 'decisions', decisions: [decision({ at: T0 + 1 })] });
  b.add({ kind: 'timeline', points: [point({ at: T0 + 1 })] });
  b.add({ kind: 'queue', queue: [queueRow({ id: 2 }), queueRow({ id: 3 })] });
  b.add({ kind: 'status', scheduler: { where: 'here', paused: true, dryRun: false } });
  b.add({ kind: 'decisions', decisions: [decision({ at: T0 + 2 }), decision({ at: T0 + 3 })] });
  b.add({ kind: 'timeline', points: [point({ at: T0 + 2 })] });
  b.add({ kind: 'status', scheduler: { where: 'here', paused: false, dryRun: true } });
  b.add({ kind: 'agents', agents: [] });
  assert.equal(b.isEmpty, false);
  assert.deepEqual(b.take(), [
    { kind: 'status', scheduler: { where: 'here', paused: false, dryRun: true } },
    { kind: 'queue', queue: [queueRow({ id: 2 }), queueRow({ id: 3 })] },
    { kind: 'agents', agents: [] },
    { kind: 'decisions', decisions: [decision({ at: T0 + 1 }), decision({ at: T0 + 2 }), decision({ at: T0 + 3 })] },
    { kind: 'timeline', points: [point({ at: T0 + 1 }), point({ at: T0 + 2 })] },
  ]);
  assert.equal(b.isEmpty, true);
  assert.deepEqual(b.take(), [], 'taking empties the batch');
});

test('a snapshot makes what came before it moot; what comes after applies on top', () => {
  const b = new QueueChangeBatcher();
  b.add({ kind: 'decisions', decisions: [decision({ kind: 'old' })] });
  b.add({ kind: 'queue', queue: [] });
  const fresh = snapshot({ cluster: 'prod' });
  b.add({ kind: 'snapshot', snapshot: fresh });
  b.add({ kind: 'decisions', decisions: [decision({ kind: 'new' })] });
  assert.deepEqual(b.take(), [
    { kind: 'snapshot', snapshot: fresh },
    { kind: 'decisions', decisions: [decision({ kind: 'new' })] },
  ]);
});

test('clear drops everything', () => {
  const b = new QueueChangeBatcher();
  b.add({ kind: 'timeline', points: [point()] });
  b.clear();
  assert.equal(b.isEmpty, true);
  assert.deepEqual(b.take(), []);
});
