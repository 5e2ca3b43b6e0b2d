// Whether a request could ever fit on one of the cluster's agents, judged from the agents' totals before
// it is sent, so that a launch that can only wait forever says so up front. No vscode: unit-tested.
import type { ScalarResources } from '../../core/cluster/scalarResources';
import type { TaskRequest } from '../../core/scheduler/taskRequest';

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Why no agent can hold the request ("asks for 8 cpus and 4096 MB mem; the largest agent has 4 cpus and
 * 16384 MB mem"), or undefined when one can (or when no agent is known: nothing can be said then).
 */
export function largerThanEveryAgent(
  request: Pick<TaskRequest, 'cpus' | 'mem' | 'disk'>,
  agents: readonly ScalarResources[],
): string | undefined {
  if (agents.length === 0) return undefined;
  const need = { cpus: request.cpus, mem: request.mem, disk: request.disk ?? 0 };
  const fits = (a: ScalarResources) => a.cpus >= need.cpus && a.mem >= need.mem && a.disk >= need.disk;
  if (agents.some(fits)) return undefined;
  const most = {
    cpus: Math.max(...agents.map((a) => a.cpus)),
    mem: Math.max(...agents.map((a) => a.mem)),
    disk: Math.max(...agents.map((a) => a.disk)),
  };
  const short = (['cpus', 'mem', 'disk'] as const).filter((k) => need[k] > most[k]);
  const unit = (k: 'cpus' | 'mem' | 'disk', n: number) => (k === 'cpus' ? `${round(n)} cpus` : `${round(n)} MB ${k}`);
  if (short.length > 0) {
    return `asks for ${short.map((k) => unit(k, need[k])).join(' and ')}; the most any agent has is ${short.map((k) => unit(k, most[k])).join(' and ')}`;
  }
  // each size fits somewhere, but never all of them on the same agent
  return `asks for ${unit('cpus', need.cpus)}, ${unit('mem', need.mem)} and ${unit('disk', need.disk)} together, which no single agent has`;
}
