import { clusterListKey, type ClusterList } from './clusterList';

/**
 * What one applied event, offer list or snapshot changed, precisely enough that a tree refreshes only
 * those nodes. Ids are those of the nodes whose own rendering changed (label, state, counts, resources),
 * including nodes that appeared or disappeared; `lists` are the lists whose membership or order changed.
 */
export interface ClusterChange {
  /** Everything may have changed (the first snapshot): refresh every view from its root. */
  readonly full: boolean;
  readonly frameworks: ReadonlySet<string>;
  readonly agents: ReadonlySet<string>;
  /** Keys made by taskKey(frameworkId, taskId). */
  readonly tasks: ReadonlySet<string>;
  /** Offers that appeared or disappeared. */
  readonly offers: ReadonlySet<string>;
  /** By clusterListKey. */
  readonly lists: ReadonlyMap<string, ClusterList>;
  /** The cluster totals (resources, counts) changed. */
  readonly totals: boolean;
  /** The model's last-updated time after this change (ms since the epoch, from the model's clock). */
  readonly at: number;
}

/** Collects one change while the model applies something. */
export class ClusterChangeBuilder {
  full = false;
  readonly frameworks = new Set<string>();
  readonly agents = new Set<string>();
  readonly tasks = new Set<string>();
  readonly offers = new Set<string>();
  readonly lists = new Map<string, ClusterList>();
  totals = false;

  list(list: ClusterList): void {
    this.lists.set(clusterListKey(list), list);
  }

  get isEmpty(): boolean {
    return (
      !this.full &&
      !this.totals &&
      this.frameworks.size === 0 &&
      this.agents.size === 0 &&
      this.tasks.size === 0 &&
      this.offers.size === 0 &&
      this.lists.size === 0
    );
  }

  build(at: number): ClusterChange {
    return {
      full: this.full,
      frameworks: this.frameworks,
      agents: this.agents,
      tasks: this.tasks,
      offers: this.offers,
      lists: this.lists,
      totals: this.totals,
      at,
    };
  }
}

/** One change that says everything both say: what a debounced view refreshes after several. */
export function mergeClusterChanges(a: ClusterChange, b: ClusterChange): ClusterChange {
  const union = <T>(x: ReadonlySet<T>, y: ReadonlySet<T>): ReadonlySet<T> =>
    x.size === 0 ? y : y.size === 0 ? x : new Set([...x, ...y]);
  return {
    full: a.full || b.full,
    frameworks: union(a.frameworks, b.frameworks),
    agents: union(a.agents, b.agents),
    tasks: union(a.tasks, b.tasks),
    offers: union(a.offers, b.offers),
    lists: a.lists.size === 0 ? b.lists : b.lists.size === 0 ? a.lists : new Map([...a.lists, ...b.lists]),
    totals: a.totals || b.totals,
    at: Math.max(a.at, b.at),
  };
}
