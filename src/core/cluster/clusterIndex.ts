import type {
  AgentInfo,
  MasterResponseGetAgentsAgent,
  MasterResponseGetFrameworksFramework,
  Offer,
  Task,
  TaskState,
  TaskStatus,
} from '../mesos/codec';
import type { ClusterChangeBuilder } from './clusterChange';
import {
  AgentEntry,
  compareAgents,
  compareFrameworks,
  compareOffers,
  compareTasks,
  FrameworkEntry,
  OfferEntry,
  TaskEntry,
} from './clusterEntries';
import { checkOffer, checkTask } from './clusterInput';
import type { LegacyTaskInput } from './legacyStateAdapter';
import type { ClusterList } from './clusterList';
import { AGENT_STATUSES, FRAMEWORK_STATUSES, taskKey, type AgentStatus, type FrameworkStatus } from './clusterNodes';
import { addMilli, milliScalarsOf, milliZero } from './scalarResources';
import { SortedList } from './sortedList';
import { isTerminalTaskState } from './taskStates';

/** Problems kept per load: enough to diagnose, bounded for a master that sends garbage by the thousand. */
const MAX_PROBLEMS = 100;
/** Lists at least this long are sorted in the background after a snapshot; shorter ones when first read. */
const SETTLE_IN_BACKGROUND = 1000;
/** Tasks put into a framework's id map between two yields of the background work. */
const INDEX_STEP = 10_000;
/** Agents whose gathered task lists are kept (the views expand a few at a time). */
const CACHED_AGENT_LISTS = 64;

type Settleable = Pick<SortedList<never>, 'size' | 'isSettled' | 'settleInSlices'>;

/**
 * One state of the cluster: frameworks, agents, tasks and offers with the sorted lists the views page
 * through and the cluster totals, kept up to date by each mutation.
 *
 * An index is built from a snapshot with `live` false: then each agent's and framework's used resources
 * are what the master reported (its allocated resources), and tasks do not move them. Once the snapshot
 * is complete (`finishSnapshot`) the index turns live and task events adjust them, since the operator
 * stream says nothing about allocations. Mutations record what they changed into an optional builder.
 *
 * A snapshot only does what a first paint needs (every task in its framework's group, counted on its
 * agent); sorting the large lists and the frameworks' task-id maps follow after the snapshot is in use
 * (`settleInSlices`), or at once when something needs them first.
 */
export class ClusterIndex {
  readonly frameworks = new Map<string, FrameworkEntry>();
  readonly agents = new Map<string, AgentEntry>();
  readonly offers = new Map<string, OfferEntry>();
  readonly frameworkLists = new Map<FrameworkStatus | 'all', SortedList<FrameworkEntry>>();
  readonly agentLists = new Map<AgentStatus | 'all', SortedList<AgentEntry>>();
  readonly offerList = new SortedList<OfferEntry>(compareOffers);
  readonly frameworkCounts = Object.fromEntries(FRAMEWORK_STATUSES.map((s) => [s, 0])) as Record<
    FrameworkStatus,
    number
  >;
  readonly agentCounts = Object.fromEntries(AGENT_STATUSES.map((s) => [s, 0])) as Record<AgentStatus, number>;
  readonly totalMilli = milliZero();
  readonly usedMilli = milliZero();
  readonly offeredMilli = milliZero();
  taskCount = 0;
  /** Bumped by every mutation: cached filter results compare it. */
  version = 0;
  readonly problems: string[] = [];
  problemCount = 0;
  private lastFramework: FrameworkEntry | undefined;
  private readonly agentTaskLists = new Map<AgentEntry, { readonly version: number; readonly tasks: TaskEntry[] }>();

  constructor(public live: boolean) {
    for (const status of ['all', ...FRAMEWORK_STATUSES] as const) {
      this.frameworkLists.set(status, new SortedList(compareFrameworks));
    }
    for (const status of ['all', ...AGENT_STATUSES] as const)
      this.agentLists.set(status, new SortedList(compareAgents));
  }

