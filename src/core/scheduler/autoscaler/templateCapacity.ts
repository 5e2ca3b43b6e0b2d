import type { AgentTemplate } from './agentTemplate';
import { isLiveAgent, isStartingAgent, type AutoscalerState } from './autoscalerState';

/**
 * What a template has for its waiting builds, by the no-delay rule (reference §3.4): idle executors of its
 * online agents, executors of its agents still starting (and the builds those were launched for), and room
 * for more agents. launchAgents acts on it; the queue panel shows each build's standing from it.
 */
export interface TemplateCapacity {
  readonly idleExecutors: number;
  readonly startingExecutors: number;
  /** Queue items its starting agents were launched for: they count as covered by those agents. */
  readonly claimed: ReadonlySet<number>;
  /** Agents its own maximum still allows; negative when it has more (the maximum was lowered). */
  readonly templateRoom: number;
  /** Agents the maximum of all templates together still allows; negative likewise. */
  readonly globalRoom: number;
}

export function templateCapacity(state: AutoscalerState, template: AgentTemplate): TemplateCapacity {
  const live = Object.values(state.agents).filter(isLiveAgent);
  const own = live.filter((a) => a.template === template.name);
  const starting = own.filter(isStartingAgent);
  let idleExecutors = 0;
  for (const a of own) {
    const node = state.jenkins.nodes[a.name];
    if (a.phase === 'online' && node && !node.offline) idleExecutors += node.idleExecutors;
  }
  return {
    idleExecutors,
    startingExecutors: starting.reduce((n, a) => n + a.executors, 0),
    claimed: new Set(starting.flatMap((a) => a.items)),
    templateRoom: template.maxAgents - own.length,
    globalRoom: state.options.maxAgents - live.length,
  };
}
