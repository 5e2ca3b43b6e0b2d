import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureCodeServer } from './ensureCodeServer';
import { freePort } from './freePort';

export interface CodeServerOptions {
  /** Extension folders to load, linked into --extensions-dir as <publisher>.<name>-<version>. */
  readonly extensions?: readonly string[];
  /** An extensions dir prepared elsewhere (e.g. by --install-extension of a .vsix). */
  readonly extensionsDir?: string;
  /** User settings merged over the harness's quiet defaults. */
  readonly settings?: Record<string, unknown>;
  /** Extra environment for the server and so for the extension host. */
  readonly env?: Record<string, string>;
  /** Files to create in the workspace folder, by relative path. */
  readonly workspaceFiles?: Record<string, string>;
  /** Listen on this port (default: a free one). */
  readonly port?: number;
  /** Keep user data, workspace and extensions here across runs instead of a temp folder (npm start). */
  readonly stateDir?: string;
}

export interface CodeServer {
  readonly base: string;
  readonly authority: string;
  readonly workspace: string;
  readonly tmp: string;
  /** The server's stdout and stderr so far (for failure reports). */
  log(): string;
  /** vscode-remote URI of a path on this machine, as the web workbench expects in ?payload=. */
  remoteUri(path: string): string;
  workbenchUrl(payload?: readonly (readonly [string, string])[]): string;
  /** Kills the whole process group (server, extension hosts, watchers) and removes the temp folder. */
  stop(): Promise<void>;
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.colorTheme': 'Default Light Modern',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

function healthz(url: string): Promise<number> {
  return new Promise((done) => {
    get(url, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    }).on('error', () => done(0));
  });
}

/** Every server this process started, so an abrupt exit still kills them (extension hosts linger otherwise). */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(child: ChildProcess): boolean {
  try {
    if (!child.pid) return false;
    process.kill(-child.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts an isolated, offline code-server on a free loopback port, with fresh user data and workspace. */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const entry = ensureCodeServer();
  const persistent = options.stateDir !== undefined;
  const tmp = options.stateDir ?? mkdtempSync(join(tmpdir(), 'mesos-ops-cs-'));
  const dirs = {
    data: join(tmp, 'data'),
    ext: options.extensionsDir ?? join(tmp, 'ext'),
    ws: join(tmp, 'ws'),
    xdg: join(tmp, 'xdg'),
    t: join(tmp, 't'),
    home: join(tmp, 'home'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(options.workspaceFiles ?? { 'README.txt': 'Mesos Ops test workspace\n' })) {
    mkdirSync(join(dirs.ws, name, '..'), { recursive: true });
    writeFileSync(join(dirs.ws, name), content);
  }
  for (const dir of options.extensions ?? []) {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    const link = join(dirs.ext, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
    rmSync(link, { force: true, recursive: false });
    symlinkSync(resolve(dir), link, 'dir');
  }
  mkdirSync(join(dirs.data, 'User'), { recursive: true });
  writeFileSync(join(dirs.data, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2));

  const port = options.port ?? (await freePort());
  const authority = `127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      entry,
      '--auth', 'none',
      '--bind-addr', authority,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', dirs.data,
      '--extensions-dir', dirs.ext,
      '--ignore-last-opened',
      dirs.ws,
    ],
    {
      detached: true, // its own process group: stop() kills server, extension host and watchers together
      env: {
        ...process.env,
        HOME: dirs.home,
        XDG_CONFIG_HOME: dirs.xdg,
        XDG_DATA_HOME: dirs.xdg,
        XDG_CACHE_HOME: dirs.xdg,
        TMPDIR: dirs.t,
        EXTENSIONS_GALLERY: '{}', // no marketplace: nothing outside this machine is reachable
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    killGroup(child, 'SIGTERM');
    for (let i = 0; i < 50 && groupAlive(child); i++) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(child)) killGroup(child, 'SIGKILL');
    running.delete(child);
    if (!persistent && !process.env.KEEP) rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };

  const deadline = Date.now() + 30_000;
  while ((await healthz(`http://${authority}/healthz`)) !== 200) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not start on ${authority}:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    base: `http://${authority}`,
    authority,
    workspace: dirs.ws,
    tmp,
    log: () => output,
    remoteUri: (p) => `vscode-remote://${authority}${resolve(p)}`,
    workbenchUrl: (payload) =>
      `http://${authority}/?folder=${encodeURIComponent(dirs.ws)}` +
      (payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''),
    stop,
  };
}
