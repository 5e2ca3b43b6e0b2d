import type { TaskState } from '../mesos/codec';
import type { AgentNode, AgentStatus, FrameworkNode, FrameworkStatus, OfferNode, TaskNode } from './clusterNodes';

/**
 * A list a view pages through: the children of one tree node. The same values name the lists that
 * changed in a ClusterChange, so a tree maps each to the node that shows it.
 *
 * - `frameworks`: every framework, or those with one status; ordered by name, then id.
 * - `agents`: every agent (gone ones too until the next snapshot), or those with one status; by hostname, then id.
 * - `offers`: outstanding offers; by hostname, then offer id.
 * - `frameworkTasks`: a framework's tasks in one state (a group), or all of them; by name, then id.
 * - `agentTasks`: every task the master lists on an agent, whatever its state; by name, then id.
 */
export type ClusterList = FrameworksList | AgentsList | OffersList | FrameworkTasksList | AgentTasksList;

export interface FrameworksList {
  readonly kind: 'frameworks';
  readonly status?: FrameworkStatus;
}

export interface AgentsList {
  readonly kind: 'agents';
  readonly status?: AgentStatus;
}

export interface OffersList {
  readonly kind: 'offers';
}

export interface FrameworkTasksList {
  readonly kind: 'frameworkTasks';
  readonly frameworkId: string;
  readonly state?: TaskState;
}

export interface AgentTasksList {
  readonly kind: 'agentTasks';
  readonly agentId: string;
}

export type NodeOfList<L extends ClusterList> = L extends FrameworksList
  ? FrameworkNode
  : L extends AgentsList
    ? AgentNode
    : L extends OffersList
      ? OfferNode
      : TaskNode;

/** A stable string for a list, e.g. `framework-tasks:<id>:TASK_RUNNING`. */
export function clusterListKey(list: ClusterList): string {
  switch (list.kind) {
    case 'frameworks':
      return list.status === undefined ? 'frameworks' : `frameworks:${list.status}`;
    case 'agents':
      return list.status === undefined ? 'agents' : `agents:${list.status}`;
    case 'offers':
      return 'offers';
    case 'frameworkTasks':
      return list.state === undefined
        ? `framework-tasks:${list.frameworkId}`
        : `framework-tasks:${list.frameworkId}:${list.state}`;
    case 'agentTasks':
      return `agent-tasks:${list.agentId}`;
  }
}

/** Pages are at most this long: VS Code slows down badly with thousands of sibling items. */
export const MAX_PAGE_SIZE = 500;

export interface PageRequest {
  /** Index of the first item (default 0). */
  readonly offset?: number;
  /** Items wanted (default and maximum MAX_PAGE_SIZE). */
  readonly limit?: number;
  /**
   * Case-insensitive substring, matched before paging against ids, names, hostnames and states
   * (a task also matches on its agent's hostname). Empty or blank means no filter.
   */
  readonly filter?: string;
}

export interface ClusterPage<N> {
  readonly items: readonly N[];
  /** Items in the whole (filtered) list. */
  readonly total: number;
  readonly offset: number;
  /** Offset of the next page, or undefined on the last page. */
  readonly nextOffset: number | undefined;
}
