import * as vscode from 'vscode';
import type { AgentTasksList } from '../../core/cluster';
import type { AgentTreeNode } from './agentTreeNode';
import type { ExplorerContext, ExplorerNode, TreeNodeBase } from './explorerNode';
import { ICONS, taskStateWords } from './stateIcons';
import { TaskTreeNode } from './taskTreeNode';
import { agentTaskKey, agentTasksKey, childKey } from './treeKeys';

/** Every task the master lists on an agent, whatever its framework or state. */
export class AgentTasksTreeNode implements TreeNodeBase {
  readonly kind = 'agentTasks';
  readonly key: string;

  constructor(
    readonly clusterName: string,
    readonly agentId: string,
    readonly parent: AgentTreeNode,
  ) {
    this.key = agentTasksKey(clusterName, agentId);
  }

  private get list(): AgentTasksList {
    return { kind: 'agentTasks', agentId: this.agentId };
  }

  treeItem(ctx: ExplorerContext): vscode.TreeItem {
    const model = ctx.model(this.clusterName);
    const item = new vscode.TreeItem('Tasks', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.key;
    const groups = model?.agentTaskGroups(this.agentId) ?? [];
    item.description = groups.length === 0 ? 'none' : groups.map((g) => `${g.count} ${taskStateWords(g.state)}`).join(', ');
    item.iconPath = ICONS.tasks;
    item.contextValue = 'mesos.agentTasks';
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
      make: (task) => {
        const key = agentTaskKey(this.clusterName, this.agentId, task.frameworkId, task.id);
        return ctx.cached(key, () => new TaskTreeNode(key, 'agent', this.clusterName, task.frameworkId, task.id, task.agentId, this));
      },
    });
    return total === 0 ? [ctx.info(childKey(this.key, 'empty'), this, this.clusterName, 'No tasks')] : nodes;
  }

  tooltip(ctx: ExplorerContext): string {
    const count = ctx.model(this.clusterName)?.count(this.list) ?? 0;
    return `${count} task${count === 1 ? '' : 's'} on this agent`;
  }

  mesosId(): undefined {
    return undefined;
  }
}
