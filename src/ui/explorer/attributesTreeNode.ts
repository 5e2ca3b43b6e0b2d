import * as vscode from 'vscode';
import type { Attribute } from '../../core/mesos/codec';
import { DetailTreeNode } from './detailTreeNode';
import type { AgentTreeNode } from './agentTreeNode';
import type { ExplorerContext, ExplorerNode, TreeNodeBase } from './explorerNode';
import { ICONS } from './stateIcons';
import { childKey } from './treeKeys';

/** An attribute's value as Mesos writes it on the command line: `r1`, `4.5`, `[31000-32000]`, `{a,b}`. */
export function attributeValue(attribute: Attribute): string {
  switch (attribute.type) {
    case 'SCALAR':
      return String(attribute.scalar?.value ?? '');
    case 'RANGES':
      return `[${(attribute.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(',')}]`;
    case 'SET':
      return `{${(attribute.set?.item ?? []).join(',')}}`;
    case 'TEXT':
      return attribute.text?.value ?? '';
    default:
      return '';
  }
}

/** An agent's attributes (rack, zone, os…), which placement constraints match against. */
export class AttributesTreeNode implements TreeNodeBase {
  readonly kind = 'attributes';
  readonly key: string;

  constructor(
    readonly clusterName: string,
    readonly agentId: string,
    readonly parent: AgentTreeNode,
  ) {
    this.key = childKey(parent.key, 'attributes');
  }

  private attributes(ctx: ExplorerContext): readonly Attribute[] {
    return ctx.model(this.clusterName)?.agent(this.agentId)?.attributes ?? [];
  }

  treeItem(ctx: ExplorerContext): vscode.TreeItem {
    const item = new vscode.TreeItem('Attributes', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.key;
    item.description = this.attributes(ctx)
      .map((a) => `${a.name}:${attributeValue(a)}`)
      .join(' · ');
    item.iconPath = ICONS.attributes;
    item.contextValue = 'mesos.attributes';
    return item;
  }

  children(ctx: ExplorerContext): readonly ExplorerNode[] {
    return this.attributes(ctx).map((a, i) => {
      const spec = { label: a.name, description: attributeValue(a), icon: ICONS.attribute, value: `${a.name}:${attributeValue(a)}` };
      const key = childKey(this.key, 'attr', `${i}:${a.name}`);
      return ctx.cached(key, () => new DetailTreeNode(key, this, this.clusterName, spec)).update(spec);
    });
  }

  tooltip(ctx: ExplorerContext): string {
    return this.attributes(ctx)
      .map((a) => `${a.name}: ${attributeValue(a)}`)
      .join('\n');
  }

  mesosId(): undefined {
    return undefined;
  }
}
