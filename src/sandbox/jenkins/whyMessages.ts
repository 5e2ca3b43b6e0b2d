/**
 * The English texts Jenkins puts in a queue item's `why` (`hudson/model/Messages.properties`), character
 * for character: curly quotes U+2018/U+2019 around names, and U+2019 in "doesn’t". Autoscalers parse
 * these, so the sandbox must not drift from them.
 */
export const whyMessages = {
  waitingForNextAvailableExecutor: (): string => 'Waiting for next available executor',
  waitingForNextAvailableExecutorOn: (labelOrNode: string): string =>
    `Waiting for next available executor on ‘${labelOrNode}’`,
  labelHasNoNodes: (label: string): string => `There are no nodes with the label ‘${label}’`,
  allNodesOffline: (label: string): string => `All nodes of label ‘${label}’ are offline`,
  nodeOffline: (node: string): string => `‘${node}’ is offline`,
  aboutToShutDown: (): string => 'Jenkins is about to shut down',
  inQuietPeriod: (remainingMs: number): string => `In the quiet period. Expires in ${timeSpan(remainingMs)}`,
  finishedWaiting: (): string => 'Finished waiting',
  blockedBy: (what: string): string => `Blocked by ‘${what}’`,
  inProgress: (): string => 'A build is already in progress',
  labelMissing: (node: string, label: string): string => `‘${node}’ doesn’t have label ‘${label}’`,
  nodeReserved: (node: string): string => `‘${node}’ is reserved for jobs with matching label expression`,
  nodeNotAcceptingTasks: (node: string): string => `‘${node}’ is not accepting tasks`,
} as const;

/**
 * `CompositeCauseOfBlockage.getShortDescription`: unique refusals sorted (Java string order), joined with
 * `; `, at most five, then `; ... and N more`.
 */
export function joinRefusals(refusals: Iterable<string>): string {
  const unique = [...new Set(refusals)].sort(compareJavaStrings);
  if (unique.length <= 5) return unique.join('; ');
  return `${unique.slice(0, 5).join('; ')}; ... and ${unique.length - 5} more`;
}

/** Java's String.compareTo: UTF-16 code unit order (the default JS sort order, spelled out for clarity). */
function compareJavaStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `hudson.Util.getTimeSpanString` in English: `4.2 sec`, `12 sec`, `1 min 5 sec`, `250 ms`. */
export function timeSpan(durationMs: number): string {
  let d = Math.max(0, Math.floor(durationMs));
  const units: [number, string][] = [
    [365 * 24 * 3600_000, 'yr'],
    [30 * 24 * 3600_000, 'mo'],
    [24 * 3600_000, 'day'],
    [3600_000, 'hr'],
    [60_000, 'min'],
  ];
  const counts: number[] = [];
  for (const [size] of units) {
    counts.push(Math.floor(d / size));
    d %= size;
  }
  const seconds = Math.floor(d / 1000);
  const millis = d % 1000;
  for (let i = 0; i < units.length; i++) {
    const big = counts[i] as number;
    if (big > 0) {
      const small = i + 1 < units.length ? (counts[i + 1] as number) : seconds;
      const smallUnit = i + 1 < units.length ? (units[i + 1] as [number, string])[1] : 'sec';
      const bigText = unitText(big, (units[i] as [number, string])[1]);
      return big >= 10 ? bigText : `${bigText} ${unitText(small, smallUnit)}`;
    }
  }
  if (seconds >= 10) return `${seconds} sec`;
  if (seconds >= 1) return `${formatDecimal(seconds + Math.floor(millis / 100) / 10)} sec`;
  if (millis >= 100) return `${formatDecimal(Math.floor(millis / 10) / 100)} sec`;
  return `${millis} ms`;
}

/** Only "day" has a plural form in Jenkins' English messages. */
function unitText(count: number, unit: string): string {
  return unit === 'day' && count !== 1 ? `${count} days` : `${count} ${unit}`;
}

/** MessageFormat prints a float without trailing zeros: 4.0 → "4", 4.2 → "4.2". */
function formatDecimal(value: number): string {
  return String(Number(value.toFixed(3)));
}
