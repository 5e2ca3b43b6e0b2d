import type { MasterResponseGetState, Offer } from '../mesos/codec';
import { checkAgent, checkAgentInfo, checkFramework, checkTask } from './clusterInput';
import type { ClusterIndex } from './clusterIndex';
import type { ElementStart, JsonShape } from './slicedJsonReader';

/**
 * Reads a v1 `GetState` (reference §6.2) into a ClusterIndex being built: from the bytes of a GET_STATE
 * response or a SUBSCRIBED event (a JsonShape for readJsonInSlices), or from an already decoded object.
 * Executors are not read: the views do not show them. Offers inside the frameworks are collected into
 * `offers`, which the caller sets once the snapshot is complete.
 */

/** Elements handed to the index between two yields when reading decoded objects. */
const STEP = 1000;

export class GetStateSink {
  constructor(
    readonly index: ClusterIndex,
    readonly offers: Offer[],
  ) {}

  tasks = (values: readonly unknown[]): void => {
    for (const value of values) {
      const checked = checkTask(value);
      if ('ok' in checked) this.index.putTask(checked.ok);
      else this.index.problem(checked.problem);
    }
  };

  frameworks = (values: readonly unknown[]): void => this.putFrameworks(values, false);
  completedFrameworks = (values: readonly unknown[]): void => this.putFrameworks(values, true);

  private putFrameworks(values: readonly unknown[], completed: boolean): void {
    for (const value of values) {
      const checked = checkFramework(value);
      if ('problem' in checked) {
        this.index.problem(checked.problem);
        continue;
      }
      this.index.putFramework(checked.ok, completed);
      for (const offer of checked.ok.offers ?? []) this.offers.push(offer);
    }
  }

  agents = (values: readonly unknown[]): void => {
    for (const value of values) {
      const checked = checkAgent(value);
      if ('ok' in checked) this.index.putAgent(checked.ok);
      else this.index.problem(checked.problem);
    }
  };

  recoveredAgents = (values: readonly unknown[]): void => {
    for (const value of values) {
      const checked = checkAgentInfo(value);
      if ('ok' in checked) this.index.putRecoveredAgent(checked.ok);
      else this.index.problem(checked.problem);
    }
  };
}

// How Mesos starts each element (fields in field-number order): Task name = 1, task_id = 2 (a
// TaskStatus starts with its task_id, so the comma tells them apart); agent_info and framework_info
// open only these messages.
const TASK_START: ElementStart = { anchor: ',"task_id":{"value":"', start: '{"name":"' };
const AGENT_START: ElementStart = { anchor: '{"agent_info":{', start: '{"agent_info":{' };
const FRAMEWORK_START: ElementStart = { anchor: '{"framework_info":{', start: '{"framework_info":{' };

/** The shape of a `GetState` message, feeding `sink`. */
export function getStateShape(sink: GetStateSink): JsonShape {
  // Tasks carry TimeInfo only in unreachable_time; searching 100 MB of tasks for it costs more than
  // rounding a timestamp nobody computes with, except where unreachable tasks are listed.
  const tasks: JsonShape = { kind: 'elements', take: sink.tasks, elementStart: TASK_START };
  const unreachableTasks: JsonShape = { ...tasks, exactNanoseconds: true };
  return {
    kind: 'object',
    members: {
      get_tasks: {
        kind: 'object',
        members: {
          tasks,
          unreachable_tasks: unreachableTasks,
          completed_tasks: tasks,
          pending_tasks: tasks,
          orphan_tasks: tasks,
        },
      },
      get_frameworks: {
        kind: 'object',
        members: {
          frameworks: {
            kind: 'elements',
            take: sink.frameworks,
            exactNanoseconds: true,
            elementStart: FRAMEWORK_START,
          },
          completed_frameworks: {
            kind: 'elements',
            take: sink.completedFrameworks,
            exactNanoseconds: true,
            elementStart: FRAMEWORK_START,
          },
        },
      },
      get_agents: {
        kind: 'object',
        members: {
          agents: { kind: 'elements', take: sink.agents, exactNanoseconds: true, elementStart: AGENT_START },
          recovered_agents: { kind: 'elements', take: sink.recoveredAgents, exactNanoseconds: true },
        },
      },
    },
  };
}

/** Feeds a decoded GetState to `sink`, yielding every thousand elements. */
export function* readDecodedGetState(state: MasterResponseGetState, sink: GetStateSink): Generator<void, void, void> {
  const feeds: [readonly unknown[] | undefined, (values: readonly unknown[]) => void][] = [
    [state.get_frameworks?.frameworks, sink.frameworks],
    [state.get_frameworks?.completed_frameworks, sink.completedFrameworks],
    [state.get_agents?.agents, sink.agents],
    [state.get_agents?.recovered_agents, sink.recoveredAgents],
    [state.get_tasks?.tasks, sink.tasks],
    [state.get_tasks?.unreachable_tasks, sink.tasks],
    [state.get_tasks?.completed_tasks, sink.tasks],
    [state.get_tasks?.pending_tasks, sink.tasks],
    [state.get_tasks?.orphan_tasks, sink.tasks],
  ];
  for (const [values, take] of feeds) {
    if (values === undefined) continue;
    for (let at = 0; at < values.length; at += STEP) {
      take(values.slice(at, at + STEP));
      yield;
    }
  }
}
