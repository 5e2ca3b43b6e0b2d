import { dirname } from 'node:path';
import type { Attribute, FrameworkInfo, Resource, TaskStatus } from '../../../core/mesos/codec';
import { addResources, resourceRole, resourceSummary } from '../../../core/mesos/resources/resourceMath';
import { agentRuns, type FrameworkRuns, isTerminalState, runResources, taskRole } from './agentRuns';
import type { AgentServerInfo } from './agentServerInfo';
import type { AgentTask, SandboxAgent } from './sandboxAgent';

/** The agent capabilities a 1.12 agent reports (as in the captured /state). */
export const AGENT_CAPABILITIES = [
  'MULTI_ROLE',
  'HIERARCHICAL_ROLE',
  'RESERVATION_REFINEMENT',
  'RESOURCE_PROVIDER',
  'RESIZE_VOLUME',
  'AGENT_OPERATION_FEEDBACK',
  'AGENT_DRAINING',
  'TASK_RESOURCE_LIMITS',
];

/** Where the agent is reachable, known once its server listens. */
export interface AgentAddress {
  readonly ip: string;
  readonly port: number;
}

/** `slave(1)@<ip>:<port>`, the agent's libprocess pid. */
export function agentPid(address: AgentAddress): string {
  return `slave(1)@${address.ip}:${address.port}`;
}

/** Build fields shared by /state and /version. */
export function buildInfo(info: AgentServerInfo): {
  version: string;
  build_date: string;
  build_time: number;
  build_user: string;
} {
  const date = new Date(info.startTime * 1000).toISOString();
  return {
    version: info.version,
    build_date: `${date.slice(0, 10)} ${date.slice(11, 19)}`,
    build_time: Math.floor(info.startTime),
    build_user: '',
  };
}

/** The agent's flags as /state and /flags show them (strings), for what the sandbox agent has. */
export function agentFlags(
  agent: SandboxAgent,
  info: AgentServerInfo,
  address: AgentAddress,
  authenticate: boolean,
): Record<string, string> {
  return {
    attributes: info.attributes.map(attributeFlag).join(';'),
    authenticate_http_readonly: String(authenticate),
    authenticate_http_readwrite: String(authenticate),
    containerizers: 'mesos',
    default_role: '*',
    gc_delay: '1weeks',
    hostname: info.hostname,
    http_command_executor: 'false',
    ip: address.ip,
    isolation: 'posix/cpu,posix/mem',
    launcher: 'posix',
    logging_level: 'INFO',
    max_completed_executors_per_framework: '150',
    port: String(address.port),
    resources: info.resources.map(resourceFlag).join(';'),
    strict: 'true',
    version: 'false',
    // The agent directory is <work_dir>/slaves/<agent-id>.
    work_dir: dirname(dirname(agent.agentDir)),
  };
}

/** The legacy `/state` (reference §7.4), with the keys and nesting of a real 1.12 agent's. */
export function agentStateJson(
  agent: SandboxAgent,
  info: AgentServerInfo,
  address: AgentAddress,
  authenticate: boolean,
): Record<string, unknown> {
  const runs = agentRuns(agent);
  const allocated = runs.frameworks.flatMap((f) => f.current.flatMap(runResources));
  const reserved = (resources: readonly Resource[]) => byRole(resources.filter((r) => resourceRole(r) !== '*'));
  const unreserved = (resources: readonly Resource[]) => resources.filter((r) => resourceRole(r) === '*');
  return {
    ...buildInfo(info),
    start_time: info.startTime,
    id: agent.id,
    pid: agentPid(address),
    hostname: info.hostname,
    capabilities: AGENT_CAPABILITIES,
    resources: resourceSummary(info.resources),
    reserved_resources: mapValues(reserved(info.resources), resourceSummary),
    unreserved_resources: resourceSummary(unreserved(info.resources)),
    reserved_resources_full: reserved(info.resources),
    unreserved_resources_full: unreserved(info.resources),
    reserved_resources_allocated: mapValues(reserved(allocated), resourceSummary),
    unreserved_resources_allocated: resourceSummary(unreserved(addResources(allocated, []))),
    resource_providers: [],
    attributes: attributesSummary(info.attributes),
    master_hostname: info.masterHostname,
    flags: agentFlags(agent, info, address, authenticate),
    frameworks: runs.frameworks.map((f) => frameworkJson(agent, f)),
    completed_frameworks: runs.completedFrameworks.map((f) => frameworkJson(agent, f)),
  };
}

