import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log/logSink';
import {
  parseQueueChange,
  parseQueueSnapshot,
  parseWebviewMessage,
  requestIdOf,
  type HostToWebview,
  type QueueChange,
  type QueueSnapshot,
  type RequestMessage,
  type ScaleNowResult,
} from '../../../webview/protocol';
import { QueueChangeBatcher } from './queueChangeBatcher';
import { createNonce, queuePanelHtml } from './queuePanelHtml';
import type { QueueSource } from '../../core/scheduler/autoscaler/queueSource';

export interface QueuePanelOptions {
  readonly extensionUri: vscode.Uri;
  readonly cluster: string;
  readonly source: QueueSource;
  readonly log: Logger;
  readonly productVersion: string;
  /** How long changes are gathered into one message to the webview (default 250 ms). */
  readonly flushMs?: number;
  /** How long a control may take before the webview is told it failed (default 30 s). */
  readonly requestTimeoutMs?: number;
}

const TOOLKIT_DIR = ['node_modules', '@vscode', 'webview-ui-toolkit', 'dist'];

/**
 * The Jenkins Queue & Scaling panel of one cluster: the host side of webview/protocol.ts. It answers each
 * `ready` with a snapshot from the QueueSource, passes the source's changes on in batches while the webview
 * is there to receive them, and turns the webview's requests into calls on the source. Every message from
 * the webview is checked first; a bad one is logged and refused, never acted on.
 */
export class QueuePanel implements vscode.Disposable {
  static readonly viewType = 'mesos.jenkinsQueue';

  /** Opens a new panel in the editor area (one per cluster is the caller's rule; see registerQueuePanel). */
  static create(options: QueuePanelOptions, column: vscode.ViewColumn = vscode.ViewColumn.Active): QueuePanel {
    const root = options.extensionUri;
    const panel = vscode.window.createWebviewPanel(QueuePanel.viewType, `Jenkins Queue: ${options.cluster}`, column, {
      enableScripts: true,
      // the webview is destroyed while hidden; its state comes back through getState and a fresh snapshot
      retainContextWhenHidden: false,
      localResourceRoots: [
        vscode.Uri.joinPath(root, 'dist'),
        vscode.Uri.joinPath(root, 'media'),
        vscode.Uri.joinPath(root, ...TOOLKIT_DIR),
      ],
    });
    panel.iconPath = vscode.Uri.joinPath(root, 'media', 'mesos.svg');
    return new QueuePanel(panel, options);
  }

