import { JenkinsJsonReader } from './jenkinsJsonReader';
import { BUILT_IN_COMPUTER_CLASS } from './jenkinsTypes';

/** One node of `computer/api/json`, reduced to what capacity and removal decisions use. */
export interface ComputerView {
  /** The node name (`displayName`; there is no `name` key). */
  readonly name: string;
  /** The controller's own node; never an agent. */
  readonly builtIn: boolean;
  /** Temporarily offline, or not connected (a freshly created inbound node is offline until it connects). */
  readonly offline: boolean;
  readonly temporarilyOffline: boolean;
  /** All executors idle and no one-off executors. */
  readonly idle: boolean;
  readonly numExecutors: number;
  /** Executors free for a build now: 0 while offline. */
  readonly idleExecutors: number;
  readonly description: string;
  /** Assigned labels, including the self label (the node name). */
  readonly labels: readonly string[];
}

// Before 2.307 the controller's node was called `master`; its class tells it apart when present.
const BUILT_IN_NAMES = new Set(['Built-In Node', 'master']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads `GET computer/api/json`: the raw JSON of a `tree=` or depth-0 answer, or the client's
 * parseJenkinsComputers snapshot. Entries without a `displayName` are skipped, since nothing can be decided
 * about a node without its name. Throws JenkinsShapeError when the answer is not a computer set.
 */
export function readComputerSnapshot(json: unknown): ComputerView[] {
  const read = new JenkinsJsonReader('the node list (computer/api/json)');
  const computers = read.array(read.object(json, '').computer, 'computer');
  const views: ComputerView[] = [];
  for (const entry of computers) {
    if (!isRecord(entry) || typeof entry.displayName !== 'string' || entry.displayName === '') continue;
    const name = entry.displayName;
    const builtIn =
      entry._class === BUILT_IN_COMPUTER_CLASS || (entry._class === undefined && BUILT_IN_NAMES.has(name));
    const offline = entry.offline === true;
    const idle = entry.idle !== false;
    const numExecutors =
      typeof entry.numExecutors === 'number' && Number.isFinite(entry.numExecutors)
        ? Math.max(0, entry.numExecutors)
        : 0;
    views.push({
      name,
      builtIn,
      offline,
      temporarilyOffline: entry.temporarilyOffline === true,
      idle,
      numExecutors,
      idleExecutors: offline ? 0 : idleExecutorsOf(entry.executors, idle, numExecutors),
      description: typeof entry.description === 'string' ? entry.description : '',
      labels: Array.isArray(entry.assignedLabels)
        ? (entry.assignedLabels as unknown[]).flatMap((l) =>
            isRecord(l) && typeof l.name === 'string' ? [l.name] : [],
          )
        : [],
    });
  }
  return views;
}

// `executors[]` carries per-executor `idle` only at depth >= 1 or through tree=executors[idle]; without
// it the computer's own `idle` is all we know (all or nothing).
function idleExecutorsOf(executors: unknown, idle: boolean, numExecutors: number): number {
  if (
    Array.isArray(executors) &&
    executors.length > 0 &&
    executors.every((e) => isRecord(e) && typeof e.idle === 'boolean')
  ) {
    return (executors as { idle: boolean }[]).filter((e) => e.idle).length;
  }
  return idle ? numExecutors : 0;
}
