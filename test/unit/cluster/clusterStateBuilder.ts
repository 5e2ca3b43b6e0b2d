import { isTerminalTaskState } from '../../../src/core/cluster/taskStates';
import type {
  MasterEvent,
  MasterResponse,
  MasterResponseGetAgentsAgent,
  MasterResponseGetFrameworksFramework,
  Offer,
  Resource,
  Task,
  TaskState,
  TaskStatus,
} from '../../../src/core/mesos/codec';

/**
 * A synthetic cluster of any size, as a master would describe it: GET_STATE (v1 operator API) and the
 * same cluster as legacy /master/state, plus operator events against it. Shared by the cluster tests and
 * bench B4 (10,000 agents, 100,000 tasks), so both read like the case they check. Shapes follow the
 * captures of a real Mesos 1.12 (test/fixtures/mesos-1.12): a task carries its statuses with container
 * status, an agent its static, total and allocated resources and capabilities.
 */

export const MASTER_ID = '9b5d8929-2afc-4fa6-a716-69ba2145bf88';
const NANOS_BASE = 1795566157810769920n;
const SECONDS_BASE = 1795566364.5;

export interface SyntheticClusterOptions {
  readonly agents: number;
  /** Every task the master reports: launched ones plus completed ones. */
  readonly tasks: number;
  /** Active frameworks (default 40); the first one ("jenkins") holds `bigFrameworkTasks` of the tasks. */
  readonly frameworks?: number;
  /** Tasks of framework 0 (default: half the tasks). */
  readonly bigFrameworkTasks?: number;
  /** Completed frameworks (default 10). */
  readonly completedFrameworks?: number;
  /** Share of tasks that are completed (terminal), default 0.1; capped at 1000 per framework like Mesos. */
  readonly completedShare?: number;
  /** Outstanding offers, one per agent from agent 0 on (default 0). */
  readonly offers?: number;
  /** Agent 0 gets this many tasks of framework 1 in addition to its share (default 100). */
  readonly crowdedAgentTasks?: number;
}

export const agentId = (i: number): string => `${MASTER_ID}-S${i}`;
export const frameworkId = (i: number): string => `${MASTER_ID}-${String(i).padStart(4, '0')}`;
export const agentHostname = (i: number): string => `agent-${String(i).padStart(5, '0')}.dc1.example.com`;

const scalar = (name: string, value: number, role?: string): Resource => ({
  name,
  type: 'SCALAR',
  scalar: { value },
  ...(role === undefined ? {} : { role }),
});

const allocated = (name: string, value: number): Resource => ({
  name,
  type: 'SCALAR',
  scalar: { value },
  role: '*',
  allocation_info: { role: '*' },
});

function uuidOf(n: number): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUInt32BE(n >>> 0, 0);
  bytes.writeUInt32BE(0x9e3779b9, 4);
  bytes.writeUInt32BE((n * 2654435761) >>> 0, 8);
  return bytes.toString('base64');
}

export interface TaskShape {
  readonly frameworkIndex: number;
  readonly agentIndex: number;
  readonly id: string;
  readonly state: TaskState;
  readonly cpus: number;
  readonly mem: number;
}

/** Which tasks exist, on which agent, in which state: the layout both state shapes are built from. */
export function taskLayout(options: SyntheticClusterOptions): TaskShape[] {
  const frameworks = Math.max(1, options.frameworks ?? 40);
  const big = Math.min(options.tasks, options.bigFrameworkTasks ?? Math.floor(options.tasks / 2));
  const completedShare = options.completedShare ?? 0.1;
  const crowded = Math.min(options.crowdedAgentTasks ?? 100, Math.max(0, options.tasks - big));
  const out: TaskShape[] = [];
  const completedPerFramework = new Map<number, number>();
  for (let i = 0; i < options.tasks; i++) {
    let frameworkIndex: number;
    let agentIndex: number;
    if (i < big) {
      frameworkIndex = 0;
      agentIndex = i % options.agents;
    } else if (i < big + crowded) {
      frameworkIndex = Math.min(1, frameworks - 1);
      agentIndex = 0;
    } else {
      frameworkIndex = frameworks === 1 ? 0 : 1 + ((i - big) % (frameworks - 1));
      agentIndex = (i * 7) % options.agents;
    }
    // Framework 0 keeps every task running, so it has one group of `big` tasks (B4: expand 50,000).
    let state: TaskState =
      frameworkIndex === 0
        ? 'TASK_RUNNING'
        : i % 13 === 5
          ? 'TASK_STAGING'
          : i % 17 === 3
            ? 'TASK_STARTING'
            : 'TASK_RUNNING';
    const done = completedPerFramework.get(frameworkIndex) ?? 0;
    if (frameworkIndex !== 0 && (i * 37) % 100 < completedShare * 100 && done < 1000) {
      state = i % 3 === 0 ? 'TASK_FAILED' : i % 3 === 1 ? 'TASK_KILLED' : 'TASK_FINISHED';
      completedPerFramework.set(frameworkIndex, done + 1);
    }
    const id = frameworkIndex === 0 ? `jenkins-agent-${i}` : `task-${frameworkIndex}-${i}`;
    out.push({ frameworkIndex, agentIndex, id, state, cpus: 0.5 + (i % 4) * 0.25, mem: 256 * (1 + (i % 8)) });
  }
  return out;
}


