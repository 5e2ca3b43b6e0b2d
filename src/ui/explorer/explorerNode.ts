import type * as vscode from 'vscode';
import type { ClusterList, ClusterModel, NodeOfList } from '../../core/cluster';
import type { ExplorerClusterHandle, ExplorerSession } from './explorerClusters';
import type { ActionTreeNode } from './actionTreeNode';
import type { AgentTasksTreeNode } from './agentTasksTreeNode';
import type { AgentTreeNode } from './agentTreeNode';
import type { AttributesTreeNode } from './attributesTreeNode';
import type { ClusterTreeNode } from './clusterTreeNode';
import type { DetailTreeNode } from './detailTreeNode';
import type { FrameworkGroupTreeNode } from './frameworkGroupTreeNode';
import type { FrameworkTreeNode } from './frameworkTreeNode';
import type { MessageTreeNode } from './messageTreeNode';
import type { OfferTreeNode } from './offerTreeNode';
import type { ShowMoreTreeNode } from './showMoreTreeNode';
import type { TaskGroupTreeNode } from './taskGroupTreeNode';
import type { TaskTreeNode } from './taskTreeNode';

/** The three views of the Mesos container. */
export type ExplorerViewKind = 'frameworks' | 'offers' | 'agents';

export const EXPLORER_VIEW_IDS: Readonly<Record<ExplorerViewKind, string>> = {
  frameworks: 'mesos.frameworks',
  offers: 'mesos.offers',
  agents: 'mesos.agents',
};

/**
 * Every element of the explorer's trees, one class per kind (each in its own file). Commands receive
 * these: every node carries `clusterName` (undefined only for a settings problem), and the domain nodes
 * carry their Mesos ids (`frameworkId`, `taskId`, `agentId`, `offerId`) as plain strings.
 */
export type ExplorerNode =
  | ClusterTreeNode
  | FrameworkGroupTreeNode
  | FrameworkTreeNode
  | TaskGroupTreeNode
  | TaskTreeNode
  | AgentTreeNode
  | AgentTasksTreeNode
  | AttributesTreeNode
  | OfferTreeNode
  | DetailTreeNode
  | MessageTreeNode
  | ActionTreeNode
  | ShowMoreTreeNode;

/** What each node class implements. A node keeps ids, never model entries: it reads them when drawn. */
export interface TreeNodeBase {
  readonly key: string;
  readonly parent: ExplorerNode | undefined;
  readonly clusterName: string | undefined;
  treeItem(ctx: ExplorerContext): vscode.TreeItem;
  children(ctx: ExplorerContext): readonly ExplorerNode[];
  /** Built only when the user hovers (resolveTreeItem). */
  tooltip(ctx: ExplorerContext): vscode.MarkdownString | string | undefined;
  /** What "Copy Id" copies. */
  mesosId(): string | undefined;
}

export interface ListChildrenRequest<L extends ClusterList> {
  /** The node the list belongs to; undefined when the list sits at the view's root. */
  readonly owner: ExplorerNode | undefined;
  /** Where the page shown is remembered (the owner's key, or the cluster's key at the root). */
  readonly ownerKey: string;
  readonly clusterName: string;
  readonly model: ClusterModel;
  readonly list: L;
  readonly filter?: string;
  readonly make: (item: NodeOfList<L>) => ExplorerNode;
}

/** What nodes ask of the provider that draws them. */
export interface ExplorerContext {
  readonly view: ExplorerViewKind;
  /** Several clusters: each gets a cluster node at the root. */
  readonly multiCluster: boolean;
  /** The view's filter, trimmed; empty when none. */
  readonly filter: string;
  handle(cluster: string): ExplorerClusterHandle | undefined;
  session(cluster: string): ExplorerSession | undefined;
  /** Why the cluster's session could not start at all (e.g. an unreadable CA file). */
  startError(cluster: string): Error | undefined;
  /** The cluster's model once it holds a snapshot. */
  model(cluster: string): ClusterModel | undefined;
  /** The node cached under the key, or the one `create` makes (and caches). */
  cached<N extends ExplorerNode>(key: string, create: () => N): N;
  /** The page shown of a list, between "Show previous" and "Show more" rows when there are other pages. */
  listChildren<L extends ClusterList>(request: ListChildrenRequest<L>): { nodes: ExplorerNode[]; total: number };
  /** What a cluster shows: status nodes (connecting, error) and the view's content for it. */
  clusterContent(cluster: string, parent: ClusterTreeNode | undefined): ExplorerNode[];
  /** An informational leaf ("No outstanding offers"), cached under the key. */
  info(key: string, parent: ExplorerNode | undefined, cluster: string | undefined, label: string, description?: string): ExplorerNode;
  now(): number;
}
