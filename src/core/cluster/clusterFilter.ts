import type { AgentEntry, FrameworkEntry, OfferEntry, TaskEntry } from './clusterEntries';

export type ClusterEntry = FrameworkEntry | AgentEntry | OfferEntry | TaskEntry;

/**
 * A case-insensitive substring test for one query. A regular expression with the `i` flag searches
 * without building lowercased copies of 50,000 names; an agent's hostname is tested once per query,
 * not once per task on it.
 */
export function matcherFor(needle: string): (entry: ClusterEntry) => boolean {
  const pattern = new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const hostMatches = new Map<AgentEntry, boolean>();
  const hostOf = (agent: AgentEntry): boolean => {
    let result = hostMatches.get(agent);
    if (result === undefined) hostMatches.set(agent, (result = pattern.test(agent.hostname)));
    return result;
  };
  return (entry) => {
    switch (entry.kind) {
      case 'task':
        return (
          pattern.test(entry.id) ||
          (entry.name !== entry.id && pattern.test(entry.name)) ||
          pattern.test(entry.state) ||
          hostOf(entry.agent)
        );
      case 'agent':
        return pattern.test(entry.hostname) || pattern.test(entry.id) || pattern.test(entry.status);
      case 'framework':
        return pattern.test(entry.name) || pattern.test(entry.id) || pattern.test(entry.status);
      case 'offer':
        return pattern.test(entry.hostname) || pattern.test(entry.id) || pattern.test(entry.frameworkId);
    }
  };
}
