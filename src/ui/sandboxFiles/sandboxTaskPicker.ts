import * as vscode from 'vscode';
import type { ClusterModel, TaskNode } from '../../core/cluster';
import { MAX_PAGE_SIZE, type ClusterPage } from '../../core/cluster/clusterList';
import { isTerminalTaskState } from '../../core/cluster/taskStates';
import type { ClusterLookup } from '../clusters/clusterRegistry';
import { pickCluster } from '../clusters/pickCluster';
import { taskStateWords } from '../explorer/stateIcons';
import type { SandboxLocator } from './sandboxLocator';

/** A task whose sandbox to open: what a task row of the explorer carries, or what the palette picks. */
export interface SandboxTaskTarget {
  readonly clusterName: string;
  readonly frameworkId: string;
  readonly taskId: string;
  /** From the tree row; looked up in the cluster's state when absent. */
  readonly agentId?: string;
}

export function isSandboxTaskTarget(value: unknown): value is SandboxTaskTarget {
  const v = value as Partial<SandboxTaskTarget> | undefined;
  return (
    typeof v?.clusterName === 'string' &&
    typeof v.frameworkId === 'string' &&
    typeof v.taskId === 'string' &&
    (v.agentId === undefined || typeof v.agentId === 'string')
  );
}

// Completed tasks shown at most: the newest ones, whose sandboxes are the likeliest to be still there.
const MAX_COMPLETED = 1000;

interface TaskItem extends vscode.QuickPickItem {
  readonly target?: SandboxTaskTarget;
}

/**
 * The palette's way to a sandbox: a cluster (asked only when there are several), then one of its tasks,
 * active ones first, then completed ones newest first (their sandboxes last until the agent collects them).
 */
export async function pickSandboxTask(
  locator: SandboxLocator,
  clusters: ClusterLookup,
): Promise<SandboxTaskTarget | undefined> {
  const cluster = await pickCluster(clusters, {
    placeHolder: 'Open a sandbox file of a task in which cluster?',
    describe: (h) => (h.current?.state.kind === 'connected' ? 'connected' : ''),
  });
  if (cluster === undefined) return undefined;
  let model: ClusterModel;
  try {
    const loaded = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Reading the state of ${cluster}…` },
      () => locator.loadedSession(cluster),
    );
    model = loaded.session.model;
  } catch (err) {
    void vscode.window.showErrorMessage((err as Error).message);
    return undefined;
  }
  const items = taskItems(cluster, model);
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`Cluster ${cluster} has no tasks, so there is no sandbox to open.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    placeHolder: `Open a sandbox file of which task of ${cluster}?`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.target;
}

function taskItems(clusterName: string, model: ClusterModel): TaskItem[] {
  const active: TaskNode[] = [];
  const completed: TaskNode[] = [];
  for (const framework of pages((offset) => model.page({ kind: 'frameworks' }, { offset, limit: MAX_PAGE_SIZE }))) {
    for (const task of pages((offset) =>
      model.page({ kind: 'frameworkTasks', frameworkId: framework.id }, { offset, limit: MAX_PAGE_SIZE }),
    )) {
      (isTerminalTaskState(task.state) ? completed : active).push(task);
    }
  }
  completed.sort((a, b) => lastStatusTime(b) - lastStatusTime(a));
  const item = (task: TaskNode): TaskItem => {
    const framework = model.framework(task.frameworkId);
    return {
      label: task.name || task.id,
      description: `${taskStateWords(task.state)} · ${framework?.name || task.frameworkId}`,
      detail: `${task.id} · ${model.agent(task.agentId)?.hostname ?? task.agentId}`,
      target: { clusterName, frameworkId: task.frameworkId, taskId: task.id, agentId: task.agentId },
    };
  };
  const items: TaskItem[] = [];
  if (active.length > 0) items.push({ label: 'Active', kind: vscode.QuickPickItemKind.Separator }, ...active.map(item));
  if (completed.length > 0) {
    const shown = completed.slice(0, MAX_COMPLETED);
    const more = completed.length > shown.length ? `, newest ${shown.length} of ${completed.length}` : '';
    items.push(
      {
        label: `Completed (sandbox kept until the agent collects it${more})`,
        kind: vscode.QuickPickItemKind.Separator,
      },
      ...shown.map(item),
    );
  }
  return items;
}

function* pages<N>(page: (offset: number) => ClusterPage<N>): Generator<N> {
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const current: ClusterPage<N> = page(offset);
    yield* current.items;
    offset = current.nextOffset;
  }
}

function lastStatusTime(task: TaskNode): number {
  const statuses = task.task.statuses ?? [];
  return statuses[statuses.length - 1]?.timestamp ?? 0;
}
