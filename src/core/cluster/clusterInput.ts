import type {
  AgentInfo,
  MasterResponseGetAgentsAgent,
  MasterResponseGetFrameworksFramework,
  Offer,
  Task,
} from '../mesos/codec';
import type { LegacyTaskInput } from './legacyStateAdapter';
import { isTaskState } from './taskStates';

/**
 * Checks on the objects that enter the model. Objects parsed slice by slice (loadClusterState.ts) skip
 * the codec's normalizer, so the fields the model indexes on are checked here: an object without them
 * is left out and named in the load's problems, instead of breaking a view later. Everything else is
 * kept as Mesos wrote it (which is the codec's shape: snake_case keys, enums as names).
 */

type Checked<T> = { readonly ok: T } | { readonly problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function idValue(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  const value = v.value;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

export function checkTask(v: unknown): Checked<Task> {
  if (!isObject(v)) return { problem: `a task is not an object: ${describe(v)}` };
  const id = idValue(v.task_id);
  if (id === undefined) return { problem: `a task has no task_id.value: ${describe(v)}` };
  if (idValue(v.framework_id) === undefined) return { problem: `task '${id}' has no framework_id.value` };
  if (idValue(v.agent_id) === undefined) return { problem: `task '${id}' has no agent_id.value` };
  if (!isTaskState(v.state)) return { problem: `task '${id}' has an unknown state ${describe(v.state)}` };
  if (typeof v.name !== 'string') v.name = id;
  return { ok: v as unknown as Task };
}

/** A legacy /master/state task (reference §7.1): flat string ids. */
export function checkLegacyTask(v: unknown): Checked<LegacyTaskInput> {
  if (!isObject(v) || typeof v.id !== 'string' || v.id.length === 0)
    return { problem: `a legacy task has no id: ${describe(v)}` };
  if (typeof v.framework_id !== 'string' || typeof v.slave_id !== 'string') {
    return { problem: `legacy task '${v.id}' has no framework_id or slave_id` };
  }
  if (!isTaskState(v.state)) return { problem: `legacy task '${v.id}' has an unknown state ${describe(v.state)}` };
  if (v.statuses !== undefined && !Array.isArray(v.statuses))
    return { problem: `legacy task '${v.id}' is malformed: statuses is not a list` };
  return { ok: v as unknown as LegacyTaskInput };
}

export function checkAgentInfo(v: unknown): Checked<AgentInfo> {
  if (!isObject(v)) return { problem: `an agent_info is not an object: ${describe(v)}` };
  if (idValue(v.id) === undefined) return { problem: `an agent has no agent_info.id.value: ${describe(v)}` };
  if (typeof v.hostname !== 'string') return { problem: `agent '${idValue(v.id)}' has no hostname` };
  return { ok: v as unknown as AgentInfo };
}

export function checkAgent(v: unknown): Checked<MasterResponseGetAgentsAgent> {
  if (!isObject(v)) return { problem: `an agent is not an object: ${describe(v)}` };
  const info = checkAgentInfo(v.agent_info);
  if ('problem' in info) return info;
  return { ok: v as unknown as MasterResponseGetAgentsAgent };
}

export function checkFramework(v: unknown): Checked<MasterResponseGetFrameworksFramework> {
  if (!isObject(v) || !isObject(v.framework_info))
    return { problem: `a framework has no framework_info: ${describe(v)}` };
  const id = idValue(v.framework_info.id);
  if (id === undefined) return { problem: `a framework has no framework_info.id.value: ${describe(v)}` };
  if (typeof v.framework_info.name !== 'string') v.framework_info.name = id;
  return { ok: v as unknown as MasterResponseGetFrameworksFramework };
}

export function checkOffer(v: unknown): Checked<Offer> {
  if (!isObject(v)) return { problem: `an offer is not an object: ${describe(v)}` };
  const id = idValue(v.id);
  if (id === undefined) return { problem: `an offer has no id.value: ${describe(v)}` };
  if (idValue(v.framework_id) === undefined || idValue(v.agent_id) === undefined) {
    return { problem: `offer '${id}' has no framework_id or agent_id` };
  }
  return { ok: v as unknown as Offer };
}
