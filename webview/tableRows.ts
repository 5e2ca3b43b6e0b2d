import { formatClock, formatDuration } from './formatDuration';
import type { AgentRow, DecisionRow, QueueRow } from './protocol';
import { agentStateLabel, queueStateLabel } from './stateLabels';

/** One row of a table as text: `key` identifies it across renders (and in tests, as its data-testid). */
export interface TableRow<K extends string> {
  readonly key: string;
  readonly cells: Readonly<Record<K, string>>;
  /** Extra data-* attributes of the row, for styling and for tests (e.g. the state as a word). */
  readonly data?: Readonly<Record<string, string>>;
}

export type Column<K extends string> = { readonly key: K; readonly title: string; readonly width: string };

export const QUEUE_COLUMNS = [
  { key: 'item', title: 'Item', width: '70px' },
  { key: 'job', title: 'Job', width: '2fr' },
  { key: 'label', title: 'Label expression', width: '1.5fr' },
  { key: 'waiting', title: 'Waiting for', width: '100px' },
  { key: 'why', title: 'Why', width: '3fr' },
  { key: 'template', title: 'Template', width: '1fr' },
  { key: 'state', title: 'State', width: '1.5fr' },
] as const satisfies readonly Column<string>[];

export const AGENT_COLUMNS = [
  { key: 'name', title: 'Name', width: '2fr' },
  { key: 'labels', title: 'Labels', width: '2fr' },
  { key: 'state', title: 'State', width: '100px' },
  { key: 'idle', title: 'Idle for', width: '100px' },
  { key: 'task', title: 'Task', width: '2fr' },
  { key: 'host', title: 'Host', width: '1.5fr' },
] as const satisfies readonly Column<string>[];

export const DECISION_COLUMNS = [
  { key: 'time', title: 'Time', width: '96px' },
  { key: 'kind', title: 'Kind', width: '120px' },
  { key: 'label', title: 'Label', width: '1fr' },
  { key: 'subject', title: 'About', width: '1.5fr' },
  { key: 'reason', title: 'Reason', width: '4fr' },
] as const satisfies readonly Column<string>[];

type Keys<C extends readonly Column<string>[]> = C[number]['key'];

/** The queue, oldest item first (the one that has waited longest is the one to look at). */
export function queueTableRows(queue: readonly QueueRow[], now: number): TableRow<Keys<typeof QUEUE_COLUMNS>>[] {
  return [...queue]
    .sort((a, b) => a.since - b.since || a.id - b.id)
    .map((q) => ({
      key: `queue-row-${q.id}`,
      cells: {
        item: `#${q.id}`,
        job: q.job,
        label: q.labelExpression ?? '(any)',
        waiting: formatDuration(now - q.since),
        why: q.why ?? '',
        template: q.template ?? '(none)',
        state: queueStateLabel(q.state, q.blockedBy),
      },
      data: { state: q.state },
    }));
}

export function agentTableRows(agents: readonly AgentRow[], now: number): TableRow<Keys<typeof AGENT_COLUMNS>>[] {
  return [...agents]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((a) => ({
      key: `agent-row-${a.name}`,
      cells: {
        name: a.name,
        labels: a.labels.join(' '),
        state: agentStateLabel(a.state),
        idle: a.idleSince === null ? '' : formatDuration(now - a.idleSince),
        task: a.taskId ?? '',
        host: a.host ?? '',
      },
      data: { state: a.state },
    }));
}

/** What a decision was about, most specific first: the agent or task, then the queue items, else the offer. */
function subjectOf(d: DecisionRow): string {
  const parts: string[] = [];
  if (d.agent) parts.push(d.agent);
  else if (d.taskId) parts.push(`task ${d.taskId}`);
  if (d.items && d.items.length > 0) {
    const shown = d.items.slice(0, 3).map((id) => `#${id}`);
    parts.push(
      `${d.items.length === 1 ? 'item' : 'items'} ${shown.join(' ')}${d.items.length > 3 ? ` +${d.items.length - 3}` : ''}`,
    );
  }
  if (d.hostname && parts.length > 0) parts.push(`on ${d.hostname}`);
  if (d.template && parts.length === 0) parts.push(`template ${d.template}`);
  if (d.offerId && parts.length === 0) parts.push(`offer ${d.offerId}`);
  return parts.join(', ');
}

/** "skip (limit)", and "(dry run)" when nothing was done. */
function kindOf(d: DecisionRow): string {
  return `${d.kind}${d.skip ? ` (${d.skip})` : ''}${d.dryRun ? ' (dry run)' : ''}`;
}

/** Decisions already filtered and newest first; `decision-row-0` is the newest shown. */
export function decisionTableRows(newestFirst: readonly DecisionRow[]): TableRow<Keys<typeof DECISION_COLUMNS>>[] {
  return newestFirst.map((d, i) => ({
    key: `decision-row-${i}`,
    cells: { time: formatClock(d.at), kind: kindOf(d), label: d.label ?? '', subject: subjectOf(d), reason: d.reason },
    data: { kind: d.kind },
  }));
}
