import * as vscode from 'vscode';
import type { ClusterSessionState } from '../../core/cluster/clusterSession';
import type { Services } from '../services';
import type { ClusterHandle } from './clusterRegistry';

const CURRENT_KEY = 'mesos.currentCluster';

function describe(state: ClusterSessionState | undefined, leader: string | undefined): { icon: string; text: string; tooltip: string } {
  const host = leader ? new URL(leader).host : undefined;
  switch (state?.kind) {
    case 'connected':
      return { icon: '$(server-environment)', text: host ?? '', tooltip: `Connected; the leading master is ${leader}` };
    case 'connecting':
      return { icon: '$(sync~spin)', text: 'connecting', tooltip: 'Finding the leading master…' };
    case 'reconnecting':
      return { icon: '$(sync~spin)', text: 'reconnecting', tooltip: state.message };
    case 'error':
      return { icon: '$(error)', text: 'error', tooltip: `${state.message}${state.needsCredentials ? '\nRun "Mesos: Set Credentials…".' : ''}` };
    default:
      return { icon: '$(server-environment)', text: '', tooltip: 'Not connected yet: open the Mesos views' };
  }
}

/**
 * The status bar item: the current cluster, its leading master and its connection state; a click switches
 * the current cluster. Hidden while no cluster is configured.
 */
export class ClusterStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mesos.cluster', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];
  private watched: { dispose(): void } | undefined;

  constructor(private readonly services: Services) {
    this.item.name = 'Mesos Cluster';
    this.item.command = 'mesos.selectCluster';
    this.disposables.push(
      this.item,
      services.clusters.onDidChangeClusters(() => this.update()),
      services.clusters.onDidStartSession(() => this.update()),
    );
    this.update();
  }

  /** The cluster the status bar shows (the user's pick, else the first). */
  current(): ClusterHandle | undefined {
    const name = this.services.context.workspaceState.get<string>(CURRENT_KEY);
    return (name ? this.services.clusters.get(name) : undefined) ?? this.services.clusters.clusters[0];
  }

  async pick(): Promise<void> {
    const items = this.services.clusters.clusters.map((c) => ({
      label: c.name,
      description: c.config.masters,
      detail: c.current ? describe(c.current.state, c.current.leader).tooltip : undefined,
    }));
    if (items.length === 0) {
      await vscode.commands.executeCommand('mesos.addCluster');
      return;
    }
    const chosen = await vscode.window.showQuickPick(items, { placeHolder: 'Show which cluster in the status bar?' });
    if (!chosen) return;
    await this.services.context.workspaceState.update(CURRENT_KEY, chosen.label);
    this.update();
  }

  private update(): void {
    this.watched?.dispose();
    this.watched = undefined;
    const handle = this.current();
    if (!handle) {
      this.item.hide();
      return;
    }
    const render = () => {
      const session = handle.current;
      const { icon, text, tooltip } = describe(session?.state, session?.leader);
      this.item.text = `${icon} ${handle.name}${text ? `: ${text}` : ''}`;
      this.item.tooltip = `Mesos cluster "${handle.name}" (${handle.config.masters})\n${tooltip}\nClick to switch cluster.`;
      this.item.backgroundColor = session?.state.kind === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    };
    render();
    if (handle.current) this.watched = handle.current.onStateChange(render);
    this.item.show();
  }

  dispose(): void {
    this.watched?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
