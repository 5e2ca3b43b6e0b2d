import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TIMELINE_SPAN_MS, timelineColumns, windowTimeline } from '../../../webview/timelineWindow';
import { point, T0 } from '../../support/queuePanelBuilders';

const minute = 60_000;

test('keeps exactly the last hour before now', () => {
  const points = [-61, -60, -30, 0, 1].map((m) => point({ at: T0 + m * minute }));
  const kept = windowTimeline(points, T0);
  assert.deepEqual(
    kept.map((p) => (p.at - T0) / minute),
    [-60, -30, 0],
    'older than an hour and later than now (a clock ahead) are left out',
  );
  assert.equal(TIMELINE_SPAN_MS, 60 * minute);
});

test('a custom span', () => {
  const points = [-10, -5, -1].map((m) => point({ at: T0 + m * minute }));
  assert.equal(windowTimeline(points, T0, 5 * minute).length, 2);
});

test('points out of order are put in time order', () => {
  const points = [-3, -1, -2].map((m) => point({ at: T0 + m * minute, queued: -m }));
  assert.deepEqual(
    windowTimeline(points, T0).map((p) => p.queued),
    [3, 2, 1],
  );
});

test('columns for the chart: seconds, then queued, launching, online, busy, offers', () => {
  const columns = timelineColumns([
    point({ at: 1_000, queued: 1, launching: 2, online: 3, busy: 4, offers: 5 }),
    point({ at: 2_500, queued: 6, launching: 7, online: 8, busy: 9, offers: 10 }),
  ]);
  assert.deepEqual(columns, [
    [1, 2.5],
    [1, 6],
    [2, 7],
    [3, 8],
    [4, 9],
    [5, 10],
  ]);
  assert.deepEqual(timelineColumns([]), [[], [], [], [], [], []]);
});
