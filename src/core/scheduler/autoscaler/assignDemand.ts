import { labelMatches } from '../../jenkins/labelExpression';
import type { QueueDemandItem } from '../../jenkins/queueDemand';
import { parseAgentNodeName } from './agentNodeName';
import type { AgentTemplate } from './agentTemplate';
import type { AutoscaleStep } from './autoscaleStep';

/** One waiting build given to a template, with the label it needs as the decisions show it. */
export interface AssignedItem {
  readonly item: QueueDemandItem;
  readonly label: string;
}

const UNLABELED = '(none)';
const ACTIVE = new Set(['creating', 'launching', 'online', 'draining']);

/**
 * Gives each waiting build to the first template (in settings order) whose labels satisfy its label, as
 * mesos-plugin does (reference §6.3, §8.2), so no build is counted twice. Builds no template can serve are
 * reported as skips, grouped by label or reason. A build that waits "on" one of our agents by name counts
 * for that agent's template while the agent lives: its label then has exactly that one node.
 */
export function assignDemand(step: AutoscaleStep, items: readonly QueueDemandItem[]): Map<string, AssignedItem[]> {
  const { templates, agents } = step.state;
  const byTemplate = new Map<string, AssignedItem[]>();
  const unserved = new Map<
    string,
    { skip: 'no-template' | 'unknown-label' | 'node'; label?: string; items: number[] }
  >();
  const give = (template: AgentTemplate, item: QueueDemandItem, label: string) => {
    let list = byTemplate.get(template.name);
    if (!list) byTemplate.set(template.name, (list = []));
    list.push({ item, label });
  };
  const refuse = (
    skip: 'no-template' | 'unknown-label' | 'node',
    reason: string,
    item: QueueDemandItem,
    label?: string,
  ) => {
    let entry = unserved.get(reason);
    if (!entry) unserved.set(reason, (entry = { skip, ...(label !== undefined ? { label } : {}), items: [] }));
    entry.items.push(item.id);
  };

  for (const item of items) {
    const need = item.need;
    switch (need.kind) {
      case 'any': {
        const template = templates.find((t) => t.servesUnlabeled);
        if (template) give(template, item, UNLABELED);
        else
          refuse(
            'no-template',
            'builds without a label: no template serves them (set "servesUnlabeled" on one)',
            item,
            UNLABELED,
          );
        break;
      }
      case 'label': {
        if (need.expression.kind === 'atom' && parseAgentNodeName(need.name)) {
          refuse(
            'node',
            `waits for agent ‘${need.name}’, which is gone (a Pipeline resumed after a restart); it is not ` +
              'provisioned again and times out by itself',
            item,
            need.name,
          );
          break;
        }
        const template = templates.find((t) => labelMatches(need.expression, new Set(t.labels)));
        if (template) give(template, item, need.name);
        else {
          const hint = need.lax
            ? ' (the text is not a valid label expression, so Jenkins takes all of it as one label; use && between labels)'
            : '';
          refuse('no-template', `no template's labels satisfy ‘${need.name}’${hint}`, item, need.name);
        }
        break;
      }
      case 'node': {
        const agent = agents[need.node];
        const template =
          agent && ACTIVE.has(agent.phase) ? templates.find((t) => t.name === agent.template) : undefined;
        if (template) give(template, item, `(only node ${need.node})`);
        else if (parseAgentNodeName(need.node)) {
          refuse(
            'node',
            `waits for agent ‘${need.node}’ by name, which is not running (a resumed Pipeline's own agent); not provisioned`,
            item,
            need.node,
          );
        } else {
          refuse(
            'node',
            `waits for node ‘${need.node}’, which the autoscaler does not manage (its label has only that node, or the build is tied to it)`,
            item,
            need.node,
          );
        }
        break;
      }
      case 'unknown':
        refuse('unknown-label', `the label it needs is unknown: ${need.reason}`, item);
        break;
    }
  }
  for (const [reason, entry] of unserved) {
    step.skip(entry.skip, reason, { ...(entry.label !== undefined ? { label: entry.label } : {}), items: entry.items });
  }
  return byTemplate;
}
