import * as vscode from 'vscode';
import { LaunchRequestError } from '../../core/scheduler/launchRequestError';
import { validateLaunchRequest } from '../../core/scheduler/placementConstraint';
import { parseTaskDefinition, taskNameOfFile } from '../../core/scheduler/taskDefinition';
import { formatTaskDefinitionProblem } from '../../core/scheduler/taskDefinitionProblem';
import type { TaskRequest } from '../../core/scheduler/taskRequest';
import { pickCluster } from '../clusters/pickCluster';
import { killTargets, pickKillTargets, type KillOutcome, type KillTarget } from './killTasks';
import { runLaunchWizard } from './launchWizard';
import { launchOnCluster, refuseReadOnly, SHOW_LOG, type LaunchOutcome } from './launchTasks';
import type { TaskCommandsDeps } from './taskCommandsDeps';

export const TASK_COMMANDS = {
  launchTask: 'mesos.launchTask',
  launchTaskFromFile: 'mesos.launchTaskFromFile',
  killTask: 'mesos.killTask',
} as const;

export const TASK_DEFINITION_SUFFIX = '.mesos-task.json';
const PROBLEMS_SHOWN = 5;

/**
 * The command handlers. Each takes optional arguments so that menus, other commands and tests skip the
 * questions they answer:
 * - launchTask(): the wizard · launchTask(node): the wizard for the node's cluster · launchTask({ cluster?,
 *   request } | { cluster?, requests }): no wizard · launchTask(uri): as launchTaskFromFile
 * - launchTaskFromFile(uri?, uris?): the file's current text (unsaved edits included); without a uri, the
 *   active editor's *.mesos-task.json, else an open dialog
 * - killTask(node?, nodes?): tree task nodes (the selection, for multi-select) · killTask({ cluster,
 *   taskIds, frameworkId? }) · killTask(): a picker of this editor's scheduler tasks
 */
export interface TaskCommands {
  launchTask(arg?: unknown): Promise<LaunchOutcome | undefined>;
  launchTaskFromFile(arg?: unknown, args?: unknown): Promise<LaunchOutcome | undefined>;
  killTask(node?: unknown, nodes?: unknown): Promise<KillOutcome | undefined>;
}

interface TaskNodeLike {
  readonly clusterName: string;
  readonly frameworkId: string;
  readonly taskId: string;
}

function isTaskNode(value: unknown): value is TaskNodeLike {
  const v = value as Partial<TaskNodeLike & { kind: unknown }> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    (v.kind === undefined || v.kind === 'task') &&
    typeof v.clusterName === 'string' &&
    typeof v.frameworkId === 'string' &&
    typeof v.taskId === 'string'
  );
}

interface KillArgs {
  readonly cluster: string;
  readonly taskIds: readonly string[];
  readonly frameworkId?: string;
}

function isKillArgs(value: unknown): value is KillArgs {
  const v = value as Partial<KillArgs> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.cluster === 'string' &&
    Array.isArray(v.taskIds) &&
    v.taskIds.every((id) => typeof id === 'string') &&
    (v.frameworkId === undefined || typeof v.frameworkId === 'string')
  );
}

interface LaunchArgs {
  readonly cluster?: string;
  readonly request?: TaskRequest;
  readonly requests?: readonly TaskRequest[];
}

function isLaunchArgs(value: unknown): value is LaunchArgs {
  const v = value as Partial<LaunchArgs> | undefined;
  if (typeof v !== 'object' || v === null || (v.cluster !== undefined && typeof v.cluster !== 'string')) return false;
  return (typeof v.request === 'object' && v.request !== null) || (Array.isArray(v.requests) && v.requests.length > 0);
}

function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.toString();
}

