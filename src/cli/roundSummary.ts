import type { AutoscaleDecision } from '../core/scheduler/autoscaler/autoscaleDecision';

/**
 * One sentence on what an autoscaler round decided, for `mesos-ops autoscale --once`. The round is counted
 * from its decisions rather than from a second poll, because in dry run a decision already reported is
 * not repeated, so a second round would say "nothing to do".
 */
export function roundSummary(decisions: readonly AutoscaleDecision[], agents: number): string {
  const dry = decisions.some((d) => d.dryRun);
  const of = (kind: AutoscaleDecision['kind']) => decisions.filter((d) => d.kind === kind);
  const parts: string[] = [];
  const launches = of('launch');
  if (launches.length > 0) {
    const templates = [...new Set(launches.map((d) => d.template).filter((t) => t !== undefined))];
    parts.push(
      `${dry ? 'would launch' : 'launched'} ${launches.length} agent(s)` +
        (templates.length > 0 ? ` of template ${templates.join(', ')}` : ''),
    );
  }
  const removes = of('remove').length;
  if (removes > 0) parts.push(`${dry ? 'would take' : 'took'} ${removes} idle agent(s) offline for removal`);
  const adopted = of('adopt').length;
  if (adopted > 0) parts.push(`took over ${adopted} agent(s) of an earlier run`);
  const orphans = of('orphan').length;
  if (orphans > 0) parts.push(`${dry ? 'would clean' : 'cleaned'} up ${orphans} orphan(s)`);
  const waiting = new Map<string, number>();
  for (const d of of('skip')) {
    if (d.skip === undefined || d.skip === 'build-running') continue;
    waiting.set(d.skip, (waiting.get(d.skip) ?? 0) + Math.max(1, d.items?.length ?? 0));
  }
  if (waiting.size > 0) {
    parts.push(`build(s) left waiting: ${[...waiting].map(([why, n]) => `${n} (${why})`).join(', ')}`);
  }
  const trouble = [...of('failure'), ...of('outage')];
  if (trouble.length > 0) parts.push(`${trouble.length} problem(s), the first: ${trouble[0]!.reason}`);
  if (parts.length === 0) parts.push(`nothing to do: no waiting build needs another agent (${agents} agent(s) known)`);
  const text = parts.join('; ');
  return `${dry ? 'Dry run: ' : ''}${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
