import { isTerminalTaskState } from '../../../core/cluster/taskStates';
import type { FrameworkInfo, Resource } from '../../../core/mesos/codec';
import type { AgentTask, SandboxAgent } from './sandboxAgent';

/**
 * The sandbox agent's tasks grouped the way a Mesos agent reports them: per framework, one command
 * executor run per task (its id is the task id). A framework is current while it has a task the agent
 * still tracks (running, or terminal with an unacknowledged update) and completed after; a run is
 * completed once its task left the agent's task table.
 */
export interface FrameworkRuns {
  readonly id: string;
  readonly info: FrameworkInfo;
  /** Runs of tasks the agent still tracks. */
  readonly current: readonly AgentTask[];
  /** Runs of tasks done and acknowledged, oldest first. */
  readonly completed: readonly AgentTask[];
}

export interface AgentRuns {
  readonly frameworks: readonly FrameworkRuns[];
  readonly completedFrameworks: readonly FrameworkRuns[];
}

/** Mesos's isTerminalState (reference §4.1). */
export const isTerminalState = isTerminalTaskState;

/** The command executor's own share on top of its task's (as the sandbox master accounts it). */
export const EXECUTOR_OVERHEAD: readonly Resource[] = [
  { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: '*' },
  { name: 'mem', type: 'SCALAR', scalar: { value: 32 }, role: '*' },
];

export function agentRuns(agent: SandboxAgent): AgentRuns {
  const byId = new Map<string, { info: FrameworkInfo; current: AgentTask[]; completed: AgentTask[] }>();
  const entry = (task: AgentTask) => {
    let found = byId.get(task.frameworkId);
    if (!found) {
      found = { info: agent.frameworks.get(task.frameworkId) ?? task.framework, current: [], completed: [] };
      byId.set(task.frameworkId, found);
    }
    return found;
  };
  for (const task of agent.completed) entry(task).completed.push(task);
  for (const task of agent.tasks.values()) entry(task).current.push(task);
  const frameworks: FrameworkRuns[] = [];
  const completedFrameworks: FrameworkRuns[] = [];
  for (const [id, { info, current, completed }] of byId) {
    (current.length > 0 ? frameworks : completedFrameworks).push({ id, info, current, completed });
  }
  return { frameworks, completedFrameworks };
}

/** The role a task's resources are allocated to. */
export function taskRole(task: AgentTask): string {
  const first = task.info.resources?.[0];
  const allocated = first?.allocation_info?.role;
  if (allocated) return allocated;
  const multiRole = (task.framework.capabilities ?? []).some((c) => c.type === 'MULTI_ROLE');
  return (multiRole ? task.framework.roles?.[0] : task.framework.role) ?? '*';
}

/** What the task's run holds now: its executor's share, plus the task's own while the task is live. */
export function runResources(task: AgentTask): Resource[] {
  return isTerminalState(task.state) ? [...EXECUTOR_OVERHEAD] : [...(task.info.resources ?? []), ...EXECUTOR_OVERHEAD];
}