export function createTaskCommands(deps: TaskCommandsDeps): TaskCommands {
  const { ui, log } = deps;

  /** The cluster to launch on: the only writable one, or the one picked. */
  const pickLaunchCluster = (): Promise<string | undefined> =>
    pickCluster(
      deps.clusters,
      {
        placeHolder: 'Launch tasks on which cluster?',
        offer: (c) => !c.config.readOnly,
        noneOffered:
          'Every configured cluster is read-only, so launching tasks is not offered. Set "readOnly": false for one in mesos.clusters.',
        describe: (c) => (c.config.protected ? 'protected: asks before changes' : c.config.masters),
      },
      {
        info: (message, ...actions) => ui.info(message, ...actions),
        pickOne: (items, options) => ui.pickOne(items, options),
        runCommand: (command) => deps.runCommand(command),
      },
    );

  async function definitionText(uri: vscode.Uri): Promise<string> {
    // the text as the editor has it, so that unsaved edits are what launches
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  }

  async function launchFile(uri: vscode.Uri): Promise<LaunchOutcome | undefined> {
    const name = fileName(uri);
    let text: string;
    try {
      text = await definitionText(uri);
    } catch (err) {
      const message = `Cannot read ${name}: ${(err as Error).message}`;
      void ui.error(message);
      return { status: 'invalid', results: [], message, problems: [{ path: '', message }] };
    }
    const defaultName = taskNameOfFile(uri.path);
    const definition = parseTaskDefinition(text, defaultName ? { defaultName } : {});
    if (definition.problems.length > 0) {
      const lines = definition.problems.map(formatTaskDefinitionProblem);
      log.warn(`${uri.toString()} has ${lines.length} problem(s); nothing was launched:\n  ${lines.join('\n  ')}`);
      const more = lines.length > PROBLEMS_SHOWN ? `; and ${lines.length - PROBLEMS_SHOWN} more (see the log)` : '';
      const message = `${name} has ${lines.length === 1 ? 'a problem' : `${lines.length} problems`}, so nothing was launched: ${lines.slice(0, PROBLEMS_SHOWN).join('; ')}${more}.`;
      void ui.error(message, 'Open File', SHOW_LOG).then((c) => {
        if (c === 'Open File') void vscode.window.showTextDocument(uri);
        else if (c === SHOW_LOG) deps.showLog();
      });
      return { status: 'invalid', results: [], message, problems: definition.problems };
    }
    let cluster = definition.cluster;
    if (cluster !== undefined && !deps.clusters.get(cluster)) {
      const names = deps.clusters.clusters.map((c) => `"${c.name}"`).join(', ') || 'none';
      const message = `${name} names the cluster "${cluster}", which is not in mesos.clusters (configured: ${names}); nothing was launched. Fix "cluster" in the file, or leave it out to be asked.`;
      void ui.error(message);
      return { status: 'no-cluster', cluster, results: [], message };
    }
    cluster ??= await pickLaunchCluster();
    if (cluster === undefined) return { status: 'no-cluster', results: [], message: 'no cluster chosen' };
    return launchOnCluster(deps, cluster, definition.requests);
  }

  async function openDefinitionFile(): Promise<vscode.Uri | undefined> {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Launch',
      title: 'Launch tasks from a definition file',
      filters: { 'Mesos task definitions': ['json'] },
    });
    return picked?.[0];
  }

  const commands: TaskCommands = {
    async launchTask(arg) {
      if (arg instanceof vscode.Uri) return commands.launchTaskFromFile(arg);
      if (isLaunchArgs(arg)) {
        const requests = arg.requests ? [...arg.requests] : [arg.request!];
        try {
          for (const r of requests) validateLaunchRequest(r);
        } catch (err) {
          if (!(err instanceof LaunchRequestError)) throw err;
          void ui.error(err.message);
          return {
            status: 'invalid',
            results: [],
            message: err.message,
            problems: [{ path: '', message: err.message }],
          };
        }
        const cluster = arg.cluster ?? (await pickLaunchCluster());
        if (cluster === undefined) return { status: 'no-cluster', results: [], message: 'no cluster chosen' };
        return launchOnCluster(deps, cluster, requests);
      }
      // from a tree node (a cluster's context menu): launch on that cluster, without asking which
      const nodeCluster =
        typeof (arg as { clusterName?: unknown } | undefined)?.clusterName === 'string'
          ? (arg as { clusterName: string }).clusterName
          : undefined;
      const nodeHandle = nodeCluster !== undefined ? deps.clusters.get(nodeCluster) : undefined;
      if (nodeHandle?.config.readOnly) {
        return {
          status: 'refused',
          cluster: nodeHandle.name,
          results: [],
          message: refuseReadOnly(deps, nodeHandle.name, 'nothing is launched there'),
        };
      }
      const clusters = nodeHandle ? [nodeHandle] : deps.clusters.clusters.filter((c) => !c.config.readOnly);
      if (clusters.length === 0) {
        await pickLaunchCluster(); // says why there is nothing to launch on
        return undefined;
      }
      const outcome = await runLaunchWizard({
        clusters: clusters.map((c) => ({
          name: c.name,
          ...(c.config.protected ? { description: 'protected: asks before changes' } : {}),
        })),
      });
      if (!outcome) return undefined;
      if (outcome.kind === 'fromFile') {
        const uri = await openDefinitionFile();
        return uri ? launchFile(uri) : undefined;
      }
      return launchOnCluster(deps, outcome.cluster, outcome.requests);
    },

    async launchTaskFromFile(arg, args) {
      const uris =
        Array.isArray(args) && args.length > 0 && args.every((a) => a instanceof vscode.Uri)
          ? (args as vscode.Uri[])
          : arg instanceof vscode.Uri
            ? [arg]
            : [];
      if (uris.length === 0) {
        const active = vscode.window.activeTextEditor?.document.uri;
        if (active && active.path.toLowerCase().endsWith(TASK_DEFINITION_SUFFIX)) uris.push(active);
        else {
          const picked = await openDefinitionFile();
          if (!picked) return undefined;
          uris.push(picked);
        }
      }
      let last: LaunchOutcome | undefined;
      for (const uri of uris) last = await launchFile(uri);
      return last;
    },

    async killTask(node, nodes) {
      let targets: KillTarget[] | undefined;
      const selection = Array.isArray(nodes) && nodes.length > 0 ? nodes : [node];
      const taskNodes = selection.filter(isTaskNode);
      if (taskNodes.length > 0) {
        targets = taskNodes.map((n) => {
          const name = deps.clusters.get(n.clusterName)?.current?.model.task(n.frameworkId, n.taskId)?.name;
          return { cluster: n.clusterName, taskId: n.taskId, frameworkId: n.frameworkId, ...(name ? { name } : {}) };
        });
      } else if (isKillArgs(node)) {
        targets = node.taskIds.map((taskId) => ({
          cluster: node.cluster,
          taskId,
          ...(node.frameworkId !== undefined ? { frameworkId: node.frameworkId } : {}),
        }));
      } else {
        targets = await pickKillTargets(deps);
      }
      if (!targets || targets.length === 0) return undefined;
      return killTargets(deps, targets);
    },
  };
  return commands;
}
