import type {
  FrameworkInfo,
  MasterEvent,
  MasterInfo,
  MasterResponseGetAgents,
  MasterResponseGetAgentsAgent,
  MasterResponseGetExecutors,
  MasterResponseGetFrameworks,
  MasterResponseGetFrameworksFramework,
  MasterResponseGetMaster,
  MasterResponseGetState,
  MasterResponseGetTasks,
  Offer,
  Task,
  VersionInfo,
} from '../../../core/mesos/codec';
import { isLeader, type MasterContext } from './masterContext';
import type { AgentRecord, FrameworkRecord, OfferRecord, TaskRecord } from './masterRecords';
import { offeredResources, usedResources, withLegacyRole, withoutLegacyRole } from './masterUsage';
import type { SandboxMaster } from './sandboxMaster';

/**
 * The sandbox master's model as the v1 operator API shows it (reference §6.2), shaped after what a real
 * 1.12 master answered (test/fixtures/mesos-1.12/operator-*.json): resources carry their allocation role,
 * FrameworkInfo its proto defaults, tasks only the user their TaskInfo named. The same objects feed
 * GET_STATE, the SUBSCRIBE snapshot and the events of the stream, so the stream and the calls agree.
 */

/** FrameworkInfo as the master echoes it: optional fields with an explicit proto default are written. */
export function frameworkInfoView(info: FrameworkInfo): FrameworkInfo {
  return { ...info, failover_timeout: info.failover_timeout ?? 0, checkpoint: info.checkpoint ?? false };
}

/** A task as GET_TASKS shows it: every resource with its allocation role; `user` only if the TaskInfo's command set one. */
export function taskView(rec: TaskRecord): Task {
  const { user: _defaulted, ...task } = rec.task;
  const user = rec.info.command?.user;
  return {
    ...task,
    resources: (task.resources ?? []).map((r) =>
      r.allocation_info ? r : { ...r, allocation_info: { role: rec.role } },
    ),
    ...(rec.info.health_check && !task.health_check ? { health_check: rec.info.health_check } : {}),
    ...(user !== undefined ? { user } : {}),
  };
}

/** An outstanding offer as the master holds it: always with its allocation role, whatever the framework was sent. */
export function offerView(offer: OfferRecord): Offer {
  return {
    ...offer.offer,
    resources: offer.resources.map((r) => ({ ...withLegacyRole(r), allocation_info: { role: offer.role } })),
    allocation_info: { role: offer.role },
  };
}

export function agentView(master: SandboxMaster, agent: AgentRecord): MasterResponseGetAgentsAgent {
  const base = master.agentView(agent);
  return {
    ...base,
    agent_info: { ...base.agent_info, resources: agent.info.resources.map(withoutLegacyRole) },
    deactivated: !agent.active,
    total_resources: agent.info.resources.map(withLegacyRole),
    allocated_resources: usedResources(master, (rec) => rec.agentId === agent.id),
    offered_resources: offeredResources(master, (offer) => offer.agentId === agent.id),
  };
}

export function frameworkView(master: SandboxMaster, fw: FrameworkRecord): MasterResponseGetFrameworksFramework {
  const base = master.frameworkView(fw);
  return {
    ...base,
    framework_info: frameworkInfoView(fw.info),
    // The real master sets the reregistration time at registration too.
    reregistered_time: base.reregistered_time ?? base.registered_time,
    offers: [...master.offers.values()].filter((o) => o.frameworkId === fw.id).map(offerView),
    allocated_resources: usedResources(master, (rec) => rec.frameworkId === fw.id),
    offered_resources: offeredResources(master, (offer) => offer.frameworkId === fw.id),
    // Offer constraints given at SUBSCRIBE are not kept by the sandbox; none is what the master shows then.
    offer_constraints: {},
  };
}

export function getTasksView(master: SandboxMaster): MasterResponseGetTasks {
  return {
    tasks: [...master.tasks.values()].map(taskView),
    unreachable_tasks: [...master.unreachableTasks.values()].map(taskView),
    completed_tasks: master.completedTasks.map(taskView),
  };
}

