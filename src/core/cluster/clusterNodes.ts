import type {
  AgentInfo,
  Attribute,
  MasterResponseGetAgentsAgent,
  MasterResponseGetFrameworksFramework,
  Offer,
  Task,
  TaskState,
} from '../mesos/codec';
import type { ScalarResources } from './scalarResources';

/**
 * What the cluster views show, one interface per kind of node. The model hands out its own entries
 * through these read-only interfaces (no copies are made for a page); each keeps a reference to the
 * decoded Mesos object it came from (`framework`, `agent`, `task`, `offer`) for details and commands.
 * An entry belongs to one state of the model: after a snapshot replace, look nodes up again by id.
 */

/** `completed`: torn down, or known only through its tasks. */
export type FrameworkStatus = 'active' | 'inactive' | 'completed';

/**
 * `inactive`: disconnected, deactivated by an operator, or known from the registry but not yet
 * reregistered; `draining`: DRAIN_AGENT in progress or done; `gone`: removed (AGENT_REMOVED) since the
 * last snapshot.
 */
export type AgentStatus = 'active' | 'inactive' | 'draining' | 'gone';

export const FRAMEWORK_STATUSES: readonly FrameworkStatus[] = ['active', 'inactive', 'completed'];
export const AGENT_STATUSES: readonly AgentStatus[] = ['active', 'inactive', 'draining', 'gone'];

export interface FrameworkNode {
  readonly kind: 'framework';
  readonly id: string;
  readonly name: string;
  readonly status: FrameworkStatus;
  /** As the master described it; undefined for a framework known only through its tasks. */
  readonly framework: MasterResponseGetFrameworksFramework | undefined;
  /** Resources of its tasks that are not terminal. */
  readonly used: ScalarResources;
  readonly taskCount: number;
}

export interface AgentNode {
  readonly kind: 'agent';
  readonly id: string;
  readonly hostname: string;
  readonly status: AgentStatus;
  /** As the master described it; for an agent that is only recovered, the AgentInfo from the registry. */
  readonly agent: MasterResponseGetAgentsAgent | undefined;
  readonly info: AgentInfo;
  readonly attributes: readonly Attribute[];
  readonly total: ScalarResources;
  readonly used: ScalarResources;
  /** Resources in outstanding offers (see ClusterModel.setOffers). */
  readonly offered: ScalarResources;
  readonly taskCount: number;
}

export interface TaskNode {
  readonly kind: 'task';
  readonly id: string;
  readonly name: string;
  readonly frameworkId: string;
  readonly agentId: string;
  /** The latest state the master knows (TASK_UPDATED's `state`, which may be newer than the last status). */
  readonly state: TaskState;
  readonly task: Task;
}

export interface OfferNode {
  readonly kind: 'offer';
  readonly id: string;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly resources: ScalarResources;
  readonly offer: Offer;
}

export type ClusterNode = FrameworkNode | AgentNode | TaskNode | OfferNode;

/** The key of a task in change batches: task ids are unique within a framework only. */
export function taskKey(frameworkId: string, taskId: string): string {
  return `${frameworkId}/${taskId}`;
}
