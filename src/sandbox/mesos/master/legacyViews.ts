import type { Attribute, Resource, TaskState, TaskStatus } from '../../../core/mesos/codec';
import { resourceRole, resourceSummary, scalarTotal } from '../../../core/mesos/resources/resourceMath';
import { isLeader, type MasterContext } from './masterContext';
import { masterFlags } from './masterFlags';
import type { AgentRecord, FrameworkRecord, OfferRecord, TaskRecord } from './masterRecords';
import { offeredResources, unreachableAgentIds, usedResources, withLegacyRole } from './masterUsage';
import { masterInfoView, versionInfo } from './operatorViews';
import { frameworkRoles, type SandboxMaster } from './sandboxMaster';

/**
 * The master's model in the hand-written JSON of the legacy endpoints (reference §7; Apache Mesos
 * src/master/readonly_handler.cpp and src/common/http.cpp), checked against what a 1.12 master answered
 * (test/fixtures/mesos-1.12/master-*.json): `slave` names, times in seconds, resources as summaries,
 * capabilities as enum names, and every list written even when empty.
 */

export type Json = Record<string, unknown>;

/** Scalars as numbers, ranges as "[a-b, c-d]", sets as "{a, b}", text as itself. */
export function attributesView(attributes: readonly Attribute[]): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const a of attributes) {
    if (a.type === 'SCALAR') out[a.name] = a.scalar?.value ?? 0;
    else if (a.type === 'RANGES')
      out[a.name] = `[${(a.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
    else if (a.type === 'SET') out[a.name] = `{${(a.set?.item ?? []).join(', ')}}`;
    else out[a.name] = a.text?.value ?? '';
  }
  return out;
}

function labelsView(labels: { labels?: { key: string; value?: string }[] }): Json[] {
  return (labels.labels ?? []).map((l) => ({ key: l.key, ...(l.value !== undefined ? { value: l.value } : {}) }));
}

/** A status as the legacy task lists show it: no message, reason or uuid. */
export function statusView(status: TaskStatus): Json {
  const container = status.container_status;
  return {
    state: status.state,
    timestamp: status.timestamp ?? 0,
    ...(status.labels ? { labels: labelsView(status.labels) } : {}),
    ...(container
      ? {
          container_status: {
            ...(container.container_id ? { container_id: container.container_id } : {}),
            ...((container.network_infos ?? []).length > 0 ? { network_infos: container.network_infos } : {}),
            ...(container.cgroup_info ? { cgroup_info: container.cgroup_info } : {}),
          },
        }
      : {}),
    ...(status.healthy !== undefined ? { healthy: status.healthy } : {}),
  };
}

export function taskJson(rec: TaskRecord): Json {
  const { task, info } = rec;
  const user = info.command?.user;
  return {
    id: task.task_id.value,
    name: task.name,
    framework_id: task.framework_id.value,
    executor_id: task.executor_id?.value ?? '',
    slave_id: task.agent_id.value,
    state: task.state,
    resources: resourceSummary(task.resources ?? []),
    ...(task.limits && Object.keys(task.limits).length > 0
      ? { limits: Object.fromEntries(Object.entries(task.limits).map(([k, v]) => [k, v.value])) }
      : {}),
    role: rec.role,
    statuses: (task.statuses ?? []).map(statusView),
    ...(user !== undefined ? { user } : {}),
    ...(task.labels ? { labels: labelsView(task.labels) } : {}),
    ...(task.discovery ? { discovery: task.discovery } : {}),
    ...(task.container ? { container: task.container } : {}),
    ...(info.health_check ? { health_check: info.health_check } : {}),
  };
}

export function offerJson(offer: OfferRecord): Json {
  return {
    id: offer.offer.id.value,
    framework_id: offer.frameworkId,
    allocation_info: { role: offer.role },
    slave_id: offer.agentId,
    resources: resourceSummary(offer.resources),
  };
}

function reservedByRole(resources: readonly Resource[]): Map<string, Resource[]> {
  const byRole = new Map<string, Resource[]>();
  for (const r of resources) {
    const role = resourceRole(r);
    if (role !== '*') byRole.set(role, [...(byRole.get(role) ?? []), r]);
  }
  return byRole;
}

const unreserved = (resources: readonly Resource[]) => resources.filter((r) => resourceRole(r) === '*');

/** An agent as /master/state shows it; `full` adds the protobuf-JSON `*_full` lists of /master/slaves. */
export function agentJson(master: SandboxMaster, agent: AgentRecord, full = false): Json {
  const total = agent.info.resources;
  const used = usedResources(master, (rec) => rec.agentId === agent.id);
  const offered = offeredResources(master, (offer) => offer.agentId === agent.id);
  const reserved = reservedByRole(total);
  return {
    id: agent.id,
    hostname: agent.info.hostname,
    port: agent.info.port ?? 5051,
    attributes: attributesView(agent.info.attributes ?? []),
    ...(agent.info.domain ? { domain: agent.info.domain } : {}),
    pid: agent.pid,
    registered_time: agent.registeredTime,
    resources: resourceSummary(total),
    used_resources: resourceSummary(used),
    offered_resources: resourceSummary(offered),
    reserved_resources: Object.fromEntries([...reserved].map(([role, rs]) => [role, resourceSummary(rs)])),
    unreserved_resources: resourceSummary(unreserved(total)),
    active: agent.active,
    deactivated: !agent.active,
    version: master.version,
    capabilities: (master.agentView(agent).capabilities ?? []).map((c) => c.type ?? 'UNKNOWN'),
    ...(full
      ? {
          reserved_resources_full: Object.fromEntries(
            [...reserved].map(([role, rs]) => [role, rs.map(withLegacyRole)]),
          ),
          unreserved_resources_full: unreserved(total).map(withLegacyRole),
          used_resources_full: used,
          offered_resources_full: offered,
        }
      : {}),
  };
}

const frameworkTasks = (master: SandboxMaster, fwId: string) => ({
  active: [...master.tasks.values()].filter((t) => t.frameworkId === fwId),
  unreachable: [...master.unreachableTasks.values()].filter((t) => t.frameworkId === fwId),
  completed: master.completedTasks.filter((t) => t.frameworkId === fwId),
});

/** The framework fields /master/state-summary shows (Mesos's `Summary<Framework>`). */
export function frameworkSummaryJson(master: SandboxMaster, fw: FrameworkRecord): Json {
  return {
    id: fw.id,
    name: fw.info.name,
    used_resources: resourceSummary(usedResources(master, (rec) => rec.frameworkId === fw.id)),
    offered_resources: resourceSummary(offeredResources(master, (offer) => offer.frameworkId === fw.id)),
    capabilities: (fw.info.capabilities ?? []).map((c) => c.type ?? 'UNKNOWN'),
    hostname: fw.info.hostname ?? '',
    webui_url: fw.info.webui_url ?? '',
    active: fw.active,
    connected: fw.connected,
    recovered: false,
  };
}

/** A framework as /master/state and /master/frameworks show it (Mesos's `FullFrameworkWriter`). */
export function frameworkJson(master: SandboxMaster, fw: FrameworkRecord): Json {
  const used = usedResources(master, (rec) => rec.frameworkId === fw.id);
  const offered = offeredResources(master, (offer) => offer.frameworkId === fw.id);
  const tasks = frameworkTasks(master, fw.id);
  const multiRole = (fw.info.capabilities ?? []).some((c) => c.type === 'MULTI_ROLE');
  return {
    ...frameworkSummaryJson(master, fw),
    user: fw.info.user,
    failover_timeout: fw.info.failover_timeout ?? 0,
    checkpoint: fw.info.checkpoint ?? false,
    registered_time: fw.registeredTime,
    unregistered_time: fw.unregisteredTime ?? 0,
    ...(fw.info.principal !== undefined ? { principal: fw.info.principal } : {}),
    resources: resourceSummary([...used, ...offered]),
    ...(fw.reregisteredTime !== undefined && fw.reregisteredTime !== fw.registeredTime
      ? { reregistered_time: fw.reregisteredTime }
      : {}),
    ...(multiRole ? { roles: fw.info.roles ?? [] } : { role: fw.info.role ?? '*' }),
    tasks: tasks.active.map(taskJson),
    unreachable_tasks: tasks.unreachable.map(taskJson),
    completed_tasks: tasks.completed.map(taskJson),
    offers: [...master.offers.values()].filter((o) => o.frameworkId === fw.id).map(offerJson),
    // Command tasks run under implicit executors, which the master does not list.
    executors: [],
    ...(fw.info.labels ? { labels: labelsView(fw.info.labels) } : {}),
    offer_constraints: {},
  };
}

/** /master/state */
export function stateJson(ctx: MasterContext): Json {
  const { master } = ctx;
  const self = masterInfoView(ctx.self);
  const leaderInfo = ctx.leader();
  const leader = leaderInfo ? masterInfoView(leaderInfo) : undefined;
  const version = versionInfo(master);
  const agents = [...master.agents.values()];
  const active = agents.filter((a) => a.active).length;
  return {
    version: version.version,
    build_date: version.build_date,
    build_time: version.build_time,
    build_user: version.build_user,
    start_time: master.startTime,
    ...(isLeader(ctx) ? { elected_time: master.electedTime } : {}),
    id: self.id,
    pid: self.pid,
    hostname: self.hostname ?? '',
    capabilities: (self.capabilities ?? []).map((c) => c.type ?? 'UNKNOWN'),
    activated_slaves: active,
    deactivated_slaves: agents.length - active,
    unreachable_slaves: unreachableAgentIds(master).size,
    ...(self.domain ? { domain: self.domain } : {}),
    ...(leader
      ? {
          leader: leader.pid,
          leader_info: { id: leader.id, pid: leader.pid, port: leader.port, hostname: leader.hostname ?? '' },
        }
      : {}),
    flags: masterFlags(ctx),
    slaves: agents.map((agent) => agentJson(master, agent)),
    recovered_slaves: [],
    frameworks: [...master.frameworks.values()].map((fw) => frameworkJson(master, fw)),
    completed_frameworks: master.completedFrameworks.map((fw) => frameworkJson(master, fw)),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

const SUMMARY_STATES: readonly TaskState[] = [
  'TASK_STAGING',
  'TASK_STARTING',
  'TASK_RUNNING',
  'TASK_KILLING',
  'TASK_FINISHED',
  'TASK_KILLED',
  'TASK_FAILED',
  'TASK_LOST',
  'TASK_ERROR',
  'TASK_UNREACHABLE',
];

function stateCounts(tasks: readonly TaskRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const state of SUMMARY_STATES) counts[state] = tasks.filter((t) => t.task.state === state).length;
  return counts;
}

/** /master/state-summary: counts and cross references from the tasks of registered frameworks only. */
export function stateSummaryJson(ctx: MasterContext): Json {
  const { master } = ctx;
  const registered = new Set(master.frameworks.keys());
  const tasks = [...master.tasks.values(), ...master.unreachableTasks.values(), ...master.completedTasks].filter((t) =>
    registered.has(t.frameworkId),
  );
  return {
    hostname: ctx.self.hostname ?? '',
    slaves: [...master.agents.values()].map((agent) => {
      const onAgent = tasks.filter((t) => t.agentId === agent.id);
      return {
        ...agentJson(master, agent),
        ...stateCounts(onAgent),
        framework_ids: [...new Set(onAgent.map((t) => t.frameworkId))],
      };
    }),
    frameworks: [...master.frameworks.values()].map((fw) => {
      const ofFramework = tasks.filter((t) => t.frameworkId === fw.id);
      return {
        ...frameworkSummaryJson(master, fw),
        ...stateCounts(ofFramework),
        slave_ids: [...new Set(ofFramework.map((t) => t.agentId))],
      };
    }),
  };
}

/** Scalar quantities by name, as Mesos's ResourceQuantities writes them (zero quantities left out). */
function quantities(resources: readonly Resource[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of new Set(resources.filter((r) => r.type === 'SCALAR').map((r) => r.name))) {
    const total = scalarTotal(resources, name);
    if (total > 0) out[name] = total;
  }
  return out;
}

/** /master/roles: the roles frameworks subscribed with or agents reserve for, each with weight 1 and no quota. */
export function rolesJson(master: SandboxMaster): Json {
  const frameworks = [...master.frameworks.values()];
  const agentResources = [...master.agents.values()].flatMap((a) => a.info.resources);
  const names = new Set<string>([
    ...frameworks.flatMap((fw) => frameworkRoles(fw.info)),
    ...reservedByRole(agentResources).keys(),
  ]);
  return {
    roles: [...names].sort().map((name) => {
      const allocated = usedResources(master, (rec) => rec.role === name);
      const offered = offeredResources(master, (offer) => offer.role === name);
      const reserved = agentResources.filter((r) => resourceRole(r) === name);
      // What counts against a quota: its reservations plus what it was allocated of unreserved resources.
      const consumed = [...reserved, ...allocated.filter((r) => resourceRole(r) === '*')];
      return {
        name,
        weight: 1,
        quota: { role: name, guarantee: {}, limit: {}, consumed: quantities(consumed) },
        resources: quantities([...allocated, ...offered]),
        allocated: quantities(allocated),
        offered: quantities(offered),
        reserved: quantities(reserved),
        frameworks: frameworks.filter((fw) => frameworkRoles(fw.info).includes(name)).map((fw) => fw.id),
      };
    }),
  };
}
