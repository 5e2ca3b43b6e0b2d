import type { TaskStatus } from '../core/mesos/codec';
import type { DecisionKind, DecisionRecord } from '../core/scheduler/decisionRecord';
import type { CliContext } from './cliCommand';

// What a person watching one task wants to see; offer bookkeeping (declines, suppress, revive) is noise.
const SHOWN: ReadonlySet<DecisionKind> = new Set<DecisionKind>([
  'subscribed',
  'disconnected',
  'queued',
  'rejected',
  'launched',
  'launch-failed',
  'unmatched',
  'requeued',
  'lost',
  'adopted',
  'kill-sent',
  'removed',
  'agent-failed',
  'framework-removed',
  'error',
]);

/**
 * The matcher's reason, as `host (offer id): why; …` per offer, without offer ids (they change with every
 * offer, the reason does not) and with offers that failed alike counted once ("(2 offers)").
 */
export function unmatchedReasonText(reason: string): string {
  const marker = /(?:^|; )(\S+) \([^()]*\): /g;
  const starts = [...reason.matchAll(marker)];
  if (starts.length === 0) return reason;
  const counts = new Map<string, number>();
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : reason.length;
    const text = `${m[1]!}: ${reason.slice(m.index + m[0].length, end)}`;
    counts.set(text, (counts.get(text) ?? 0) + 1);
  });
  return [...counts].map(([text, n]) => (n > 1 ? `${text} (${n} offers)` : text)).join('; ');
}

/**
 * Prints the progress of one task (`mesos-ops execute`, `mesos-ops kill`) from the scheduler's decisions and
 * status updates: one stable line per event, or one JSON object per line with `json`. An `unmatched` reason
 * is printed when it changes, not for every offer that did not fit.
 */
export class TaskProgressReport {
  private lastUnmatched: string | undefined;
  private readonly lastState = new Map<string, string>();

  constructor(
    private readonly out: CliContext['stdout'],
    private readonly json: boolean,
    /** The framework id, for the `subscribed` line. */
    private readonly frameworkId: () => string | undefined,
  ) {}

  /** The latest reason no offer fitted, without offer ids; undefined while none was seen. */
  get unmatchedReason(): string | undefined {
    return this.lastUnmatched;
  }

  decision(d: DecisionRecord, hostname?: string): void {
    if (!SHOWN.has(d.kind)) return;
    if (d.kind === 'unmatched') {
      const text = unmatchedReasonText(d.reason);
      if (text === this.lastUnmatched) return;
      this.lastUnmatched = text;
      this.emit({ event: 'decision', ...d, reason: text }, `task ${d.requestId ?? '?'} unmatched: ${text}`);
      return;
    }
    const subject = d.taskId ?? d.requestId;
    let text: string;
    if (d.kind === 'subscribed') text = `framework ${this.frameworkId() ?? '?'} subscribed`;
    else if (d.kind === 'launched')
      text = `task ${subject ?? '?'} launched on ${hostname || '?'} (agent ${d.agentId ?? '?'})`;
    else if (subject === undefined) text = `framework ${d.kind}: ${d.reason}`;
    else text = `task ${subject} ${d.kind}: ${d.reason}`;
    this.emit({ event: 'decision', ...d, ...(d.kind === 'launched' && hostname ? { hostname } : {}) }, text);
  }

  /** A status update; a reconciliation answer that repeats the known state is not printed again. */
  update(status: TaskStatus): void {
    const taskId = status.task_id.value;
    if (status.reason === 'REASON_RECONCILIATION' && this.lastState.get(taskId) === status.state) return;
    this.lastState.set(taskId, status.state);
    const json = {
      event: 'status',
      taskId,
      state: status.state,
      ...(status.message !== undefined && { message: status.message }),
      ...(status.reason !== undefined && { reason: status.reason }),
      ...(status.source !== undefined && { source: status.source }),
      ...(status.agent_id !== undefined && { agentId: status.agent_id.value }),
      ...(status.healthy !== undefined && { healthy: status.healthy }),
      ...(status.timestamp !== undefined && { timestamp: status.timestamp }),
    };
    const message = status.message ? `: ${status.message}` : '';
    const reason = status.reason ? ` (${status.reason})` : '';
    this.emit(json, `task ${taskId} ${status.state}${message}${reason}`);
  }

  /** Something this command did (interrupted, kill-after, teardown). */
  note(message: string, fields: Record<string, unknown> = {}): void {
    this.emit({ event: 'note', message, ...fields }, message);
  }

  /** The last JSON line: how the run ended. Nothing in text mode (the status line said it). */
  exit(code: number, fields: Record<string, unknown>): void {
    if (this.json) this.out.write(`${JSON.stringify({ event: 'exit', code, ...fields })}\n`);
  }

  private emit(json: Record<string, unknown>, text: string): void {
    this.out.write(this.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
  }
}
