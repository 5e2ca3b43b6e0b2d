import * as vscode from 'vscode';
import type { AgentNode } from '../../core/cluster';
import type { Resource } from '../../core/mesos/codec';
import { AgentTasksTreeNode } from './agentTasksTreeNode';
import { AttributesTreeNode, attributeValue } from './attributesTreeNode';
import type { ClusterTreeNode } from './clusterTreeNode';
import { DetailTreeNode, type DetailSpec } from './detailTreeNode';
import type { ExplorerContext, ExplorerNode, TreeNodeBase } from './explorerNode';
import { formatCpus, formatMegabytes, formatMegabytesOf, formatUsage } from './formatResources';
import { formatAge, timeInfoMs } from './formatTime';
import { agentStatusIcon, ICONS } from './stateIcons';
import { TooltipBuilder } from './tooltipBuilder';
import { agentKey, childKey } from './treeKeys';

/** `[31000-32000]`: an agent's port ranges, from its total resources. */
export function portRanges(resources: readonly Resource[] | undefined): string | undefined {
  const ranges = (resources ?? []).filter((r) => r.name === 'ports' && r.type === 'RANGES').flatMap((r) => r.ranges?.range ?? []);
  return ranges.length ? ranges.map((r) => `${r.begin}-${r.end}`).join(', ') : undefined;
}

/** The resource rows of an agent: used of total, and what is offered right now. */
function resourceRows(agent: AgentNode): { id: string; spec: DetailSpec }[] {
  const offered = (n: number, text: string): string => (n > 0 ? ` · ${text} offered` : '');
  const rows = [
    {
      id: 'cpus',
      spec: {
        label: 'cpu',
        description: `${formatCpus(agent.used.cpus)} of ${formatCpus(agent.total.cpus)} used${offered(agent.offered.cpus, formatCpus(agent.offered.cpus))}`,
        icon: ICONS.cpus,
      },
    },
    {
      id: 'mem',
      spec: {
        label: 'mem',
        description: `${formatMegabytesOf(agent.used.mem, agent.total.mem)} used${offered(agent.offered.mem, formatMegabytes(agent.offered.mem))}`,
        icon: ICONS.mem,
      },
    },
    {
      id: 'disk',
      spec: {
        label: 'disk',
        description: `${formatMegabytesOf(agent.used.disk, agent.total.disk)} used${offered(agent.offered.disk, formatMegabytes(agent.offered.disk))}`,
        icon: ICONS.disk,
      },
    },
  ];
  if (agent.total.gpus > 0) {
    rows.push({ id: 'gpus', spec: { label: 'gpu', description: `${formatCpus(agent.used.gpus)} of ${formatCpus(agent.total.gpus)} used`, icon: ICONS.gpus } });
  }
  const ports = portRanges(agent.agent?.total_resources ?? agent.info.resources);
  if (ports) rows.push({ id: 'ports', spec: { label: 'ports', description: ports, icon: ICONS.ports } });
  return rows;
}

/** An agent: its resources (used of total), its attributes and its tasks. contextValue `mesos.agent.<status>`. */
export class AgentTreeNode implements TreeNodeBase {
  readonly kind = 'agent';
  readonly key: string;

  constructor(
    readonly clusterName: string,
    readonly agentId: string,
    readonly parent: ClusterTreeNode | undefined,
  ) {
    this.key = agentKey(clusterName, agentId);
  }

  treeItem(ctx: ExplorerContext): vscode.TreeItem {
    const agent = ctx.model(this.clusterName)?.agent(this.agentId);
    const item = new vscode.TreeItem(agent?.hostname || this.agentId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.key;
    if (!agent) {
      item.description = 'gone';
      item.iconPath = agentStatusIcon('gone');
      item.contextValue = 'mesos.agent.gone';
      return item;
    }
    const parts = [formatUsage(agent.used, agent.total), `${agent.taskCount} task${agent.taskCount === 1 ? '' : 's'}`];
    if (agent.status !== 'active') parts.unshift(agent.status);
    item.description = parts.join(' · ');
    item.iconPath = agentStatusIcon(agent.status);
    item.contextValue = `mesos.agent.${agent.status}`;
    return item;
  }

  /** What the row and its resource rows show; a change the model reports redraws the agent only if this differs. */
  signature(ctx: ExplorerContext, drawn?: vscode.TreeItem): string {
    const item = drawn ?? this.treeItem(ctx);
    const agent = ctx.model(this.clusterName)?.agent(this.agentId);
    const rows = agent ? resourceRows(agent).map((r) => r.spec.description).join('|') : '';
    return `${String(item.label)}|${String(item.description)}|${item.contextValue}|${rows}|${agent?.attributes.length ?? 0}`;
  }

  children(ctx: ExplorerContext): readonly ExplorerNode[] {
    const agent = ctx.model(this.clusterName)?.agent(this.agentId);
    if (!agent) return [];
    const out: ExplorerNode[] = resourceRows(agent).map(({ id, spec }) => {
      const key = childKey(this.key, 'res', id);
      return ctx.cached(key, () => new DetailTreeNode(key, this, this.clusterName, spec)).update(spec);
    });
    if (agent.attributes.length > 0) out.push(ctx.cached(childKey(this.key, 'attributes'), () => new AttributesTreeNode(this.clusterName, this.agentId, this)));
    out.push(ctx.cached(childKey(this.key, 'tasks'), () => new AgentTasksTreeNode(this.clusterName, this.agentId, this)));
    return out;
  }

  tooltip(ctx: ExplorerContext): vscode.MarkdownString | string {
    const agent = ctx.model(this.clusterName)?.agent(this.agentId);
    if (!agent) return `Agent ${this.agentId} is no longer known to the master.`;
    const t = new TooltipBuilder().title(`Agent ${agent.hostname}`, 'vm');
    t.field('Id', agent.id)
      .field('Status', agent.status)
      .field('Port', agent.info.port)
      .field('Version', agent.agent?.version)
      .field('Resources', formatUsage(agent.used, agent.total))
      .field('Tasks', agent.taskCount);
    const since = timeInfoMs(agent.agent?.reregistered_time ?? agent.agent?.registered_time);
    if (since !== undefined) t.field('Registered', `${new Date(since).toLocaleString()} (${formatAge(ctx.now() - since)} ago)`);
    if (agent.agent?.drain_info) t.field('Draining', agent.agent.drain_info.state);
    if (agent.attributes.length) t.field('Attributes', agent.attributes.map((a) => `${a.name}:${attributeValue(a)}`).join(', '));
    return t.build();
  }

  mesosId(): string {
    return this.agentId;
  }
}
