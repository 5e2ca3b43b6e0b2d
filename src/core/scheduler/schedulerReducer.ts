import type { Offer, TaskInfo, TaskState, TaskStatus } from '../mesos/codec';
import { isTerminalTaskState } from '../cluster/taskStates';
import type { DecisionKind, DecisionRecord } from './decisionRecord';
import { matchOffers, type RunningTask } from './offerMatcher';
import type { OutgoingCall } from './outgoingCall';
import { validateLaunchRequest } from './placementConstraint';
import type { SchedulerInput } from './schedulerInput';
import type { ReconcileRound, SchedulerState, TrackedTask } from './schedulerState';
import { attemptOf, requestIdOf, taskIdOf } from './taskId';
import type { TaskRequest } from './taskRequest';

export interface SchedulerStep {
  readonly state: SchedulerState;
  readonly calls: OutgoingCall[];
  readonly decisions: DecisionRecord[];
}

// LOST and GONE_BY_OPERATOR may be followed by RUNNING when the agent comes back, so the task stays known
// (and is reconciled) instead of being launched a second time.
const UNCERTAIN: ReadonlySet<TaskState> = new Set<TaskState>(['TASK_LOST', 'TASK_GONE_BY_OPERATOR']);
// The agent is out of reach: the task may still run.
const AWAY: ReadonlySet<TaskState> = new Set<TaskState>(['TASK_UNREACHABLE', 'TASK_LOST', 'TASK_GONE_BY_OPERATOR']);
// For a launch whose ACCEPT may not have reached Mesos, these answers mean it never started.
const NEVER_STARTED: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_UNKNOWN',
  'TASK_LOST',
]);
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
  /** This step reports a failed REVIVE: the next step sends it again, so a refusing master is not hammered. */
  holdRevive = false;
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
  // one pass over the state for the whole batch, not one per request
  const known = new Set(step.state.pending.map((p) => p.id));
  for (const t of Object.values(step.state.tasks)) known.add(t.request.id);
  const queued: TaskRequest[] = [];
  for (const request of requests) {
    const id = request.id;
    if (known.has(id)) {
      step.decide('rejected', `a request with id '${id}' is already pending or running`, { requestId: id });
      continue;
    }
    try {
      validateLaunchRequest(request);
    } catch (cause) {
      step.decide('rejected', (cause as Error).message, { requestId: id });
      continue;
    }
    queued.push(request);
    known.add(id);
    step.newDemand = true;
    step.decide('queued', 'waiting for an offer', { requestId: id });
  }
  if (queued.length > 0) step.state = { ...step.state, pending: [...step.state.pending, ...queued] };
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
    // while the stream is down the KILL waits for the next SUBSCRIBED, which sends every requested kill
    if (step.state.subscribed)
      step.calls.push({ type: 'KILL', kill: { task_id: { value: taskId }, agent_id: { value: task.agentId } } });
    step.state = { ...step.state, tasks: { ...step.state.tasks, [taskId]: { ...task, killRequested: true } } };
    step.decide('kill-sent', step.state.subscribed ? 'kill requested' : 'kill requested; sent once subscribed again', {
      requestId: task.request.id,
      taskId,
      agentId: task.agentId,
    });
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
  // offers and filters do not survive a resubscription, and a new stream starts unsuppressed (reference §5)
  step.state = { ...step.state, frameworkId, subscribed: true, suppressed: false, filteredUntil: undefined };
  const known = Object.values(step.state.tasks).sort((a, b) => (a.taskId < b.taskId ? -1 : 1));
  // a KILL sent on the old stream may have been lost with it; KILL is idempotent
  for (const t of known.filter((k) => k.killRequested))
    step.calls.push({ type: 'KILL', kill: { task_id: { value: t.taskId }, agent_id: { value: t.agentId } } });
  startReconcileRound(step, known.map((t) => t.taskId));
  step.calls.push({ type: 'RECONCILE', reconcile: { tasks: [] } });
  step.state = { ...step.state, lastImplicitReconcileAt: step.at };
  step.decide('subscribed', `subscribed as framework ${frameworkId}; reconciling ${known.length} known task(s)`);
}

