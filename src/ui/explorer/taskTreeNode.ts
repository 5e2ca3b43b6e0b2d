import * as vscode from 'vscode';
import type { TaskNode } from '../../core/cluster';
import { milliScalarsOf, scalarsOfMilli } from '../../core/cluster/scalarResources';
import type { TaskStatus } from '../../core/mesos/codec';
import type { ExplorerContext, ExplorerNode, TreeNodeBase } from './explorerNode';
import { formatResources } from './formatResources';
import { formatAge } from './formatTime';
import { taskStateIcon, taskStateToken, taskStateWords } from './stateIcons';
import { TooltipBuilder } from './tooltipBuilder';

/** Where a task row sits: under its framework's state group, or under its agent. */
export type TaskPlace = 'framework' | 'agent';

/** The status that put the task in its current state (its age is measured from it). */
function currentStatus(task: TaskNode): TaskStatus | undefined {
  const statuses = task.task.statuses ?? [];
  for (let i = statuses.length - 1; i >= 0; i--) if (statuses[i]!.state === task.state) return statuses[i];
  return statuses[statuses.length - 1];
}

/**
 * A task. contextValue is `mesos.task.<state>` (running, staging, finished, gone_by_operator…), with
 * `.readOnly` appended on a read-only cluster, so a `viewItem == mesos.task.running` clause offers Kill
 * only where it may be used.
 */
export class TaskTreeNode implements TreeNodeBase {
  readonly kind = 'task';

  constructor(
    readonly key: string,
    readonly place: TaskPlace,
    readonly clusterName: string,
    readonly frameworkId: string,
    readonly taskId: string,
    readonly agentId: string,
    readonly parent: ExplorerNode,
  ) {}

  treeItem(ctx: ExplorerContext): vscode.TreeItem {
    const model = ctx.model(this.clusterName);
    const task = model?.task(this.frameworkId, this.taskId);
    const item = new vscode.TreeItem(task?.name || this.taskId, vscode.TreeItemCollapsibleState.None);
    item.id = this.key;
    if (!task) {
      item.description = 'gone';
      item.contextValue = 'mesos.task.gone';
      return item;
    }
    const readOnly = ctx.handle(this.clusterName)?.config.readOnly === true;
    item.iconPath = taskStateIcon(task.state);
    item.contextValue = `mesos.task.${taskStateToken(task.state)}${readOnly ? '.readOnly' : ''}`;
    const parts: string[] = [];
    if (this.place === 'agent') {
      parts.push(taskStateWords(task.state));
      const framework = model?.framework(this.frameworkId);
      if (framework) parts.push(framework.name || framework.id);
    } else {
      const host = model?.agent(this.agentId)?.hostname;
      if (host) parts.push(host);
    }
    parts.push(formatResources(scalarsOfMilli(milliScalarsOf(task.task.resources))));
    const since = currentStatus(task)?.timestamp;
    if (since !== undefined) parts.push(formatAge(ctx.now() - since * 1000));
    item.description = parts.join(' · ');
    return item;
  }

  children(): readonly ExplorerNode[] {
    return [];
  }

  tooltip(ctx: ExplorerContext): vscode.MarkdownString | string {
    const model = ctx.model(this.clusterName);
    const task = model?.task(this.frameworkId, this.taskId);
    if (!task) return `Task ${this.taskId} is no longer known to the master.`;
    const framework = model?.framework(this.frameworkId);
    const agent = model?.agent(this.agentId);
    const status = currentStatus(task);
    const t = new TooltipBuilder().title(`Task ${task.name || task.id}`, 'checklist');
    t.field('Id', task.id)
      .field('State', taskStateWords(task.state))
      .field('Framework', framework ? `${framework.name} (${framework.id})` : this.frameworkId)
      .field('Agent', agent ? `${agent.hostname} (${agent.id})` : this.agentId)
      .field('Resources', formatResources(scalarsOfMilli(milliScalarsOf(task.task.resources))))
      .field('Executor', task.task.executor_id?.value)
      .field('User', task.task.user)
      .field('Container', task.task.container?.docker?.image ?? task.task.container?.mesos?.image?.docker?.name ?? task.task.container?.type);
    if (status) {
      t.separator()
        .field('Since', status.timestamp === undefined ? undefined : new Date(status.timestamp * 1000).toLocaleString())
        .field('Message', status.message)
        .field('Reason', status.reason)
        .field('Source', status.source)
        .field('Healthy', status.healthy === undefined ? undefined : String(status.healthy));
    }
    const labels = task.task.labels?.labels ?? [];
    if (labels.length) {
      t.separator();
      for (const label of labels.slice(0, 10)) t.field(label.key, label.value ?? '');
      if (labels.length > 10) t.text(`… and ${labels.length - 10} more labels`);
    }
    return t.build();
  }

  mesosId(): string {
    return this.taskId;
  }
}