  problem(text: string): void {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(text);
  }

  // ---- frameworks ---------------------------------------------------------------------------------

  private frameworkEntry(id: string): FrameworkEntry {
    // Mesos lists tasks framework by framework: comparing with the last one saves hashing each id.
    const last = this.lastFramework;
    if (last !== undefined && last.id === id) return last;
    let entry = this.frameworks.get(id);
    if (entry === undefined) {
      entry = new FrameworkEntry(id);
      if (this.live) entry.taskIndex = new Map();
      this.frameworks.set(id, entry);
    }
    this.lastFramework = entry;
    return entry;
  }

  /** The framework's entry, created when a task names a framework not seen yet. */
  private frameworkFor(id: string, c?: ClusterChangeBuilder): FrameworkEntry {
    const entry = this.frameworkEntry(id);
    // Live, a task of an unknown framework means the framework runs; in a snapshot wait for its element.
    if (this.live && !entry.listed) this.placeFramework(entry, 'active', id, c);
    return entry;
  }

  putFramework(framework: MasterResponseGetFrameworksFramework, completed: boolean, c?: ClusterChangeBuilder): void {
    const info = framework.framework_info;
    const id = info.id!.value;
    const entry = this.frameworkEntry(id);
    entry.framework = framework;
    // Events carry no allocations (reference §6.3): keep what the snapshot and task events said.
    if (!this.live) entry.usedMilli = milliScalarsOf(framework.allocated_resources);
    const status: FrameworkStatus = completed ? 'completed' : framework.active ? 'active' : 'inactive';
    this.placeFramework(entry, status, info.name, c);
    this.version++;
    c?.frameworks.add(id);
  }

  /** FRAMEWORK_REMOVED: the framework is torn down; its tasks stay until the master says otherwise. */
  completeFramework(info: MasterResponseGetFrameworksFramework['framework_info'], c?: ClusterChangeBuilder): void {
    const id = info.id?.value;
    if (id === undefined) return;
    const entry = this.frameworkEntry(id);
    entry.framework ??= { framework_info: info, active: false, connected: false, recovered: false };
    this.placeFramework(entry, 'completed', info.name ?? entry.name, c);
    this.version++;
    c?.frameworks.add(id);
  }

  private placeFramework(entry: FrameworkEntry, status: FrameworkStatus, name: string, c?: ClusterChangeBuilder): void {
    if (entry.listed && entry.status === status && entry.name === name) return;
    const all = this.frameworkLists.get('all')!;
    if (entry.listed) {
      all.removeNow(entry);
      this.frameworkLists.get(entry.status)!.removeNow(entry);
      this.frameworkCounts[entry.status]--;
      c?.list({ kind: 'frameworks', status: entry.status });
    }
    entry.status = status;
    entry.name = name;
    entry.listed = true;
    this.addTo(all, entry);
    this.addTo(this.frameworkLists.get(status)!, entry);
    this.frameworkCounts[status]++;
    this.version++;
    if (c) {
      c.list({ kind: 'frameworks' });
      c.list({ kind: 'frameworks', status });
      c.frameworks.add(entry.id);
      c.totals = true;
    }
  }

  // ---- agents -------------------------------------------------------------------------------------

  /** The agent's entry, created (unlisted) when a task or offer names an agent not seen yet. */
  agentFor(id: string): AgentEntry {
    let entry = this.agents.get(id);
    if (entry === undefined) {
      entry = new AgentEntry(id);
      this.agents.set(id, entry);
    }
    return entry;
  }

