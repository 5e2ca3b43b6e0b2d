import type { Resource } from '../../../core/mesos/codec';
import { addResources, resourceRole } from '../../../core/mesos/resources/resourceMath';
import type { OfferRecord, TaskRecord } from './masterRecords';
import { isTerminal, type SandboxMaster } from './sandboxMaster';

/**
 * What the master's own endpoints count as used and offered (GET_AGENTS, GET_FRAMEWORKS, /master/state,
 * /metrics/snapshot): the resources of tasks not yet terminal and of outstanding offers, each tagged with
 * the role it was allocated to. The command executor's overhead is left out on purpose: the real master
 * never sees it (an agent adds it), so a captured 1.12 master shows 0.2 cpus used for two 0.1-cpu tasks.
 */

/** Resources as the master's views show them: the old `role` field filled in, and the allocation role. */
function allocated(resources: readonly Resource[], role: string): Resource[] {
  const unallocated = resources.map(({ allocation_info: _drop, ...rest }) => rest);
  return addResources(unallocated, []).map((r) => ({ ...withLegacyRole(r), allocation_info: { role } }));
}

/** Sums resources per allocation role, so that two roles' unreserved cpus stay apart. */
function sumPerRole(items: Iterable<{ readonly role: string; readonly resources: readonly Resource[] }>): Resource[] {
  const byRole = new Map<string, Resource[]>();
  for (const item of items) byRole.set(item.role, [...(byRole.get(item.role) ?? []), ...item.resources]);
  return [...byRole].flatMap(([role, resources]) => allocated(resources, role));
}

/**
 * A resource in the pre-refinement format the master's endpoints write ("ENDPOINT" format in Mesos): the
 * `role` field set, and a single static reservation folded into it.
 */
export function withLegacyRole(r: Resource): Resource {
  const reservations = r.reservations ?? [];
  if (reservations.length === 0) return r.role !== undefined ? r : { ...r, role: '*' };
  if (reservations.length > 1 || reservations[0]!.type === 'DYNAMIC') return { ...r, role: resourceRole(r) };
  const { reservations: _folded, ...rest } = r;
  return { ...rest, role: resourceRole(r) };
}

/** A resource in the post-refinement format of AgentInfo: no `role` field, reservations as a stack. */
export function withoutLegacyRole(r: Resource): Resource {
  const { role, ...rest } = r;
  if ((r.reservations ?? []).length > 0 || role === undefined || role === '*') return rest;
  return { ...rest, reservations: [{ type: 'STATIC', role }] };
}

/** Tasks holding resources: launched and not terminal. */
function tasksHoldingResources(
  master: SandboxMaster,
  include: (rec: TaskRecord) => boolean = () => true,
): TaskRecord[] {
  return [...master.tasks.values()].filter((rec) => !isTerminal(rec.task.state) && include(rec));
}

export function usedResources(master: SandboxMaster, include: (rec: TaskRecord) => boolean): Resource[] {
  return sumPerRole(
    tasksHoldingResources(master, include).map((rec) => ({ role: rec.role, resources: rec.task.resources ?? [] })),
  );
}

export function offeredResources(master: SandboxMaster, include: (offer: OfferRecord) => boolean): Resource[] {
  return sumPerRole([...master.offers.values()].filter(include));
}

/**
 * Agents the master lost as unreachable: gone from the registered agents but still named by an
 * unreachable task. (The master keeps no list of them; an unreachable agent without tasks is missed.)
 */
export function unreachableAgentIds(master: SandboxMaster): Set<string> {
  const ids = new Set<string>();
  for (const rec of master.unreachableTasks.values()) if (!master.agents.has(rec.agentId)) ids.add(rec.agentId);
  return ids;
}
