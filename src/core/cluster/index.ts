// The cluster model the views read: import from here, not from the files behind it.
export {
  ClusterModel,
  type ClusterLoadResult,
  type ClusterModelOptions,
  type ClusterStateFormat,
  type ClusterTotals,
  type SnapshotOptions,
  type Subscription,
  type TaskGroupCount,
} from './clusterModel';
export { mergeClusterChanges, type ClusterChange } from './clusterChange';
export type { EventRecording } from './eventRecording';
export {
  ClusterChangeCoalescer,
  systemCoalescerClock,
  type CoalescerClock,
  type CoalescerOptions,
} from './clusterChangeCoalescer';
export {
  clusterListKey,
  MAX_PAGE_SIZE,
  type AgentsList,
  type AgentTasksList,
  type ClusterList,
  type FrameworksList,
  type FrameworkTasksList,
  type OffersList,
  type ClusterPage,
  type NodeOfList,
  type PageRequest,
} from './clusterList';
export {
  AGENT_STATUSES,
  FRAMEWORK_STATUSES,
  taskKey,
  type AgentNode,
  type AgentStatus,
  type ClusterNode,
  type FrameworkNode,
  type FrameworkStatus,
  type OfferNode,
  type TaskNode,
} from './clusterNodes';
export { ClusterStateError, type ClusterStateErrorKind } from './clusterStateError';
export {
  agentFromLegacy,
  frameworkFromLegacy,
  offerFromLegacy,
  resourcesFromSummary,
  taskFromLegacy,
  type LegacyAgentInput,
  type LegacyFrameworkInput,
  type LegacyMasterStateInput,
  type LegacyOfferInput,
  type LegacyTaskInput,
} from './legacyStateAdapter';
export type { ScalarResources } from './scalarResources';
export type { SliceStats } from './runInSlices';
export { isTerminalTaskState, TASK_STATE_ORDER } from './taskStates';