function status(shape: TaskShape, state: TaskState, n: number, at: number): TaskStatus {
  return {
    task_id: { value: shape.id },
    state,
    source: 'SOURCE_EXECUTOR',
    agent_id: { value: agentId(shape.agentIndex) },
    executor_id: { value: shape.id },
    timestamp: SECONDS_BASE + at,
    uuid: uuidOf(n),
    container_status: {
      container_id: { value: `70bbd3e4-cb8d-45b9-${String(n % 10000).padStart(4, '0')}-473b1131a99c` },
      network_infos: [
        {
          ip_addresses: [
            { protocol: 'IPv4', ip_address: `10.${(shape.agentIndex >> 8) & 255}.${shape.agentIndex & 255}.1` },
          ],
        },
      ],
      executor_pid: 1000 + (n % 30000),
    },
  };
}

export function v1Task(shape: TaskShape, n: number): Task {
  const statuses: TaskStatus[] = [];
  if (shape.state !== 'TASK_STAGING') {
    // Most tasks report one status; every third keeps its TASK_STARTING too (as the capture does).
    if (n % 3 === 0 && shape.state !== 'TASK_STARTING') statuses.push(status(shape, 'TASK_STARTING', n * 2, n * 0.001));
    statuses.push(status(shape, shape.state, n * 2 + 1, n * 0.001 + 0.03));
  }
  const task: Task = {
    name: shape.id,
    task_id: { value: shape.id },
    framework_id: { value: frameworkId(shape.frameworkIndex) },
    agent_id: { value: agentId(shape.agentIndex) },
    state: shape.state,
    resources: [allocated('cpus', shape.cpus), allocated('mem', shape.mem)],
    ...(statuses.length > 0 ? { statuses } : {}),
  };
  if (statuses.length > 0) {
    task.status_update_state = shape.state;
    task.status_update_uuid = statuses[statuses.length - 1]!.uuid;
  }
  if (n % 5 === 0) task.labels = { labels: [{ key: 'jenkins.label', value: `linux-${n % 7}` }] };
  return task;
}

interface Usage {
  cpus: number;
  mem: number;
}

function usageByAgent(layout: readonly TaskShape[], agents: number): Usage[] {
  const usage = Array.from({ length: agents }, () => ({ cpus: 0, mem: 0 }));
  for (const t of layout) {
    if (isTerminalTaskState(t.state)) continue;
    const u = usage[t.agentIndex]!;
    u.cpus = Math.round((u.cpus + t.cpus) * 1000) / 1000;
    u.mem += t.mem;
  }
  return usage;
}

const AGENT_CPUS = 32;
const AGENT_MEM = 131072;
const AGENT_DISK = 1_000_000;

function agentCapabilities(): MasterResponseGetAgentsAgent['capabilities'] {
  return [
    { type: 'MULTI_ROLE' },
    { type: 'HIERARCHICAL_ROLE' },
    { type: 'RESERVATION_REFINEMENT' },
    { type: 'RESOURCE_PROVIDER' },
    { type: 'RESIZE_VOLUME' },
    { type: 'AGENT_OPERATION_FEEDBACK' },
    { type: 'AGENT_DRAINING' },
    { type: 'TASK_RESOURCE_LIMITS' },
  ];
}

