import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { Resource, TaskState } from '../../../core/mesos/codec';
import { scalarTotal } from '../../../core/mesos/resources/resourceMath';
import { isLeader, type MasterContext } from './masterContext';
import { unreachableAgentIds, usedResources } from './masterUsage';

const SCALARS = ['cpus', 'gpus', 'mem', 'disk'] as const;
const GAUGE_STATES: readonly TaskState[] = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING'];
// Terminal states are counted as they happen (SandboxMaster.counters), since finished tasks are forgotten.
const COUNTED_STATES = [
  'finished',
  'failed',
  'killed',
  'lost',
  'error',
  'dropped',
  'gone',
  'gone_by_operator',
] as const;

const isRevocable = (r: Resource) => r.revocable !== undefined;

/**
 * The master's part of /metrics/snapshot and GET_METRICS (reference §7.7), computed from the model at the
 * moment of the request: `master/elected` is 1 only on the leader, task gauges count current tasks, task
 * counters are cumulative, plus the host's `system/*` figures.
 */
export function masterMetrics(ctx: MasterContext): Record<string, number> {
  const { master } = ctx;
  const metrics: Record<string, number> = {};
  const agents = [...master.agents.values()];
  const frameworks = [...master.frameworks.values()];

  metrics['master/elected'] = isLeader(ctx) ? 1 : 0;
  metrics['master/uptime_secs'] = Math.max(0, master.now() / 1000 - master.startTime);

  const total = agents.flatMap((a) => a.info.resources);
  const used = usedResources(master, () => true);
  for (const [suffix, include] of [
    ['', (r: Resource) => !isRevocable(r)],
    ['_revocable', isRevocable],
  ] as const) {
    for (const name of SCALARS) {
      const t = scalarTotal(total.filter(include), name);
      const u = scalarTotal(used.filter(include), name);
      metrics[`master/${name}${suffix}_total`] = t;
      metrics[`master/${name}${suffix}_used`] = u;
      metrics[`master/${name}${suffix}_percent`] = t > 0 ? u / t : 0;
    }
  }

  const activeAgents = agents.filter((a) => a.active).length;
  metrics['master/slaves_active'] = activeAgents;
  metrics['master/slaves_inactive'] = agents.length - activeAgents;
  metrics['master/slaves_connected'] = agents.length;
  metrics['master/slaves_disconnected'] = 0;
  metrics['master/slaves_unreachable'] = unreachableAgentIds(master).size;

  const active = frameworks.filter((f) => f.active).length;
  const connected = frameworks.filter((f) => f.connected).length;
  metrics['master/frameworks_active'] = active;
  metrics['master/frameworks_inactive'] = frameworks.length - active;
  metrics['master/frameworks_connected'] = connected;
  metrics['master/frameworks_disconnected'] = frameworks.length - connected;

  const tasks = [...master.tasks.values()];
  for (const state of GAUGE_STATES) {
    metrics[`master/${state.toLowerCase().replace('task_', 'tasks_')}`] = tasks.filter(
      (t) => t.task.state === state,
    ).length;
  }
  metrics['master/tasks_unreachable'] = master.unreachableTasks.size;
  for (const state of COUNTED_STATES) metrics[`master/tasks_${state}`] = master.counters[`tasks_${state}`] ?? 0;

  metrics['master/outstanding_offers'] = master.offers.size;
  metrics['master/operator_event_stream_subscribers'] = ctx.operatorStreams.size;
  // Everything is handled synchronously on arrival: nothing ever waits in a queue.
  metrics['master/event_queue_messages'] = 0;
  metrics['master/event_queue_dispatches'] = 0;
  metrics['master/event_queue_http_requests'] = 0;

  const [load1, load5, load15] = loadavg();
  metrics['system/cpus_total'] = cpus().length;
  metrics['system/load_1min'] = load1 ?? 0;
  metrics['system/load_5min'] = load5 ?? 0;
  metrics['system/load_15min'] = load15 ?? 0;
  metrics['system/mem_total_bytes'] = totalmem();
  metrics['system/mem_free_bytes'] = freemem();
  return metrics;
}
