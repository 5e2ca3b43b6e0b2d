import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

const REPO = join(__dirname, '..', '..');

/** What the CLI wrote so far. */
export interface CliOutput {
  stdout: string;
  stderr: string;
}

/** Streams for `main` that keep what it writes (`cat` writes bytes to stdout). */
export function cliStreams(signal?: AbortSignal) {
  const out: CliOutput = { stdout: '', stderr: '' };
  const decoder = new TextDecoder();
  return {
    out,
    io: {
      stdout: {
        write: (s: string | Uint8Array) =>
          (out.stdout += typeof s === 'string' ? s : decoder.decode(s, { stream: true })),
      },
      stderr: { write: (s: string) => (out.stderr += s) },
      ...(signal ? { signal } : {}),
    },
  };
}

/** The CLI run in this process to its end: its exit code and what it wrote. */
export async function runCli(args: string[], signal?: AbortSignal): Promise<CliOutput & { code: number }> {
  const { out, io } = cliStreams(signal);
  const code = await main(args, io);
  return { ...out, code };
}

/** The CLI run in this process until `stop()` aborts it, as a signal would: its output so far and its exit. */
export function startCli(args: string[]) {
  const controller = new AbortController();
  const { out, io } = cliStreams(controller.signal);
  const exited = main(args, io);
  return { out, exited, stop: () => controller.abort(new Error('received SIGINT')) };
}

/**
 * The CLI as real processes (src/cli/bin.ts, where signals become an abort), for Ctrl-C and for a process
 * that dies; `killAll()` ends whatever is still running, so a failed test leaves none behind.
 */
export class CliProcesses {
  private readonly children = new Set<ChildProcess>();

  spawn(args: string[], env?: NodeJS.ProcessEnv) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(env && { env }),
    });
    this.children.add(child);
    const out: CliOutput = { stdout: '', stderr: '' };
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (out.stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (out.stderr += s));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => {
        this.children.delete(child);
        resolve({ code, signal });
      }),
    );
    return { child, out, exited };
  }

  async killAll(): Promise<void> {
    const running = [...this.children];
    for (const child of running) child.kill('SIGKILL');
    await Promise.all(
      running.map(
        (c) =>
          new Promise((resolve) =>
            c.exitCode !== null || c.signalCode !== null ? resolve(undefined) : c.once('exit', resolve),
          ),
      ),
    );
  }
}
