import * as vscode from 'vscode';
import type { ClusterHandle, ClusterLookup } from './clusterRegistry';

/** What pickCluster says and asks through: the window, or a scripted stand-in in extension-host tests. */
export interface ClusterPickUi {
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  pickOne<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Thenable<T | undefined>;
  runCommand(command: string): Thenable<unknown>;
}

export interface ClusterChoice {
  /** The command's argument: a cluster's name, or a tree node carrying `clusterName`. */
  readonly arg?: unknown;
  /** The question of the pick, e.g. "Which cluster to remove?". */
  readonly placeHolder: string;
  /**
   * The clusters offered when the argument names none (default: all). An argument naming a configured
   * cluster is taken as it is, so that the command can say why it cannot act on that one.
   */
  readonly offer?: (handle: ClusterHandle) => boolean;
  /** What to say when clusters are configured but none is offered: why, and what to do. */
  readonly noneOffered?: string;
  /** A pick item's description (default: the cluster's masters). */
  readonly describe?: (handle: ClusterHandle) => string;
}

const ADD_CLUSTER = 'Add Cluster…';

const windowPickUi: ClusterPickUi = {
  info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  pickOne: (items, options) => vscode.window.showQuickPick([...items], { ...options, canPickMany: false }),
  runCommand: (command) => vscode.commands.executeCommand(command),
};

/** The cluster name a command's argument carries, if any. */
export function clusterNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const fromNode = (arg as { clusterName?: unknown } | null | undefined)?.clusterName;
  return typeof fromNode === 'string' ? fromNode : undefined;
}

/**
 * The cluster a command acts on: the one its argument names, else the only one offered, else the one the
 * user picks. Undefined (after saying why, when nothing could be offered) when there is none or the pick
 * was cancelled.
 */
export async function pickCluster(
  clusters: ClusterLookup,
  choice: ClusterChoice,
  ui: ClusterPickUi = windowPickUi,
): Promise<string | undefined> {
  const named = clusterNameOf(choice.arg);
  if (named !== undefined && clusters.get(named)) return named;
  const all = clusters.clusters;
  if (all.length === 0) {
    void ui
      .info('No Mesos cluster is configured yet.', ADD_CLUSTER)
      .then((c) => c === ADD_CLUSTER && ui.runCommand('mesos.addCluster'));
    return undefined;
  }
  const offered = choice.offer ? all.filter(choice.offer) : all;
  if (offered.length === 0) {
    void ui.info(choice.noneOffered ?? 'No configured cluster can do this.');
    return undefined;
  }
  if (offered.length === 1) return offered[0]!.name;
  const describe = choice.describe ?? ((h: ClusterHandle) => h.config.masters);
  const picked = await ui.pickOne(
    offered.map((h) => ({ label: h.name, description: describe(h) })),
    { placeHolder: choice.placeHolder },
  );
  return picked?.label;
}
