import type { TaskState } from '../mesos/codec';

/**
 * Task states in the order the views list a framework's groups: live work first, then what ended
 * (reference §4.1). Every TaskState appears once.
 */
export const TASK_STATE_ORDER: readonly TaskState[] = [
  'TASK_RUNNING',
  'TASK_STARTING',
  'TASK_STAGING',
  'TASK_KILLING',
  'TASK_UNREACHABLE',
  'TASK_UNKNOWN',
  'TASK_FAILED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_KILLED',
  'TASK_FINISHED',
];

const KNOWN: ReadonlySet<string> = new Set(TASK_STATE_ORDER);

/** Mesos's isTerminalState: the task's resources are released (reference §4.1). */
const TERMINAL: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
]);

export function isTerminalTaskState(state: TaskState): boolean {
  return TERMINAL.has(state);
}

export function isTaskState(value: unknown): value is TaskState {
  return typeof value === 'string' && KNOWN.has(value);
}
