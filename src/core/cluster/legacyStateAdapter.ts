import type {
  AgentInfo,
  Attribute,
  ContainerInfo,
  ContainerStatus,
  FrameworkInfo,
  DiscoveryInfo,
  DomainInfo,
  DrainState,
  FrameworkInfoCapabilityType,
  HealthCheck,
  Int64,
  Label,
  MasterResponseGetAgentsAgent,
  MasterResponseGetFrameworksFramework,
  Offer,
  Resource,
  Task,
  TaskState,
  TaskStatus,
  AgentInfoCapabilityType,
} from '../mesos/codec';
import { checkAgent, checkAgentInfo, checkFramework, checkLegacyTask } from './clusterInput';
import type { ClusterIndex } from './clusterIndex';
import type { ElementStart, JsonShape } from './slicedJsonReader';

/**
 * Maps the legacy `/master/state` (reference §7.2; what masters without the v1 operator API serve, and
 * what the Mesos web UI reads) into the v1 shapes the model holds, so one model serves both: `slave` ids
 * become AgentIDs, times in seconds become TimeInfo, resource summaries (`{"cpus": 4, "ports":
 * "[31000-32000]"}`) become Resource lists, attribute maps become Attribute lists, and each framework's
 * tasks become Tasks. What the legacy JSON does not carry (a status's reason and message, reservations)
 * stays unset. The converted objects replace the legacy ones: the model keeps no second copy. Tasks are
 * converted when first read (TaskEntry.task): a legacy master has no event stream that would change them.
 *
 * The input types name only what is read, all optional where Mesos versions differ, so the operator
 * client's own legacy types can be passed in as they are.
 */

export type LegacyResourcesInput = Readonly<Record<string, number | string | undefined>>;

export interface LegacyLabelInput {
  readonly key: string;
  readonly value?: string;
}

export interface LegacyTaskStatusInput {
  readonly state: TaskState;
  readonly timestamp?: number;
  readonly labels?: readonly LegacyLabelInput[];
  readonly container_status?: ContainerStatus;
  readonly healthy?: boolean;
}

export interface LegacyTaskInput {
  readonly id: string;
  readonly name?: string;
  readonly framework_id: string;
  readonly executor_id?: string;
  readonly slave_id: string;
  readonly state: TaskState;
  readonly resources?: LegacyResourcesInput;
  readonly role?: string;
  readonly statuses?: readonly LegacyTaskStatusInput[];
  readonly user?: string;
  readonly labels?: readonly LegacyLabelInput[];
  readonly discovery?: DiscoveryInfo;
  readonly container?: ContainerInfo;
  readonly health_check?: HealthCheck;
}

export interface LegacyOfferInput {
  readonly id: string;
  readonly framework_id: string;
  readonly slave_id: string;
  readonly resources?: LegacyResourcesInput;
  readonly allocation_info?: { readonly role?: string };
}

export interface LegacyFrameworkInput {
  readonly id: string;
  readonly name: string;
  readonly user?: string;
  readonly active?: boolean;
  readonly connected?: boolean;
  readonly recovered?: boolean;
  readonly hostname?: string;
  readonly webui_url?: string;
  readonly principal?: string;
  readonly failover_timeout?: number;
  readonly checkpoint?: boolean;
  readonly role?: string;
  readonly roles?: readonly string[];
  readonly capabilities?: readonly string[];
  readonly labels?: readonly LegacyLabelInput[];
  readonly registered_time?: number;
  readonly reregistered_time?: number;
  readonly unregistered_time?: number;
  readonly used_resources?: LegacyResourcesInput;
  readonly offered_resources?: LegacyResourcesInput;
  readonly tasks?: readonly LegacyTaskInput[];
  readonly unreachable_tasks?: readonly LegacyTaskInput[];
  readonly completed_tasks?: readonly LegacyTaskInput[];
  readonly offers?: readonly LegacyOfferInput[];
}

export interface LegacyRecoveredAgentInput {
  readonly id: string;
  readonly hostname: string;
  readonly port?: number;
  readonly attributes?: Readonly<Record<string, number | string>>;
  readonly domain?: DomainInfo;
}

export interface LegacyAgentInput extends LegacyRecoveredAgentInput {
  readonly pid?: string;
  readonly registered_time?: number;
  readonly reregistered_time?: number;
  readonly resources?: LegacyResourcesInput;
  readonly used_resources?: LegacyResourcesInput;
  readonly offered_resources?: LegacyResourcesInput;
  readonly active?: boolean;
  readonly deactivated?: boolean;
  readonly version?: string;
  readonly capabilities?: readonly string[];
  readonly drain_info?: { readonly state?: string; readonly config?: { readonly mark_gone?: boolean } };
}