  putAgent(agent: MasterResponseGetAgentsAgent, c?: ClusterChangeBuilder): void {
    const info = agent.agent_info;
    const entry = this.agentFor(info.id!.value);
    this.changeAgent(entry, agentStatusOf(agent), info.hostname, c, () => {
      entry.agent = agent;
      entry.info = info;
      entry.recovered = false;
      entry.totalMilli = milliScalarsOf(agent.total_resources ?? info.resources);
      if (!this.live || agent.allocated_resources !== undefined) {
        entry.usedMilli = milliScalarsOf(agent.allocated_resources);
      } else {
        // An agent (re)registering live: what its tasks in the model use.
        entry.usedMilli = milliZero();
        for (const task of this.agentTasks(entry)) {
          if (!isTerminalTaskState(task.state)) addMilli(entry.usedMilli, milliScalarsOf(task.task.resources), 1);
        }
      }
    });
  }

  /** An agent the registry knows that has not reregistered since the master started. */
  putRecoveredAgent(info: AgentInfo, c?: ClusterChangeBuilder): void {
    const entry = this.agentFor(info.id!.value);
    if (entry.listed && !entry.recovered) return;
    this.changeAgent(entry, 'inactive', info.hostname, c, () => {
      entry.info = info;
      entry.recovered = true;
      entry.totalMilli = milliScalarsOf(info.resources);
    });
  }

  /** AGENT_REMOVED: kept, marked gone, until the next snapshot; its offers are rescinded with it. */
  removeAgent(id: string, c?: ClusterChangeBuilder): void {
    const entry = this.agents.get(id);
    if (entry === undefined || !entry.listed || entry.status === 'gone') return;
    if (entry.offers.size > 0) {
      const keep = [...this.offers.values()].filter((o) => o.agentEntry !== entry).map((o) => o.offer);
      this.setOffers(keep, c);
    }
    this.changeAgent(entry, 'gone', entry.hostname, c, () => undefined);
  }

  /** Applies `mutate` to an agent and moves it between lists and totals as its status and hostname say. */
  private changeAgent(
    entry: AgentEntry,
    status: AgentStatus,
    hostname: string,
    c: ClusterChangeBuilder | undefined,
    mutate: () => void,
  ): void {
    if (entry.contributes) this.addAgentTotals(entry, -1);
    if (!entry.listed || entry.status !== status || entry.hostname !== hostname) {
      const all = this.agentLists.get('all')!;
      if (entry.listed) {
        all.removeNow(entry);
        this.agentLists.get(entry.status)!.removeNow(entry);
        this.agentCounts[entry.status]--;
        c?.list({ kind: 'agents', status: entry.status });
      }
      entry.status = status;
      entry.hostname = hostname;
      entry.listed = true;
      this.addTo(all, entry);
      this.addTo(this.agentLists.get(status)!, entry);
      this.agentCounts[status]++;
      c?.list({ kind: 'agents' });
      c?.list({ kind: 'agents', status });
    }
    mutate();
    if (entry.contributes) this.addAgentTotals(entry, 1);
    this.version++;
    if (c) {
      c.agents.add(entry.id);
      c.totals = true;
    }
  }

  private addAgentTotals(entry: AgentEntry, sign: 1 | -1): void {
    addMilli(this.totalMilli, entry.totalMilli, sign);
    addMilli(this.usedMilli, entry.usedMilli, sign);
    addMilli(this.offeredMilli, entry.offeredMilli, sign);
  }

  /** The tasks on an agent, in order: gathered by one pass over all tasks, kept until the agent's tasks change. */
  agentTasks(agent: AgentEntry): readonly TaskEntry[] {
    const cached = this.agentTaskLists.get(agent);
    if (cached !== undefined && cached.version === agent.tasksVersion) return cached.tasks;
    const tasks: TaskEntry[] = [];
    const collect = (task: TaskEntry): void => {
      if (task.agent === agent) tasks.push(task);
    };
    for (const framework of this.frameworks.values()) {
      for (const group of framework.groups.values()) group.forEachUnordered(collect);
    }
    tasks.sort(compareTasks);
    this.agentTaskLists.delete(agent);
    this.agentTaskLists.set(agent, { version: agent.tasksVersion, tasks });
    if (this.agentTaskLists.size > CACHED_AGENT_LISTS)
      this.agentTaskLists.delete(this.agentTaskLists.keys().next().value!);
    return tasks;
  }

