import type { PlacementConstraint } from './launchRequest';

/** An agent as the constraints see it: its hostname and its attributes as text. */
export interface AgentFacts {
  readonly hostname: string;
  readonly attributes: ReadonlyMap<string, string>;
}

export function attributeOf(agent: AgentFacts, name: string): string | undefined {
  return name === 'hostname' ? agent.hostname : agent.attributes.get(name);
}

/**
 * How many tasks of each group sit on each attribute value, so UNIQUE, CLUSTER, GROUP_BY and MAX_PER can
 * be judged against tasks already running and tasks placed earlier in the same pass.
 */
export class GroupPlacements {
  private readonly counts = new Map<string, Map<string, number>>();

  /** Every value an attribute takes across the agents known to the pass (for GROUP_BY's evenness). */
  constructor(private readonly valuesOf: (attribute: string) => ReadonlySet<string>) {}

  private key(group: string, attribute: string): string {
    return `${group}\u0000${attribute}`;
  }

  record(group: string, agent: AgentFacts, attributes: Iterable<string>): void {
    for (const name of attributes) {
      const value = attributeOf(agent, name);
      if (value === undefined) continue;
      const k = this.key(group, name);
      let perValue = this.counts.get(k);
      if (!perValue) this.counts.set(k, (perValue = new Map()));
      perValue.set(value, (perValue.get(value) ?? 0) + 1);
    }
  }

  /** Undefined when the agent satisfies the constraint for one more task of the group; otherwise why not. */
  violation(group: string, c: PlacementConstraint, agent: AgentFacts): string | undefined {
    const value = attributeOf(agent, c.attribute);
    const label = `${c.operator} ${c.attribute}${c.value === undefined ? '' : ` ${c.value}`}`;
    if (value === undefined) {
      return c.operator === 'UNLIKE' ? undefined : `${label}: agent has no attribute '${c.attribute}'`;
    }
    const perValue = this.counts.get(this.key(group, c.attribute));
    const here = perValue?.get(value) ?? 0;
    switch (c.operator) {
      case 'UNIQUE':
        return here === 0 ? undefined : `${label}: a task of group '${group}' is already on ${c.attribute} '${value}'`;
      case 'CLUSTER': {
        const wanted = c.value ?? (perValue && perValue.size > 0 ? [...perValue.keys()][0] : undefined);
        return wanted === undefined || wanted === value ? undefined : `${label}: agent has ${c.attribute} '${value}', needs '${wanted}'`;
      }
      case 'LIKE':
        return c.pattern!.test(value) ? undefined : `${label}: '${value}' does not match`;
      case 'UNLIKE':
        return c.pattern!.test(value) ? `${label}: '${value}' matches` : undefined;
      case 'MAX_PER':
        return here < c.count! ? undefined : `${label}: ${here} tasks of group '${group}' already on ${c.attribute} '${value}'`;
      case 'GROUP_BY': {
        const known = this.valuesOf(c.attribute);
        // a value not seen yet counts as holding zero tasks, so spreading waits for it when a count is given
        let least = c.count !== undefined && known.size < c.count ? 0 : Infinity;
        for (const v of known) least = Math.min(least, perValue?.get(v) ?? 0);
        return here <= least ? undefined : `${label}: ${c.attribute} '${value}' has ${here} tasks of group '${group}', another value has ${least}`;
      }
    }
  }
}
