/**
 * How long launches of a template wait after `failures` failed launches in a row: base × 2^(failures-1),
 * at most `maxMs`. No jitter: the autoscaler is one process deciding from recorded inputs, and its polls
 * already spread the retries.
 */
export function launchBackoffMs(failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
}

/** A duration for people: `45 s`, `5 min`, `1.5 min`. */
export function formatDuration(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 6_000) / 10} min`;
}
