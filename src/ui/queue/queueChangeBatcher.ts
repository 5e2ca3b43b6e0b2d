import type { QueueChange } from '../../../webview/protocol';

/**
 * Collects a source's changes between two posts to the webview and merges them: of the replacements
 * (status, queue, agents) only the last counts, appends (decisions, timeline points) are joined, and a
 * snapshot makes everything before it moot. So a queue that changes every few milliseconds costs one
 * message per flush, not one per change.
 */
export class QueueChangeBatcher {
  private snapshot: Extract<QueueChange, { kind: 'snapshot' }> | undefined;
  private status: Extract<QueueChange, { kind: 'status' }> | undefined;
  private queue: Extract<QueueChange, { kind: 'queue' }> | undefined;
  private agents: Extract<QueueChange, { kind: 'agents' }> | undefined;
  private decisions: Extract<QueueChange, { kind: 'decisions' }>[] = [];
  private points: Extract<QueueChange, { kind: 'timeline' }>[] = [];

  get isEmpty(): boolean {
    return (
      !this.snapshot &&
      !this.status &&
      !this.queue &&
      !this.agents &&
      this.decisions.length === 0 &&
      this.points.length === 0
    );
  }

  add(change: QueueChange): void {
    switch (change.kind) {
      case 'snapshot':
        this.clear();
        this.snapshot = change;
        break;
      case 'status':
        this.status = change;
        break;
      case 'queue':
        this.queue = change;
        break;
      case 'agents':
        this.agents = change;
        break;
      case 'decisions':
        this.decisions.push(change);
        break;
      case 'timeline':
        this.points.push(change);
        break;
    }
  }

  /** The merged changes in an order the webview can apply one after another, and an empty batch after. */
  take(): QueueChange[] {
    const out: QueueChange[] = [];
    if (this.snapshot) out.push(this.snapshot);
    if (this.status) out.push(this.status);
    if (this.queue) out.push(this.queue);
    if (this.agents) out.push(this.agents);
    if (this.decisions.length > 0)
      out.push({ kind: 'decisions', decisions: this.decisions.flatMap((d) => d.decisions) });
    if (this.points.length > 0) out.push({ kind: 'timeline', points: this.points.flatMap((p) => p.points) });
    this.clear();
    return out;
  }

  clear(): void {
    this.snapshot = this.status = this.queue = this.agents = undefined;
    this.decisions = [];
    this.points = [];
  }
}
