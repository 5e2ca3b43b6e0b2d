import { parseAgentNodeName } from './agentNodeName';
import type { AgentPhase, ManagedAgent } from './autoscalerState';
import type { AutoscaleStep } from './autoscaleStep';

/**
 * No orphans (reference §7.20, §8.6): compares our Jenkins nodes with our agents' Mesos tasks and with what
 * the state knows. A node with a live task that the state does not know (left by an earlier run) is taken
 * over; a node without a task is deleted; a task without a node is killed. Runs every round while both views
 * are fresh, so it also covers the time after a start or an outage; then it reports a summary. Paused, it
 * only takes agents over and says what it leaves alone.
 */
export function reconcileAgents(step: AutoscaleStep): void {
  const { jenkins, mesos, agents, retired, options } = step.state;
  const at = step.at;
  const recentlyRetired = (name: string) => retired[name] !== undefined && at - retired[name] < options.retiredGraceMs;
  const unknown = (name: string) => agents[name] === undefined && !recentlyRetired(name);
  let adopted = 0;
  const nodesWithoutTask: string[] = [];
  const tasksWithoutNode: string[] = [];

  for (const name of Object.keys(jenkins.nodes).sort()) {
    if (!unknown(name)) continue;
    const parts = parseAgentNodeName(name);
    if (!parts) continue;
    const node = jenkins.nodes[name]!;
    const task = mesos.tasks[name];
    if (task && task.state !== 'terminal') {
      const phase: AgentPhase = !node.offline ? 'online' : node.temporarilyOffline ? 'draining' : 'launching';
      const agent: ManagedAgent = {
        name,
        template: parts.template,
        phase,
        executors: Math.max(1, node.numExecutors),
        items: [],
        attempt: 1,
        launchedAt: at,
        connectDeadline: at + options.connectTimeoutMs,
        adopted: true,
        taskSeen: true,
        ...(phase === 'online' ? { connectedAt: at, ...(node.idle ? { idleSince: at } : {}) } : {}),
      };
      step.putAgent(agent);
      if (parts.instance === options.instance && parts.counter > step.state.counter) {
        step.state = { ...step.state, counter: parts.counter };
      }
      adopted++;
      step.decide('adopt', `node and live task left by an earlier run: taken over (${phase})`, {
        agent: name,
        template: parts.template,
      });
    } else {
      nodesWithoutTask.push(name);
    }
  }
  for (const name of Object.keys(mesos.tasks).sort()) {
    const task = mesos.tasks[name]!;
    if (task.state === 'terminal' || !unknown(name) || jenkins.nodes[name] !== undefined) continue;
    if (parseAgentNodeName(name)) tasksWithoutNode.push(name);
  }

  if (step.state.paused) {
    if (nodesWithoutTask.length + tasksWithoutNode.length > 0) {
      step.skip('paused', `paused: left alone until resumed: ${describe(nodesWithoutTask, tasksWithoutNode)}`);
    }
  } else {
    for (const name of nodesWithoutTask) orphan(step, name, 'node', 'a node of ours without a Mesos task: deleted');
    for (const name of tasksWithoutNode)
      orphan(step, name, 'task', 'a Mesos task of ours without a Jenkins node: killed');
  }
  const cause = step.state.reconcileCause;
  if (cause !== undefined) {
    const cleaned = step.state.paused ? 'found' : 'cleaned up';
    step.decide(
      'reconcile',
      `reconciled Jenkins nodes with Mesos tasks ${cause}: ${adopted} agent(s) taken over; ${cleaned} ` +
        describe(nodesWithoutTask, tasksWithoutNode),
    );
    step.state = { ...step.state, reconcileCause: undefined };
  }
}

function describe(nodes: readonly string[], tasks: readonly string[]): string {
  return `${nodes.length} node(s) without a task, ${tasks.length} task(s) without a node`;
}

function orphan(step: AutoscaleStep, name: string, what: 'node' | 'task', reason: string): void {
  const template = parseAgentNodeName(name)!.template;
  step.act(what === 'node' ? { kind: 'delete-node', name } : { kind: 'kill-agent', name });
  // tracked as a removal, so it is sent again if it does not happen and forgotten when it has
  step.putAgent({
    name,
    template,
    phase: 'removing',
    executors: 0,
    items: [],
    attempt: 1,
    launchedAt: step.at,
    connectDeadline: step.at,
    adopted: true,
    removalSentAt: step.at,
  });
  step.decide('orphan', reason, { agent: name, template });
}
