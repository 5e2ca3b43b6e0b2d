import type { Attribute } from '../mesos/codec';
import type { ClusterChangeBuilder } from './clusterChange';
import type { AgentEntry, FrameworkEntry, TaskEntry } from './clusterEntries';
import type { ClusterIndex } from './clusterIndex';
import { taskKey } from './clusterNodes';
import { sameMilli } from './scalarResources';

/** Items compared between two yields: a few milliseconds of work. */
const STEP = 2000;

/**
 * What changed from one state of the cluster to the next (the slow-poll backstop, a resubscription):
 * records into `c` the frameworks, agents and tasks whose nodes render differently, those that came or
 * went, and the lists whose membership changed. Yields every few thousand items, so that comparing two
 * states of 100,000 tasks does not block the event loop.
 */
export function* diffClusterIndex(
  before: ClusterIndex,
  after: ClusterIndex,
  c: ClusterChangeBuilder,
): Generator<void, void, void> {
  let n = 0;
  for (const [id, next] of after.frameworks) {
    const prev = before.frameworks.get(id);
    diffFramework(prev, next, c);
    yield* after.indexTasks(next);
    const nextTasks = after.tasksOf(next);
    const prevTasks = prev === undefined ? undefined : before.tasksOf(prev);
    for (const [taskId, task] of nextTasks) {
      diffTask(prevTasks?.get(taskId), task, c);
      if (++n % STEP === 0) yield;
    }
    if (prevTasks === undefined) continue;
    for (const [taskId, task] of prevTasks) {
      if (!nextTasks.has(taskId)) taskMoved(task, c);
      if (++n % STEP === 0) yield;
    }
  }
  for (const [id, prev] of before.frameworks) {
    if (after.frameworks.has(id)) continue;
    if (prev.listed) frameworkMoved(prev, c);
    for (const task of before.tasksOf(prev).values()) {
      taskMoved(task, c);
      if (++n % STEP === 0) yield;
    }
  }
  for (const [id, next] of after.agents) {
    const prev = before.agents.get(id);
    if (next.listed || prev?.listed === true) diffAgent(prev, next, c);
    if (++n % STEP === 0) yield;
  }
  for (const [id, prev] of before.agents) {
    if (prev.listed && after.agents.get(id)?.listed !== true) agentMoved(prev, c);
    if (++n % STEP === 0) yield;
  }
  for (const id of after.offers.keys()) if (!before.offers.has(id)) c.offers.add(id);
  for (const id of before.offers.keys()) if (!after.offers.has(id)) c.offers.add(id);
  if (c.offers.size > 0) c.list({ kind: 'offers' });
  if (!sameTotals(before, after)) c.totals = true;
}

function diffFramework(prev: FrameworkEntry | undefined, next: FrameworkEntry, c: ClusterChangeBuilder): void {
  if (prev === undefined || prev.listed !== next.listed || prev.status !== next.status || prev.name !== next.name) {
    if (prev?.listed === true) frameworkMoved(prev, c);
    if (next.listed) frameworkMoved(next, c);
    return;
  }
  if (!sameMilli(prev.usedMilli, next.usedMilli)) c.frameworks.add(next.id);
}

function frameworkMoved(framework: FrameworkEntry, c: ClusterChangeBuilder): void {
  c.frameworks.add(framework.id);
  c.list({ kind: 'frameworks' });
  c.list({ kind: 'frameworks', status: framework.status });
}

function diffTask(prev: TaskEntry | undefined, next: TaskEntry, c: ClusterChangeBuilder): void {
  if (prev === undefined) {
    taskMoved(next, c);
    return;
  }
  const frameworkId = next.framework.id;
  const key = taskKey(frameworkId, next.id);
  if (prev.name !== next.name) {
    taskMoved(prev, c);
    taskMoved(next, c);
    return;
  }
  if (prev.state !== next.state) {
    c.tasks.add(key);
    c.list({ kind: 'frameworkTasks', frameworkId, state: prev.state });
    c.list({ kind: 'frameworkTasks', frameworkId, state: next.state });
    c.frameworks.add(frameworkId);
  }
  if (prev.agent.id !== next.agent.id) {
    c.tasks.add(key);
    c.list({ kind: 'agentTasks', agentId: prev.agent.id });
    c.list({ kind: 'agentTasks', agentId: next.agent.id });
    c.agents.add(prev.agent.id);
    c.agents.add(next.agent.id);
  }
  if (prev.statusCount !== next.statusCount) c.tasks.add(key);
}

/** A task that came, went, or changed group: its node, both lists it is in, and its parents' counts. */
function taskMoved(task: TaskEntry, c: ClusterChangeBuilder): void {
  const frameworkId = task.framework.id;
  c.tasks.add(taskKey(frameworkId, task.id));
  c.list({ kind: 'frameworkTasks', frameworkId, state: task.state });
  c.list({ kind: 'frameworkTasks', frameworkId });
  c.list({ kind: 'agentTasks', agentId: task.agent.id });
  c.frameworks.add(frameworkId);
  c.agents.add(task.agent.id);
}

function diffAgent(prev: AgentEntry | undefined, next: AgentEntry, c: ClusterChangeBuilder): void {
  if (
    prev === undefined ||
    prev.listed !== next.listed ||
    prev.status !== next.status ||
    prev.hostname !== next.hostname
  ) {
    if (prev?.listed === true) agentMoved(prev, c);
    if (next.listed) agentMoved(next, c);
    return;
  }
  if (
    !sameMilli(prev.totalMilli, next.totalMilli) ||
    !sameMilli(prev.usedMilli, next.usedMilli) ||
    !sameMilli(prev.offeredMilli, next.offeredMilli) ||
    !sameAttributes(prev.attributes, next.attributes)
  ) {
    c.agents.add(next.id);
  }
}

function agentMoved(agent: AgentEntry, c: ClusterChangeBuilder): void {
  c.agents.add(agent.id);
  c.list({ kind: 'agents' });
  c.list({ kind: 'agents', status: agent.status });
}

function sameAttributes(a: readonly Attribute[], b: readonly Attribute[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name || x.type !== y.type || attributeText(x) !== attributeText(y)) return false;
  }
  return true;
}

function attributeText(a: Attribute): string {
  if (a.text !== undefined) return a.text.value;
  if (a.scalar !== undefined) return String(a.scalar.value);
  if (a.set !== undefined) return (a.set.item ?? []).join(',');
  return (a.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(',');
}

function sameTotals(a: ClusterIndex, b: ClusterIndex): boolean {
  if (
    !sameMilli(a.totalMilli, b.totalMilli) ||
    !sameMilli(a.usedMilli, b.usedMilli) ||
    !sameMilli(a.offeredMilli, b.offeredMilli)
  ) {
    return false;
  }
  if (a.taskCount !== b.taskCount) return false;
  for (const [status, count] of Object.entries(a.agentCounts))
    if (b.agentCounts[status as keyof typeof b.agentCounts] !== count) return false;
  for (const [status, count] of Object.entries(a.frameworkCounts)) {
    if (b.frameworkCounts[status as keyof typeof b.frameworkCounts] !== count) return false;
  }
  const aStates = a.taskStateCounts();
  const bStates = b.taskStateCounts();
  for (const [state, count] of aStates) if ((bStates.get(state) ?? 0) !== count) return false;
  for (const [state, count] of bStates) if ((aStates.get(state) ?? 0) !== count) return false;
  return true;
}
