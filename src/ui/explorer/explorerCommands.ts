import * as vscode from 'vscode';
import { parseMasterUrl } from '../../core/mesos/leader/parseMasterUrl';
import type { Logger } from '../../core/log/logSink';
import { pickCluster } from '../clusters/pickCluster';
import type { Services } from '../services';
import type { ClusterTreeProvider } from './clusterTreeProvider';
import type { ExplorerNode, ExplorerViewKind } from './explorerNode';
import { mesosUiUrl, type MesosUiTarget } from './mesosUiUrl';
import type { ShowMoreTreeNode } from './showMoreTreeNode';

export interface ExplorerCommandsHost {
  readonly services: Services;
  readonly log: Logger;
  readonly providers: Readonly<Record<ExplorerViewKind, ClusterTreeProvider>>;
  readonly views: Readonly<Record<ExplorerViewKind, vscode.TreeView<ExplorerNode>>>;
  setFilter(view: ExplorerViewKind, value: string): void;
}

/** Ids of the commands the explorer registers, by what they do. */
export const EXPLORER_COMMANDS = {
  filter: { frameworks: 'mesos.filterFrameworks', offers: 'mesos.filterOffers', agents: 'mesos.filterAgents' },
  clearFilter: { frameworks: 'mesos.clearFrameworksFilter', offers: 'mesos.clearOffersFilter', agents: 'mesos.clearAgentsFilter' },
  copyId: 'mesos.copyId',
  openInMesosUi: 'mesos.openInMesosUi',
  revealAgent: 'mesos.revealAgent',
  showMore: 'mesos.showMore',
} as const;

const NOUNS: Record<ExplorerViewKind, string> = { frameworks: 'frameworks', offers: 'offers', agents: 'agents' };

/** Something that names an agent of a cluster: a task or offer node, an offer's agent row, or a plain object. */
interface AgentRef {
  readonly clusterName: string;
  readonly agentId: string;
}

function isAgentRef(value: unknown): value is AgentRef {
  const v = value as Partial<AgentRef> | undefined;
  return typeof v?.clusterName === 'string' && typeof v.agentId === 'string';
}

function isNode(value: unknown): value is ExplorerNode {
  const v = value as Partial<ExplorerNode> | undefined;
  return typeof v?.key === 'string' && typeof v.kind === 'string' && typeof v.treeItem === 'function';
}

/** Where in the Mesos UI a node lives. */
function uiTarget(node: ExplorerNode | undefined, executorOf: (frameworkId: string, taskId: string) => string): MesosUiTarget {
  switch (node?.kind) {
    case 'framework':
      return { kind: 'framework', frameworkId: node.frameworkId };
    case 'taskGroup':
      return { kind: 'framework', frameworkId: node.frameworkId };
    case 'frameworkGroup':
      return { kind: 'frameworks' };
    case 'task':
      return { kind: 'task', agentId: node.agentId, frameworkId: node.frameworkId, executorId: executorOf(node.frameworkId, node.taskId) };
    case 'agent':
    case 'agentTasks':
    case 'attributes':
      return { kind: 'agent', agentId: node.agentId };
    case 'offer':
      return { kind: 'offers' };
    case 'detail':
      return node.agentId ? { kind: 'agent', agentId: node.agentId } : { kind: 'cluster' };
    default:
      return { kind: 'cluster' };
  }
}

/**
 * The explorer's own commands: a filter per view and its reset, Copy Id, Open in Mesos UI, Reveal
 * Agent, and the "Show more" row. Each takes the clicked node (and the selection, for Copy Id); from the
 * palette, Open in Mesos UI asks for a cluster.
 */
