import type {
  AgentResponseGetExecutors,
  AgentResponseGetFrameworks,
  AgentResponseGetState,
  AgentResponseGetTasks,
  ExecutorInfo,
  Task,
} from '../../../core/mesos/codec';
import { agentRuns, EXECUTOR_OVERHEAD, isTerminalState } from './agentRuns';
import type { AgentTask, SandboxAgent } from './sandboxAgent';

/**
 * The agent's v1 operator view of its work (reference §6.4): GET_TASKS, GET_EXECUTORS, GET_FRAMEWORKS and
 * GET_STATE (the three together). Unlike /state, the v1 API carries no sandbox directories.
 */
export function agentGetTasks(agent: SandboxAgent): AgentResponseGetTasks {
  const queued: Task[] = [];
  const launched: Task[] = [];
  const terminated: Task[] = [];
  for (const task of agent.tasks.values()) {
    // Queued: the executor has not started the task yet; terminated: terminal, update not yet acknowledged.
    if (task.state === 'TASK_STAGING') queued.push(v1Task(agent, task));
    else if (isTerminalState(task.state)) terminated.push(v1Task(agent, task));
    else launched.push(v1Task(agent, task));
  }
  return {
    queued_tasks: queued,
    launched_tasks: launched,
    terminated_tasks: terminated,
    completed_tasks: agent.completed.map((task) => v1Task(agent, task)),
  };
}

export function agentGetExecutors(agent: SandboxAgent): AgentResponseGetExecutors {
  const runs = agentRuns(agent);
  const all = [...runs.frameworks, ...runs.completedFrameworks];
  return {
    executors: all.flatMap((f) => f.current.map((task) => ({ executor_info: executorInfo(task) }))),
    completed_executors: all.flatMap((f) => f.completed.map((task) => ({ executor_info: executorInfo(task) }))),
  };
}

export function agentGetFrameworks(agent: SandboxAgent): AgentResponseGetFrameworks {
  const runs = agentRuns(agent);
  return {
    frameworks: runs.frameworks.map((f) => ({ framework_info: f.info })),
    completed_frameworks: runs.completedFrameworks.map((f) => ({ framework_info: f.info })),
  };
}

export function agentGetState(agent: SandboxAgent): AgentResponseGetState {
  return {
    get_tasks: agentGetTasks(agent),
    get_executors: agentGetExecutors(agent),
    get_frameworks: agentGetFrameworks(agent),
  };
}

function v1Task(agent: SandboxAgent, task: AgentTask): Task {
  const info = task.info;
  const last = task.statuses[task.statuses.length - 1];
  return {
    name: info.name,
    task_id: info.task_id,
    framework_id: { value: task.frameworkId },
    ...(info.executor ? { executor_id: info.executor.executor_id } : {}),
    agent_id: { value: agent.id },
    state: task.state,
    resources: info.resources ?? [],
    statuses: task.statuses,
    ...(last ? { status_update_state: last.state } : {}),
    ...(last?.uuid !== undefined ? { status_update_uuid: last.uuid } : {}),
    ...(info.labels ? { labels: info.labels } : {}),
    ...(info.discovery ? { discovery: info.discovery } : {}),
    ...(info.container ? { container: info.container } : {}),
    ...(info.health_check ? { health_check: info.health_check } : {}),
    ...(info.kill_policy ? { kill_policy: info.kill_policy } : {}),
    ...(info.command?.user !== undefined ? { user: info.command.user } : {}),
    ...(info.limits ? { limits: info.limits } : {}),
  };
}

// The command executor's ExecutorInfo as the agent makes it for a command task.
function executorInfo(task: AgentTask): ExecutorInfo {
  return {
    executor_id: { value: task.executorId },
    framework_id: { value: task.frameworkId },
    command: { shell: false, value: 'mesos-executor', arguments: ['mesos-executor'] },
    resources: [...EXECUTOR_OVERHEAD],
    name: `Command Executor (Task: ${task.info.task_id.value})`,
    source: task.executorId,
  };
}
