import type { AssignedItem } from './assignDemand';
import { aboutAgent, type AutoscaleStep } from './autoscaleStep';
import { formatDuration } from './launchBackoff';

/**
 * Takes agents offline that have been idle longer than their template allows (reference §4.6 safe
 * scale-down, step 2): no new build is given to them, and the lifecycle deletes the node and kills the task
 * once no build runs. An agent is kept while builds wait for its template: it is about to get one.
 */
export function removeIdleAgents(step: AutoscaleStep, demand: ReadonlyMap<string, readonly AssignedItem[]>): void {
  const { agents, jenkins, templates } = step.state;
  for (const name of Object.keys(agents).sort()) {
    const agent = agents[name]!;
    if (agent.phase !== 'online' || agent.idleSince === undefined) continue;
    const node = jenkins.nodes[name];
    if (!node || node.offline || !node.idle) continue;
    const template = templates.find((t) => t.name === agent.template);
    const allowedMs = template ? template.idleMinutes * 60_000 : 0;
    const idleMs = step.at - agent.idleSince;
    if (idleMs < allowedMs) continue;
    if ((demand.get(agent.template)?.length ?? 0) > 0) continue;
    step.act({
      kind: 'offline-node',
      name,
      message: `Idle for ${formatDuration(idleMs)}: removed by the Mesos Ops autoscaler`,
    });
    step.putAgent({ ...agent, phase: 'draining' });
    step.decide(
      'remove',
      template
        ? `idle for ${formatDuration(idleMs)} (template allows ${formatDuration(allowedMs)}): taken offline`
        : `its template "${agent.template}" is no longer configured: taken offline`,
      aboutAgent(agent),
    );
  }
}
