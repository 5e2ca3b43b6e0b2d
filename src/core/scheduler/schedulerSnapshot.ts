import { isTaskState } from '../cluster/taskStates';
import type { SchedulerOptions, SchedulerState, TrackedTask } from './schedulerState';
import { initialSchedulerState } from './schedulerState';
import { attemptOf, requestIdOf } from './taskId';
import type { TaskRequest } from './taskRequest';

/**
 * What the scheduler keeps on disk between runs: the framework id (to fail over instead of registering a
 * new framework) and the work it answers for (so tasks launched before a reload are reconciled, killed and
 * restarted as their requests say). Offers, filters and reconciliation rounds are never kept: they do not
 * survive a resubscription anyway.
 */
export interface SchedulerSnapshot {
  readonly version: 1;
  readonly frameworkId?: string;
  readonly pending: readonly TaskRequest[];
  readonly tasks: readonly TrackedTask[];
  readonly attempts: Readonly<Record<string, number>>;
}

/**
 * The state as saved. Values of each request's `secretEnvironment` variables are replaced by '' (the
 * snapshot lands in the editor's global state or a state file, readable by anything that reads those).
 */
export function snapshotOf(state: SchedulerState): SchedulerSnapshot {
  return {
    version: 1,
    ...(state.frameworkId !== undefined && { frameworkId: state.frameworkId }),
    pending: state.pending.map(withoutSecrets),
    tasks: Object.values(state.tasks).map((t) => (hasSecrets(t.request) ? { ...t, request: withoutSecrets(t.request) } : t)),
    attempts: state.attempts,
  };
}

/** The request names secret variables that its command's environment has (so saving it blanks them). */
function hasSecrets(request: TaskRequest): boolean {
  const names = request.secretEnvironment;
  if (!Array.isArray(names) || names.length === 0) return false;
  return (request.command?.environment?.variables ?? []).some((v) => names.includes(v.name));
}

function withoutSecrets(request: TaskRequest): TaskRequest {
  if (!hasSecrets(request)) return request;
  const names = request.secretEnvironment!;
  const command = request.command!;
  const variables = command.environment!.variables!.map((v) => {
    if (!names.includes(v.name)) return v;
    const { secret: _secret, ...rest } = v;
    return { ...rest, value: '' };
  });
  return { ...request, command: { ...command, environment: { ...command.environment, variables } } };
}

export interface RestoredState {
  readonly state: SchedulerState;
  /** Set when the snapshot could not be read whole: what was dropped, for the log. */
  readonly problem?: string;
}

function isRequest(value: unknown): value is TaskRequest {
  const r = value as TaskRequest;
  return typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.cpus === 'number' && typeof r.mem === 'number';
}

function isTracked(value: unknown): value is TrackedTask {
  const t = value as TrackedTask;
  return (
    typeof t === 'object' &&
    t !== null &&
    typeof t.taskId === 'string' &&
    typeof t.agentId === 'string' &&
    isTaskState(t.state) &&
    isRequest(t.request)
  );
}

/**
 * Builds the state a driver starts from. A snapshot written by another version or damaged on disk loses
 * only what cannot be read: the framework id is kept whenever it is readable, since losing it would orphan
 * every running task.
 */
export function restoreSchedulerState(snapshot: unknown, options: Partial<SchedulerOptions> = {}): RestoredState {
  const initial = initialSchedulerState(options);
  if (snapshot === undefined || snapshot === null) return { state: initial };
  if (typeof snapshot !== 'object') return { state: initial, problem: 'the saved scheduler state is not an object; starting empty' };
  const s = snapshot as Partial<Record<keyof SchedulerSnapshot, unknown>>;
  const frameworkId = typeof s.frameworkId === 'string' && s.frameworkId !== '' ? s.frameworkId : undefined;
  const problems: string[] = [];
  if (s.frameworkId !== undefined && frameworkId === undefined)
    problems.push('the framework id is not readable; the scheduler registers as a new framework');
  const readable = Array.isArray(s.pending) ? s.pending.filter(isRequest) : [];
  if (!Array.isArray(s.pending)) problems.push('the pending requests are not a list; none restored');
  else if (readable.length !== s.pending.length)
    problems.push(`${s.pending.length - readable.length} unreadable pending request(s) dropped`);
  // their secrets were not saved, so they cannot be launched as asked; whoever asked (the Jenkins
  // autoscaler) notices the missing task and launches again
  const pending = readable.filter((r) => !hasSecrets(r));
  if (pending.length !== readable.length)
    problems.push(
      `${readable.length - pending.length} pending request(s) with secret environment dropped (secrets are never saved): ` +
        readable
          .filter(hasSecrets)
          .map((r) => r.id)
          .join(', '),
    );
  const readTasks = Array.isArray(s.tasks) ? s.tasks.filter(isTracked) : [];
  if (!Array.isArray(s.tasks)) problems.push('the tasks are not a list; none restored (reconciliation adopts those that run)');
  else if (readTasks.length !== s.tasks.length)
    problems.push(`${s.tasks.length - readTasks.length} unreadable task(s) dropped (reconciliation adopts them if they run)`);
  // a running task keeps running, but launching its request again would go without its secrets
  const unrestartable = readTasks.filter((t) => t.request.restart === 'on-failure' && hasSecrets(t.request));
  const list = readTasks.map((t) =>
    unrestartable.includes(t) ? { ...t, request: { ...t.request, restart: 'never' as const } } : t,
  );
  if (unrestartable.length > 0)
    problems.push(
      `${unrestartable.length} task(s) with secret environment will not be restarted after they end (secrets are never saved): ` +
        unrestartable.map((t) => t.taskId).join(', '),
    );
  const attempts: Record<string, number> = {};
  if (typeof s.attempts === 'object' && s.attempts !== null && !Array.isArray(s.attempts)) {
    let unreadable = 0;
    for (const [k, v] of Object.entries(s.attempts)) {
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) attempts[k] = v;
      else unreadable += 1;
    }
    if (unreadable > 0) problems.push(`${unreadable} unreadable launch count(s) dropped`);
  } else {
    problems.push('the launch counts are not readable; counting from the restored tasks');
  }
  // a launch count lost to damage must not hand out a task id that is already in use
  for (const t of list) {
    const n = requestIdOf(t.taskId) === t.request.id ? attemptOf(t.taskId) : 0;
    if (n > (attempts[t.request.id] ?? 0)) attempts[t.request.id] = n;
  }
  if (s.version !== 1) problems.push(`unknown state version ${String(s.version)}`);
  const tasks: Record<string, TrackedTask> = {};
  for (const t of list) tasks[t.taskId] = t;
  return {
    state: { ...initial, ...(frameworkId !== undefined && { frameworkId }), pending, tasks, attempts },
    ...(problems.length > 0 && { problem: problems.join('; ') }),
  };
}
