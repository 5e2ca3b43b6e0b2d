import * as vscode from 'vscode';
import type { ClusterTreeNode } from './clusterTreeNode';
import { portRanges } from './agentTreeNode';
import { DetailTreeNode, type DetailSpec } from './detailTreeNode';
import type { ExplorerContext, ExplorerNode, TreeNodeBase } from './explorerNode';
import { formatCpus, formatMegabytes, formatResources } from './formatResources';
import { ICONS } from './stateIcons';
import { TooltipBuilder } from './tooltipBuilder';
import { childKey, offerKey } from './treeKeys';

/** An outstanding offer: which agent, which framework holds it, and what it offers. */
export class OfferTreeNode implements TreeNodeBase {
  readonly kind = 'offer';
  readonly key: string;

  constructor(
    readonly clusterName: string,
    readonly offerId: string,
    /** An offer never moves: its agent is known when it is listed (Reveal Agent reads it). */
    readonly agentId: string,
    readonly parent: ClusterTreeNode | undefined,
  ) {
    this.key = offerKey(clusterName, offerId);
  }

  treeItem(ctx: ExplorerContext): vscode.TreeItem {
    const model = ctx.model(this.clusterName);
    const offer = model?.offer(this.offerId);
    const item = new vscode.TreeItem(offer?.hostname || this.offerId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.key;
    item.iconPath = ICONS.offer;
    item.contextValue = 'mesos.offer';
    if (offer) {
      const framework = model?.framework(offer.frameworkId);
      item.description = `${formatResources(offer.resources)} · to ${framework?.name || offer.frameworkId}`;
    } else {
      item.description = 'gone';
    }
    return item;
  }

  children(ctx: ExplorerContext): readonly ExplorerNode[] {
    const model = ctx.model(this.clusterName);
    const offer = model?.offer(this.offerId);
    if (!model || !offer) return [];
    const framework = model.framework(offer.frameworkId);
    const rows: { id: string; spec: DetailSpec }[] = [
      {
        id: 'agent',
        spec: {
          label: 'agent',
          description: offer.hostname,
          icon: ICONS.agent,
          contextValue: 'mesos.detail.agent',
          value: offer.agentId,
          agentId: offer.agentId,
          tooltip: `Agent ${offer.hostname} (${offer.agentId}); click to show it in the Agents view`,
          command: { command: 'mesos.revealAgent', title: 'Reveal Agent', arguments: [{ clusterName: this.clusterName, agentId: offer.agentId }] },
        },
      },
      {
        id: 'framework',
        spec: {
          label: 'framework',
          description: framework?.name || offer.frameworkId,
          icon: ICONS.framework,
          contextValue: 'mesos.detail.framework',
          value: offer.frameworkId,
          tooltip: `Offered to framework ${framework?.name ?? ''} (${offer.frameworkId})`,
        },
      },
      { id: 'cpus', spec: { label: 'cpu', description: formatCpus(offer.resources.cpus), icon: ICONS.cpus } },
      { id: 'mem', spec: { label: 'mem', description: formatMegabytes(offer.resources.mem), icon: ICONS.mem } },
      { id: 'disk', spec: { label: 'disk', description: formatMegabytes(offer.resources.disk), icon: ICONS.disk } },
    ];
    if (offer.resources.gpus > 0) rows.push({ id: 'gpus', spec: { label: 'gpu', description: formatCpus(offer.resources.gpus), icon: ICONS.gpus } });
    const ports = portRanges(offer.offer.resources);
    if (ports) rows.push({ id: 'ports', spec: { label: 'ports', description: ports, icon: ICONS.ports } });
    return rows.map(({ id, spec }) => {
      const key = childKey(this.key, id);
      return ctx.cached(key, () => new DetailTreeNode(key, this, this.clusterName, spec)).update(spec);
    });
  }

  tooltip(ctx: ExplorerContext): vscode.MarkdownString | string {
    const model = ctx.model(this.clusterName);
    const offer = model?.offer(this.offerId);
    if (!offer) return `Offer ${this.offerId} was used, declined or rescinded.`;
    const framework = model?.framework(offer.frameworkId);
    return new TooltipBuilder()
      .title(`Offer on ${offer.hostname}`, 'gift')
      .field('Id', offer.id)
      .field('Agent', `${offer.hostname} (${offer.agentId})`)
      .field('Framework', framework ? `${framework.name} (${framework.id})` : offer.frameworkId)
      .field('Resources', formatResources(offer.resources))
      .field('Role', offer.offer.allocation_info?.role)
      .build();
  }

  mesosId(): string {
    return this.offerId;
  }
}
