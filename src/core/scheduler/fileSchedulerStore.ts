import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from './lease/atomicFile';
import type { SchedulerSnapshot } from './schedulerSnapshot';
import type { SchedulerStore } from './schedulerStore';

/**
 * A snapshot in a JSON file (the CLI's state file). Replaced in one step (writeFileAtomic), so a crash
 * mid-write leaves the previous snapshot rather than half of one.
 */
export class FileSchedulerStore implements SchedulerStore {
  constructor(readonly path: string) {}

  async load(): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`Cannot read the scheduler state file ${this.path}: ${(error as Error).message}. Check its permissions.`, { cause: error });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new Error(
        `The scheduler state file ${this.path} is not JSON (${(error as Error).message}). Move it away to start a new framework, or repair it to keep the framework id.`,
        { cause: error },
      );
    }
  }

  async save(snapshot: SchedulerSnapshot): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await writeFileAtomic(this.path, `${JSON.stringify(snapshot, null, 1)}\n`);
  }
}
