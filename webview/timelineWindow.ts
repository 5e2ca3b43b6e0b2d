import type { TimelinePoint } from './protocol';

export const TIMELINE_SPAN_MS = 60 * 60 * 1000;

/**
 * The points of the last `spanMs` before `now`, in time order. Appends normally arrive in order; a point
 * that does not (a clock step on the host) is put in its place rather than drawn as a line going back.
 */
export function windowTimeline(
  points: readonly TimelinePoint[],
  now: number,
  spanMs = TIMELINE_SPAN_MS,
): TimelinePoint[] {
  const from = now - spanMs;
  const kept = points.filter((p) => p.at >= from && p.at <= now);
  for (let i = 1; i < kept.length; i++) {
    if (kept[i]!.at < kept[i - 1]!.at) return kept.sort((a, b) => a.at - b.at);
  }
  return kept;
}

/** The series names in chart order, matching the columns of `timelineColumns`. */
export const TIMELINE_SERIES = ['queued', 'launching', 'online', 'busy', 'offers'] as const;

/** Column data for the chart: x in seconds (the chart's time unit), then one column per series. */
export function timelineColumns(points: readonly TimelinePoint[]): [number[], ...number[][]] {
  const xs = points.map((p) => p.at / 1000);
  return [xs, ...TIMELINE_SERIES.map((name) => points.map((p) => p[name]))];
}
