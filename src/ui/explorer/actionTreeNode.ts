import * as vscode from 'vscode';
import type { ExplorerNode, TreeNodeBase } from './explorerNode';

export interface ActionSpec {
  readonly label: string;
  readonly icon: vscode.ThemeIcon;
  readonly command: string;
  readonly arguments?: readonly unknown[];
}

/** A row that runs a command when clicked: the next step under an error ("Retry", "Edit Cluster…"). */
export class ActionTreeNode implements TreeNodeBase {
  readonly kind = 'action';

  constructor(
    readonly key: string,
    readonly parent: ExplorerNode | undefined,
    readonly clusterName: string | undefined,
    public spec: ActionSpec,
  ) {}

  update(spec: ActionSpec): this {
    this.spec = spec;
    return this;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.spec.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.key;
    item.iconPath = this.spec.icon;
    item.contextValue = 'mesos.action';
    item.command = { command: this.spec.command, title: this.spec.label, arguments: [...(this.spec.arguments ?? [])] };
    return item;
  }

  children(): readonly ExplorerNode[] {
    return [];
  }

  tooltip(): string {
    return this.spec.label;
  }

  mesosId(): undefined {
    return undefined;
  }
}
