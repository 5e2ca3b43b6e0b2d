import type { DecisionRow } from './protocol';

/** What the decisions list shows: null means any kind / any label. */
export interface DecisionFilter {
  readonly kind: string | null;
  readonly label: string | null;
}

export const NO_FILTER: DecisionFilter = { kind: null, label: null };

/** The decisions that pass the filter, newest first (they arrive oldest first). */
export function filterDecisions(
  decisions: readonly DecisionRow[],
  filter: DecisionFilter,
  limit = Infinity,
): DecisionRow[] {
  const out: DecisionRow[] = [];
  for (let i = decisions.length - 1; i >= 0 && out.length < limit; i--) {
    const d = decisions[i]!;
    if (filter.kind !== null && d.kind !== filter.kind) continue;
    if (filter.label !== null && d.label !== filter.label) continue;
    out.push(d);
  }
  return out;
}

/** The kinds present, sorted, for the kind filter's choices. */
export function decisionKinds(decisions: readonly DecisionRow[]): string[] {
  return [...new Set(decisions.map((d) => d.kind))].sort();
}

/** The labels present, sorted, for the label filter's choices. */
export function decisionLabels(decisions: readonly DecisionRow[]): string[] {
  const labels = new Set<string>();
  for (const d of decisions) if (d.label !== undefined) labels.add(d.label);
  return [...labels].sort();
}
