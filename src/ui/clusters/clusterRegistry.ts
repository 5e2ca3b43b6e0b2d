import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { readClusterConfigs, type ClusterConfig, type ClusterConfigProblem } from '../../core/cluster/clusterConfig';
import type { ClusterSession } from '../../core/cluster/clusterSession';
import type { LogSink } from '../../core/log/logSink';
import type { ClusterSecrets } from './clusterSecrets';
import { loadClusterRuntime } from './loadClusterRuntime';

/** One configured cluster and its live session (created on first use, so activation stays cheap). */
export class ClusterHandle implements vscode.Disposable {
  private sessionValue: ClusterSession | undefined;
  private starting: Promise<ClusterSession> | undefined;

  constructor(
    readonly config: ClusterConfig,
    private readonly secrets: ClusterSecrets,
    private readonly sink: LogSink,
    private readonly onSession: (handle: ClusterHandle) => void,
  ) {}

  get name(): string {
    return this.config.name;
  }

  /** The session if it was started; views call `session()` to start it. */
  get current(): ClusterSession | undefined {
    return this.sessionValue;
  }

  /** The live session, started on first call (reads the secret and CA file first). */
  session(): Promise<ClusterSession> {
    if (this.sessionValue) return Promise.resolve(this.sessionValue);
    this.starting ??= (async () => {
      const secret = this.config.principal ? await this.secrets.get(this.name, 'secret') : undefined;
      let ca: string | undefined;
      if (this.config.caFile) {
        try {
          ca = await readFile(this.config.caFile, 'utf8');
        } catch (err) {
          throw new Error(`Cannot read the CA file ${this.config.caFile} of cluster ${this.name}: ${(err as Error).message}. Fix caFile in mesos.clusters.`);
        }
      }
      const settings = vscode.workspace.getConfiguration('mesos');
      const { ClusterSession } = loadClusterRuntime();
      const session = new ClusterSession({
        config: this.config,
        ...(secret !== undefined ? { secret } : {}),
        ...(ca ? { ca } : {}),
        backstopMs: settings.get<number>('refresh.backstopSeconds', 60) * 1000,
        offersPollMs: settings.get<number>('offers.pollIntervalSeconds', 5) * 1000,
        sink: this.sink,
      });
      this.sessionValue = session;
      this.onSession(this);
      void session.start();
      return session;
    })();
    // a failed start (an unreadable CA file) is not remembered: Retry tries again
    this.starting.catch(() => (this.starting = undefined));
    return this.starting;
  }

  dispose(): void {
    void this.sessionValue?.dispose();
    this.sessionValue = undefined;
    this.starting = undefined;
  }
}

/** The configured clusters, as commands look them up (the ClusterRegistry is one; tests pass their own). */
export interface ClusterLookup {
  readonly clusters: readonly ClusterHandle[];
  get(name: string): ClusterHandle | undefined;
}

/**
 * The clusters of the `mesos.clusters` setting, kept in step with it: entries added, changed or removed
 * in settings (or by the Add/Edit/Remove commands) replace their handles; problems with entries are kept
 * for the views to show, and never stop the other clusters. Sets the context key `mesos.hasClusters` that
 * the views' welcome content depends on.
 */
export class ClusterRegistry implements ClusterLookup, vscode.Disposable {
  private handles = new Map<string, ClusterHandle>();
  /** Clusters that live only as long as this window (the local sandbox), not in settings. */
  private readonly ephemeral = new Map<string, ClusterConfig>();
  private problemsValue: readonly ClusterConfigProblem[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly sessionStarted = new vscode.EventEmitter<ClusterHandle>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires when the set of clusters or their settings changed. */
  readonly onDidChangeClusters = this.changed.event;
  /** Fires when a cluster's session starts (the status bar and views subscribe to its state). */
  readonly onDidStartSession = this.sessionStarted.event;

  constructor(
    private readonly secrets: ClusterSecrets,
    private readonly sink: LogSink,
  ) {
    this.disposables.push(
      this.changed,
      this.sessionStarted,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mesos.clusters')) this.reload();
      }),
      secrets.onDidChange(() => this.restartAll()),
    );
    this.reload();
  }

  get clusters(): readonly ClusterHandle[] {
    return [...this.handles.values()];
  }

  get problems(): readonly ClusterConfigProblem[] {
    return this.problemsValue;
  }

  get(name: string): ClusterHandle | undefined {
    return this.handles.get(name);
  }

  /** Reads the setting again; unchanged clusters keep their live sessions. */
  reload(): void {
    const { clusters, problems } = readClusterConfigs(vscode.workspace.getConfiguration('mesos').get('clusters'));
    const names = new Set(clusters.map((c) => c.name.toLowerCase()));
    for (const config of this.ephemeral.values()) if (!names.has(config.name.toLowerCase())) clusters.push(config);
    const next = new Map<string, ClusterHandle>();
    for (const config of clusters) {
      const existing = this.handles.get(config.name);
      if (existing && JSON.stringify(existing.config) === JSON.stringify(config)) next.set(config.name, existing);
      else next.set(config.name, new ClusterHandle(config, this.secrets, this.sink, (h) => this.sessionStarted.fire(h)));
    }
    for (const [name, handle] of this.handles) if (next.get(name) !== handle) handle.dispose();
    this.handles = next;
    this.problemsValue = problems;
    void vscode.commands.executeCommand('setContext', 'mesos.hasClusters', next.size > 0 || problems.length > 0);
    this.changed.fire();
  }

  /** Adds a cluster for this window only (not written to settings). */
  addEphemeral(config: ClusterConfig): void {
    this.ephemeral.set(config.name, config);
    this.reload();
  }

  removeEphemeral(name: string): void {
    if (this.ephemeral.delete(name)) this.reload();
  }

  isEphemeral(name: string): boolean {
    return this.ephemeral.has(name);
  }

  /** New credentials: every started session reconnects with them. */
  private restartAll(): void {
    for (const [name, handle] of this.handles) {
      if (!handle.current) continue;
      handle.dispose();
      this.handles.set(name, new ClusterHandle(handle.config, this.secrets, this.sink, (h) => this.sessionStarted.fire(h)));
    }
    this.changed.fire();
  }

  dispose(): void {
    for (const handle of this.handles.values()) handle.dispose();
    this.handles.clear();
    for (const d of this.disposables) d.dispose();
  }
}
