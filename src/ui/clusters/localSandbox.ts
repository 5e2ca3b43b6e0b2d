import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import type { Logger } from '../../core/log/logSink';

/**
 * The name of the cluster "Mesos: Start Local Sandbox" adds for this window only. Its Jenkins runs the
 * sandbox's random workload, which the autoscaler serves with a built-in template when the user has none.
 */
export const LOCAL_SANDBOX_CLUSTER = 'local sandbox';

/** What the running sandbox printed: the URLs the cluster entry needs. */
export interface LocalSandboxUrls {
  readonly master: string;
  readonly jenkins?: string;
}

/**
 * The local sandbox cluster as a child process (`mesos-ops sandbox`, the bundled CLI beside the
 * extension), in its own process group so that stopping it takes every task process with it. It runs
 * outside the extension host on purpose: task processes and the sandbox's servers must not share the
 * editor's event loop. Stopped on dispose (when the editor closes).
 */
export class LocalSandbox implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private urls: LocalSandboxUrls | undefined;

  constructor(
    private readonly extensionPath: string,
    private readonly log: Logger,
  ) {}

  get running(): LocalSandboxUrls | undefined {
    return this.child && this.child.exitCode === null ? this.urls : undefined;
  }

  /** Starts the sandbox (two agents and Jenkins) and resolves with its URLs once it is serving. */
  async start(timeoutMs = 30_000): Promise<LocalSandboxUrls> {
    if (this.running) return this.running;
    const cli = join(this.extensionPath, 'dist', 'cli.js');
    const child = spawn(process.execPath, [cli, 'sandbox', '--agents', '2', '--port', '0', '--jenkins', '--jenkins-port', '0'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // the extension host may be Electron: run the CLI as plain Node
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    this.child = child;
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => this.log.info(`sandbox: ${d.toString().trimEnd()}`));
    this.urls = await new Promise<LocalSandboxUrls>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.stop();
        reject(new Error(`The local sandbox did not start within ${timeoutMs / 1000} s. Output: ${output.slice(-500) || '(none)'}`));
      }, timeoutMs);
      const check = () => {
        const master = /leading master\s+(http:\S+)/.exec(output)?.[1];
        if (master && /Press Ctrl-C to stop/.test(output)) {
          clearTimeout(timer);
          const jenkins = /jenkins\s+(http:\S+)/.exec(output)?.[1];
          resolve({ master, ...(jenkins ? { jenkins } : {}) });
        }
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The local sandbox exited with code ${code} before it was ready: ${output.slice(-500) || '(no output)'}`));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`The local sandbox could not be started: ${err.message}`));
      });
    });
    this.log.info(`local sandbox running: master ${this.urls.master}${this.urls.jenkins ? `, Jenkins ${this.urls.jenkins}` : ''}`);
    return this.urls;
  }

  /** Stops the sandbox: SIGINT lets it stop its tasks; the group is killed if it lingers. */
  stop(): void {
    const child = this.child;
    this.child = undefined;
    this.urls = undefined;
    if (!child?.pid || child.exitCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGINT');
    } catch {
      return;
    }
    const pid = child.pid;
    setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000).unref();
  }

  dispose(): void {
    this.stop();
  }
}