/** Command tasks run under implicit command executors, which GET_EXECUTORS never lists (reference §6.2). */
export function getExecutorsView(): MasterResponseGetExecutors {
  return { executors: [] };
}

export function getFrameworksView(master: SandboxMaster): MasterResponseGetFrameworks {
  return {
    frameworks: [...master.frameworks.values()].map((fw) => frameworkView(master, fw)),
    completed_frameworks: master.completedFrameworks.map((fw) => frameworkView(master, fw)),
  };
}

export function getAgentsView(master: SandboxMaster): MasterResponseGetAgents {
  return { agents: [...master.agents.values()].map((agent) => agentView(master, agent)), recovered_agents: [] };
}

export function getStateView(master: SandboxMaster): MasterResponseGetState {
  return {
    get_tasks: getTasksView(master),
    get_executors: getExecutorsView(),
    get_frameworks: getFrameworksView(master),
    get_agents: getAgentsView(master),
  };
}

/** A MasterInfo with the `pid` and capabilities every real master advertises. */
export function masterInfoView(info: MasterInfo): MasterInfo {
  return {
    ...info,
    pid: info.pid ?? `master@${info.address?.ip ?? '127.0.0.1'}:${info.port}`,
    // AGENT_UPDATE only: the sandbox has no draining or quota, which the other 1.12 capabilities announce.
    capabilities: info.capabilities ?? [{ type: 'AGENT_UPDATE' }],
  };
}

export function getMasterView(ctx: MasterContext): MasterResponseGetMaster {
  return {
    master_info: masterInfoView(ctx.self),
    start_time: ctx.master.startTime,
    ...(isLeader(ctx) ? { elected_time: ctx.master.electedTime } : {}),
  };
}

/** The sandbox's "build": its version, built when the master process started. */
export function versionInfo(master: SandboxMaster): VersionInfo {
  const buildTime = Math.floor(master.startTime);
  return {
    version: master.version,
    build_date: new Date(buildTime * 1000).toISOString().replace('T', ' ').slice(0, 19),
    build_time: buildTime,
    build_user: '',
  };
}

/**
 * One of the master's 'event' emissions as a subscriber receives it: tasks and agents in the same shape
 * as GET_STATE, and frameworks without offers, resources or offer constraints (events never carry them).
 */
export function operatorEvent(master: SandboxMaster, event: MasterEvent): MasterEvent {
  switch (event.type) {
    case 'TASK_ADDED': {
      const task = event.task_added?.task;
      const rec = task ? master.tasks.get(`${task.framework_id.value}/${task.task_id.value}`) : undefined;
      return rec ? { type: 'TASK_ADDED', task_added: { task: taskView(rec) } } : event;
    }
    case 'AGENT_ADDED': {
      const id = event.agent_added?.agent.agent_info.id?.value;
      const agent = id === undefined ? undefined : master.agents.get(id);
      return agent ? { type: 'AGENT_ADDED', agent_added: { agent: agentView(master, agent) } } : event;
    }
    case 'FRAMEWORK_ADDED':
      return event.framework_added
        ? { type: 'FRAMEWORK_ADDED', framework_added: { framework: eventFramework(event.framework_added.framework) } }
        : event;
    case 'FRAMEWORK_UPDATED':
      return event.framework_updated
        ? {
            type: 'FRAMEWORK_UPDATED',
            framework_updated: { framework: eventFramework(event.framework_updated.framework) },
          }
        : event;
    case 'FRAMEWORK_REMOVED':
      return event.framework_removed
        ? {
            type: 'FRAMEWORK_REMOVED',
            framework_removed: { framework_info: frameworkInfoView(event.framework_removed.framework_info) },
          }
        : event;
    default:
      return event;
  }
}

function eventFramework(framework: MasterResponseGetFrameworksFramework): MasterResponseGetFrameworksFramework {
  const {
    offers: _offers,
    inverse_offers: _inverseOffers,
    allocated_resources: _allocated,
    offered_resources: _offered,
    offer_constraints: _constraints,
    ...rest
  } = framework;
  return {
    ...rest,
    framework_info: frameworkInfoView(rest.framework_info),
    reregistered_time: rest.reregistered_time ?? rest.registered_time,
  };
}
