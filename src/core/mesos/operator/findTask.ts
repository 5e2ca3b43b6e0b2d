import type { SandboxAgentRef, SandboxTaskRef } from '../files/taskSandbox';
import type { TaskState } from '../codec';
import type { OperatorClient } from './operatorClient';

/** A task found in the master's state, with what is needed to reach its sandbox. */
export interface LocatedTask {
  readonly task: SandboxTaskRef & { readonly name: string; readonly state: TaskState; readonly agentId: string };
  readonly agent: SandboxAgentRef & { readonly id: string };
}

/** The task is not there, or the id is ambiguous: the message says which and what to pass instead. */
export class TaskLookupError extends Error {
  constructor(
    message: string,
    readonly kind: 'not-found' | 'ambiguous' | 'no-agent',
  ) {
    super(message);
    this.name = 'TaskLookupError';
  }
}

interface Candidate {
  readonly id: string;
  readonly name: string;
  readonly frameworkId: string;
  readonly executorId: string | undefined;
  readonly agentId: string;
  readonly state: TaskState;
}

/**
 * Finds a task by id (or by a unique id prefix, as people type them) in the master's state, active,
 * unreachable and completed tasks alike, and the agent it ran on (reference §7.6, steps 1-2). Works with
 * the v1 operator API and with the legacy /master/state.
 */
export async function findTask(
  client: OperatorClient,
  taskId: string,
  signal: AbortSignal,
  frameworkId?: string,
): Promise<LocatedTask> {
  const cluster = await client.getClusterState(signal);
  const candidates: Candidate[] = [];
  const agents = new Map<string, SandboxAgentRef>();
  if (cluster.source === 'v1') {
    const tasks = cluster.state.get_tasks ?? {};
    for (const t of [...(tasks.tasks ?? []), ...(tasks.unreachable_tasks ?? []), ...(tasks.completed_tasks ?? [])]) {
      candidates.push({
        id: t.task_id.value,
        name: t.name,
        frameworkId: t.framework_id.value,
        executorId: t.executor_id?.value,
        agentId: t.agent_id.value,
        state: t.state,
      });
    }
    for (const a of cluster.state.get_agents?.agents ?? []) {
      const id = a.agent_info.id?.value;
      if (id) agents.set(id, { ...(a.pid ? { pid: a.pid } : {}), hostname: a.agent_info.hostname, ...(a.agent_info.port !== undefined ? { port: a.agent_info.port } : {}) });
    }
  } else {
    for (const fw of [...cluster.state.frameworks, ...(cluster.state.completed_frameworks ?? [])]) {
      for (const t of [...(fw.tasks ?? []), ...(fw.unreachable_tasks ?? []), ...(fw.completed_tasks ?? [])]) {
        candidates.push({ id: t.id, name: t.name, frameworkId: t.framework_id, executorId: t.executor_id || undefined, agentId: t.slave_id, state: t.state });
      }
    }
    for (const a of cluster.state.slaves) agents.set(a.id, { pid: a.pid, hostname: a.hostname, port: a.port });
  }
  const inFramework = candidates.filter((c) => frameworkId === undefined || c.frameworkId === frameworkId);
  let matches = inFramework.filter((c) => c.id === taskId);
  if (matches.length === 0) matches = inFramework.filter((c) => c.id.startsWith(taskId));
  // the same run seen twice (e.g. active and completed lists during a transition) is one task
  const distinct = [...new Map(matches.map((m) => [`${m.frameworkId}/${m.id}`, m])).values()];
  if (distinct.length === 0) {
    throw new TaskLookupError(`No task '${taskId}'${frameworkId ? ` in framework ${frameworkId}` : ''} is known to the master. List tasks with 'mesos-ops ps --all'.`, 'not-found');
  }
  if (distinct.length > 1) {
    const names = distinct.slice(0, 5).map((m) => `${m.id} (framework ${m.frameworkId})`).join(', ');
    throw new TaskLookupError(`'${taskId}' matches ${distinct.length} tasks: ${names}. Give the full task id, and --framework when ids repeat across frameworks.`, 'ambiguous');
  }
  const found = distinct[0]!;
  const agent = agents.get(found.agentId);
  if (!agent) {
    throw new TaskLookupError(`Task ${found.id} ran on agent ${found.agentId}, which the master no longer lists (removed or gone): its sandbox cannot be reached.`, 'no-agent');
  }
  return {
    task: {
      frameworkId: found.frameworkId,
      taskId: found.id,
      ...(found.executorId ? { executorId: found.executorId } : {}),
      agentId: found.agentId,
      name: found.name,
      state: found.state,
    },
    agent: { ...agent, id: found.agentId },
  };
}
