import { labelMatches } from '../../jenkins/labelExpression';
import type { QueueNeed } from '../../jenkins/queueDemand';
import { parseAgentNodeName } from './agentNodeName';
import type { AgentTemplate } from './agentTemplate';
import { isLiveAgent, type AutoscalerState } from './autoscalerState';

/**
 * The template that serves a waiting build, as mesos-plugin chooses (reference §6.3, §8.2): the first
 * template in settings order whose labels satisfy the build's label (or, for a build without one, that
 * serves unlabeled builds); for a build tied to one of our live agents by name, that agent's template.
 * A label that is the name of one of our agents is served by none: that agent is gone (a Pipeline resumed
 * after a restart) and is never provisioned again. undefined when no template serves the build.
 */
export function templateFor(
  need: QueueNeed,
  state: Pick<AutoscalerState, 'templates' | 'agents'>,
): AgentTemplate | undefined {
  switch (need.kind) {
    case 'any':
      return state.templates.find((t) => t.servesUnlabeled);
    case 'label':
      if (need.expression.kind === 'atom' && parseAgentNodeName(need.name)) return undefined;
      return state.templates.find((t) => labelMatches(need.expression, new Set(t.labels)));
    case 'node': {
      const agent = state.agents[need.node];
      return agent && isLiveAgent(agent) ? state.templates.find((t) => t.name === agent.template) : undefined;
    }
    case 'unknown':
      return undefined;
  }
}
