import type { SchedulerSnapshot } from './schedulerSnapshot';

/**
 * Where a scheduler keeps its snapshot between runs: the extension's global state in an editor, a state
 * file for the CLI. `load` returns whatever was saved, unchecked (restoreSchedulerState checks it).
 */
export interface SchedulerStore {
  load(): Promise<unknown>;
  save(snapshot: SchedulerSnapshot): Promise<void>;
}

/** For a scheduler that must not outlive its process (tests, `mesos-ops execute`). */
export class MemorySchedulerStore implements SchedulerStore {
  private saved: SchedulerSnapshot | undefined;
  constructor(initial?: SchedulerSnapshot) {
    this.saved = initial;
  }
  load(): Promise<unknown> {
    return Promise.resolve(this.saved);
  }
  save(snapshot: SchedulerSnapshot): Promise<void> {
    this.saved = snapshot;
    return Promise.resolve();
  }
  get snapshot(): SchedulerSnapshot | undefined {
    return this.saved;
  }
}
