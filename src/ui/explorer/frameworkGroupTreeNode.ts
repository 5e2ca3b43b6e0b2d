import * as vscode from 'vscode';
import type { FrameworkStatus, FrameworksList } from '../../core/cluster';
import type { ClusterTreeNode } from './clusterTreeNode';
import type { ExplorerContext, ExplorerNode, TreeNodeBase } from './explorerNode';
import { FrameworkTreeNode } from './frameworkTreeNode';
import { frameworkStatusIcon } from './stateIcons';
import { childKey, frameworkGroupKey, frameworkKey } from './treeKeys';

const LABELS: Record<FrameworkStatus, string> = { active: 'Active', inactive: 'Inactive', completed: 'Completed' };

/** Active, inactive or completed frameworks of a cluster (the Frameworks view's first level). */
export class FrameworkGroupTreeNode implements TreeNodeBase {
  readonly kind = 'frameworkGroup';
  readonly key: string;

  constructor(
    readonly clusterName: string,
    readonly status: FrameworkStatus,
    readonly parent: ClusterTreeNode | undefined,
  ) {
    this.key = frameworkGroupKey(clusterName, status);
  }

  private get list(): FrameworksList {
    return { kind: 'frameworks', status: this.status };
  }

  treeItem(ctx: ExplorerContext): vscode.TreeItem {
    const count = ctx.model(this.clusterName)?.count(this.list, ctx.filter) ?? 0;
    // always expandable: an empty group says so when opened, and needs no new collapsible state later
    const item = new vscode.TreeItem(
      LABELS[this.status],
      this.status === 'active' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.key;
    item.description = ctx.filter ? `${count} matching` : String(count);
    item.iconPath = frameworkStatusIcon(this.status);
    item.contextValue = `mesos.frameworkGroup.${this.status}`;
    return item;
  }

  children(ctx: ExplorerContext): readonly ExplorerNode[] {
    const model = ctx.model(this.clusterName);
    if (!model) return [];
    const { nodes, total } = ctx.listChildren({
      owner: this,
      ownerKey: this.key,
      clusterName: this.clusterName,
      model,
      list: this.list,
      filter: ctx.filter,
      make: (framework) => {
        const key = frameworkKey(this.clusterName, this.status, framework.id);
        return ctx.cached(key, () => new FrameworkTreeNode(this.clusterName, framework.id, this.status, this));
      },
    });
    if (total === 0) {
      const what = `${this.status} frameworks`;
      return [ctx.info(childKey(this.key, 'empty'), this, this.clusterName, ctx.filter ? `No ${what} match "${ctx.filter}"` : `No ${what}`)];
    }
    return nodes;
  }

  tooltip(ctx: ExplorerContext): string {
    const count = ctx.model(this.clusterName)?.count(this.list) ?? 0;
    return `${count} ${this.status} framework${count === 1 ? '' : 's'}${ctx.filter ? ` (filter "${ctx.filter}" applies)` : ''}`;
  }

  mesosId(): undefined {
    return undefined;
  }
}