export function v1Agent(i: number, usage: Usage, offered?: Usage): MasterResponseGetAgentsAgent {
  const nanos = String(NANOS_BASE + BigInt(i) * 1_000_003n);
  const agent: MasterResponseGetAgentsAgent = {
    agent_info: {
      hostname: agentHostname(i),
      port: 5051,
      resources: [
        scalar('cpus', AGENT_CPUS),
        scalar('mem', AGENT_MEM),
        scalar('disk', AGENT_DISK),
        { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] } },
      ],
      attributes: [
        { name: 'rack', type: 'TEXT', text: { value: `r${i % 40}` } },
        { name: 'zone', type: 'TEXT', text: { value: `z${i % 3}` } },
      ],
      id: { value: agentId(i) },
    },
    active: i % 500 !== 7,
    deactivated: i % 1000 === 11,
    version: '1.12.0',
    pid: `slave(1)@10.${(i >> 8) & 255}.${i & 255}.1:5051`,
    registered_time: { nanoseconds: nanos },
    total_resources: [
      scalar('cpus', AGENT_CPUS, '*'),
      scalar('mem', AGENT_MEM, '*'),
      scalar('disk', AGENT_DISK, '*'),
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 32000 }] }, role: '*' },
    ],
    capabilities: agentCapabilities(),
  };
  if (usage.cpus > 0) agent.allocated_resources = [allocated('cpus', usage.cpus), allocated('mem', usage.mem)];
  if (offered) agent.offered_resources = [allocated('cpus', offered.cpus), allocated('mem', offered.mem)];
  if (i % 1000 === 13) {
    agent.deactivated = true;
    agent.drain_info = { state: 'DRAINING', config: { mark_gone: false } };
  }
  return agent;
}

function offerUsage(agentIndex: number): Usage {
  return { cpus: AGENT_CPUS / 4, mem: AGENT_MEM / 4 + agentIndex };
}

export function v1Offer(agentIndex: number, frameworkIndex: number): Offer {
  const u = offerUsage(agentIndex);
  return {
    id: { value: `${MASTER_ID}-O${agentIndex}` },
    framework_id: { value: frameworkId(frameworkIndex) },
    agent_id: { value: agentId(agentIndex) },
    hostname: agentHostname(agentIndex),
    resources: [allocated('cpus', u.cpus), allocated('mem', u.mem)],
  };
}

function v1Framework(
  i: number,
  completed: boolean,
  offers: Offer[],
  usage?: Usage,
): MasterResponseGetFrameworksFramework {
  const nanos = String(NANOS_BASE + BigInt(i) * 7_000_001n);
  const framework: MasterResponseGetFrameworksFramework = {
    framework_info: {
      user: 'root',
      name: i === 0 ? 'jenkins' : `framework-${i}`,
      id: { value: frameworkId(i) },
      failover_timeout: 604800,
      checkpoint: true,
      ...(i % 2 === 0 ? { roles: ['*'], capabilities: [{ type: 'MULTI_ROLE' }] } : {}),
    },
    active: !completed && i % 9 !== 8,
    connected: !completed && i % 9 !== 8,
    recovered: false,
    registered_time: { nanoseconds: nanos },
    reregistered_time: { nanoseconds: nanos },
  };
  if (completed) framework.unregistered_time = { nanoseconds: nanos };
  if (offers.length > 0) framework.offers = offers;
  if (usage && usage.cpus > 0)
    framework.allocated_resources = [allocated('cpus', usage.cpus), allocated('mem', usage.mem)];
  return framework;
}

