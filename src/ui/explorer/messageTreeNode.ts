import * as vscode from 'vscode';
import { ActionTreeNode, type ActionSpec } from './actionTreeNode';
import type { ExplorerContext, ExplorerNode, TreeNodeBase } from './explorerNode';
import { childKey } from './treeKeys';

export interface MessageSpec {
  readonly label: string;
  readonly description?: string;
  readonly icon: vscode.ThemeIcon;
  /** e.g. `mesos.cluster.error`, `mesos.cluster.connecting`, `mesos.settingsProblem`, `mesos.info`. */
  readonly contextValue: string;
  readonly tooltip?: string;
  /** Shown as clickable children: the next steps. */
  readonly actions?: readonly ActionSpec[];
}

/**
 * A row that tells rather than shows: "Connecting…", an unreachable cluster with its cause, a bad
 * settings entry, "No outstanding offers". With actions it expands into them.
 */
export class MessageTreeNode implements TreeNodeBase {
  readonly kind = 'message';

  constructor(
    readonly key: string,
    readonly parent: ExplorerNode | undefined,
    readonly clusterName: string | undefined,
    public spec: MessageSpec,
  ) {}

  update(spec: MessageSpec): this {
    this.spec = spec;
    return this;
  }

  treeItem(): vscode.TreeItem {
    const hasActions = (this.spec.actions?.length ?? 0) > 0;
    const item = new vscode.TreeItem(
      this.spec.label,
      hasActions ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.key;
    item.description = this.spec.description;
    item.iconPath = this.spec.icon;
    item.contextValue = this.spec.contextValue;
    return item;
  }

  children(ctx: ExplorerContext): readonly ExplorerNode[] {
    return (this.spec.actions ?? []).map((action) =>
      ctx.cached(childKey(this.key, 'action', action.command), () => new ActionTreeNode(childKey(this.key, 'action', action.command), this, this.clusterName, action)).update(action),
    );
  }

  tooltip(): string {
    return this.spec.tooltip ?? this.spec.label;
  }

  mesosId(): undefined {
    return undefined;
  }
}
