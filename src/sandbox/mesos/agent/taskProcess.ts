import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { CommandSpec } from './commandSpec';

/** How a task's process ended, in the words the command executor uses in TaskStatus.message. */
export interface TaskExit {
  readonly state: 'TASK_FINISHED' | 'TASK_FAILED' | 'TASK_KILLED';
  readonly message: string;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
}

// The signal names Mesos prints (strsignal) in "Command terminated with signal …".
const SIGNAL_TEXT: Partial<Record<NodeJS.Signals, string>> = {
  SIGTERM: 'Terminated',
  SIGKILL: 'Killed',
  SIGINT: 'Interrupt',
  SIGHUP: 'Hangup',
  SIGQUIT: 'Quit',
  SIGABRT: 'Aborted',
  SIGSEGV: 'Segmentation fault',
  SIGPIPE: 'Broken pipe',
};

/** start() after a kill: the kill was remembered, so the command was never spawned. */
export class TaskKilledBeforeStartError extends Error {
  constructor() {
    super('The task was killed before its command started, so nothing was run. Launch a new task to run the command.');
    this.name = 'TaskKilledBeforeStartError';
  }
}

const KILLED_BEFORE_START: TaskExit = { state: 'TASK_KILLED', message: 'Task killed before its command started', exitCode: null, signal: null };

/**
 * One command task running as a local process, in its own process group so that a kill reaches
 * everything the shell started. stdout and stderr go to files in the sandbox, as under the Mesos command
 * executor. A kill sends SIGTERM to the group, then SIGKILL after the kill policy's grace period.
 */
export class TaskProcess {
  private child: ChildProcess | undefined;
  private killRequested = false;
  private escalation: NodeJS.Timeout | undefined;
  private readonly exited: Promise<TaskExit>;
  private resolveExit!: (exit: TaskExit) => void;

  constructor(
    private readonly spec: CommandSpec,
    private readonly sandbox: string,
    private readonly baseEnv: Readonly<Record<string, string>> = {},
  ) {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** The process id of the group leader, while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Resolves when the process has ended, however it ended. */
  get exit(): Promise<TaskExit> {
    return this.exited;
  }

  /**
   * Starts the process; resolves once it is running (spawned) or rejects if it could not start, with
   * TaskKilledBeforeStartError when kill() came first. `exit` settles in every case.
   */
  async start(): Promise<void> {
    if (this.killRequested) throw new TaskKilledBeforeStartError();
    const logs: WriteStream[] = [];
    try {
      logs.push(await openLog(join(this.sandbox, 'stdout')));
      logs.push(await openLog(join(this.sandbox, 'stderr')));
    } catch (err) {
      closeLogs(...logs);
      this.resolveExit({ state: 'TASK_FAILED', message: `Failed to launch command: ${(err as Error).message}`, exitCode: null, signal: null });
      throw err;
    }
    const [stdout, stderr] = logs as [WriteStream, WriteStream];
    // a kill that came while the logs were opening: nothing may be spawned after it
    if (this.killRequested) {
      closeLogs(stdout, stderr);
      throw new TaskKilledBeforeStartError();
    }
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...this.baseEnv, ...this.spec.environment, MESOS_SANDBOX: this.sandbox };
    const [file, args] = this.spec.shell
      ? ['/bin/sh', ['-c', this.spec.value]]
      : [this.spec.value, this.spec.arguments.slice(1)];
    const child = spawn(file, args, {
      cwd: this.sandbox,
      env,
      detached: true, // own process group: the kill reaches the shell's children too
      stdio: ['ignore', stdout, stderr],
      argv0: this.spec.shell ? undefined : this.spec.arguments[0],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => {
        closeLogs(stdout, stderr);
        this.resolveExit({ state: 'TASK_FAILED', message: `Failed to launch command: ${err.message}`, exitCode: null, signal: null });
        reject(err);
      });
    });
    child.once('exit', (code, signal) => {
      if (this.escalation) clearTimeout(this.escalation);
      // anything the shell left behind in the group goes too: a finished task leaves no process
      this.signalGroup('SIGKILL');
      closeLogs(stdout, stderr);
      this.resolveExit(this.describeExit(code, signal));
    });
  }

  /**
   * Kills the task: SIGTERM to the group, SIGKILL after `gracePeriodMs`. Idempotent; a second call with a
   * shorter grace period shortens the wait (as KillPolicy overrides do in Mesos). Before the spawn the kill
   * is remembered: the exit is TASK_KILLED at once and start() spawns nothing.
   */
  kill(gracePeriodMs: number): Promise<TaskExit> {
    if (!this.child) {
      if (!this.killRequested) {
        this.killRequested = true;
        this.resolveExit(KILLED_BEFORE_START);
      }
      return this.exited;
    }
    if (this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    if (!this.killRequested) {
      this.killRequested = true;
      this.signalGroup('SIGTERM');
    }
    if (this.escalation) clearTimeout(this.escalation);
    this.escalation = setTimeout(() => this.signalGroup('SIGKILL'), Math.max(0, gracePeriodMs));
    this.escalation.unref();
    return this.exited;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): TaskExit {
    if (signal) {
      const message = `Command terminated with signal ${SIGNAL_TEXT[signal] ?? signal}`;
      return { state: this.killRequested ? 'TASK_KILLED' : 'TASK_FAILED', message, exitCode: null, signal };
    }
    const message = `Command exited with status ${code}`;
    if (this.killRequested) return { state: 'TASK_KILLED', message, exitCode: code, signal: null };
    return { state: code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED', message, exitCode: code, signal: null };
  }
}

function openLog(path: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const stream = createWriteStream(path, { flags: 'a' });
    stream.once('open', () => resolve(stream));
    stream.once('error', reject);
  });
}

function closeLogs(...streams: WriteStream[]): void {
  for (const s of streams) s.end();
}