  // ---- tasks --------------------------------------------------------------------------------------

  /**
   * A framework's tasks by id, built on first use after a snapshot (or by settleInSlices). A task id
   * listed twice (a framework may reuse the id of a completed task) keeps the entry that is not
   * terminal, else the first.
   */
  tasksOf(framework: FrameworkEntry): Map<string, TaskEntry> {
    if (framework.taskIndex !== undefined) return framework.taskIndex;
    const steps = this.indexTasks(framework);
    while (steps.next().done !== true);
    return framework.taskIndex!;
  }

  /** Builds a framework's task-id map in steps (see tasksOf). */
  *indexTasks(framework: FrameworkEntry): Generator<void, void, void> {
    const index = new Map<string, TaskEntry>();
    const all: TaskEntry[] = [];
    for (const group of framework.groups.values()) group.forEachUnordered((task) => all.push(task));
    for (let at = 0; at < all.length; at++) {
      const task = all[at]!;
      const other = index.get(task.id);
      if (other === undefined) index.set(task.id, task);
      else this.dropDuplicate(index, other, task);
      if (at % INDEX_STEP === INDEX_STEP - 1) yield;
      // Finished meanwhile by a lookup (tasksOf): nothing left to do.
      if (framework.taskIndex !== undefined) return;
    }
    framework.taskIndex = index;
  }

  private dropDuplicate(index: Map<string, TaskEntry>, kept: TaskEntry, other: TaskEntry): void {
    const keepOther = isTerminalTaskState(kept.state) && !isTerminalTaskState(other.state);
    const [winner, loser] = keepOther ? [other, kept] : [kept, other];
    index.set(winner.id, winner);
    this.forgetTask(loser);
  }

  /** Takes a task out of its group and counts (a duplicate from a snapshot). */
  private forgetTask(task: TaskEntry): void {
    const framework = task.framework;
    const group = framework.groups.get(task.state);
    if (group !== undefined) {
      group.remove(task);
      if (group.size === 0) framework.groups.delete(task.state);
    }
    framework.taskCount--;
    task.agent.taskCount--;
    task.agent.tasksVersion++;
    this.taskCount--;
    this.version++;
  }

  /** A task of a legacy /master/state snapshot, kept as it is until a view reads it (see TaskEntry.task). */
  putLegacyTask(task: LegacyTaskInput): void {
    const framework = this.frameworkFor(task.framework_id);
    this.addTask(task.id, task.name ?? task.id, framework, this.agentFor(task.slave_id), task.state, task);
  }

  private addTask(
    id: string,
    name: string,
    framework: FrameworkEntry,
    agent: AgentEntry,
    state: TaskState,
    source: Task | LegacyTaskInput,
    c?: ClusterChangeBuilder,
  ): void {
    const entry = new TaskEntry(id, name, framework, agent, state, source);
    framework.taskIndex?.set(id, entry);
    this.addTo(this.groupOf(framework, state), entry);
    framework.taskCount++;
    agent.taskCount++;
    agent.tasksVersion++;
    this.taskCount++;
    this.version++;
    if (this.live && !isTerminalTaskState(state)) this.addTaskUsage(entry, 1, c);
    if (c) {
      c.tasks.add(taskKey(framework.id, id));
      c.list({ kind: 'frameworkTasks', frameworkId: framework.id, state });
      c.list({ kind: 'frameworkTasks', frameworkId: framework.id });
      c.list({ kind: 'agentTasks', agentId: agent.id });
      c.frameworks.add(framework.id);
      c.agents.add(agent.id);
      c.totals = true;
    }
  }