/** `GET /master/state`: the parts the model reads. */
export interface LegacyMasterStateInput {
  readonly slaves?: readonly LegacyAgentInput[];
  readonly recovered_slaves?: readonly LegacyRecoveredAgentInput[];
  readonly frameworks?: readonly LegacyFrameworkInput[];
  readonly completed_frameworks?: readonly LegacyFrameworkInput[];
}

// ---- conversions ------------------------------------------------------------------------------------

const REVOCABLE_SUFFIX = '_revocable';

/** A resources summary as a Resource list; zero scalars (always present in summaries) are left out. */
export function resourcesFromSummary(summary: LegacyResourcesInput | undefined): Resource[] {
  const out: Resource[] = [];
  if (summary === undefined) return out;
  for (const key of Object.keys(summary)) {
    const value = summary[key];
    const revocable = key.endsWith(REVOCABLE_SUFFIX);
    const name = revocable ? key.slice(0, -REVOCABLE_SUFFIX.length) : key;
    const flag = revocable ? { revocable: {} } : {};
    if (typeof value === 'number') {
      if (value !== 0) out.push({ name, type: 'SCALAR', scalar: { value }, ...flag });
    } else if (typeof value === 'string' && value.startsWith('[')) {
      const range = [...value.matchAll(/(\d+)-(\d+)/g)].map((m) => ({ begin: Number(m[1]), end: Number(m[2]) }));
      if (range.length > 0) out.push({ name, type: 'RANGES', ranges: { range }, ...flag });
    } else if (typeof value === 'string' && value.startsWith('{')) {
      const item = value
        .slice(1, -1)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      if (item.length > 0) out.push({ name, type: 'SET', set: { item }, ...flag });
    }
  }
  return out;
}

export function attributesFromMap(map: Readonly<Record<string, number | string>> | undefined): Attribute[] {
  if (map === undefined) return [];
  return Object.keys(map).map((name): Attribute => {
    const value = map[name]!;
    return typeof value === 'number'
      ? { name, type: 'SCALAR', scalar: { value } }
      : { name, type: 'TEXT', text: { value: String(value) } };
  });
}

/** Seconds (a double) as TimeInfo nanoseconds, exact to the microsecond the legacy JSON keeps. */
function timeFromSeconds(seconds: number | undefined): { nanoseconds: Int64 } | undefined {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  const nanos = BigInt(Math.round(seconds * 1e6)) * 1000n;
  return { nanoseconds: nanos <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(nanos) : String(nanos) };
}

const labelsOf = (labels: readonly LegacyLabelInput[] | undefined): { labels: Label[] } | undefined =>
  labels === undefined || labels.length === 0 ? undefined : { labels: labels.map((l) => ({ ...l })) };

export function taskFromLegacy(t: LegacyTaskInput): Task {
  const taskId = { value: t.id };
  const agentId = { value: t.slave_id };
  const task: Task = {
    name: t.name ?? t.id,
    task_id: taskId,
    framework_id: { value: t.framework_id },
    agent_id: agentId,
    state: t.state,
    resources: resourcesFromSummary(t.resources),
  };
  if (t.executor_id) task.executor_id = { value: t.executor_id };
  if (t.statuses !== undefined && t.statuses.length > 0) {
    task.statuses = t.statuses.map((s) => {
      const status: TaskStatus = { task_id: taskId, state: s.state, agent_id: agentId };
      if (s.timestamp !== undefined) status.timestamp = s.timestamp;
      if (s.healthy !== undefined) status.healthy = s.healthy;
      const labels = labelsOf(s.labels);
      if (labels !== undefined) status.labels = labels;
      if (s.container_status !== undefined) status.container_status = s.container_status;
      return status;
    });
  }
  const labels = labelsOf(t.labels);
  if (labels !== undefined) task.labels = labels;
  if (t.discovery !== undefined) task.discovery = t.discovery;
  if (t.container !== undefined) task.container = t.container;
  if (t.health_check !== undefined) task.health_check = t.health_check;
  if (t.user !== undefined) task.user = t.user;
  return task;
}

