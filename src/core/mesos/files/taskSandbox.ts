import { type AgentState, findExecutorRuns, runHoldsTask } from './agentState';
import { sandboxIdProblem } from './sandboxIdProblem';

/**
 * Where a task's sandbox is (reference §7.6, "Locating a task's sandbox from the master"): which agent
 * to ask, and the virtual path its `/files` endpoints serve. Pure: the caller brings the task and agent
 * from the master's state, and the agent's /state when it wants a specific (possibly completed) run.
 *
 * The path is returned raw, IDs as they are: it is one query value, and the HTTP layer encodes it once
 * (`URLSearchParams`: `+` as %2B, a space as `+`, which the agent decodes back, libprocess decoding `+`
 * as a space). Encoding the IDs inside the path as well would ask for a different file.
 */

/** A task as the master reports it (`/master/state` tasks, or `GET_TASKS`). */
export interface SandboxTaskRef {
  readonly frameworkId: string;
  readonly taskId: string;
  /** Empty or absent for a command task: the agent then uses the task id as the executor id. */
  readonly executorId?: string;
  /**
   * The task was launched in a task group (LAUNCH_GROUP) by the default executor, whose executor type is
   * `DEFAULT`: each such task has its own sandbox below the executor's, at `tasks/<task-id>`.
   */
  readonly taskGroup?: boolean;
  /** For messages only. */
  readonly agentId?: string;
}

/** The agent as the master reports it (`slaves[]` of /master/state, or `GET_AGENTS`). */
export interface SandboxAgentRef {
  /** `slave(1)@<ip>:<port>`: a routable address, preferred over the hostname (reference §7.6). */
  readonly pid?: string;
  readonly hostname?: string;
  /** Default 5051. */
  readonly port?: number;
}

export interface TaskSandbox {
  /** The agent's base URL (`http://10.0.0.5:5051`), for an Endpoint. */
  readonly agentUrl: string;
  /** The sandbox as a virtual path for `/files/*`, `LIST_FILES` and `READ_FILE`. */
  readonly path: string;
  /** The executor id used (the task id for a command task). */
  readonly executorId: string;
  /** `latest`: the newest run (`…/runs/latest`); `directory`: one run's directory, from the agent's /state. */
  readonly via: 'latest' | 'directory';
  /** With `via: 'directory'`: whether that run has ended (it is in `completed_executors`). */
  readonly completed?: boolean;
}

export type TaskSandboxErrorKind = 'invalid-id' | 'no-agent-address' | 'run-not-found';

export class TaskSandboxError extends Error {
  override readonly name = 'TaskSandboxError';
  constructor(
    readonly kind: TaskSandboxErrorKind,
    summary: string,
    readonly nextStep: string,
  ) {
    super(`${summary}. ${nextStep}`);
  }
}

export const DEFAULT_AGENT_PORT = 5051;

/** The executor id of a task: its own, or its task id for a command task (reference §7.6 step 1). */
export function executorIdOfTask(task: Pick<SandboxTaskRef, 'taskId' | 'executorId'>): string {
  return task.executorId !== undefined && task.executorId !== '' ? task.executorId : task.taskId;
}

/** `http://<ip>:<port>` of an agent, from its pid when it has one, else from hostname and port. */
export function agentBaseUrl(agent: SandboxAgentRef, scheme: 'http' | 'https' = 'http'): string {
  let host: string | undefined;
  let port: number | undefined;
  if (agent.pid) {
    const match = /^[^@]*@(\[[^\]]+\]|[^@]+):(\d+)$/.exec(agent.pid.trim());
    if (match) {
      host = match[1];
      port = Number(match[2]);
    }
  }
  if (host === undefined && agent.hostname) {
    host = agent.hostname.trim();
    port = agent.port ?? DEFAULT_AGENT_PORT;
  }
  if (!host) {
    throw new TaskSandboxError(
      'no-agent-address',
      `The agent has no usable address (pid ${JSON.stringify(agent.pid ?? '')}, hostname ${JSON.stringify(agent.hostname ?? '')})`,
      "Refresh the cluster: the master's state should list the agent with a pid like slave(1)@10.0.0.5:5051",
    );
  }
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TaskSandboxError(
      'no-agent-address',
      `The agent's port ${String(port)} is not a TCP port`,
      "Refresh the cluster: the master's state should list the agent with its port",
    );
  }
  // An IPv6 address needs brackets in a URL.
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${scheme}://${urlHost}:${port}`;
}