  /** TASK_ADDED, or a task of a snapshot: a new task, or a known one replaced by the master's newer view. */
  putTask(task: Task, c?: ClusterChangeBuilder): void {
    const id = task.task_id.value;
    const framework = this.frameworkFor(task.framework_id.value, c);
    const agent = this.agentFor(task.agent_id.value);
    // While a snapshot loads there is no id map yet: duplicates are resolved when it is built.
    const known = this.live ? this.tasksOf(framework).get(id) : undefined;
    if (known === undefined) {
      this.addTask(id, task.name, framework, agent, task.state, task, c);
      return;
    }
    if (this.live && !isTerminalTaskState(known.state)) this.addTaskUsage(known, -1, c);
    if (known.name !== task.name) {
      // The sort key changes: take it out of its group under the old key first.
      this.groupOf(framework, known.state).removeNow(known);
      known.name = task.name;
      this.addTo(this.groupOf(framework, known.state), known);
      known.agent.tasksVersion++;
      if (c) {
        c.list({ kind: 'frameworkTasks', frameworkId: framework.id, state: known.state });
        c.list({ kind: 'frameworkTasks', frameworkId: framework.id });
        c.list({ kind: 'agentTasks', agentId: known.agent.id });
      }
    }
    if (known.agent !== agent) {
      known.agent.taskCount--;
      known.agent.tasksVersion++;
      agent.taskCount++;
      agent.tasksVersion++;
      if (c) {
        c.list({ kind: 'agentTasks', agentId: known.agent.id });
        c.list({ kind: 'agentTasks', agentId: agent.id });
        c.agents.add(known.agent.id);
        c.agents.add(agent.id);
      }
      known.agent = agent;
    }
    known.task = task;
    this.moveTask(known, task.state, c);
    if (this.live && !isTerminalTaskState(known.state)) this.addTaskUsage(known, 1, c);
    this.version++;
    c?.tasks.add(taskKey(framework.id, id));
  }

  /**
   * TASK_UPDATED: `status` is the last acknowledged status, `state` the latest state the agent knows
   * (reference §6.3). A task the model has not seen is added from the status alone.
   */
  updateTask(frameworkId: string, status: TaskStatus, state: TaskState, c?: ClusterChangeBuilder): void {
    const id = status.task_id.value;
    const framework = this.frameworks.get(frameworkId);
    const entry = framework === undefined ? undefined : this.tasksOf(framework).get(id);
    if (entry === undefined) {
      const agentId = status.agent_id?.value;
      if (agentId === undefined) {
        this.problem(`TASK_UPDATED for unknown task '${id}' of framework '${frameworkId}' names no agent`);
        return;
      }
      const task: Task = {
        name: id,
        task_id: status.task_id,
        framework_id: { value: frameworkId },
        agent_id: { value: agentId },
        state,
        statuses: [status],
        status_update_state: status.state,
        ...(status.uuid === undefined ? {} : { status_update_uuid: status.uuid }),
      };
      const checked = checkTask(task);
      if ('problem' in checked) this.problem(checked.problem);
      else this.putTask(checked.ok, c);
      return;
    }
    const task = entry.task;
    const statuses = (task.statuses ??= []);
    const last = statuses[statuses.length - 1];
    if (
      last === undefined ||
      last.uuid !== status.uuid ||
      last.state !== status.state ||
      last.timestamp !== status.timestamp
    ) {
      statuses.push(status);
    }
    task.status_update_state = status.state;
    if (status.uuid !== undefined) task.status_update_uuid = status.uuid;
    task.state = state;
    const wasUsing = !isTerminalTaskState(entry.state);
    const nowUsing = !isTerminalTaskState(state);
    this.moveTask(entry, state, c);
    if (this.live && wasUsing !== nowUsing) this.addTaskUsage(entry, nowUsing ? 1 : -1, c);
    this.version++;
    c?.tasks.add(taskKey(frameworkId, id));
  }

