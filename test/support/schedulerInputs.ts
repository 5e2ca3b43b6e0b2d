import type { Offer, Resource, SchedulerEvent, TaskState, TaskStatus } from '../../src/core/mesos/codec';
import type { DecisionRecord } from '../../src/core/scheduler/decisionRecord';
import type { OutgoingCall } from '../../src/core/scheduler/outgoingCall';
import { reduce } from '../../src/core/scheduler/schedulerReducer';
import type { SchedulerInput } from '../../src/core/scheduler/schedulerInput';
import { initialSchedulerState, type SchedulerState } from '../../src/core/scheduler/schedulerState';
import type { TaskRequest } from '../../src/core/scheduler/taskRequest';

// Builders for the scheduler reducer's inputs, so a test reads like the recorded case it checks.

export const scalar = (name: string, value: number): Resource => ({
  name,
  type: 'SCALAR',
  scalar: { value },
  role: '*',
});

/** Offer `O<n>` of agent `S<n>` (hostname `agent-<n>`). */
export function offer(n: number, cpus: number, mem: number): Offer {
  return {
    id: { value: `O${n}` },
    framework_id: { value: 'F' },
    agent_id: { value: `S${n}` },
    hostname: `agent-${n}`,
    resources: [scalar('cpus', cpus), scalar('mem', mem)],
  };
}

export const event = (at: number, e: SchedulerEvent): SchedulerInput => ({ kind: 'event', at, event: e });
export const subscribed = (at: number, id = 'F1'): SchedulerInput =>
  event(at, { type: 'SUBSCRIBED', subscribed: { framework_id: { value: id } } });
export const offers = (at: number, ...list: Offer[]): SchedulerInput =>
  event(at, { type: 'OFFERS', offers: { offers: list } });
export const rescind = (at: number, id: string): SchedulerInput =>
  event(at, { type: 'RESCIND', rescind: { offer_id: { value: id } } });

/** A status update from agent S1 unless `more.agent_id` says otherwise; no uuid unless given. */
export function update(at: number, taskId: string, state: TaskState, more: Partial<TaskStatus> = {}): SchedulerInput {
  return event(at, {
    type: 'UPDATE',
    update: { status: { task_id: { value: taskId }, state, agent_id: { value: 'S1' }, ...more } },
  });
}

/** A master's answer to reconciliation (reference §2.9): source master, reason RECONCILIATION, never a uuid. */
export function reconciled(
  at: number,
  taskId: string,
  state: TaskState,
  agentId = 'S1',
  message = 'Reconciliation: Latest task state',
): SchedulerInput {
  return update(at, taskId, state, {
    agent_id: { value: agentId },
    source: 'SOURCE_MASTER',
    reason: 'REASON_RECONCILIATION',
    message,
  });
}

export const launch = (at: number, ...requests: TaskRequest[]): SchedulerInput => ({ kind: 'launch', at, requests });
export const kill = (at: number, taskId: string): SchedulerInput => ({ kind: 'kill', at, taskId });
export const tick = (at: number): SchedulerInput => ({ kind: 'tick', at });
export const disconnected = (at: number, reason = 'stream closed'): SchedulerInput => ({
  kind: 'disconnected',
  at,
  reason,
});
export const frameworkRemoved = (at: number, reason = 'Framework has been removed'): SchedulerInput => ({
  kind: 'framework-removed',
  at,
  reason,
});
export const callFailed = (at: number, call: OutgoingCall, definite: boolean, reason: string): SchedulerInput => ({
  kind: 'call-failed',
  at,
  call,
  definite,
  reason,
});

export const req = (id: string, cpus = 1, mem = 512, more: Partial<TaskRequest> = {}): TaskRequest => ({
  id,
  cpus,
  mem,
  command: { value: `run ${id}` },
  ...more,
});

/** Each step's outputs, in input order, and the state after the last input. */
export interface Run {
  state: SchedulerState;
  calls: OutgoingCall[][];
  decisions: DecisionRecord[][];
}

export function run(
  inputs: readonly SchedulerInput[],
  state: SchedulerState = initialSchedulerState({ suppressAfterMs: 1000, refuseSeconds: 60 }),
): Run {
  const out: Run = { state, calls: [], decisions: [] };
  for (const input of inputs) {
    const step = reduce(out.state, input);
    out.state = step.state;
    out.calls.push(step.calls);
    out.decisions.push(step.decisions);
  }
  return out;
}

export const types = (calls: readonly OutgoingCall[]) => calls.map((c) => c.type);
export const kinds = (decisions: readonly DecisionRecord[]): string[] => decisions.map((d) => d.kind);

/** The calls the reducer builds, for exact comparison. */
export const killCall = (taskId: string, agentId = 'S1'): OutgoingCall => ({
  type: 'KILL',
  kill: { task_id: { value: taskId }, agent_id: { value: agentId } },
});
export const reconcileCall = (...tasks: Array<[taskId: string, agentId: string]>): OutgoingCall => ({
  type: 'RECONCILE',
  reconcile: { tasks: tasks.map(([t, a]) => ({ task_id: { value: t }, agent_id: { value: a } })) },
});
export const implicitReconcile: OutgoingCall = { type: 'RECONCILE', reconcile: { tasks: [] } };
export const revive: OutgoingCall = { type: 'REVIVE', revive: {} };
export const suppress: OutgoingCall = { type: 'SUPPRESS', suppress: {} };
export const ack = (taskId: string, uuid: string, agentId = 'S1'): OutgoingCall => ({
  type: 'ACKNOWLEDGE',
  acknowledge: { agent_id: { value: agentId }, task_id: { value: taskId }, uuid },
});

/** How the state reads back from disk: keys whose value is undefined are absent, as after a JSON round trip. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
