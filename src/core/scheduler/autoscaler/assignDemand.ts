import type { QueueDemandItem, QueueNeed } from '../../jenkins/queueDemand';
import { parseAgentNodeName } from './agentNodeName';
import type { AutoscaleStep } from './autoscaleStep';
import { templateFor } from './templateFor';

/** One waiting build given to a template, with the label it needs as the decisions show it. */
export interface AssignedItem {
  readonly item: QueueDemandItem;
  readonly label: string;
}

const UNLABELED = '(none)';

interface Unserved {
  readonly skip: 'no-template' | 'unknown-label' | 'node';
  readonly reason: string;
  readonly label?: string;
}

/** The label a build served by a template shows in the decisions. */
function labelOf(need: Exclude<QueueNeed, { kind: 'unknown' }>): string {
  switch (need.kind) {
    case 'any':
      return UNLABELED;
    case 'label':
      return need.name;
    case 'node':
      return `(only node ${need.node})`;
  }
}

/** Why no template serves a build (templateFor found none). */
function unserved(need: QueueNeed): Unserved {
  switch (need.kind) {
    case 'any':
      return {
        skip: 'no-template',
        reason: 'builds without a label: no template serves them (set "servesUnlabeled" on one)',
        label: UNLABELED,
      };
    case 'label': {
      if (need.expression.kind === 'atom' && parseAgentNodeName(need.name)) {
        return {
          skip: 'node',
          reason:
            `waits for agent ‘${need.name}’, which is gone (a Pipeline resumed after a restart); it is not ` +
            'provisioned again and times out by itself',
          label: need.name,
        };
      }
      const hint = need.lax
        ? ' (the text is not a valid label expression, so Jenkins takes all of it as one label; use && between labels)'
        : '';
      return { skip: 'no-template', reason: `no template's labels satisfy ‘${need.name}’${hint}`, label: need.name };
    }
    case 'node':
      return {
        skip: 'node',
        reason: parseAgentNodeName(need.node)
          ? `waits for agent ‘${need.node}’ by name, which is not running (a resumed Pipeline's own agent); not provisioned`
          : `waits for node ‘${need.node}’, which the autoscaler does not manage (its label has only that node, or the build is tied to it)`,
        label: need.node,
      };
    case 'unknown':
      return { skip: 'unknown-label', reason: `the label it needs is unknown: ${need.reason}` };
  }
}

/**
 * Gives each waiting build to the template that serves it (templateFor: the first in settings order whose
 * labels satisfy its label, as mesos-plugin does), so no build is counted twice. Builds no template can
 * serve are reported as skips, grouped by reason. A build that waits "on" one of our agents by name counts
 * for that agent's template while the agent lives: its label then has exactly that one node.
 */
export function assignDemand(step: AutoscaleStep, items: readonly QueueDemandItem[]): Map<string, AssignedItem[]> {
  const byTemplate = new Map<string, AssignedItem[]>();
  const refused = new Map<string, { skip: Unserved['skip']; label?: string; items: number[] }>();
  for (const item of items) {
    const need = item.need;
    const template = templateFor(need, step.state);
    if (template && need.kind !== 'unknown') {
      let list = byTemplate.get(template.name);
      if (!list) byTemplate.set(template.name, (list = []));
      list.push({ item, label: labelOf(need) });
      continue;
    }
    const { skip, reason, label } = unserved(need);
    let entry = refused.get(reason);
    if (!entry) refused.set(reason, (entry = { skip, ...(label !== undefined ? { label } : {}), items: [] }));
    entry.items.push(item.id);
  }
  for (const [reason, entry] of refused) {
    step.skip(entry.skip, reason, { ...(entry.label !== undefined ? { label: entry.label } : {}), items: entry.items });
  }
  return byTemplate;
}