  /** Moves a task to the group of its new state (resources are the caller's business). */
  private moveTask(entry: TaskEntry, state: TaskState, c?: ClusterChangeBuilder): void {
    const old = entry.state;
    if (old === state) return;
    const framework = entry.framework;
    const group = framework.groups.get(old);
    if (group !== undefined) {
      group.remove(entry);
      if (group.size === 0) framework.groups.delete(old);
    }
    entry.state = state;
    this.addTo(this.groupOf(framework, state), entry);
    if (c) {
      c.list({ kind: 'frameworkTasks', frameworkId: framework.id, state: old });
      c.list({ kind: 'frameworkTasks', frameworkId: framework.id, state });
      c.frameworks.add(framework.id);
      c.totals = true;
    }
  }

  private addTaskUsage(entry: TaskEntry, sign: 1 | -1, c?: ClusterChangeBuilder): void {
    const milli = milliScalarsOf(entry.task.resources);
    addMilli(entry.framework.usedMilli, milli, sign);
    addMilli(entry.agent.usedMilli, milli, sign);
    if (entry.agent.contributes) addMilli(this.usedMilli, milli, sign);
    if (c) {
      c.frameworks.add(entry.framework.id);
      c.agents.add(entry.agent.id);
      c.totals = true;
    }
  }

  private groupOf(framework: FrameworkEntry, state: TaskState): SortedList<TaskEntry> {
    let group = framework.groups.get(state);
    if (group === undefined) {
      group = new SortedList(compareTasks);
      framework.groups.set(state, group);
    }
    return group;
  }

  /** Tasks per state, over all frameworks. */
  taskStateCounts(): Map<TaskState, number> {
    const counts = new Map<TaskState, number>();
    for (const framework of this.frameworks.values()) {
      for (const [state, group] of framework.groups) counts.set(state, (counts.get(state) ?? 0) + group.size);
    }
    return counts;
  }

  // ---- offers -------------------------------------------------------------------------------------

  /** Replaces the outstanding offers; offers are immutable, so an id seen before is the same offer. */
  setOffers(offers: readonly Offer[], c?: ClusterChangeBuilder): void {
    const next = new Map<string, Offer>();
    for (const value of offers) {
      const checked = checkOffer(value);
      if ('problem' in checked) this.problem(checked.problem);
      else next.set(checked.ok.id.value, checked.ok);
    }
    for (const [id, entry] of this.offers) {
      if (next.has(id)) continue;
      this.offers.delete(id);
      this.offerList.remove(entry);
      entry.agentEntry.offers.delete(entry);
      this.moveOffered(entry, -1, c);
      c?.offers.add(id);
    }
    for (const [id, offer] of next) {
      if (this.offers.has(id)) continue;
      const agent = this.agentFor(offer.agent_id.value);
      const entry = new OfferEntry(id, offer.hostname ?? agent.hostname, agent, milliScalarsOf(offer.resources), offer);
      this.offers.set(id, entry);
      this.addTo(this.offerList, entry);
      agent.offers.add(entry);
      this.moveOffered(entry, 1, c);
      c?.offers.add(id);
    }
    if (c && c.offers.size > 0) c.list({ kind: 'offers' });
  }

  private moveOffered(entry: OfferEntry, sign: 1 | -1, c?: ClusterChangeBuilder): void {
    const agent = entry.agentEntry;
    addMilli(agent.offeredMilli, entry.milli, sign);
    if (agent.contributes) addMilli(this.offeredMilli, entry.milli, sign);
    this.version++;
    if (c) {
      c.agents.add(agent.id);
      c.totals = true;
    }
  }

  // ---- lists --------------------------------------------------------------------------------------

  /**
   * Adds to a list. While a snapshot loads, additions only pile up (sorting them is left to
   * settleInSlices, after the snapshot is in use); live, they are merged once they are a quarter of
   * the list, so a list that nobody reads does not grow a backlog.
   */
  private addTo<T>(list: SortedList<T>, item: T): void {
    list.add(item);
    if (this.live && list.needsSettling) list.settle();
  }

