import * as vscode from 'vscode';
import { isTerminalTaskState, type FrameworkTasksList } from '../../core/cluster';
import type { TaskState } from '../../core/mesos/codec';
import type { ExplorerContext, ExplorerNode, TreeNodeBase } from './explorerNode';
import type { FrameworkTreeNode } from './frameworkTreeNode';
import { taskStateIcon, taskStateToken, taskStateWords } from './stateIcons';
import { TaskTreeNode } from './taskTreeNode';
import { frameworkTaskKey, taskGroupKey } from './treeKeys';

/** A framework's tasks in one state; live states start expanded, ended ones collapsed. */
export class TaskGroupTreeNode implements TreeNodeBase {
  readonly kind = 'taskGroup';
  readonly key: string;

  constructor(
    readonly clusterName: string,
    readonly frameworkId: string,
    readonly state: TaskState,
    readonly parent: FrameworkTreeNode,
  ) {
    this.key = taskGroupKey(parent.key, state);
  }

  private get list(): FrameworkTasksList {
    return { kind: 'frameworkTasks', frameworkId: this.frameworkId, state: this.state };
  }

  treeItem(ctx: ExplorerContext): vscode.TreeItem {
    const words = taskStateWords(this.state);
    const item = new vscode.TreeItem(
      words.charAt(0).toUpperCase() + words.slice(1),
      isTerminalTaskState(this.state) ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded,
    );
    item.id = this.key;
    item.description = String(ctx.model(this.clusterName)?.count(this.list) ?? 0);
    item.iconPath = taskStateIcon(this.state);
    item.contextValue = `mesos.taskGroup.${taskStateToken(this.state)}`;
    return item;
  }

  children(ctx: ExplorerContext): readonly ExplorerNode[] {
    const model = ctx.model(this.clusterName);
    if (!model) return [];
    return ctx.listChildren({
      owner: this,
      ownerKey: this.key,
      clusterName: this.clusterName,
      model,
      list: this.list,
      make: (task) =>
        ctx.cached(frameworkTaskKey(this.key, task.id), () => new TaskTreeNode(frameworkTaskKey(this.key, task.id), 'framework', this.clusterName, task.frameworkId, task.id, task.agentId, this)),
    }).nodes;
  }

  tooltip(ctx: ExplorerContext): string {
    const count = ctx.model(this.clusterName)?.count(this.list) ?? 0;
    return `${count} ${taskStateWords(this.state)} task${count === 1 ? '' : 's'}`;
  }

  mesosId(): undefined {
    return undefined;
  }
}