function reconcileCall(step: Step, taskIds: readonly string[]): void {
  const tasks = taskIds.flatMap((id) => {
    const t = step.state.tasks[id];
    return t ? [{ task_id: { value: id }, agent_id: { value: t.agentId } }] : [];
  });
  if (tasks.length > 0) step.calls.push({ type: 'RECONCILE', reconcile: { tasks } });
}

/** Explicit reconciliation of `taskIds`, retried with backoff for those that stay silent (reference §2.9). */
function startReconcileRound(step: Step, taskIds: readonly string[]): void {
  const waiting = [...new Set([...(step.state.reconcile?.waiting ?? []), ...taskIds])].filter(
    (id) => step.state.tasks[id] !== undefined,
  );
  if (waiting.length === 0) {
    step.state = { ...step.state, reconcile: undefined };
    return;
  }
  reconcileCall(step, taskIds);
  const round: ReconcileRound = { waiting, attempt: 0, nextAt: step.at + step.state.options.reconcileRetryMs };
  step.state = { ...step.state, reconcile: round };
}

function answered(step: Step, taskId: string): void {
  const round = step.state.reconcile;
  if (!round || !round.waiting.includes(taskId)) return;
  const waiting = round.waiting.filter((id) => id !== taskId);
  step.state = { ...step.state, reconcile: waiting.length === 0 ? undefined : { ...round, waiting } };
}

/** The request runs (or waits to run) again under another task id: `exceptTaskId` is an old copy. */
function placedAgain(state: SchedulerState, requestId: string, exceptTaskId?: string): boolean {
  return (
    state.pending.some((p) => p.id === requestId) ||
    Object.values(state.tasks).some((t) => t.request.id === requestId && t.taskId !== exceptTaskId && !t.killRequested)
  );
}

/**
 * Places a restartable request again while its old task is out of reach. The old task stays tracked with
 * a kill requested, so it is killed if its agent comes back: the request never runs twice for long.
 */
function replaceAway(step: Step, task: TrackedTask, why: string): void {
  if ((task.request.restart ?? 'never') !== 'on-failure' || task.killRequested) return;
  step.state = {
    ...step.state,
    tasks: { ...step.state.tasks, [task.taskId]: { ...task, killRequested: true } },
    pending: [...step.state.pending, task.request],
  };
  step.newDemand = true;
  step.decide('requeued', `${why}: placing the request again; the old task is killed if its agent comes back`, {
    requestId: task.request.id,
    taskId: task.taskId,
    agentId: task.agentId,
  });
}

function onTick(step: Step): void {
  for (const task of Object.values(step.state.tasks)) {
    if (task.awaySince !== undefined && step.at - task.awaySince >= step.state.options.unreachableReplaceMs)
      replaceAway(step, task, `its agent has been out of reach for ${Math.round((step.at - task.awaySince) / 1000)} s`);
  }
  const s = step.state;
  if (!s.subscribed) return;
  // a task can leave the state without answering (its ACCEPT was refused): nobody waits for it any more
  const waiting = s.reconcile?.waiting.filter((id) => s.tasks[id] !== undefined);
  const round = waiting && waiting.length > 0 ? { ...s.reconcile!, waiting } : undefined;
  if (round === undefined && s.reconcile !== undefined) step.state = { ...step.state, reconcile: undefined };
  if (round && step.at >= round.nextAt) {
    const attempt = round.attempt + 1;
    const delay = Math.min(s.options.reconcileRetryMs * 2 ** attempt, s.options.reconcileRetryMaxMs);
    reconcileCall(step, round.waiting);
    step.state = { ...step.state, reconcile: { ...round, attempt, nextAt: step.at + delay } };
    step.decide('reconciling', `${round.waiting.length} task(s) have not answered reconciliation yet; asking again`);
  }
  if (step.at - (s.lastImplicitReconcileAt ?? step.at) >= s.options.implicitReconcileMs) {
    step.calls.push({ type: 'RECONCILE', reconcile: { tasks: [] } });
    step.state = { ...step.state, lastImplicitReconcileAt: step.at };
  }
}

function taskInfoOf(taskId: string, agentId: string, request: TaskRequest, resources: TaskInfo['resources']): TaskInfo {
  return {
    name: request.name ?? request.id,
    task_id: { value: taskId },
    agent_id: { value: agentId },
    resources,
    ...(request.command !== undefined && { command: request.command }),
    ...(request.container !== undefined && { container: request.container }),
    ...(request.killPolicy !== undefined && { kill_policy: request.killPolicy }),
  };
}

