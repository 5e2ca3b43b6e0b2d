import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatClock, formatDuration } from '../../../webview/formatDuration';

const s = 1000;
const min = 60 * s;
const h = 60 * min;

test('durations read in the two largest units, whole numbers', () => {
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDuration(999), '0 s');
  assert.equal(formatDuration(45 * s + 900), '45 s');
  assert.equal(formatDuration(60 * s), '1 min');
  assert.equal(formatDuration(3 * min + 20 * s), '3 min 20 s');
  assert.equal(formatDuration(2 * h + 5 * min + 59 * s), '2 h 5 min');
  assert.equal(formatDuration(2 * h), '2 h');
  assert.equal(formatDuration(3 * 24 * h + 4 * h + 7 * min), '3 d 4 h');
});

test('a negative or impossible duration reads 0 s rather than nonsense', () => {
  assert.equal(formatDuration(-5 * s), '0 s');
  assert.equal(formatDuration(Number.NaN), '0 s');
  assert.equal(formatDuration(Infinity), '0 s');
});

test('the clock is local time with seconds, zero-padded', () => {
  assert.equal(formatClock(new Date(2024, 0, 1, 14, 3, 7).getTime()), '14:03:07');
  assert.equal(formatClock(new Date(2024, 0, 1, 0, 0, 0).getTime()), '00:00:00');
});
