import { agentNodeDescription, agentNodeName } from './agentNodeName';
import type { AssignedItem } from './assignDemand';
import type { ManagedAgent } from './autoscalerState';
import type { AutoscaleStep } from './autoscaleStep';
import { templateCapacity } from './templateCapacity';

function labelsOf(items: readonly AssignedItem[]): string {
  return [...new Set(items.map((i) => i.label))].join(', ');
}

/**
 * The no-delay rule (reference §3.4): per template, demand = builds given to it; capacity = idle executors
 * of its online agents + executors of its agents still starting. Builds an agent was launched for count as
 * covered by it. The rest gets new agents, `executors` builds each, within the template's and the global
 * maximum, unless paused or backing off after failures. Each launch creates the node first (the agent's
 * secret exists only then, reference §7.8).
 */
export function launchAgents(step: AutoscaleStep, demand: ReadonlyMap<string, readonly AssignedItem[]>): void {
  const { options } = step.state;
  for (const template of step.state.templates) {
    const items = demand.get(template.name) ?? [];
    if (items.length === 0) continue;
    // from the state as the templates before this one left it: their new agents count against the maximum
    const { idleExecutors, startingExecutors, claimed, templateRoom, globalRoom } = templateCapacity(
      step.state,
      template,
    );
    const unclaimed = items.filter((i) => !claimed.has(i.item.id));
    const claimedHere = items.length - unclaimed.length;
    const free = Math.max(0, idleExecutors + startingExecutors - claimedHere);
    const uncovered = unclaimed.slice(free);
    if (uncovered.length === 0) continue;
    const wanted = Math.ceil(uncovered.length / template.executors);
    const ids = (list: readonly AssignedItem[]) => list.map((i) => i.item.id);
    const about = { template: template.name, label: labelsOf(uncovered), items: ids(uncovered) };
    if (step.state.paused) {
      step.skip('paused', `paused: ${uncovered.length} build(s) wait for ${template.name}`, about);
      continue;
    }
    const backoff = step.state.backoff[template.name];
    if (backoff && step.at < backoff.retryAt) {
      step.skip(
        'backoff',
        `${backoff.failures} failed launch(es) in a row: the next launch waits until ${new Date(backoff.retryAt).toISOString()}`,
        about,
      );
      continue;
    }
    const count = Math.min(wanted, Math.max(0, Math.min(templateRoom, globalRoom)));
    const attempt = (backoff?.failures ?? 0) + 1;
    for (let i = 0; i < count; i++) {
      const chunk = uncovered.slice(i * template.executors, (i + 1) * template.executors);
      const counter = step.state.counter + 1;
      const name = agentNodeName(template.name, options.instance, counter);
      const agent: ManagedAgent = {
        name,
        template: template.name,
        phase: 'creating',
        executors: template.executors,
        items: ids(chunk),
        attempt,
        launchedAt: step.at,
        connectDeadline: step.at + options.connectTimeoutMs,
      };
      step.state = { ...step.state, counter };
      step.putAgent(agent);
      step.act({
        kind: 'create-node',
        name,
        template: template.name,
        labels: template.labels,
        executors: template.executors,
        remoteFs: template.remoteFs,
        mode: template.servesUnlabeled ? 'NORMAL' : 'EXCLUSIVE',
        description: agentNodeDescription(options.owner, template.name),
        webSocket: template.webSocket,
      });
      step.decide(
        'launch',
        `${chunk.length} build(s) wait for ${labelsOf(chunk)}; ${template.name} has ${idleExecutors} idle and ` +
          `${startingExecutors} starting executor(s) for ${items.length} waiting build(s)` +
          (attempt > 1 ? `; retry after ${attempt - 1} failed launch(es)` : ''),
        {
          template: template.name,
          label: labelsOf(chunk),
          items: ids(chunk),
          agent: name,
          resources: { cpus: template.cpus, mem: template.mem, disk: template.disk },
          attempt,
        },
      );
    }
    if (count < wanted) {
      const rest = uncovered.slice(count * template.executors);
      step.skip(
        'limit',
        templateRoom <= globalRoom
          ? `${rest.length} build(s) wait, but ${template.name} has reached its maximum of ${template.maxAgents} agent(s)`
          : `${rest.length} build(s) wait, but all templates together have reached the maximum of ${options.maxAgents} agent(s)`,
        { ...about, label: labelsOf(rest), items: ids(rest) },
      );
    }
  }
}
