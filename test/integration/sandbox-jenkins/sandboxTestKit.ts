import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

/** Shared helpers for the sandbox Jenkins integration tests (loopback only, real processes). */

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const AGENT_MAIN = join(REPO_ROOT, 'src', 'sandbox', 'jenkins', 'inboundAgentMain.ts');

export function basic(user: string, secret: string): string {
  return `Basic ${Buffer.from(`${user}:${secret}`, 'utf8').toString('base64')}`;
}

export async function getJson<T = Record<string, unknown>>(
  url: string,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export function post(url: string, body: URLSearchParams | string | null, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', body: body ?? undefined, headers, redirect: 'manual' });
}

export function nodeForm(name: string, spec: Record<string, unknown>): URLSearchParams {
  return new URLSearchParams({ name, type: 'hudson.slaves.DumbSlave', json: JSON.stringify(spec) });
}

/** Reads the secret the way an autoscaler does: the first <argument> of jenkins-agent.jnlp. */
export async function fetchAgentSecret(
  root: string,
  name: string,
  headers: Record<string, string> = {},
): Promise<string> {
  const res = await fetch(`${root}computer/${encodeURIComponent(name)}/jenkins-agent.jnlp`, { headers });
  const xml = await res.text();
  const secret = /<argument>([0-9a-f]{64})<\/argument>/.exec(xml)?.[1];
  if (res.status !== 200 || !secret) throw new Error(`no secret for ${name}: ${res.status} ${xml}`);
  return secret;
}

export interface AgentProcess {
  readonly child: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves when stdout has a line matching `pattern`. */
  waitForOutput(pattern: RegExp): Promise<void>;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
}

/** Starts processes and guarantees none outlives the test file. */
export class ProcessKeeper {
  private readonly children = new Set<ChildProcessWithoutNullStreams>();

  spawnAgent(args: readonly string[]): AgentProcess {
    return this.spawnNode(['--import', 'tsx', AGENT_MAIN, ...args]);
  }

  spawnNode(args: readonly string[]): AgentProcess {
    const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.children.add(child);
    let out = '';
    const waiters: { pattern: RegExp; resolve: () => void }[] = [];
    const check = () => {
      for (const w of [...waiters]) {
        if (w.pattern.test(out)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      check();
    });
    child.stderr.on('data', (d: string) => {
      out += d;
      check();
    });
    const exited = new Promise<number | string>((resolve) => {
      child.on('exit', (code, signal) => {
        this.children.delete(child);
        resolve(code ?? signal ?? -1);
      });
    });
    return {
      child,
      output: () => out,
      waitForOutput: (pattern) =>
        new Promise<void>((resolve, reject) => {
          if (pattern.test(out)) return resolve();
          waiters.push({ pattern, resolve });
          void exited.then(() => {
            if (!pattern.test(out)) reject(new Error(`process exited before printing ${pattern}:\n${out}`));
          });
        }),
      exited,
    };
  }

  async killAll(): Promise<void> {
    const pending = [...this.children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    );
    await Promise.all(pending);
  }
}