/** `/frameworks/<fid>/executors/<eid>/runs/latest`, plus `/tasks/<task-id>` for a task-group task. */
export function latestRunPath(task: SandboxTaskRef): string {
  const frameworkId = checkId(task.frameworkId, 'framework');
  const executorId = checkId(executorIdOfTask(task), 'executor');
  const base = `/frameworks/${frameworkId}/executors/${executorId}/runs/latest`;
  return task.taskGroup ? `${base}/tasks/${checkId(task.taskId, 'task')}` : base;
}

/**
 * The run's own directory from the agent's /state: the run that holds the task (current runs first, then
 * completed ones, newest first), plus `/tasks/<task-id>` for a task-group task. Reaches runs that are not
 * the newest, which `runs/latest` cannot.
 */
export function runDirectoryPath(state: AgentState, task: SandboxTaskRef): { path: string; completed: boolean } {
  const frameworkId = checkId(task.frameworkId, 'framework');
  const executorId = checkId(executorIdOfTask(task), 'executor');
  const taskId = checkId(task.taskId, 'task');
  const runs = findExecutorRuns(state, frameworkId, executorId);
  const run = runs.find((r) => runHoldsTask(r.executor, taskId)) ?? runs[0];
  if (!run) {
    throw new TaskSandboxError(
      'run-not-found',
      `The agent ${state.id || state.pid} lists no run of executor ${executorId} of framework ${frameworkId}` +
        (task.agentId && task.agentId !== state.id ? ` (and it is not agent ${task.agentId} the task ran on)` : '') +
        ': its sandbox was probably garbage-collected, or the task ran on another agent',
      'Check which agent the task ran on; a sandbox the agent no longer lists cannot be read',
    );
  }
  const directory = run.executor.directory.replace(/\/+$/, '');
  return { path: task.taskGroup ? `${directory}/tasks/${taskId}` : directory, completed: run.completed };
}

/**
 * The agent URL and sandbox path of a task. Without `agentState` the path is the newest run of the
 * task's executor; with it, the directory of the run that holds the task (for completed runs).
 */
export function resolveTaskSandbox(
  task: SandboxTaskRef,
  agent: SandboxAgentRef,
  options: { scheme?: 'http' | 'https'; agentState?: AgentState } = {},
): TaskSandbox {
  const agentUrl = agentBaseUrl(agent, options.scheme);
  const executorId = executorIdOfTask(task);
  if (options.agentState) {
    const { path, completed } = runDirectoryPath(options.agentState, task);
    return { agentUrl, path, executorId, via: 'directory', completed };
  }
  return { agentUrl, path: latestRunPath(task), executorId, via: 'latest' };
}

/** A file inside a sandbox path (`stdout`, `stderr`, or a nested relative path). */
export function sandboxFilePath(sandbox: string, relative: string): string {
  return `${sandbox.replace(/\/+$/, '')}/${relative.replace(/^\/+/, '')}`;
}

function checkId(id: string, what: string): string {
  const bad = sandboxIdProblem(id);
  if (bad === undefined) return id;
  throw new TaskSandboxError(
    'invalid-id',
    `The ${what} id ${JSON.stringify(id)} ${bad}, so it cannot name a sandbox directory`,
    'Check the task data this came from: Mesos does not accept such ids',
  );
}