  /** Ends a snapshot: lists frameworks known only through tasks, sets the offers, and turns live. */
  finishSnapshot(offers: readonly Offer[] | undefined): void {
    for (const framework of this.frameworks.values()) {
      if (!framework.listed) this.placeFramework(framework, 'completed', framework.name);
    }
    if (offers !== undefined) this.setOffers(offers);
    this.live = true;
  }

  /**
   * What a snapshot left for later, in small steps: the frameworks' task-id maps (events need them),
   * then the large lists, the views' roots first and then the largest groups. Lists below
   * SETTLE_IN_BACKGROUND sort when first read, in well under a millisecond.
   */
  *settleInSlices(): Generator<void, void, void> {
    const frameworks = [...this.frameworks.values()].sort((a, b) => b.taskCount - a.taskCount);
    for (const framework of frameworks) {
      if (framework.taskIndex === undefined) yield* this.indexTasks(framework);
    }
    const roots: Settleable[] = [...this.frameworkLists.values(), ...this.agentLists.values(), this.offerList];
    const groups: Settleable[] = [];
    for (const framework of this.frameworks.values()) groups.push(...framework.groups.values());
    groups.sort((a, b) => b.size - a.size);
    for (const list of [...roots, ...groups]) {
      if (list.size < SETTLE_IN_BACKGROUND || list.isSettled) continue;
      yield* list.settleInSlices();
      yield;
    }
  }

  /** The entries of a list in order, or undefined when the framework or agent is not in the model. */
  listEntries(list: ClusterList): readonly (FrameworkEntry | AgentEntry | OfferEntry | TaskEntry)[] | undefined {
    switch (list.kind) {
      case 'frameworks':
        return this.frameworkLists.get(list.status ?? 'all')!.values();
      case 'agents':
        return this.agentLists.get(list.status ?? 'all')!.values();
      case 'offers':
        return this.offerList.values();
      case 'agentTasks': {
        const agent = this.agents.get(list.agentId);
        return agent === undefined ? undefined : this.agentTasks(agent);
      }
      case 'frameworkTasks': {
        const framework = this.frameworks.get(list.frameworkId);
        if (framework === undefined) return undefined;
        if (list.state !== undefined) return framework.groups.get(list.state)?.values() ?? [];
        return mergeGroups([...framework.groups.values()].map((g) => g.values()));
      }
    }
  }

  /** Size of a list without building it. */
  listSize(list: ClusterList): number {
    switch (list.kind) {
      case 'frameworks':
        return this.frameworkLists.get(list.status ?? 'all')!.size;
      case 'agents':
        return this.agentLists.get(list.status ?? 'all')!.size;
      case 'offers':
        return this.offerList.size;
      case 'agentTasks':
        return this.agents.get(list.agentId)?.taskCount ?? 0;
      case 'frameworkTasks': {
        const framework = this.frameworks.get(list.frameworkId);
        if (framework === undefined) return 0;
        return list.state === undefined ? framework.taskCount : (framework.groups.get(list.state)?.size ?? 0);
      }
    }
  }
}

export function agentStatusOf(agent: MasterResponseGetAgentsAgent): AgentStatus {
  const drain = agent.drain_info?.state;
  if (drain === 'DRAINING' || drain === 'DRAINED') return 'draining';
  if (!agent.active || agent.deactivated === true) return 'inactive';
  return 'active';
}

/** A framework's groups merged into one list in task order (each group is sorted already). */
function mergeGroups(groups: readonly (readonly TaskEntry[])[]): TaskEntry[] {
  let merged: TaskEntry[] = [];
  for (const group of groups) {
    const out = new Array<TaskEntry>(merged.length + group.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < merged.length && j < group.length) {
      out[k++] = compareTasks(group[j]!, merged[i]!) < 0 ? group[j++]! : merged[i++]!;
    }
    while (i < merged.length) out[k++] = merged[i++]!;
    while (j < group.length) out[k++] = group[j++]!;
    merged = out;
  }
  return merged;
}
