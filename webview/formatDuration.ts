const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration the way an operator reads a queue: the two largest units, whole numbers ("45 s", "3 min 20 s",
 * "2 h 5 min", "3 d 4 h"). A negative duration (the host's clock a little ahead of the webview's) reads "0 s".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < SECOND) return '0 s';
  const units: [number, string][] = [
    [DAY, 'd'],
    [HOUR, 'h'],
    [MINUTE, 'min'],
    [SECOND, 's'],
  ];
  const first = units.findIndex(([size]) => ms >= size);
  const [bigSize, bigName] = units[first]!;
  const big = Math.floor(ms / bigSize);
  const next = units[first + 1];
  if (!next) return `${big} ${bigName}`;
  const small = Math.floor((ms - big * bigSize) / next[0]);
  return small === 0 ? `${big} ${bigName}` : `${big} ${bigName} ${small} ${next[1]}`;
}

/** A wall-clock time for the decisions list: "14:03:07", local time. */
export function formatClock(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
