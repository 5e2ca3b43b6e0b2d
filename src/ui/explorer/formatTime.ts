/** Times as tree rows and view descriptions show them. */

/** A duration as its largest unit: "45s", "5m", "3h", "2d". Negative durations (clock skew) read "0s". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** The local wall-clock time "10:32:05", whatever the editor's locale (descriptions must stay short). */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** A Mesos TimeInfo (nanoseconds since the epoch, a number or a decimal string) in ms, if it reads. */
export function timeInfoMs(time: { readonly nanoseconds: number | string } | undefined): number | undefined {
  if (time === undefined) return undefined;
  try {
    return Number(BigInt(time.nanoseconds) / 1_000_000n);
  } catch {
    return undefined;
  }
}
