import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { scalarTotal } from '../../../core/mesos/resources/resourceMath';
import { agentRuns, isTerminalState, runResources } from './agentRuns';
import type { AgentServerInfo } from './agentServerInfo';
import type { SandboxAgent } from './sandboxAgent';

const GAUGE_STATES = {
  tasks_staging: 'TASK_STAGING',
  tasks_starting: 'TASK_STARTING',
  tasks_running: 'TASK_RUNNING',
  tasks_killing: 'TASK_KILLING',
} as const;

const COUNTER_STATES = {
  tasks_finished: 'TASK_FINISHED',
  tasks_failed: 'TASK_FAILED',
  tasks_killed: 'TASK_KILLED',
  tasks_lost: 'TASK_LOST',
  tasks_gone: 'TASK_GONE',
} as const;

/** The agent's `/metrics/snapshot` (reference §7.7): `slave/*` keys and the host's `system/*` keys. */
export function agentMetrics(agent: SandboxAgent, info: AgentServerInfo, nowSeconds: number): Record<string, number> {
  const out: Record<string, number> = {
    'slave/registered': 1,
    'slave/uptime_secs': Math.max(0, nowSeconds - info.startTime),
  };
  const runs = agentRuns(agent);
  const used = runs.frameworks.flatMap((f) => f.current.flatMap(runResources));
  for (const name of ['cpus', 'mem', 'disk', 'gpus']) {
    const total = scalarTotal(info.resources, name);
    const inUse = scalarTotal(used, name);
    out[`slave/${name}_total`] = total;
    out[`slave/${name}_used`] = inUse;
    out[`slave/${name}_percent`] = total > 0 ? inUse / total : 0;
  }
  const tasks = [...agent.tasks.values()];
  for (const [key, state] of Object.entries(GAUGE_STATES))
    out[`slave/${key}`] = tasks.filter((t) => t.state === state).length;
  const ended = [...agent.completed, ...tasks];
  for (const [key, state] of Object.entries(COUNTER_STATES))
    out[`slave/${key}`] = ended.filter((t) => t.state === state).length;
  const live = tasks.filter((t) => !isTerminalState(t.state));
  out['slave/executors_running'] = live.filter((t) => t.state !== 'TASK_STAGING').length;
  out['slave/executors_registering'] = live.filter((t) => t.state === 'TASK_STAGING').length;
  out['slave/executors_terminating'] = 0;
  out['slave/executors_terminated'] = ended.length - live.length;
  out['slave/frameworks_active'] = runs.frameworks.length;
  const [load1 = 0, load5 = 0, load15 = 0] = loadavg();
  out['system/cpus_total'] = cpus().length;
  out['system/load_1min'] = load1;
  out['system/load_5min'] = load5;
  out['system/load_15min'] = load15;
  out['system/mem_total_bytes'] = totalmem();
  out['system/mem_free_bytes'] = freemem();
  return out;
}
