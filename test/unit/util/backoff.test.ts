import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, sleep } from '../../../src/core/util/backoff';

test('delays double up to the cap; jitter keeps each within [ceiling*(1-jitter), ceiling]', () => {
  const top = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 1 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => top.next()), [100, 200, 400, 800, 1000, 1000]);
  const bottom = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0.5, random: () => 0 });
  assert.deepEqual([1, 2, 3].map(() => bottom.next()), [50, 100, 200]);
});

test('reset starts again from the initial delay', () => {
  const b = new Backoff({ initialMs: 10, maxMs: 1000, random: () => 1 });
  b.next();
  b.next();
  assert.equal(b.attempt, 2);
  b.reset();
  assert.equal(b.next(), 10);
});

test('bad options are refused', () => {
  assert.throws(() => new Backoff({ initialMs: 0, maxMs: 10 }), RangeError);
  assert.throws(() => new Backoff({ initialMs: 20, maxMs: 10 }), RangeError);
});

test('sleep rejects with the abort reason at once and leaves no timer', async () => {
  const controller = new AbortController();
  const pending = sleep(60_000, controller.signal);
  controller.abort(new Error('closed'));
  await assert.rejects(pending, /closed/);
  await assert.rejects(sleep(10, AbortSignal.abort(new Error('already'))), /already/);
  await sleep(1);
});
