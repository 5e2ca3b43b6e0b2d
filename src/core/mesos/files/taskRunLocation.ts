import { type AgentState, type ExecutorRun, findExecutorRuns, frameworkRuns, runHoldsTask } from './agentState';
import { sandboxIdProblem } from './sandboxIdProblem';
import { executorIdOfTask, TaskSandboxError } from './taskSandbox';

/** Where a task's sandbox is on an agent, found in the agent's /state. */
export interface TaskRunLocation {
  /** The run's own directory (a path the agent's /files serve), plus `/tasks/<task id>` for a task-group task. */
  readonly path: string;
  readonly executorId: string;
  /** The run has ended (it is in `completed_executors`). */
  readonly completed: boolean;
  /** The run belongs to the default executor, which runs task groups: each task has its own sandbox below. */
  readonly taskGroup: boolean;
}

/**
 * The run of an agent's /state that holds the task, without knowing its executor: a task the master has
 * forgotten (completed long ago, or before a leader change) still has its framework and task id, and the
 * agent lists its run until the sandbox is collected. Current runs come first, then completed ones newest
 * first, so a task id used again finds its newest run. When no run lists the task (an agent trims the
 * task lists of completed runs), the newest run of `executorId` (the task id for a command task) is taken.
 * Undefined when the agent lists neither.
 */
export function locateTaskRun(
  state: AgentState,
  task: { readonly frameworkId: string; readonly taskId: string; readonly executorId?: string },
): TaskRunLocation | undefined {
  const { taskId } = task;
  if (sandboxIdProblem(taskId) !== undefined) {
    // it would name a directory outside this task's sandbox
    throw new TaskSandboxError(
      'invalid-id',
      `The task id ${JSON.stringify(taskId)} cannot name a sandbox directory`,
      'Check the task data this came from: Mesos does not accept such ids',
    );
  }
  const run =
    runsOfFramework(state, task.frameworkId).find((r) => runHoldsTask(r.executor, taskId)) ??
    findExecutorRuns(state, task.frameworkId, executorIdOfTask(task))[0];
  if (!run) return undefined;
  const directory = run.executor.directory.replace(/\/+$/, '');
  const taskGroup = run.executor.type === 'DEFAULT';
  return {
    path: taskGroup ? `${directory}/tasks/${taskId}` : directory,
    executorId: run.executor.id,
    completed: run.completed,
    taskGroup,
  };
}

// Current runs first, then completed ones newest first: the agent lists each framework entry's completed
// executors oldest first.
function runsOfFramework(state: AgentState, frameworkId: string): ExecutorRun[] {
  return [
    ...frameworkRuns(state, frameworkId, false).flat(),
    ...frameworkRuns(state, frameworkId, true).flatMap((runs) => runs.reverse()),
  ];
}
