import type * as vscode from 'vscode';
import type { SchedulerSnapshot } from '../../core/scheduler/schedulerSnapshot';
import type { SchedulerStore } from '../../core/scheduler/schedulerStore';

/**
 * A cluster's scheduler snapshot (framework id, tracked tasks, pending requests) in the extension's global
 * state, so a reload or another window fails over to the same framework. Only the window holding the
 * cluster's scheduler lock writes it.
 */
export class MementoSchedulerStore implements SchedulerStore {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly key: string,
  ) {}

  load(): Promise<unknown> {
    return Promise.resolve(this.memento.get<unknown>(this.key));
  }

  async save(snapshot: SchedulerSnapshot): Promise<void> {
    await this.memento.update(this.key, snapshot);
  }
}