function frameworkJson(agent: SandboxAgent, framework: FrameworkRuns): Record<string, unknown> {
  const info: FrameworkInfo = framework.info;
  const multiRole = (info.capabilities ?? []).some((c) => c.type === 'MULTI_ROLE');
  return {
    id: framework.id,
    name: info.name,
    user: info.user,
    failover_timeout: info.failover_timeout ?? 0,
    checkpoint: info.checkpoint ?? false,
    hostname: info.hostname ?? '',
    ...(info.principal !== undefined ? { principal: info.principal } : {}),
    ...(multiRole ? { roles: info.roles ?? [] } : { role: info.role ?? '*' }),
    executors: framework.current.map((task) => executorJson(agent, task)),
    completed_executors: framework.completed.map((task) => executorJson(agent, task)),
  };
}

function executorJson(agent: SandboxAgent, task: AgentTask): Record<string, unknown> {
  const queued = task.state === 'TASK_STAGING';
  const done = isTerminalState(task.state);
  return {
    id: task.executorId,
    name: executorName(task),
    source: task.executorId,
    container: task.containerId,
    directory: task.directory,
    resources: resourceSummary(addResources(runResources(task), [])),
    role: taskRole(task),
    tasks: !queued && !done ? [taskJson(agent, task)] : [],
    queued_tasks: queued ? [queuedTaskJson(agent, task)] : [],
    completed_tasks: done ? [taskJson(agent, task)] : [],
  };
}

function taskJson(agent: SandboxAgent, task: AgentTask): Record<string, unknown> {
  const info = task.info;
  return {
    id: info.task_id.value,
    name: info.name,
    framework_id: task.frameworkId,
    // A command task has no executor of its own in its TaskInfo, so the agent writes "".
    executor_id: info.executor?.executor_id.value ?? '',
    slave_id: agent.id,
    state: task.state,
    resources: resourceSummary(info.resources ?? []),
    role: taskRole(task),
    statuses: task.statuses.map(statusJson),
    ...(info.command?.user !== undefined ? { user: info.command.user } : {}),
    ...(info.labels?.labels ? { labels: info.labels.labels } : {}),
    ...(info.discovery ? { discovery: info.discovery } : {}),
    ...(info.container ? { container: info.container } : {}),
    ...(info.health_check ? { health_check: info.health_check } : {}),
  };
}

function queuedTaskJson(agent: SandboxAgent, task: AgentTask): Record<string, unknown> {
  const info = task.info;
  return {
    id: info.task_id.value,
    name: info.name,
    slave_id: agent.id,
    resources: resourceSummary(info.resources ?? []),
    role: taskRole(task),
    ...(info.command
      ? {
          command: {
            shell: info.command.shell ?? true,
            ...(info.command.value !== undefined ? { value: info.command.value } : {}),
            argv: info.command.arguments ?? [],
            uris: (info.command.uris ?? []).map((u) => ({ value: u.value, executable: u.executable ?? false })),
          },
        }
      : {}),
    ...(info.discovery ? { discovery: info.discovery } : {}),
  };
}

// The legacy status shape: only state, timestamp, labels, container_status and healthy (§7.1).
function statusJson(status: TaskStatus): Record<string, unknown> {
  return {
    state: status.state,
    timestamp: status.timestamp ?? 0,
    ...(status.labels?.labels ? { labels: status.labels.labels } : {}),
    ...(status.container_status ? { container_status: status.container_status } : {}),
    ...(status.healthy !== undefined ? { healthy: status.healthy } : {}),
  };
}

// As the agent names a command executor: "Command Executor (Task: t) (Command: sh -c 'echo hel...')".
function executorName(task: AgentTask): string {
  const command = task.info.command;
  const value = command?.value ?? '';
  const shown = (text: string) => (text.length > 15 ? `${text.slice(0, 12)}...` : text);
  const what =
    command?.shell === false ? `[${shown((command.arguments ?? []).join(', '))}]` : `sh -c '${shown(value)}'`;
  return `Command Executor (Task: ${task.info.task_id.value}) (Command: ${what})`;
}

function byRole(resources: readonly Resource[]): Record<string, Resource[]> {
  const out: Record<string, Resource[]> = {};
  for (const r of resources) (out[resourceRole(r)] ??= []).push(r);
  return out;
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

/** Attributes as the legacy endpoints write them: name -> number (scalar) or string (§7.1). */
export function attributesSummary(attributes: readonly Attribute[]): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const a of attributes) {
    if (a.type === 'SCALAR') out[a.name] = a.scalar?.value ?? 0;
    else if (a.type === 'TEXT') out[a.name] = a.text?.value ?? '';
    else if (a.type === 'RANGES')
      out[a.name] = `[${(a.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(', ')}]`;
    else if (a.type === 'SET') out[a.name] = `{${(a.set?.item ?? []).join(', ')}}`;
  }
  return out;
}

function attributeFlag(a: Attribute): string {
  const value = attributesSummary([a])[a.name];
  return `${a.name}:${String(value)}`;
}

function resourceFlag(r: Resource): string {
  const role = resourceRole(r);
  const name = role === '*' ? r.name : `${r.name}(${role})`;
  const summary = resourceSummary([r])[r.name];
  return `${name}:${String(summary)}`;
}