/** Fisher-Yates with a fixed seed, in place. */
function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The cluster as a GET_STATE response (decoded objects, in the codec's shape). */
export function syntheticGetState(options: SyntheticClusterOptions): MasterResponse {
  const layout = taskLayout(options);
  const frameworks = Math.max(1, options.frameworks ?? 40);
  const completedFrameworks = options.completedFrameworks ?? 10;
  const offerCount = Math.min(options.offers ?? 0, options.agents);
  const agentUsage = usageByAgent(layout, options.agents);
  const frameworkUsage = Array.from({ length: frameworks }, () => ({ cpus: 0, mem: 0 }));
  const tasks: Task[] = [];
  const completed: Task[] = [];
  layout.forEach((shape, n) => {
    const task = v1Task(shape, n);
    if (isTerminalTaskState(shape.state)) completed.push(task);
    else {
      tasks.push(task);
      const u = frameworkUsage[shape.frameworkIndex]!;
      u.cpus = Math.round((u.cpus + shape.cpus) * 1000) / 1000;
      u.mem += shape.mem;
    }
  });
  // Mesos lists tasks and agents in hash-map order: shuffled, not sorted by name.
  shuffle(tasks, 1);
  shuffle(completed, 2);
  const offersByFramework = new Map<number, Offer[]>();
  for (let a = 0; a < offerCount; a++) {
    const f = a % frameworks;
    offersByFramework.set(f, [...(offersByFramework.get(f) ?? []), v1Offer(a, f)]);
  }
  return {
    type: 'GET_STATE',
    get_state: {
      get_tasks: { tasks, completed_tasks: completed },
      get_executors: {},
      get_frameworks: {
        frameworks: Array.from({ length: frameworks }, (_, i) =>
          v1Framework(i, false, offersByFramework.get(i) ?? [], frameworkUsage[i]),
        ),
        completed_frameworks: Array.from({ length: completedFrameworks }, (_, i) =>
          v1Framework(frameworks + i, true, []),
        ),
      },
      get_agents: {
        agents: shuffle(
          Array.from({ length: options.agents }, (_, i) =>
            v1Agent(i, agentUsage[i]!, i < offerCount ? offerUsage(i) : undefined),
          ),
          3,
        ),
      },
    },
  };
}

/** GET_STATE as the JSON bytes a master sends (nanoseconds as bare 19-digit numbers, like Mesos). */
export function syntheticGetStateJson(options: SyntheticClusterOptions): Buffer {
  return Buffer.from(mesosJsonText(syntheticGetState(options)), 'utf8');
}

/** JSON text the way Mesos writes it: 64-bit integers as bare numbers, even beyond 2^53. */
export function mesosJsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"nanoseconds":"(-?\d+)"/g, '"nanoseconds":$1');
}

// ---- legacy /master/state -------------------------------------------------------------------------

const legacySummary = (cpus: number, mem: number, disk: number, ports?: string): Record<string, number | string> => ({
  disk,
  mem,
  gpus: 0,
  cpus,
  ...(ports === undefined ? {} : { ports }),
});

function legacyTask(task: Task): Record<string, unknown> {
  const cpus = task.resources?.find((r) => r.name === 'cpus')?.scalar?.value ?? 0;
  const mem = task.resources?.find((r) => r.name === 'mem')?.scalar?.value ?? 0;
  return {
    id: task.task_id.value,
    name: task.name,
    framework_id: task.framework_id.value,
    executor_id: task.executor_id?.value ?? '',
    slave_id: task.agent_id.value,
    state: task.state,
    resources: legacySummary(cpus, mem, 0),
    role: '*',
    statuses: (task.statuses ?? []).map((s) => ({
      state: s.state,
      timestamp: s.timestamp,
      container_status: s.container_status,
    })),
    ...(task.labels?.labels ? { labels: task.labels.labels } : {}),
  };
}

const secondsOf = (nanos: string | number | undefined): number =>
  nanos === undefined ? 0 : Number(BigInt(nanos) / 1000n) / 1e6;

function legacyScalars(resources: readonly Resource[] | undefined, ports = false): Record<string, number | string> {
  const get = (name: string) => resources?.find((r) => r.name === name)?.scalar?.value ?? 0;
  return legacySummary(get('cpus'), get('mem'), get('disk'), ports ? '[31000-32000]' : undefined);
}

