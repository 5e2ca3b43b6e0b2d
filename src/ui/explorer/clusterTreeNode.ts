import * as vscode from 'vscode';
import type { ExplorerContext, ExplorerNode, TreeNodeBase } from './explorerNode';
import { formatUsage } from './formatResources';
import { formatClock } from './formatTime';
import { ICONS } from './stateIcons';
import { TooltipBuilder } from './tooltipBuilder';
import { clusterKey } from './treeKeys';

/** The cluster level, shown only when several clusters are configured; its description is the cluster's use. */
export class ClusterTreeNode implements TreeNodeBase {
  readonly kind = 'cluster';
  readonly parent = undefined;
  readonly key: string;

  constructor(readonly clusterName: string) {
    this.key = clusterKey(clusterName);
  }

  /** The state word for contextValue: connected, connecting, reconnecting, error, idle, closed. */
  private stateOf(ctx: ExplorerContext): string {
    if (ctx.startError(this.clusterName)) return 'error';
    return ctx.session(this.clusterName)?.state.kind ?? 'connecting';
  }

  /** What the row says after the name; the provider compares it to refresh the row only when it changes. */
  description(ctx: ExplorerContext): string {
    const state = this.stateOf(ctx);
    const model = ctx.model(this.clusterName);
    const usage = model ? (() => {
      const totals = model.totals();
      return formatUsage(totals.used, totals.total);
    })() : undefined;
    switch (state) {
      case 'connecting':
        return 'connecting…';
      case 'error':
        return usage ? `error · ${usage}` : 'unreachable';
      case 'reconnecting':
        return usage ? `reconnecting · ${usage}` : 'reconnecting…';
      default:
        return usage ?? '';
    }
  }

  treeItem(ctx: ExplorerContext): vscode.TreeItem {
    const state = this.stateOf(ctx);
    const item = new vscode.TreeItem(this.clusterName, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.key;
    item.description = this.description(ctx);
    item.iconPath =
      state === 'error' ? ICONS.error : state === 'reconnecting' ? ICONS.warning : state === 'connecting' ? ICONS.connecting : ctx.model(this.clusterName) ? ICONS.connected : ICONS.idle;
    item.contextValue = `mesos.cluster.${state}`;
    return item;
  }

  children(ctx: ExplorerContext): readonly ExplorerNode[] {
    return ctx.clusterContent(this.clusterName, this);
  }

  tooltip(ctx: ExplorerContext): vscode.MarkdownString {
    const handle = ctx.handle(this.clusterName);
    const session = ctx.session(this.clusterName);
    const t = new TooltipBuilder().title(`Cluster ${this.clusterName}`, 'server-environment');
    t.field('Masters', handle?.config.masters).field('Leader', session?.leader);
    const state = session?.state;
    if (state?.kind === 'error' || state?.kind === 'reconnecting') t.field('Problem', state.message);
    t.field('Problem', ctx.startError(this.clusterName)?.message);
    const model = ctx.model(this.clusterName);
    if (model) {
      const totals = model.totals();
      t.separator()
        .field('Resources', formatUsage(totals.used, totals.total))
        .field('Frameworks', `${totals.frameworks.active} active, ${totals.frameworks.inactive} inactive, ${totals.frameworks.completed} completed`)
        .field('Agents', `${totals.agents.active} active, ${totals.agents.inactive} inactive, ${totals.agents.draining} draining, ${totals.agents.gone} gone`)
        .field('Tasks', totals.tasks)
        .field('Offers', totals.offers)
        .field('Updated', totals.updatedAt === undefined ? undefined : formatClock(totals.updatedAt));
    }
    return t.build();
  }

  mesosId(): string {
    return this.clusterName;
  }
}