  private source: QueueSource;
  private sourceSubscription: { dispose(): void } | undefined;
  private readonly batcher = new QueueChangeBatcher();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counts ready handshakes: a response is only worth sending to the webview that asked. */
  private generation = 0;
  private readyValue = false;
  private disposed = false;
  private lastSourceProblem: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly posted = new vscode.EventEmitter<HostToWebview>();
  private readonly rejected = new vscode.EventEmitter<string>();
  private readonly disposedEmitter = new vscode.EventEmitter<void>();
  /** Each message posted to the webview (for tests and diagnostics). */
  readonly onDidPost = this.posted.event;
  /** The reason for each message from the webview that was refused. */
  readonly onDidReject = this.rejected.event;
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly options: QueuePanelOptions,
  ) {
    this.source = options.source;
    const webview = panel.webview;
    const uri = (...path: string[]) =>
      webview.asWebviewUri(vscode.Uri.joinPath(options.extensionUri, ...path)).toString();
    webview.html = queuePanelHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      title: `Jenkins Queue: ${options.cluster}`,
      toolkitScript: uri(...toolkitPath(options.extensionUri)),
      panelScript: uri('dist', 'webview.js'),
      styles: [uri('media', 'uplot.min.css'), uri('media', 'queuePanel.css')],
    });
    this.disposables.push(
      this.posted,
      this.rejected,
      webview.onDidReceiveMessage((message: unknown) => void this.receive(message)),
      panel.onDidChangeViewState(() => {
        // a hidden webview is gone: changes wait for the snapshot that answers its next ready
        if (!panel.visible) this.unready();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.subscribe();
  }

  get cluster(): string {
    return this.options.cluster;
  }

  /** True between the webview's ready handshake and its being hidden or closed. */
  get ready(): boolean {
    return this.readyValue;
  }

  get html(): string {
    return this.panel.webview.html;
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** Switches to another source (the cluster's autoscaler was replaced) and shows its picture. */
  setSource(source: QueueSource): void {
    if (source === this.source || this.disposed) return;
    this.source = source;
    this.subscribe();
    if (this.readyValue) {
      this.batcher.clear();
      this.batcher.add({ kind: 'snapshot', snapshot: this.snapshot() });
      this.scheduleFlush();
    }
  }

  /**
   * Handles one message from the webview (the panel's own listener calls this; tests call it with
   * anything). Never throws: a bad message is refused with its reason, and a request that fails is
   * answered with the failure.
   */
  async receive(raw: unknown): Promise<void> {
    if (this.disposed) return;
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.reject(parsed.reason);
      const id = requestIdOf(raw);
      if (id !== undefined && (raw as { type?: unknown }).type === 'request') {
        this.post({
          type: 'response',
          id,
          ok: false,
          error: `The panel sent a request the extension does not understand (${parsed.reason}). Close and reopen the panel.`,
        });
      }
      return;
    }
    const message = parsed.value;
    if (message.type === 'ready') {
      this.generation++;
      this.readyValue = true;
      this.clearPending();
      this.post({ type: 'init', productVersion: this.options.productVersion, snapshot: this.snapshot() });
      return;
    }
    const generation = this.generation;
    let response: HostToWebview;
    try {
      const result = await this.withTimeout(this.call(message), message.method);
      response = { type: 'response', id: message.id, ok: true, ...(result ? { result } : {}) };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.options.log.warn(`${this.cluster}: ${message.method} failed: ${error}`, err);
      response = { type: 'response', id: message.id, ok: false, error };
    }
    if (generation === this.generation && this.readyValue) this.post(response);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unready();
    this.sourceSubscription?.dispose();
    this.sourceSubscription = undefined;
    this.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.disposedEmitter.fire();
    this.disposedEmitter.dispose();
  }

  private async call(request: RequestMessage): Promise<ScaleNowResult | undefined> {
    switch (request.method) {
      case 'pause':
        await this.source.pause();
        return undefined;
      case 'resume':
        await this.source.resume();
        return undefined;
      case 'setDryRun':
        await this.source.setDryRun(request.on);
        return undefined;
      case 'scaleNow':
        return await this.source.scaleNow();
    }
  }

  private withTimeout<T>(work: Promise<T>, method: string): Promise<T> {
    const ms = this.options.requestTimeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `The scheduler of ${this.cluster} did not finish "${method}" within ${Math.round(ms / 1000)} s. See the Mesos Ops log, then try again.`,
            ),
          ),
        ms,
      );
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  /** The source's snapshot, checked; a source that fails shows as a stopped scheduler that says why. */
  private snapshot(): QueueSnapshot {
    let problem: string;
    try {
      const parsed = parseQueueSnapshot(this.source.snapshot());
      if (parsed.ok) return parsed.value;
      problem = `its snapshot is malformed (${parsed.reason})`;
    } catch (err) {
      problem = `reading its snapshot failed (${err instanceof Error ? err.message : String(err)})`;
    }
    this.options.log.error(`${this.cluster}: the autoscaler's data cannot be shown: ${problem}`);
    return {
      cluster: this.cluster,
      scheduler: {
        where: 'stopped',
        paused: false,
        dryRun: false,
        detail: `The autoscaler's data cannot be shown: ${problem}. See the Mesos Ops log.`,
      },
      queue: [],
      agents: [],
      decisions: [],
      timeline: [],
    };
  }

  private subscribe(): void {
    this.sourceSubscription?.dispose();
    this.sourceSubscription = this.source.onDidChange((change) => this.onSourceChange(change));
  }

  private onSourceChange(change: QueueChange): void {
    if (!this.readyValue || this.disposed) return;
    const parsed = parseQueueChange(change);
    if (!parsed.ok) {
      // one line per distinct problem: a broken source would otherwise fill the log every few seconds
      if (parsed.reason !== this.lastSourceProblem)
        this.options.log.error(
          `${this.cluster}: dropped a malformed ${String(change.kind)} change from the autoscaler: ${parsed.reason}`,
        );
      this.lastSourceProblem = parsed.reason;
      return;
    }
    this.batcher.add(parsed.value);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      if (!this.readyValue || this.batcher.isEmpty) return;
      this.post({ type: 'changes', changes: this.batcher.take() });
    }, this.options.flushMs ?? 250);
  }

  private clearPending(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.batcher.clear();
  }

  private unready(): void {
    this.readyValue = false;
    this.clearPending();
  }

  private reject(reason: string): void {
    this.options.log.warn(`${this.cluster}: refused a message from the Jenkins queue panel: ${reason}`);
    this.rejected.fire(reason);
  }

  private post(message: HostToWebview): void {
    if (this.disposed) return;
    this.panel.webview.postMessage(message).then(
      () => undefined,
      (err: unknown) => this.options.log.debug(`${this.cluster}: posting to the panel failed`, err),
    );
    this.posted.fire(message);
  }
}

/**
 * The toolkit's script: from dist/ when the build copied it there (a .vsix ships no node_modules), else
 * from node_modules (a development checkout).
 */
function toolkitPath(extensionUri: vscode.Uri): string[] {
  const inDist = ['dist', 'toolkit.min.js'];
  if (extensionUri.scheme === 'file' && existsSync(vscode.Uri.joinPath(extensionUri, ...inDist).fsPath)) return inDist;
  return [...TOOLKIT_DIR, 'toolkit.min.js'];
}
