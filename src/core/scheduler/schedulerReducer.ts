import type { Offer, TaskInfo, TaskState, TaskStatus } from '../mesos/codec';
import { isTerminalTaskState } from '../cluster/taskStates';
import type { DecisionKind, DecisionRecord } from './decisionRecord';
import { matchOffers, type RunningTask } from './offerMatcher';
import type { OutgoingCall } from './outgoingCall';
import { validateLaunchRequest } from './placementConstraint';
import type { SchedulerInput } from './schedulerInput';
import type { SchedulerState, TrackedTask } from './schedulerState';
import type { TaskRequest } from './taskRequest';

export interface SchedulerStep {
  readonly state: SchedulerState;
  readonly calls: OutgoingCall[];
  readonly decisions: DecisionRecord[];
}

// LOST and GONE_BY_OPERATOR may be followed by RUNNING when the agent comes back, so the task stays known
// (and is reconciled) instead of being launched a second time.
const UNCERTAIN: ReadonlySet<TaskState> = new Set<TaskState>(['TASK_LOST', 'TASK_GONE_BY_OPERATOR']);
// ERROR means the task description is bad: launching it again would fail again.
const RESTARTABLE: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FAILED',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_KILLED',
  'TASK_LOST',
]);

/** Collects the outputs of one step; state is replaced, never mutated. */
class Step {
  readonly calls: OutgoingCall[] = [];
  readonly decisions: DecisionRecord[] = [];
  /** Requests were queued in this step (new or restarted). */
  newDemand = false;
  constructor(
    public state: SchedulerState,
    readonly at: number,
  ) {}

