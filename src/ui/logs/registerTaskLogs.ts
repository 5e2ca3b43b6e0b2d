import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Services } from '../services';
import { TaskLogChannel, type TaskLogStreams, type TaskLogTarget } from './taskLogChannel';

export interface TaskLogs extends vscode.Disposable {
  /** The channels being (or having been) followed, by `cluster/framework/task/streams`; for tests. */
  followed(): ReadonlyMap<string, TaskLogChannel>;
}

const STREAM_PICKS: readonly (vscode.QuickPickItem & { streams: TaskLogStreams })[] = [
  { label: 'stdout', streams: 'stdout' },
  { label: 'stderr', streams: 'stderr' },
  { label: 'stdout and stderr', description: 'in one channel, line by line', streams: 'both' },
];

function isTarget(value: unknown): value is TaskLogTarget {
  const v = value as Partial<TaskLogTarget> | undefined;
  return typeof v?.clusterName === 'string' && typeof v.frameworkId === 'string' && typeof v.taskId === 'string';
}

function isStreams(value: unknown): value is TaskLogStreams {
  return value === 'stdout' || value === 'stderr' || value === 'both';
}

function keyOf(target: TaskLogTarget, streams: TaskLogStreams): string {
  return `${target.clusterName}/${target.frameworkId}/${target.taskId}/${streams}`;
}

/**
 * Mesos: Follow Task Logs and Mesos: Stop Following Task Logs. One output channel per task and choice of
 * files; following the same again shows the channel that is there. Everything stops on dispose.
 */
export function registerTaskLogs(services: Services): TaskLogs {
  const channels = new Map<string, TaskLogChannel>();
  const log = services.logger('logs');

  async function pickTask(): Promise<TaskLogTarget | undefined> {
    const items: (vscode.QuickPickItem & { target: TaskLogTarget })[] = [];
    for (const handle of services.clusters.clusters) {
      const model = handle.current?.model;
      if (!model) continue;
      for (const framework of model.page({ kind: 'frameworks' }).items) {
        for (const task of model.page({ kind: 'frameworkTasks', frameworkId: framework.id }).items) {
          items.push({
            label: task.name || task.id,
            description: `${task.state} · ${framework.name || framework.id}`,
            detail: `${handle.name} · ${task.id}`,
            target: { clusterName: handle.name, frameworkId: framework.id, taskId: task.id },
          });
        }
      }
    }
    if (items.length === 0) {
      void vscode.window.showInformationMessage('No tasks to follow: open a cluster in the Mesos views first.');
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { placeHolder: 'Follow the logs of which task?', matchOnDescription: true, matchOnDetail: true }))?.target;
  }

  async function follow(arg?: unknown, streamsArg?: unknown): Promise<TaskLogChannel | undefined> {
    const target = isTarget(arg) ? arg : await pickTask();
    if (!target) return undefined;
    const streams = isStreams(streamsArg) ? streamsArg : (await vscode.window.showQuickPick(STREAM_PICKS, { placeHolder: 'Which files?' }))?.streams;
    if (!streams) return undefined;
    const key = keyOf(target, streams);
    const existing = channels.get(key);
    if (existing && !existing.done) {
      existing.channel.show(true);
      return existing;
    }
    existing?.dispose();
    const handle = services.clusters.get(target.clusterName);
    if (!handle) {
      void vscode.window.showErrorMessage(`There is no cluster named ${target.clusterName} in mesos.clusters any more.`);
      return undefined;
    }
    try {
      const session = await handle.session();
      const { config } = handle;
      const secret = config.principal ? await services.secrets.get(config.name, 'secret') : undefined;
      const ca = config.caFile ? await readFile(config.caFile, 'utf8') : undefined;
      const settings = vscode.workspace.getConfiguration('mesos.logs');
      const channel = new TaskLogChannel({
        target,
        streams,
        session,
        tailBytes: Math.max(0, settings.get<number>('tailKiB', 16)) * 1024,
        pollMs: Math.max(100, settings.get<number>('pollIntervalMs', 1000)),
        ...(config.principal && secret !== undefined ? { auth: { principal: config.principal, secret } } : {}),
        ...(ca ? { ca } : {}),
        ...(config.insecure ? { insecure: true } : {}),
        log,
      });
      channels.set(key, channel);
      channel.channel.show(true);
      channel.start();
      return channel;
    } catch (err) {
      log.warn(`cannot follow the logs of task ${target.taskId}`, err);
      void vscode.window.showErrorMessage(`Cannot follow the logs of task ${target.taskId}: ${(err as Error).message}`);
      return undefined;
    }
  }

  async function stop(arg?: unknown): Promise<void> {
    let keys: string[];
    if (isTarget(arg)) {
      const prefix = `${arg.clusterName}/${arg.frameworkId}/${arg.taskId}/`;
      keys = [...channels.keys()].filter((k) => k.startsWith(prefix));
    } else {
      const picks = [...channels.entries()].map(([key, c]) => ({ label: c.channel.name, description: c.done ? 'ended' : 'following', key }));
      if (picks.length === 0) {
        void vscode.window.showInformationMessage('No task logs are being followed.');
        return;
      }
      const chosen = picks.length === 1 ? picks : await vscode.window.showQuickPick(picks, { placeHolder: 'Stop following which logs?', canPickMany: true });
      keys = (chosen ?? []).map((p) => p.key);
    }
    for (const key of keys) {
      channels.get(key)?.dispose();
      channels.delete(key);
    }
  }

  const commands = [
    vscode.commands.registerCommand('mesos.followTaskLogs', follow),
    vscode.commands.registerCommand('mesos.stopFollowingTaskLogs', stop),
  ];
  return {
    followed: () => channels,
    dispose: () => {
      for (const c of commands) c.dispose();
      for (const c of channels.values()) c.dispose();
      channels.clear();
    },
  };
}
