import * as vscode from 'vscode';
import type { ExplorerNode, TreeNodeBase } from './explorerNode';

export interface DetailSpec {
  readonly label: string;
  readonly description?: string;
  readonly icon?: vscode.ThemeIcon;
  readonly tooltip?: string;
  readonly command?: vscode.Command;
  /** Default `mesos.detail`. */
  readonly contextValue?: string;
  /** What Copy Id copies (e.g. an agent id). */
  readonly value?: string;
  /** Set on a row that stands for an agent, so Reveal Agent works from it. */
  readonly agentId?: string;
}

/** A leaf that shows one fact: a resource of an agent, an attribute, an offer's agent or framework. */
export class DetailTreeNode implements TreeNodeBase {
  readonly kind = 'detail';

  constructor(
    readonly key: string,
    readonly parent: ExplorerNode | undefined,
    readonly clusterName: string | undefined,
    /** Replaced each time the parent lists its children, so the row always shows the current value. */
    public spec: DetailSpec,
  ) {}

  get agentId(): string | undefined {
    return this.spec.agentId;
  }

  update(spec: DetailSpec): this {
    this.spec = spec;
    return this;
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.spec.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.key;
    item.description = this.spec.description;
    item.iconPath = this.spec.icon;
    item.contextValue = this.spec.contextValue ?? 'mesos.detail';
    if (this.spec.command) item.command = this.spec.command;
    return item;
  }

  children(): readonly ExplorerNode[] {
    return [];
  }

  tooltip(): string | undefined {
    return this.spec.tooltip ?? (this.spec.description ? `${this.spec.label}: ${this.spec.description}` : undefined);
  }

  mesosId(): string | undefined {
    return this.spec.value;
  }
}
