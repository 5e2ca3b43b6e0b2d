import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameworkInfo, Resource, TaskState, TaskStatus } from '../../src/core/mesos/codec';
import type { AgentTask, SandboxAgent } from '../../src/sandbox/mesos/agent/sandboxAgent';

export interface AgentTaskSpec {
  readonly frameworkId: string;
  readonly taskId: string;
  readonly state?: TaskState;
  /** Put the task in the agent's completed list instead of its task table. */
  readonly completed?: boolean;
  readonly resources?: Resource[];
  readonly command?: string;
  readonly framework?: Partial<FrameworkInfo>;
}

export const TASK_RESOURCES: Resource[] = [
  { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: '*' },
  { name: 'mem', type: 'SCALAR', scalar: { value: 32 }, role: '*' },
];

/**
 * Puts a task with a real sandbox directory (laid out as a Mesos agent lays it out) into a sandbox
 * agent's tables without starting a process, so file and state tests control every byte and state.
 */
export function addAgentTask(agent: SandboxAgent, spec: AgentTaskSpec): AgentTask {
  const framework: FrameworkInfo = agent.frameworks.get(spec.frameworkId) ?? {
    id: { value: spec.frameworkId },
    name: `framework ${spec.frameworkId}`,
    user: 'root',
    failover_timeout: 30,
    checkpoint: false,
    hostname: '',
    role: '*',
    ...spec.framework,
  };
  const containerId = randomUUID();
  const directory = join(agent.agentDir, 'frameworks', spec.frameworkId, 'executors', spec.taskId, 'runs', containerId);
  mkdirSync(directory, { recursive: true });
  const state = spec.state ?? 'TASK_RUNNING';
  const statuses: TaskStatus[] = (['TASK_STARTING', 'TASK_RUNNING', state] as TaskState[])
    .filter((s, i, all) => all.indexOf(s) === i && state !== 'TASK_STAGING')
    .map((s, i) => ({
      task_id: { value: spec.taskId },
      state: s,
      source: 'SOURCE_EXECUTOR',
      agent_id: { value: agent.id },
      executor_id: { value: spec.taskId },
      timestamp: 1795566364.5 + i,
      uuid: Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64'),
      container_status: { container_id: { value: containerId } },
    }));
  const task: AgentTask = {
    frameworkId: spec.frameworkId,
    framework,
    info: {
      name: spec.taskId,
      task_id: { value: spec.taskId },
      agent_id: { value: agent.id },
      resources: spec.resources ?? TASK_RESOURCES,
      command: { shell: true, value: spec.command ?? 'echo hello; sleep 600' },
    },
    executorId: spec.taskId,
    containerId,
    directory,
    state,
    killed: false,
    pending: [],
    statuses,
  };
  agent.frameworks.set(spec.frameworkId, framework);
  if (spec.completed) agent.completed.push(task);
  else agent.tasks.set(`${spec.frameworkId}/${spec.taskId}`, task);
  return task;
}
