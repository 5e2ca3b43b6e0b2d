import * as vscode from 'vscode';
import type { ExplorerNode, ExplorerViewKind, TreeNodeBase } from './explorerNode';
import { ICONS } from './stateIcons';

/**
 * The row after a page of a long list ("Show more (700 left)") or before it ("Show previous (500
 * before)"): a click shows that page instead, so a list never holds more than one page of rows.
 */
export class ShowMoreTreeNode implements TreeNodeBase {
  readonly kind = 'showMore';
  /** Items after (next) or before (previous) the page shown. */
  count = 0;

  constructor(
    readonly key: string,
    readonly view: ExplorerViewKind,
    readonly direction: 'next' | 'previous',
    /** The node whose list this belongs to (undefined: the view's root). */
    readonly parent: ExplorerNode | undefined,
    /** Where the provider remembers which page of the list to show. */
    readonly ownerKey: string,
    readonly clusterName: string,
  ) {}

  update(count: number): this {
    this.count = count;
    return this;
  }

  treeItem(): vscode.TreeItem {
    const n = this.count.toLocaleString('en-US');
    const item = new vscode.TreeItem(this.direction === 'next' ? `Show more (${n} left)` : `Show previous (${n} before)`, vscode.TreeItemCollapsibleState.None);
    item.id = this.key;
    item.iconPath = this.direction === 'next' ? ICONS.more : ICONS.previous;
    item.contextValue = 'mesos.showMore';
    item.command = { command: 'mesos.showMore', title: this.direction === 'next' ? 'Show More' : 'Show Previous', arguments: [this] };
    return item;
  }

  children(): readonly ExplorerNode[] {
    return [];
  }

  tooltip(): string {
    return this.direction === 'next' ? 'Show the next page of this list' : 'Show the page before';
  }

  mesosId(): undefined {
    return undefined;
  }
}