  decide(kind: DecisionKind, reason: string, about: Omit<DecisionRecord, 'at' | 'kind' | 'reason'> = {}): void {
    this.decisions.push({ at: this.at, kind, ...about, reason });
  }
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

function onLaunch(step: Step, requests: readonly TaskRequest[]): void {
  for (const request of requests) {
    const id = request.id;
    const known =
      step.state.pending.some((p) => p.id === id) || Object.values(step.state.tasks).some((t) => t.request.id === id);
    if (known) {
      step.decide('rejected', `a request with id '${id}' is already pending or running`, { requestId: id });
      continue;
    }
    try {
      validateLaunchRequest(request);
    } catch (cause) {
      step.decide('rejected', (cause as Error).message, { requestId: id });
      continue;
    }
    step.state = { ...step.state, pending: [...step.state.pending, request] };
    step.newDemand = true;
    step.decide('queued', 'waiting for an offer', { requestId: id });
  }
}

function onKill(step: Step, taskId: string): void {
  const task = step.state.tasks[taskId];
  if (task) {
    if (task.killRequested) {
      step.decide('kill-ignored', 'KILL was already sent for this task', {
        requestId: task.request.id,
        taskId,
        agentId: task.agentId,
      });
      return;
    }
    step.calls.push({ type: 'KILL', kill: { task_id: { value: taskId }, agent_id: { value: task.agentId } } });
    step.state = { ...step.state, tasks: { ...step.state.tasks, [taskId]: { ...task, killRequested: true } } };
    step.decide('kill-sent', 'kill requested', { requestId: task.request.id, taskId, agentId: task.agentId });
    return;
  }
  if (step.state.pending.some((p) => p.id === taskId)) {
    step.state = { ...step.state, pending: step.state.pending.filter((p) => p.id !== taskId) };
    step.decide('removed', 'kill requested before launch: removed from the queue', { requestId: taskId });
    return;
  }
  step.decide('kill-ignored', 'no such task or pending request', { taskId });
}

function onSubscribed(step: Step, frameworkId: string): void {
  // offers and filters do not survive a resubscription (reference §5)
  step.state = { ...step.state, frameworkId, suppressed: false, filteredUntil: undefined };
  const live = Object.values(step.state.tasks)
    .sort((a, b) => (a.taskId < b.taskId ? -1 : 1))
    .map((t) => ({ task_id: { value: t.taskId }, agent_id: { value: t.agentId } }));
  if (live.length > 0) step.calls.push({ type: 'RECONCILE', reconcile: { tasks: live } });
  step.calls.push({ type: 'RECONCILE', reconcile: { tasks: [] } });
  step.decide('subscribed', `subscribed as framework ${frameworkId}; reconciling ${live.length} known task(s)`);
}

function taskInfoOf(taskId: string, agentId: string, request: TaskRequest, resources: TaskInfo['resources']): TaskInfo {
  const info: TaskInfo = {
    name: request.name ?? request.id,
    task_id: { value: taskId },
    agent_id: { value: agentId },
    resources,
  };
  return request.command === undefined ? info : { ...info, command: request.command };
}

function onOffers(step: Step, offers: readonly Offer[]): void {
  if (offers.length === 0) return;
  const { options } = step.state;
  const running: RunningTask[] = Object.values(step.state.tasks).map((t) => ({
    group: t.request.group ?? t.request.id,
    hostname: t.hostname,
  }));
  const result = matchOffers(step.state.pending, offers, { running });
  const used = new Set(result.assignments.map((a) => a.offerId));
  let { tasks, attempts } = step.state;
  const launched = new Set<string>();
  for (const assignment of result.assignments) {
    const infos: TaskInfo[] = [];
    for (const placement of assignment.tasks) {
      const request = placement.request as TaskRequest;
      const attempt = (attempts[request.id] ?? 0) + 1;
      const taskId = `${request.id}.${attempt}`;
      attempts = { ...attempts, [request.id]: attempt };
      infos.push(taskInfoOf(taskId, assignment.agentId, request, placement.resources));
      const tracked: TrackedTask = {
        taskId,
        request,
        agentId: assignment.agentId,
        hostname: assignment.hostname,
        state: 'TASK_STAGING',
        killRequested: false,
      };
      tasks = { ...tasks, [taskId]: tracked };
      launched.add(request.id);
      step.decide('launched', `placed on ${assignment.hostname}`, {
        requestId: request.id,
        taskId,
        offerId: assignment.offerId,
        agentId: assignment.agentId,
      });
    }
    step.calls.push({
      type: 'ACCEPT',
      accept: {
        offer_ids: [{ value: assignment.offerId }],
        operations: [{ type: 'LAUNCH', launch: { task_infos: infos } }],
        filters: { refuse_seconds: options.refuseSeconds },
      },
    });
  }
  for (const miss of result.unmatched) {
    const reason = miss.largerThanAnyAgent
      ? 'larger than any agent'
      : miss.rejections.map((r) => `${r.hostname} (${r.offerId}): ${r.message}`).join('; ') || 'no offers';
    step.decide('unmatched', reason, { requestId: miss.request.id });
  }
  const unused = offers.filter((o) => !used.has(o.id.value));
  let filteredUntil = step.state.filteredUntil;
  if (unused.length > 0) {
    step.calls.push({
      type: 'DECLINE',
      decline: {
        offer_ids: unused.map((o) => ({ value: o.id.value })),
        filters: { refuse_seconds: options.refuseSeconds },
      },
    });
    for (const o of unused)
      step.decide('declined', `nothing pending fits; refused for ${options.refuseSeconds}s`, {
        offerId: o.id.value,
        agentId: o.agent_id.value,
      });
    filteredUntil = step.at + options.refuseSeconds * 1000;
  }
  step.state = {
    ...step.state,
    tasks,
    attempts,
    pending: step.state.pending.filter((p) => !launched.has(p.id)),
    filteredUntil,
  };
}

function onUpdate(step: Step, status: TaskStatus): void {
  const taskId = status.task_id.value;
  const agentId = status.agent_id?.value;
  // the agent retries until acknowledged and holds back the next update meanwhile (reference §2.8)
  if (status.uuid !== undefined && agentId !== undefined) {
    step.calls.push({
      type: 'ACKNOWLEDGE',
      acknowledge: { agent_id: { value: agentId }, task_id: { value: taskId }, uuid: status.uuid },
    });
  }
  const task = step.state.tasks[taskId];
  const why = status.message ?? status.reason ?? status.state;
  if (!task) {
    step.decide('status', `${status.state} for a task this scheduler does not know`, {
      taskId,
      ...(agentId ? { agentId } : {}),
    });
    return;
  }
  const about = { requestId: task.request.id, taskId, agentId: task.agentId };
  if (!isTerminalTaskState(status.state)) {
    step.state = { ...step.state, tasks: { ...step.state.tasks, [taskId]: { ...task, state: status.state } } };
    step.decide('status', `${status.state}: ${why}`, about);
    return;
  }
  // a launch on a rescinded offer never started, so its LOST is definite
  if (UNCERTAIN.has(status.state) && status.reason !== 'REASON_INVALID_OFFERS' && !task.killRequested) {
    step.state = { ...step.state, tasks: { ...step.state.tasks, [taskId]: { ...task, state: status.state } } };
    step.decide(
      'lost',
      `${status.state} may not be final (the agent can come back); kept for reconciliation: ${why}`,
      about,
    );
    return;
  }
  step.state = { ...step.state, tasks: without(step.state.tasks, taskId) };
  const restart =
    (task.request.restart ?? 'never') === 'on-failure' && !task.killRequested && RESTARTABLE.has(status.state);
  if (restart) {
    step.state = { ...step.state, pending: [...step.state.pending, task.request] };
    step.newDemand = true;
    step.decide('requeued', `${status.state} with restart 'on-failure': queued again: ${why}`, about);
  } else {
    step.decide('finished', `${status.state}: ${why}`, about);
  }
}

function onEvent(step: Step, input: Extract<SchedulerInput, { kind: 'event' }>): void {
  const event = input.event;
  switch (event.type) {
    case 'SUBSCRIBED':
      if (event.subscribed) onSubscribed(step, event.subscribed.framework_id.value);
      return;
    case 'OFFERS':
      onOffers(step, event.offers?.offers ?? []);
      return;
    case 'RESCIND': {
      const offerId = event.rescind?.offer_id.value;
      if (offerId === undefined) return;
      // every offer is answered in the step that brings it, so none is held; an ACCEPT that crossed this
      // rescind comes back as TASK_LOST/TASK_DROPPED with REASON_INVALID_OFFERS (reference §5)
      step.decide('rescinded', 'the master took the offer back', { offerId });
      return;
    }
    case 'UPDATE':
      if (event.update) onUpdate(step, event.update.status);
      return;
    case 'FAILURE': {
      const agentId = event.failure?.agent_id?.value;
      const executor = event.failure?.executor_id?.value;
      step.decide(
        'agent-failed',
        executor
          ? `executor ${executor} exited with status ${event.failure?.status ?? '?'}`
          : 'agent failed; its tasks will get status updates',
        agentId ? { agentId } : {},
      );
      return;
    }
    case 'ERROR':
      step.decide('error', event.error?.message ?? 'the master reported an error');
      return;
    default:
      return;
  }
}

/** The one place that decides SUPPRESS and REVIVE, so each is sent only when interest in offers changes. */
function settleOfferInterest(step: Step): void {
  if (step.state.filteredUntil !== undefined && step.state.filteredUntil <= step.at)
    step.state = { ...step.state, filteredUntil: undefined };
  const s = step.state;
  if (s.pending.length > 0) {
    // REVIVE also clears our DECLINE filters, which would otherwise hide agents from the new demand
    if (step.newDemand && (s.suppressed || s.filteredUntil !== undefined)) {
      step.calls.push({ type: 'REVIVE', revive: {} });
      step.decide(
        'revived',
        s.suppressed ? 'requests are pending again' : 'new requests while our decline filters are active',
      );
      step.state = { ...step.state, suppressed: false, filteredUntil: undefined };
    }
    step.state = { ...step.state, idleSince: undefined };
    return;
  }
  const idleSince = s.idleSince ?? step.at;
  step.state = { ...step.state, idleSince };
  if (!s.suppressed && step.at - idleSince >= s.options.suppressAfterMs) {
    step.calls.push({ type: 'SUPPRESS', suppress: {} });
    step.decide('suppressed', `nothing pending for ${step.at - idleSince} ms`);
    step.state = { ...step.state, suppressed: true };
  }
}

/** Pure: same state and input, same result. The driver performs `calls` and shows `decisions`. */
export function reduce(state: SchedulerState, input: SchedulerInput): SchedulerStep {
  const step = new Step(state, input.at);
  switch (input.kind) {
    case 'event':
      onEvent(step, input);
      break;
    case 'launch':
      onLaunch(step, input.requests);
      break;
    case 'kill':
      onKill(step, input.taskId);
      break;
    case 'tick':
      break;
  }
  settleOfferInterest(step);
  return { state: step.state, calls: step.calls, decisions: step.decisions };
}
