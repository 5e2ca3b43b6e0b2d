import type { ComputerView } from './computerSnapshot';
import { labelName, type LabelExpression } from './labelExpression';
import { resolveLabel } from './labelExpressionResolve';
import { JenkinsJsonReader } from './jenkinsJsonReader';
import { PLACEHOLDER_TASK_CLASS, WORKFLOW_JOB_CLASS } from './jenkinsTypes';
import { readQueueWhy } from './queueWhy';

/** What a waiting build needs from a node. */
export type QueueNeed =
  /** A label expression (`name` is Jenkins' canonical form, as in `why` texts). */
  | {
      readonly kind: 'label';
      readonly expression: LabelExpression;
      readonly name: string;
      /** The text did not parse, so Jenkins treats all of it as one atom (it then matches almost nothing). */
      readonly lax: boolean;
    }
  /** No label: any node in NORMAL mode may run it. */
  | { readonly kind: 'any' }
  /**
   * The `why` text names an existing node instead of a label: either the item is tied to that node (a
   * resumed Pipeline's self label) or its label has exactly that one node. Which, Jenkins does not say.
   */
  | { readonly kind: 'node'; readonly node: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Where the need was read: the task's exported label (classic jobs), or the item's `why` text. */
export type QueueNeedSource = 'task.labelExpression' | 'why';

/** One buildable, not yet assigned queue item: demand for an executor. */
export interface QueueDemandItem {
  readonly id: number;
  readonly inQueueSince: number;
  /** Task name (`part of app #42` for Pipeline `node` blocks), or its class when the name was not exported. */
  readonly task: string;
  /** A Pipeline `node(…)` block: its label is only known through `why`. */
  readonly pipeline: boolean;
  /** All nodes of its label offline (or none), or waiting very long. */
  readonly stuck: boolean;
  readonly why: string | null;
  readonly need: QueueNeed;
  readonly source: QueueNeedSource;
}

export interface QueueDemand {
  /** Oldest first (by `inQueueSince`, then id), so the longest-waiting builds are served first. */
  readonly items: readonly QueueDemandItem[];
  /** Items that could not be read, each saying which and why; the others are still used. */
  readonly problems: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The demand in a queue snapshot (reference §2.4, §8.2): for every buildable item that is not pending (a
 * pending item already has its executor), the label it needs and where that was learnt. Blocked and waiting
 * items are left out: more agents do not help them (yet). A Pipeline run's own `WorkflowJob` item is left
 * out too: it runs on the controller's flyweight executor.
 *
 * `computers` (from readComputerSnapshot) tells a node name from a label in `why`, and tells whether
 * "Waiting for next available executor" means "no label" or "Jenkins has no agent nodes, so it shows none".
 *
 * `queue` is the raw JSON of `queue/api/json` or the client's parseJenkinsQueue snapshot. Throws
 * JenkinsShapeError when it is not a queue; a malformed item becomes a problem instead.
 */
export function readQueueDemand(queue: unknown, computers: readonly ComputerView[]): QueueDemand {
  const read = new JenkinsJsonReader('the build queue (queue/api/json)');
  const rawItems = read.array(read.object(queue, '').items, 'items');
  const nodeNames = new Set(computers.filter((c) => !c.builtIn).map((c) => c.name));
  const items: QueueDemandItem[] = [];
  const problems: string[] = [];
  rawItems.forEach((raw, index) => {
    if (!isRecord(raw) || typeof raw.id !== 'number') {
      problems.push(`queue item ${index + 1} has no numeric "id"; skipped`);
      return;
    }
    if (raw.buildable !== true || raw.pending === true) return;
    const task = isRecord(raw.task) ? raw.task : {};
    const taskClass = typeof task._class === 'string' ? task._class : '';
    if (taskClass === WORKFLOW_JOB_CLASS) return;
    const why = typeof raw.why === 'string' ? raw.why : null;
    const fromTask = needFromTask(task);
    const { need, source } = fromTask ?? { need: needFromWhy(why, nodeNames), source: 'why' as const };
    items.push({
      id: raw.id,
      inQueueSince: typeof raw.inQueueSince === 'number' ? raw.inQueueSince : 0,
      task: typeof task.name === 'string' ? task.name : taskClass || `item ${raw.id}`,
      pipeline: taskClass === PLACEHOLDER_TASK_CLASS,
      stuck: raw.stuck === true,
      why,
      need,
      source,
    });
  });
  items.sort((a, b) => a.inQueueSince - b.inQueueSince || a.id - b.id);
  return { items, problems };
}

/** Classic jobs export the label as typed (`null` when the job may roam); Pipeline placeholders export none. */
function needFromTask(task: Record<string, unknown>): { need: QueueNeed; source: 'task.labelExpression' } | undefined {
  if (!('labelExpression' in task)) return undefined;
  const text = task.labelExpression;
  if (text === null) return { need: { kind: 'any' }, source: 'task.labelExpression' };
  if (typeof text !== 'string') return undefined;
  // Jenkins trims a blank label to "no label" before it ever parses it
  if (text.trim() === '') return { need: { kind: 'any' }, source: 'task.labelExpression' };
  return { need: labelNeed(text), source: 'task.labelExpression' };
}

function labelNeed(text: string): QueueNeed {
  const resolved = resolveLabel(text);
  return { kind: 'label', expression: resolved.expression, name: labelName(resolved.expression), lax: resolved.lax };
}

function needFromWhy(why: string | null, nodeNames: ReadonlySet<string>): QueueNeed {
  const reading = readQueueWhy(why);
  switch (reading.kind) {
    case 'no-label':
      // With zero agent nodes Jenkins prints this text whatever the label is (reference §2.4 blind spot a)
      return nodeNames.size > 0
        ? { kind: 'any' }
        : {
            kind: 'unknown',
            reason:
              'Jenkins hides the label while it has no agent nodes; give the job a label expression Jenkins ' +
              'exports (freestyle), or keep one permanent agent node defined',
          };
    case 'busy':
      return nodeNames.has(reading.text) ? { kind: 'node', node: reading.text } : labelNeed(reading.text);
    case 'label':
      return labelNeed(reading.text);
    case 'node-offline':
      return nodeNames.has(reading.node)
        ? { kind: 'node', node: reading.node }
        : { kind: 'unknown', reason: `the queue says node ‘${reading.node}’ is offline, but no such node is listed` };
    case 'refused':
      if (reading.labels.length === 1) return labelNeed(reading.labels[0]!);
      if (reading.labels.length > 1) {
        return { kind: 'unknown', reason: `nodes refused it for different labels (${reading.labels.join(', ')})` };
      }
      return reading.reserved
        ? { kind: 'any' }
        : { kind: 'unknown', reason: `idle nodes refused it for reasons that name no label: ${why ?? ''}` };
    case 'shutting-down':
      return { kind: 'unknown', reason: 'Jenkins is about to shut down and starts no builds' };
    case 'other':
      return {
        kind: 'unknown',
        reason: why ? `the queue's reason names no label: ${why}` : 'the queue gives no reason (why is null)',
      };
  }
}