export function frameworkFromLegacy(f: LegacyFrameworkInput): MasterResponseGetFrameworksFramework {
  const info: FrameworkInfo = { user: f.user ?? '', name: f.name, id: { value: f.id } };
  if (f.failover_timeout !== undefined) info.failover_timeout = f.failover_timeout;
  if (f.checkpoint !== undefined) info.checkpoint = f.checkpoint;
  if (f.roles !== undefined) info.roles = [...f.roles];
  else if (f.role !== undefined) info.role = f.role;
  if (f.hostname) info.hostname = f.hostname;
  if (f.principal !== undefined) info.principal = f.principal;
  if (f.webui_url) info.webui_url = f.webui_url;
  if (f.capabilities !== undefined && f.capabilities.length > 0) {
    info.capabilities = f.capabilities.map((type) => ({ type: type as FrameworkInfoCapabilityType }));
  }
  const labels = labelsOf(f.labels);
  if (labels !== undefined) info.labels = labels;
  const framework: MasterResponseGetFrameworksFramework = {
    framework_info: info,
    active: f.active ?? false,
    connected: f.connected ?? false,
    recovered: f.recovered ?? false,
    allocated_resources: resourcesFromSummary(f.used_resources),
    offered_resources: resourcesFromSummary(f.offered_resources),
  };
  const registered = timeFromSeconds(f.registered_time);
  if (registered !== undefined) framework.registered_time = registered;
  const reregistered = timeFromSeconds(f.reregistered_time);
  if (reregistered !== undefined) framework.reregistered_time = reregistered;
  const unregistered = timeFromSeconds(f.unregistered_time);
  if (unregistered !== undefined) framework.unregistered_time = unregistered;
  return framework;
}

export function agentInfoFromLegacy(a: LegacyRecoveredAgentInput, resources?: Resource[]): AgentInfo {
  const info: AgentInfo = { hostname: a.hostname, id: { value: a.id }, attributes: attributesFromMap(a.attributes) };
  if (a.port !== undefined) info.port = a.port;
  if (resources !== undefined) info.resources = resources;
  if (a.domain !== undefined) info.domain = a.domain;
  return info;
}

const DRAIN_STATES: ReadonlySet<string> = new Set<DrainState>(['UNKNOWN', 'DRAINING', 'DRAINED']);

export function agentFromLegacy(a: LegacyAgentInput): MasterResponseGetAgentsAgent {
  const total = resourcesFromSummary(a.resources);
  const agent: MasterResponseGetAgentsAgent = {
    agent_info: agentInfoFromLegacy(a, total),
    active: a.active ?? true,
    version: a.version ?? '',
    total_resources: total,
    allocated_resources: resourcesFromSummary(a.used_resources),
    offered_resources: resourcesFromSummary(a.offered_resources),
    capabilities: (a.capabilities ?? []).map((type) => ({ type: type as AgentInfoCapabilityType })),
  };
  if (a.deactivated !== undefined) agent.deactivated = a.deactivated;
  if (a.pid !== undefined) agent.pid = a.pid;
  const registered = timeFromSeconds(a.registered_time);
  if (registered !== undefined) agent.registered_time = registered;
  const reregistered = timeFromSeconds(a.reregistered_time);
  if (reregistered !== undefined) agent.reregistered_time = reregistered;
  const drain = a.drain_info?.state;
  if (drain !== undefined && DRAIN_STATES.has(drain)) {
    agent.drain_info = { state: drain as DrainState, config: { mark_gone: a.drain_info?.config?.mark_gone ?? false } };
  }
  return agent;
}

export function offerFromLegacy(o: LegacyOfferInput, hostname: string): Offer {
  const offer: Offer = {
    id: { value: o.id },
    framework_id: { value: o.framework_id },
    agent_id: { value: o.slave_id },
    hostname,
    resources: resourcesFromSummary(o.resources),
  };
  if (o.allocation_info !== undefined) offer.allocation_info = { ...o.allocation_info };
  return offer;
}

// ---- reading into the model -------------------------------------------------------------------------

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 120);

/** Converts legacy elements and puts them into a ClusterIndex being built. */
export class LegacyStateSink {
  private readonly legacyOffers: LegacyOfferInput[] = [];

  constructor(readonly index: ClusterIndex) {}

