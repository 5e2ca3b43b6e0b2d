import { scalarTotal } from '../core/mesos/resources/resourceMath';
import type { ClusterState } from '../core/mesos/operator/operatorClient';
import type { TaskState } from '../core/mesos/codec';

export interface TaskRow {
  readonly id: string;
  readonly name: string;
  readonly frameworkId: string;
  readonly frameworkName: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly state: TaskState;
  readonly cpus: number;
  readonly mem: number;
  readonly active: boolean;
}

export interface ClusterOverview {
  readonly source: 'v1' | 'legacy';
  readonly agents: { total: number; active: number };
  readonly frameworks: { active: number; inactive: number; completed: number };
  readonly tasks: readonly TaskRow[];
  readonly resources: Record<'cpus' | 'mem' | 'disk', { used: number; total: number }>;
}

/**
 * What `mesos-ops state` and `ps` print, from either the v1 GET_STATE or the legacy /master/state: the two
 * shapes differ (reference §6.2 vs §7.2), the numbers a person wants do not.
 */
export function clusterOverview(cluster: ClusterState): ClusterOverview {
  const resources = { cpus: { used: 0, total: 0 }, mem: { used: 0, total: 0 }, disk: { used: 0, total: 0 } };
  const tasks: TaskRow[] = [];
  if (cluster.source === 'v1') {
    const s = cluster.state;
    const agents = s.get_agents?.agents ?? [];
    const hostnames = new Map(agents.map((a) => [a.agent_info.id?.value ?? '', a.agent_info.hostname]));
    for (const a of agents) {
      for (const name of ['cpus', 'mem', 'disk'] as const) {
        resources[name].total += scalarTotal(a.total_resources ?? [], name);
        resources[name].used += scalarTotal(a.allocated_resources ?? [], name);
      }
    }
    const frameworks = s.get_frameworks?.frameworks ?? [];
    const names = new Map<string, string>();
    for (const f of [...frameworks, ...(s.get_frameworks?.completed_frameworks ?? [])]) names.set(f.framework_info.id?.value ?? '', f.framework_info.name);
    const t = s.get_tasks ?? {};
    const add = (list: typeof t.tasks, active: boolean) => {
      for (const task of list ?? []) {
        const fid = task.framework_id.value;
        const aid = task.agent_id.value;
        tasks.push({
          id: task.task_id.value,
          name: task.name,
          frameworkId: fid,
          frameworkName: names.get(fid) ?? fid,
          agentId: aid,
          hostname: hostnames.get(aid) ?? aid,
          state: task.state,
          cpus: scalarTotal(task.resources ?? [], 'cpus'),
          mem: scalarTotal(task.resources ?? [], 'mem'),
          active,
        });
      }
    };
    add(t.tasks, true);
    add(t.unreachable_tasks, true);
    add(t.completed_tasks, false);
    return {
      source: 'v1',
      agents: { total: agents.length, active: agents.filter((a) => a.active).length },
      frameworks: {
        active: frameworks.filter((f) => f.active).length,
        inactive: frameworks.filter((f) => !f.active).length,
        completed: (s.get_frameworks?.completed_frameworks ?? []).length,
      },
      tasks,
      resources,
    };
  }
  const s = cluster.state;
  const hostnames = new Map(s.slaves.map((a) => [a.id, a.hostname]));
  for (const a of s.slaves) {
    for (const name of ['cpus', 'mem', 'disk'] as const) {
      resources[name].total += Number(a.resources[name] ?? 0);
      resources[name].used += Number(a.used_resources[name] ?? 0);
    }
  }
  for (const f of [...s.frameworks, ...(s.completed_frameworks ?? [])]) {
    const rows = (list: typeof f.tasks, active: boolean) => {
      for (const task of list ?? []) {
        tasks.push({
          id: task.id,
          name: task.name,
          frameworkId: f.id,
          frameworkName: f.name,
          agentId: task.slave_id,
          hostname: hostnames.get(task.slave_id) ?? task.slave_id,
          state: task.state,
          cpus: Number(task.resources.cpus ?? 0),
          mem: Number(task.resources.mem ?? 0),
          active,
        });
      }
    };
    rows(f.tasks, true);
    rows(f.unreachable_tasks, true);
    rows(f.completed_tasks, false);
  }
  return {
    source: 'legacy',
    agents: { total: s.slaves.length, active: s.slaves.filter((a) => a.active).length },
    frameworks: {
      active: s.frameworks.filter((f) => f.active).length,
      inactive: s.frameworks.filter((f) => !f.active).length,
      completed: (s.completed_frameworks ?? []).length,
    },
    tasks,
    resources,
  };
}
