import type { InboundAgentRequest } from '../../jenkins/inboundAgentSpec';

/**
 * What the autoscaler asks its driver to do. Each is performed later, against Jenkins or the Mesos
 * scheduler; failures come back as inputs (`node-create-failed`, `launch-failed`, …).
 */
export type AutoscalerAction =
  /**
   * Create the inbound agent's node (JenkinsClient.createInboundAgent takes this action as its request):
   * its labels, executors, remote FS, mode (EXCLUSIVE unless the template serves unlabeled builds) and a
   * description carrying the owner marker that tells our nodes from others (agentNodeDescription).
   */
  | ({ readonly kind: 'create-node'; readonly template: string } & Required<InboundAgentRequest>)
  /** Read the node's secret and hand agentTaskRequest(template, name, …) to the scheduler. */
  | { readonly kind: 'launch-agent'; readonly name: string; readonly template: string }
  /** Mark the node temporarily offline (JenkinsClient.setOffline): no new builds go there; a running one goes on. */
  | { readonly kind: 'offline-node'; readonly name: string; readonly message: string }
  /** Delete the node (JenkinsClient.deleteNode); a node already gone counts as done. */
  | { readonly kind: 'delete-node'; readonly name: string }
  /** Kill the agent's Mesos task (task ids start with the node name); an unknown task counts as done. */
  | { readonly kind: 'kill-agent'; readonly name: string };