  private convert<I, T>(value: unknown, what: string, convert: (v: I) => T): T | undefined {
    if (!isObject(value) || typeof value.id !== 'string') {
      this.index.problem(`a legacy ${what} has no id: ${describe(value)}`);
      return undefined;
    }
    try {
      return convert(value as I);
    } catch (error) {
      this.index.problem(
        `legacy ${what} '${value.id}' is malformed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }

  tasks = (values: readonly unknown[]): void => {
    for (const value of values) {
      const checked = checkLegacyTask(value);
      if ('ok' in checked) this.index.putLegacyTask(checked.ok);
      else this.index.problem(checked.problem);
    }
  };

  agents = (values: readonly unknown[]): void => {
    for (const value of values) {
      const agent = this.convert(value, 'agent', agentFromLegacy);
      if (agent === undefined) continue;
      const checked = checkAgent(agent);
      if ('ok' in checked) this.index.putAgent(checked.ok);
      else this.index.problem(checked.problem);
    }
  };

  recoveredAgents = (values: readonly unknown[]): void => {
    for (const value of values) {
      const info = this.convert(value, 'recovered agent', (v: LegacyRecoveredAgentInput) => agentInfoFromLegacy(v));
      if (info === undefined) continue;
      const checked = checkAgentInfo(info);
      if ('ok' in checked) this.index.putRecoveredAgent(checked.ok);
      else this.index.problem(checked.problem);
    }
  };

  offers = (values: readonly unknown[]): void => {
    for (const value of values) {
      if (isObject(value) && typeof value.id === 'string') this.legacyOffers.push(value as unknown as LegacyOfferInput);
      else this.index.problem(`a legacy offer has no id: ${describe(value)}`);
    }
  };

  /** A framework's own fields (its task and offer arrays are read apart, element by element). */
  framework(value: unknown, completed: boolean): void {
    const framework = this.convert(value, 'framework', frameworkFromLegacy);
    if (framework === undefined) return;
    const checked = checkFramework(framework);
    if ('ok' in checked) this.index.putFramework(checked.ok, completed);
    else this.index.problem(checked.problem);
  }

  /** The offers, once the agents (and so their hostnames) are known. */
  offersV1(): Offer[] {
    return this.legacyOffers.map((o) => offerFromLegacy(o, this.index.agents.get(o.slave_id)?.hostname ?? o.slave_id));
  }
}

// How Mesos's handlers start a task and an agent object (src/common/http.cpp, src/master/readonly_handler.cpp).
const LEGACY_TASK_START: ElementStart = { anchor: '","framework_id":"', start: '{"id":"' };
const LEGACY_AGENT_START: ElementStart = { anchor: '","hostname":"', start: '{"id":"' };

/** The shape of `/master/state`: a framework's tasks are read in batches, not with the framework at once. */
export function legacyStateShape(sink: LegacyStateSink): JsonShape {
  const tasks: JsonShape = { kind: 'elements', take: sink.tasks, elementStart: LEGACY_TASK_START };
  const framework = (completed: boolean): JsonShape => ({
    kind: 'object',
    members: {
      tasks,
      unreachable_tasks: tasks,
      completed_tasks: tasks,
      offers: { kind: 'elements', take: sink.offers },
      executors: { kind: 'skip' },
      completed_executors: { kind: 'skip' },
    },
    others: 'collect',
    end: (fields) => sink.framework(fields, completed),
  });
  return {
    kind: 'object',
    members: {
      slaves: { kind: 'elements', take: sink.agents, elementStart: LEGACY_AGENT_START },
      recovered_slaves: { kind: 'elements', take: sink.recoveredAgents },
      frameworks: { kind: 'each', element: framework(false) },
      completed_frameworks: { kind: 'each', element: framework(true) },
    },
  };
}

const STEP = 1000;

/** Feeds an already parsed `/master/state` to `sink`, yielding every thousand elements. */
export function* readDecodedLegacyState(
  state: LegacyMasterStateInput,
  sink: LegacyStateSink,
): Generator<void, void, void> {
  const chunks = function* (values: readonly unknown[] | undefined, take: (v: readonly unknown[]) => void) {
    for (let at = 0; values !== undefined && at < values.length; at += STEP) {
      take(values.slice(at, at + STEP));
      yield;
    }
  };
  yield* chunks(state.slaves, sink.agents);
  yield* chunks(state.recovered_slaves, sink.recoveredAgents);
  for (const [list, completed] of [
    [state.frameworks, false],
    [state.completed_frameworks, true],
  ] as const) {
    for (const framework of list ?? []) {
      sink.framework(framework, completed);
      yield* chunks(framework.tasks, sink.tasks);
      yield* chunks(framework.unreachable_tasks, sink.tasks);
      yield* chunks(framework.completed_tasks, sink.tasks);
      yield* chunks(framework.offers, sink.offers);
    }
  }
}
