import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** One line a test script printed on stdout (JSON). */
export interface ScriptEvent {
  readonly event: string;
  readonly [field: string]: unknown;
}

/**
 * A TypeScript script from test/support run as a real process (node --import tsx), spoken to by lines on
 * stdin and answering with JSON lines on stdout: for tests of what happens between processes.
 */
export class ScriptProcess {
  readonly events: ScriptEvent[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  /** Pending waitFor calls: each looks again on every event, and gives up when the process exits. */
  private readonly waiters = new Set<(exited?: boolean) => void>();

  constructor(script: string, argument: unknown) {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, script), JSON.stringify(argument)], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        for (const wake of [...this.waiters]) wake(true);
        resolve(code);
      }),
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line) as ScriptEvent);
      } catch {
        return;
      }
      for (const wake of [...this.waiters]) wake();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  /** The first event from index `after` on that matches; waits for it up to `ms`. */
  async waitFor(match: (event: ScriptEvent) => boolean, what: string, after = 0, ms = 20_000): Promise<ScriptEvent> {
    const found = () => this.events.slice(after).find(match);
    let event = found();
    if (event !== undefined) return event;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(`pid ${this.pid} did not report ${what} within ${ms} ms; it said: ${JSON.stringify(this.events)}`),
        );
      }, ms);
      const check = (exited?: boolean) => {
        event = found();
        if (event === undefined && !exited) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        if (event !== undefined) resolve();
        else
          reject(new Error(`pid ${this.pid} exited before reporting ${what}; it said: ${JSON.stringify(this.events)}`));
      };
      this.waiters.add(check);
    });
    return event!;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Closes stdin (the script then cleans up and exits); kills it if it has not exited after `ms`. */
  async stop(ms = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), ms);
    await this.exited;
    clearTimeout(timer);
  }
}