export function registerExplorerCommands(host: ExplorerCommandsHost): vscode.Disposable {
  const { services, log, providers, views } = host;

  const command = (id: string, fn: (...args: unknown[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (err) {
        log.error(`${id} failed`, err);
        const choice = await vscode.window.showErrorMessage((err as Error).message, 'Show Log');
        if (choice === 'Show Log') services.logChannel.show(true);
        return undefined;
      }
    });

  /** The leading master's URL, or the first master of the setting while no leader is known. */
  const masterUrl = (cluster: string): string => {
    const handle = services.clusters.get(cluster);
    if (!handle) throw new Error(`There is no cluster "${cluster}" any more. Pick one from the Mesos views.`);
    const leader = handle.current?.leader;
    if (leader) return leader;
    const masters = parseMasterUrl(handle.config.masters);
    if (masters.kind === 'http' && masters.masters[0]) return masters.masters[0];
    throw new Error(`The leading master of "${cluster}" is not known yet (its masters are found through ZooKeeper). Open the Mesos views to connect, then try again.`);
  };

  const revealAgent = async (arg?: unknown): Promise<void> => {
    if (!isAgentRef(arg)) {
      void vscode.window.showInformationMessage('Reveal Agent works on a task or an offer: right-click one in the Mesos views.');
      return;
    }
    const found = await providers.agents.agentNode(arg.clusterName, arg.agentId);
    if ('reason' in found) {
      if (found.reason === 'filtered') {
        const clear = await vscode.window.showInformationMessage(`The agent is hidden by the Agents filter "${providers.agents.filter}".`, 'Clear Filter');
        if (clear === 'Clear Filter') {
          host.setFilter('agents', '');
          await revealAgent(arg);
        }
      } else if (found.reason === 'unknown') {
        void vscode.window.showInformationMessage(`Agent ${arg.agentId} is no longer known to the master of ${arg.clusterName}.`);
      } else {
        void vscode.window.showInformationMessage(`The state of ${arg.clusterName} is still loading; try again in a moment.`);
      }
      return;
    }
    await views.agents.reveal(found, { select: true, focus: true, expand: false });
  };

  const disposables: vscode.Disposable[] = [];
  for (const view of ['frameworks', 'offers', 'agents'] as const) {
    disposables.push(
      command(EXPLORER_COMMANDS.filter[view], async () => {
        const value = await vscode.window.showInputBox({
          title: `Filter ${NOUNS[view]}`,
          prompt: `Show only ${NOUNS[view]} whose name, id, state or host contains this text (empty: show all)`,
          placeHolder: view === 'agents' ? 'e.g. rack-2 or draining' : view === 'offers' ? 'e.g. a hostname' : 'e.g. jenkins',
          value: providers[view].filter,
        });
        if (value !== undefined) host.setFilter(view, value);
      }),
      command(EXPLORER_COMMANDS.clearFilter[view], () => host.setFilter(view, '')),
    );
  }

  disposables.push(
    command(EXPLORER_COMMANDS.copyId, async (node?: unknown, nodes?: unknown) => {
      const chosen = (Array.isArray(nodes) && nodes.length > 0 ? nodes : [node]).filter(isNode);
      const ids = chosen.map((n) => n.mesosId()).filter((id): id is string => id !== undefined);
      if (ids.length === 0) {
        void vscode.window.showInformationMessage('Copy Id works on a framework, task, agent or offer in the Mesos views.');
        return;
      }
      await vscode.env.clipboard.writeText(ids.join('\n'));
      vscode.window.setStatusBarMessage(ids.length === 1 ? `Copied ${ids[0]}` : `Copied ${ids.length} ids`, 3000);
    }),
    command(EXPLORER_COMMANDS.openInMesosUi, async (node?: unknown) => {
      const target = isNode(node) ? node : undefined;
      const cluster = await pickCluster(services.clusters, { arg: target, placeHolder: 'Open the Mesos UI of which cluster?' });
      if (!cluster) return;
      const model = services.clusters.get(cluster)?.current?.model;
      const url = mesosUiUrl(
        masterUrl(cluster),
        uiTarget(target, (frameworkId, taskId) => model?.task(frameworkId, taskId)?.task.executor_id?.value ?? taskId),
      );
      log.info(`opening ${url}`);
      await vscode.env.openExternal(vscode.Uri.parse(url));
    }),
    command(EXPLORER_COMMANDS.revealAgent, revealAgent),
    command(EXPLORER_COMMANDS.showMore, (node?: unknown) => {
      const more = node as ShowMoreTreeNode | undefined;
      if (more?.kind === 'showMore') providers[more.view].showMore(more);
    }),
  );
  return vscode.Disposable.from(...disposables);
}
