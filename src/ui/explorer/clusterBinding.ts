import type * as vscode from 'vscode';
import { ClusterChangeCoalescer, type ClusterChange, type CoalescerOptions } from '../../core/cluster';
import type { Logger } from '../../core/log/logSink';
import type { ExplorerClusterHandle, ExplorerSession } from './explorerClusters';

export interface ClusterBindingListener {
  /** Debounced: several model changes arrive as one. */
  clusterChanged(cluster: string, change: ClusterChange): void;
  /** The session started, failed to start, or changed state. */
  clusterStateChanged(cluster: string): void;
}

/**
 * One view's hold on one cluster: starts its session when the view first needs it, follows the
 * model's changes through a debouncer and the session's state, and keeps offers polled while asked to
 * (the Offers view is visible). Disposing releases all of it; the session itself belongs to the registry.
 */
export class ClusterBinding implements vscode.Disposable {
  private sessionValue: ExplorerSession | undefined;
  private startErrorValue: Error | undefined;
  private starting = false;
  private subscriptions: { dispose(): void }[] = [];
  private offersWatch: { dispose(): void } | undefined;
  private readonly coalescer: ClusterChangeCoalescer;
  private disposed = false;

  constructor(
    readonly handle: ExplorerClusterHandle,
    private readonly listener: ClusterBindingListener,
    private watchingOffers: boolean,
    private readonly log: Logger,
    coalescing: CoalescerOptions,
  ) {
    this.coalescer = new ClusterChangeCoalescer((change) => listener.clusterChanged(handle.name, change), coalescing);
    if (handle.current) this.attach(handle.current, false);
  }

  get name(): string {
    return this.handle.name;
  }

  get session(): ExplorerSession | undefined {
    return this.sessionValue;
  }

  /** Why the session could not even start (e.g. an unreadable CA file); cleared when one attaches. */
  get startError(): Error | undefined {
    return this.startErrorValue;
  }

  /** Starts the cluster's session unless it runs, is starting, or failed to start (no retry loop from drawing). */
  ensureStarted(): void {
    if (this.sessionValue || this.starting || this.startErrorValue || this.disposed) return;
    this.starting = true;
    this.handle.session().then(
      (session) => this.attach(session, true),
      (err: unknown) => {
        this.starting = false;
        if (this.disposed) return;
        this.startErrorValue = err instanceof Error ? err : new Error(String(err));
        this.log.error(`cluster ${this.name} could not start`, this.startErrorValue);
        this.listener.clusterStateChanged(this.name);
      },
    );
  }

  /** A session started elsewhere (a command, the status bar) or by ensureStarted. */
  attach(session: ExplorerSession, notify = true): void {
    if (this.disposed || session === this.sessionValue) return;
    this.detach();
    this.sessionValue = session;
    this.startErrorValue = undefined;
    this.starting = false;
    this.subscriptions = [
      session.model.onDidChange((change) => this.coalescer.push(change)),
      session.onStateChange(() => {
        if (!this.disposed) this.listener.clusterStateChanged(this.name);
      }),
    ];
    if (this.watchingOffers) this.offersWatch = session.watchOffers();
    if (notify) this.listener.clusterStateChanged(this.name);
  }

  setWatchOffers(on: boolean): void {
    if (on === this.watchingOffers || this.disposed) return;
    this.watchingOffers = on;
    if (on && this.sessionValue) this.offersWatch = this.sessionValue.watchOffers();
    if (!on) {
      this.offersWatch?.dispose();
      this.offersWatch = undefined;
    }
  }

  /** Delivers a pending change now. */
  flush(): void {
    this.coalescer.flush();
  }

  private detach(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
    this.offersWatch?.dispose();
    this.offersWatch = undefined;
    this.sessionValue = undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.coalescer.dispose();
    this.detach();
  }
}