/** The same cluster as legacy `/master/state` (reference §7.2): what a master without the v1 API serves. */
export function syntheticLegacyState(options: SyntheticClusterOptions): Record<string, unknown> {
  const state = syntheticGetState(options).get_state!;
  const tasksByFramework = new Map<string, { tasks: unknown[]; completed: unknown[] }>();
  const bucket = (id: string) => {
    let b = tasksByFramework.get(id);
    if (!b) tasksByFramework.set(id, (b = { tasks: [], completed: [] }));
    return b;
  };
  for (const t of state.get_tasks?.tasks ?? []) bucket(t.framework_id.value).tasks.push(legacyTask(t));
  for (const t of state.get_tasks?.completed_tasks ?? []) bucket(t.framework_id.value).completed.push(legacyTask(t));
  const legacyFramework = (f: MasterResponseGetFrameworksFramework) => {
    const id = f.framework_info.id!.value;
    const b = bucket(id);
    const used = legacyScalars(f.allocated_resources);
    return {
      id,
      name: f.framework_info.name,
      used_resources: used,
      offered_resources: legacySummary(0, 0, 0),
      capabilities: (f.framework_info.capabilities ?? []).map((c) => c.type),
      hostname: '',
      webui_url: '',
      active: f.active,
      connected: f.connected,
      recovered: f.recovered,
      user: f.framework_info.user,
      failover_timeout: f.framework_info.failover_timeout,
      checkpoint: f.framework_info.checkpoint,
      registered_time: secondsOf(f.registered_time?.nanoseconds),
      unregistered_time: secondsOf(f.unregistered_time?.nanoseconds),
      resources: used,
      ...(f.framework_info.roles ? { roles: f.framework_info.roles } : { role: '*' }),
      tasks: b.tasks,
      unreachable_tasks: [],
      completed_tasks: b.completed,
      offers: (f.offers ?? []).map((o) => ({
        id: o.id.value,
        framework_id: o.framework_id.value,
        slave_id: o.agent_id.value,
        resources: legacyScalars(o.resources),
      })),
      executors: [],
      offer_constraints: {},
    };
  };
  return {
    version: '1.12.0',
    build_date: '2026-11-24 23:45:05',
    build_time: 1795563905.0,
    build_user: '',
    start_time: SECONDS_BASE - 600,
    elected_time: SECONDS_BASE - 600,
    id: MASTER_ID,
    pid: 'master@10.0.0.1:5050',
    hostname: 'master-1.dc1.example.com',
    capabilities: ['AGENT_UPDATE', 'AGENT_DRAINING', 'QUOTA_V2'],
    activated_slaves: options.agents,
    deactivated_slaves: 0,
    unreachable_slaves: 0,
    leader: 'master@10.0.0.1:5050',
    leader_info: { id: MASTER_ID, pid: 'master@10.0.0.1:5050', port: 5050, hostname: 'master-1.dc1.example.com' },
    slaves: (state.get_agents?.agents ?? []).map((a) => ({
      id: a.agent_info.id!.value,
      hostname: a.agent_info.hostname,
      port: a.agent_info.port,
      attributes: Object.fromEntries(
        (a.agent_info.attributes ?? []).map((x) => [x.name, x.text?.value ?? x.scalar?.value ?? '']),
      ),
      pid: a.pid,
      registered_time: secondsOf(a.registered_time?.nanoseconds),
      resources: legacyScalars(a.total_resources, true),
      used_resources: legacyScalars(a.allocated_resources),
      offered_resources: legacyScalars(a.offered_resources),
      reserved_resources: {},
      unreserved_resources: legacyScalars(a.total_resources, true),
      active: a.active,
      deactivated: a.deactivated ?? false,
      version: a.version,
      capabilities: (a.capabilities ?? []).map((c) => c.type),
      ...(a.drain_info ? { drain_info: { state: a.drain_info.state, config: { mark_gone: false } } } : {}),
    })),
    recovered_slaves: [],
    frameworks: (state.get_frameworks?.frameworks ?? []).map(legacyFramework),
    completed_frameworks: (state.get_frameworks?.completed_frameworks ?? []).map(legacyFramework),
    orphan_tasks: [],
    unregistered_frameworks: [],
  };
}

export function syntheticLegacyStateJson(options: SyntheticClusterOptions): Buffer {
  return Buffer.from(JSON.stringify(syntheticLegacyState(options)), 'utf8');
}

// ---- operator events ----------------------------------------------------------------------------

export function taskUpdatedEvent(framework: string, task: string, agent: string, state: TaskState, n = 0): MasterEvent {
  return {
    type: 'TASK_UPDATED',
    task_updated: {
      framework_id: { value: framework },
      status: {
        task_id: { value: task },
        state,
        source: 'SOURCE_EXECUTOR',
        agent_id: { value: agent },
        timestamp: SECONDS_BASE + 1000 + n,
        uuid: uuidOf(1_000_000 + n),
      },
      state,
    },
  };
}
