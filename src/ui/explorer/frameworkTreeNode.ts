import * as vscode from 'vscode';
import type { FrameworkStatus } from '../../core/cluster';
import type { ExplorerContext, ExplorerNode, TreeNodeBase } from './explorerNode';
import type { FrameworkGroupTreeNode } from './frameworkGroupTreeNode';
import { formatResources } from './formatResources';
import { formatAge, timeInfoMs } from './formatTime';
import { frameworkStatusIcon, taskStateWords } from './stateIcons';
import { TaskGroupTreeNode } from './taskGroupTreeNode';
import { TooltipBuilder } from './tooltipBuilder';
import { childKey, frameworkKey, taskGroupKey } from './treeKeys';

/** A framework; its children are its tasks grouped by state, live states first. */
export class FrameworkTreeNode implements TreeNodeBase {
  readonly kind = 'framework';
  readonly key: string;
  /** The task groups last listed ("TASK_RUNNING,TASK_FINISHED"): a change to them refreshes this node. */
  shownGroups: string | undefined;

  constructor(
    readonly clusterName: string,
    readonly frameworkId: string,
    readonly status: FrameworkStatus,
    readonly parent: FrameworkGroupTreeNode,
  ) {
    this.key = frameworkKey(clusterName, status, frameworkId);
  }

  treeItem(ctx: ExplorerContext): vscode.TreeItem {
    const framework = ctx.model(this.clusterName)?.framework(this.frameworkId);
    const item = new vscode.TreeItem(framework?.name || this.frameworkId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.key;
    item.iconPath = frameworkStatusIcon(framework?.status ?? this.status);
    item.contextValue = `mesos.framework.${framework?.status ?? this.status}`;
    if (framework) {
      const parts = [`${framework.taskCount} task${framework.taskCount === 1 ? '' : 's'}`];
      if (framework.used.cpus > 0 || framework.used.mem > 0) parts.push(formatResources(framework.used));
      const since = timeInfoMs(framework.framework?.reregistered_time ?? framework.framework?.registered_time);
      if (since !== undefined && framework.status !== 'completed') parts.push(`up ${formatAge(ctx.now() - since)}`);
      item.description = parts.join(' · ');
    } else {
      item.description = 'gone';
    }
    return item;
  }

  /** What the row shows; a change the model reports for the framework redraws it only if this differs. */
  signature(ctx: ExplorerContext, drawn?: vscode.TreeItem): string {
    const item = drawn ?? this.treeItem(ctx);
    return `${String(item.label)}|${String(item.description)}|${item.contextValue}`;
  }

  children(ctx: ExplorerContext): readonly ExplorerNode[] {
    const model = ctx.model(this.clusterName);
    const groups = model?.taskGroups(this.frameworkId) ?? [];
    this.shownGroups = groups.map((g) => g.state).join(',');
    if (groups.length === 0) return [ctx.info(childKey(this.key, 'empty'), this, this.clusterName, 'No tasks')];
    return groups.map((g) => ctx.cached(taskGroupKey(this.key, g.state), () => new TaskGroupTreeNode(this.clusterName, this.frameworkId, g.state, this)));
  }

  tooltip(ctx: ExplorerContext): vscode.MarkdownString {
    const model = ctx.model(this.clusterName);
    const node = model?.framework(this.frameworkId);
    const info = node?.framework?.framework_info;
    const t = new TooltipBuilder().title(`Framework ${node?.name || this.frameworkId}`, 'layers');
    t.field('Id', this.frameworkId).field('Status', node?.status ?? this.status);
    if (info) {
      t.field('Roles', (info.roles?.length ? info.roles : info.role ? [info.role] : []).join(', '))
        .field('Principal', info.principal)
        .field('User', info.user)
        .field('Host', info.hostname)
        .field('Web UI', info.webui_url)
        .field('Failover timeout', info.failover_timeout === undefined ? undefined : `${info.failover_timeout} s`);
    }
    const registered = timeInfoMs(node?.framework?.registered_time);
    if (registered !== undefined) t.field('Registered', new Date(registered).toLocaleString());
    const unregistered = timeInfoMs(node?.framework?.unregistered_time);
    if (unregistered !== undefined) t.field('Unregistered', new Date(unregistered).toLocaleString());
    if (node) {
      t.separator().field('Uses', formatResources(node.used));
      const groups = model?.taskGroups(this.frameworkId) ?? [];
      t.field('Tasks', groups.length ? groups.map((g) => `${g.count} ${taskStateWords(g.state)}`).join(', ') : 'none');
    }
    return t.build();
  }

  mesosId(): string {
    return this.frameworkId;
  }
}
