import type {
  AgentInfo,
  Attribute,
  MasterResponseGetAgentsAgent,
  MasterResponseGetFrameworksFramework,
  Offer,
  Task,
  TaskState,
} from '../mesos/codec';
import type { AgentNode, AgentStatus, FrameworkNode, FrameworkStatus, OfferNode, TaskNode } from './clusterNodes';
import { taskFromLegacy, type LegacyTaskInput } from './legacyStateAdapter';
import { milliZero, scalarsOfMilli, type MilliScalars, type ScalarResources } from './scalarResources';
import { compareKeys, type SortedList } from './sortedList';

/**
 * The model's mutable records behind the read-only node interfaces. A task entry holds its decoded
 * Task and points at its framework and agent entries, and nothing else: with 100,000 tasks every field
 * here costs about a megabyte. `kind` is a prototype getter for the same reason.
 */

export class TaskEntry implements TaskNode {
  constructor(
    readonly id: string,
    public name: string,
    public framework: FrameworkEntry,
    public agent: AgentEntry,
    public state: TaskState,
    /** The decoded Task, or a task of legacy /master/state that becomes one when first read. */
    private source: Task | LegacyTaskInput,
  ) {}

  get kind(): 'task' {
    return 'task';
  }
  get frameworkId(): string {
    return this.framework.id;
  }
  get agentId(): string {
    return this.agent.id;
  }
  /** Converting 100,000 legacy tasks up front costs more than parsing them; a view reads a page of them. */
  get task(): Task {
    const source = this.source;
    if ('task_id' in source) return source;
    const task = taskFromLegacy(source);
    this.source = task;
    return task;
  }
  set task(task: Task) {
    this.source = task;
  }
  /** How many statuses the master reported, without converting a legacy task. */
  get statusCount(): number {
    return this.source.statuses?.length ?? 0;
  }
}

export const compareTasks = (a: TaskEntry, b: TaskEntry): number => compareKeys(a.name, b.name, a.id, b.id);

export class FrameworkEntry implements FrameworkNode {
  name: string;
  status: FrameworkStatus = 'completed';
  framework: MasterResponseGetFrameworksFramework | undefined = undefined;
  usedMilli: MilliScalars = milliZero();
  /** Tasks by state: the groups under a framework in the tree. Empty groups are deleted. */
  readonly groups = new Map<TaskState, SortedList<TaskEntry>>();
  /**
   * Tasks by id, for events and lookups. Built after a snapshot is in use (ClusterIndex.tasksOf):
   * filling a map of 50,000 tasks while loading costs more than the rest of the index.
   */
  taskIndex: Map<string, TaskEntry> | undefined = undefined;
  taskCount = 0;
  /** In the framework lists (a framework first seen through a task is listed once the snapshot is complete). */
  listed = false;

  constructor(readonly id: string) {
    this.name = id;
  }

  get kind(): 'framework' {
    return 'framework';
  }
  get used(): ScalarResources {
    return scalarsOfMilli(this.usedMilli);
  }
}

export const compareFrameworks = (a: FrameworkEntry, b: FrameworkEntry): number =>
  compareKeys(a.name, b.name, a.id, b.id);

export class AgentEntry implements AgentNode {
  hostname: string;
  status: AgentStatus = 'inactive';
  agent: MasterResponseGetAgentsAgent | undefined = undefined;
  info: AgentInfo;
  /** Known only from the registry (recovered_agents): not registered, so not in the cluster totals. */
  recovered = false;
  /** In the agent lists; an agent that only tasks refer to (e.g. removed long ago) is not. */
  listed = false;
  totalMilli: MilliScalars = milliZero();
  usedMilli: MilliScalars = milliZero();
  offeredMilli: MilliScalars = milliZero();
  /**
   * Tasks on this agent. The list itself is gathered when a view asks (ClusterIndex.agentTasks): a
   * list per agent, filled task by task in the master's hash-map order, costs a fifth of a 100 MB load.
   */
  taskCount = 0;
  /** Bumped when a task comes to or leaves this agent, so a gathered list knows it is stale. */
  tasksVersion = 0;
  readonly offers = new Set<OfferEntry>();

  constructor(readonly id: string) {
    this.hostname = id;
    this.info = { hostname: id, id: { value: id } };
  }

  get kind(): 'agent' {
    return 'agent';
  }
  get attributes(): readonly Attribute[] {
    return this.info.attributes ?? [];
  }
  get total(): ScalarResources {
    return scalarsOfMilli(this.totalMilli);
  }
  get used(): ScalarResources {
    return scalarsOfMilli(this.usedMilli);
  }
  get offered(): ScalarResources {
    return scalarsOfMilli(this.offeredMilli);
  }
  /** Whether its resources count in the cluster totals. */
  get contributes(): boolean {
    return this.listed && this.status !== 'gone' && !this.recovered;
  }
}

export const compareAgents = (a: AgentEntry, b: AgentEntry): number => compareKeys(a.hostname, b.hostname, a.id, b.id);

export class OfferEntry implements OfferNode {
  constructor(
    readonly id: string,
    readonly hostname: string,
    readonly agentEntry: AgentEntry,
    readonly milli: MilliScalars,
    readonly offer: Offer,
  ) {}

  get kind(): 'offer' {
    return 'offer';
  }
  get frameworkId(): string {
    return this.offer.framework_id.value;
  }
  get agentId(): string {
    return this.agentEntry.id;
  }
  get resources(): ScalarResources {
    return scalarsOfMilli(this.milli);
  }
}

export const compareOffers = (a: OfferEntry, b: OfferEntry): number => compareKeys(a.hostname, b.hostname, a.id, b.id);