function onOffers(step: Step, offers: readonly Offer[]): void {
  if (offers.length === 0) return;
  const { options } = step.state;
  const running: RunningTask[] = Object.values(step.state.tasks).map((t) => ({
    group: t.request.group ?? t.request.id,
    hostname: t.hostname,
  }));
  // a bounded pass keeps one OFFERS event from blocking the event loop; the rest wait for the next offers
  const considered = step.state.pending.slice(0, options.maxRequestsPerPass);
  const leftOut = step.state.pending.length > considered.length;
  const result = matchOffers(considered, offers, { running });
  const used = new Set(result.assignments.map((a) => a.offerId));
  // ACCEPT declines whatever its operations leave of the offer with its filter (reference §2.3), so while
  // requests wait that this pass did not consider, accepted agents must come back as soon as declined ones
  const refuse = leftOut ? options.busyRefuseSeconds : options.refuseSeconds;
  let { tasks, attempts } = step.state;
  const launched = new Set<string>();
  for (const assignment of result.assignments) {
    const infos: TaskInfo[] = [];
    for (const placement of assignment.tasks) {
      const request = placement.request as TaskRequest;
      const attempt = (attempts[request.id] ?? 0) + 1;
      const taskId = taskIdOf(request.id, attempt);
      attempts = { ...attempts, [request.id]: attempt };
      infos.push(taskInfoOf(taskId, assignment.agentId, request, placement.resources));
      const tracked: TrackedTask = {
        taskId,
        request,
        agentId: assignment.agentId,
        hostname: assignment.hostname,
        state: 'TASK_STAGING',
        killRequested: false,
        updatedAt: step.at,
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
        filters: { refuse_seconds: refuse },
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
  // every ACCEPT and DECLINE filters its agents: new demand before the filters end needs a REVIVE
  const filteredUntil = Math.max(step.state.filteredUntil ?? 0, step.at + refuse * 1000);
  if (unused.length > 0) {
    step.calls.push({
      type: 'DECLINE',
      decline: {
        offer_ids: unused.map((o) => ({ value: o.id.value })),
        filters: { refuse_seconds: refuse },
      },
    });
    const why = leftOut ? 'more requests wait for the next pass' : 'nothing pending fits';
    for (const o of unused)
      step.decide('declined', `${why}; refused for ${refuse}s`, { offerId: o.id.value, agentId: o.agent_id.value });
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
  answered(step, taskId);
  const task = step.state.tasks[taskId];
  // what the update says beyond its state (its message, else its reason code); many say nothing more
  const detail = status.message || status.reason;
  const more = detail ? `: ${detail}` : '';
  if (!task) {
    if (!isTerminalTaskState(status.state) && status.state !== 'TASK_UNKNOWN' && agentId !== undefined) {
      // ours (it came on our stream) but not in our state, e.g. launched before that state was lost:
      // adopted so that it is shown, killable and reconciled, never silently left running
      const requestId = requestIdOf(taskId);
      if (placedAgain(step.state, requestId)) {
        // an old copy of a request that was placed again (its agent came back after we let it go)
        if (step.state.subscribed)
          step.calls.push({ type: 'KILL', kill: { task_id: { value: taskId }, agent_id: { value: agentId } } });
        step.decide('kill-sent', `${status.state} for an old copy of a request that runs again elsewhere: killing it`, {
          requestId,
          taskId,
          agentId,
          state: status.state,
        });
        return;
      }
      const adopted: TrackedTask = {
        taskId,
        request: { id: requestId, cpus: 0, mem: 0 },
        agentId,
        hostname: '',
        state: status.state,
        killRequested: false,
        adopted: true,
        updatedAt: step.at,
      };
      step.state = {
        ...step.state,
        tasks: { ...step.state.tasks, [taskId]: adopted },
        attempts: { ...step.state.attempts, [requestId]: Math.max(step.state.attempts[requestId] ?? 0, attemptOf(taskId)) },
      };
      step.decide('adopted', `${status.state} for a task of this framework that this scheduler did not know: adopted`, {
        requestId,
        taskId,
        agentId,
        state: status.state,
      });
      return;
    }
    step.decide('status', `${status.state} for a task this scheduler does not know`, {
      taskId,
      ...(agentId ? { agentId } : {}),
      state: status.state,
    });
    return;
  }
  const about = { requestId: task.request.id, taskId, agentId: task.agentId, state: status.state };
  const neverStarted =
    status.reason === 'REASON_INVALID_OFFERS' || (task.unconfirmed === true && NEVER_STARTED.has(status.state));
  if (!isTerminalTaskState(status.state) && status.state !== 'TASK_UNKNOWN') {
    const away = AWAY.has(status.state);
    const next: TrackedTask = {
      ...task,
      state: status.state,
      // UNREACHABLE is also the answer for a task id Mesos never saw on an unreachable agent (reference §2.9)
      unconfirmed: away ? task.unconfirmed : undefined,
      updatedAt: step.at,
      awaySince: away ? (task.awaySince ?? step.at) : undefined,
    };
    step.state = { ...step.state, tasks: { ...step.state.tasks, [taskId]: next } };
    // a task given up for lost (and replaced, or killed meanwhile) came back with its agent, or an old copy
    // whose KILL did not arrive speaks again while its request runs elsewhere: end it now (the scan of the
    // other tasks runs only for a task meant to be killed, not for every update)
    if (task.killRequested && !away && step.state.subscribed) {
      const stray = task.awaySince !== undefined || placedAgain(step.state, task.request.id, taskId);
      if (stray)
        step.calls.push({ type: 'KILL', kill: { task_id: { value: taskId }, agent_id: { value: task.agentId } } });
    }
    step.decide('status', `${status.state}${more}`, about);
    return;
  }
  if (neverStarted) {
    // nothing ran, so this is not a restart: the request goes back to the head of the queue
    step.state = {
      ...step.state,
      tasks: without(step.state.tasks, taskId),
      pending: task.killRequested ? step.state.pending : [task.request, ...step.state.pending],
    };
    if (task.killRequested) step.decide('finished', `${status.state} before it started${more}`, about);
    else {
      step.newDemand = true;
      const why = detail ? ` (${detail})` : '';
      step.decide('requeued', `${status.state}: the launch never started${why}; placing it again`, about);
    }
    return;
  }
  if (UNCERTAIN.has(status.state) && !task.killRequested) {
    const kept = { ...task, state: status.state, updatedAt: step.at, awaySince: task.awaySince ?? step.at };
    step.state = { ...step.state, tasks: { ...step.state.tasks, [taskId]: kept } };
    step.decide(
      'lost',
      `${status.state} may not be final (the agent can come back); kept for reconciliation${more}`,
      about,
    );
    // the operator declared the agent gone: that is their call to make, so the work moves now
    if (status.state === 'TASK_GONE_BY_OPERATOR') replaceAway(step, kept, 'the operator marked its agent gone');
    return;
  }
  step.state = { ...step.state, tasks: without(step.state.tasks, taskId) };
  const restart =
    (task.request.restart ?? 'never') === 'on-failure' &&
    !task.killRequested &&
    (RESTARTABLE.has(status.state) || status.state === 'TASK_UNKNOWN');
  if (restart) {
    step.state = { ...step.state, pending: [...step.state.pending, task.request] };
    step.newDemand = true;
    step.decide('requeued', `${status.state} with restart 'on-failure': queued again${more}`, about);
  } else {
    step.decide('finished', `${status.state}${more}`, about);
  }
}

function onCallFailed(step: Step, input: Extract<SchedulerInput, { kind: 'call-failed' }>): void {
  const { call, definite, reason } = input;
  switch (call.type) {
    case 'ACCEPT': {
      const launched = (call.accept?.operations ?? []).flatMap((op) => op.launch?.task_infos ?? []);
      const offerId = call.accept?.offer_ids?.[0]?.value;
      const uncertain: string[] = [];
      for (const info of launched) {
        const taskId = info.task_id.value;
        const task = step.state.tasks[taskId];
        if (!task) continue;
        const about = { requestId: task.request.id, taskId, agentId: task.agentId, ...(offerId ? { offerId } : {}) };
        if (definite) {
          step.state = {
            ...step.state,
            tasks: without(step.state.tasks, taskId),
            pending: task.killRequested ? step.state.pending : [task.request, ...step.state.pending],
          };
          step.newDemand = !task.killRequested || step.newDemand;
          step.decide(
            'launch-failed',
            task.killRequested
              ? `the launch was not taken (${reason}); it was to be killed, so it is not placed again`
              : `the launch was not taken (${reason}); placing it again`,
            about,
          );
        } else {
          step.state = { ...step.state, tasks: { ...step.state.tasks, [taskId]: { ...task, unconfirmed: true } } };
          uncertain.push(taskId);
          step.decide('launch-failed', `the launch may or may not have reached Mesos (${reason}); reconciling`, about);
        }
      }
      if (uncertain.length > 0 && step.state.subscribed) startReconcileRound(step, uncertain);
      return;
    }
    case 'KILL': {
      const taskId = call.kill?.task_id.value ?? '';
      const task = step.state.tasks[taskId];
      if (!task) return;
      const about = { requestId: task.request.id, taskId, agentId: task.agentId, call: 'KILL' as const };
      if (definite && placedAgain(step.state, task.request.id, taskId)) {
        // forgetting this kill would let the old copy run beside its replacement, and restart when it ends
        step.decide(
          'error',
          `KILL was not delivered (${reason}); its request runs again elsewhere, so it is sent again when the task next reports`,
          about,
        );
      } else if (definite) {
        step.state = { ...step.state, tasks: { ...step.state.tasks, [taskId]: { ...task, killRequested: false } } };
        step.decide('error', `KILL was not delivered (${reason}); kill the task again`, about);
      } else {
        step.decide('error', `KILL may not have arrived (${reason}); it is sent again on the next subscription`, about);
      }
      return;
    }
    case 'REVIVE':
      // still (or again) suppressed as far as we know: the next step with demand revives again
      step.state = { ...step.state, suppressed: true };
      step.holdRevive = true;
      return;
    case 'SUPPRESS':
      // a SUPPRESS that may have taken effect must be answered by a REVIVE when demand comes, so it counts
      // as taken; one that certainly did not is sent again once the queue has been idle long enough
      if (definite || !step.state.suppressed) step.state = { ...step.state, suppressed: false, idleSince: step.at };
      return;
    default:
      return;
  }
}

function onDisconnected(step: Step, reason: string): void {
  if (!step.state.subscribed) return;
  step.state = { ...step.state, subscribed: false, reconcile: undefined };
  step.decide('disconnected', `the subscription is down (${reason}); reconnecting`);
}

function onFrameworkRemoved(step: Step, reason: string): void {
  const tasks = Object.values(step.state.tasks);
  const requeue = tasks.filter((t) => (t.request.restart ?? 'never') === 'on-failure' && !t.killRequested);
  step.state = {
    ...step.state,
    frameworkId: undefined,
    subscribed: false,
    tasks: {},
    reconcile: undefined,
    pending: [...step.state.pending, ...requeue.map((t) => t.request)],
  };
  if (requeue.length > 0) step.newDemand = true;
  step.decide(
    'framework-removed',
    `Mesos removed the framework (${reason}); its ${tasks.length} task(s) were killed by Mesos; ${requeue.length} queued again under a new framework`,
  );
  // no status update will ever come for these tasks, so each request's end is recorded here
  for (const t of tasks) {
    const about = { requestId: t.request.id, taskId: t.taskId, agentId: t.agentId };
    if (requeue.includes(t))
      step.decide('requeued', "the framework was removed with its tasks; restart 'on-failure': queued again", about);
    else step.decide('finished', 'the framework was removed with its tasks', about);
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
    const filtered = step.newDemand && s.filteredUntil !== undefined;
    if (s.subscribed && (s.suppressed || filtered) && !step.holdRevive) {
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
  if (s.subscribed && !s.suppressed && step.at - idleSince >= s.options.suppressAfterMs) {
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
      onTick(step);
      break;
    case 'call-failed':
      onCallFailed(step, input);
      break;
    case 'disconnected':
      onDisconnected(step, input.reason);
      break;
    case 'framework-removed':
      onFrameworkRemoved(step, input.reason);
      break;
  }
  settleOfferInterest(step);
  return { state: step.state, calls: step.calls, decisions: step.decisions };
}
