import assert from 'node:assert/strict';
import {
  BUILDABLE_ITEM_CLASS,
  BUILT_IN_COMPUTER_CLASS,
  FREESTYLE_PROJECT_CLASS,
  PLACEHOLDER_TASK_CLASS,
  SLAVE_COMPUTER_CLASS,
} from '../../../src/core/jenkins/jenkinsTypes';
import { agentNodeDescription } from '../../../src/core/scheduler/autoscaler/agentNodeName';
import type { AgentTaskReport } from '../../../src/core/scheduler/autoscaler/agentTaskReport';
import type { AgentTemplate } from '../../../src/core/scheduler/autoscaler/agentTemplate';
import { autoscale } from '../../../src/core/scheduler/autoscaler/autoscale';
import type { AutoscaleDecision } from '../../../src/core/scheduler/autoscaler/autoscaleDecision';
import type { AutoscalerAction } from '../../../src/core/scheduler/autoscaler/autoscalerAction';
import type { AutoscalerInput } from '../../../src/core/scheduler/autoscaler/autoscalerInput';
import {
  initialAutoscalerState,
  type AutoscalerOptions,
  type AutoscalerState,
} from '../../../src/core/scheduler/autoscaler/autoscalerState';
import { readAgentTemplates } from '../../../src/core/scheduler/autoscaler/readAgentTemplates';

// Fixture builders for the autoscaler's inputs, so each test reads like the case it checks.

export const OWNER = 'prod';
export const INSTANCE = 't1';
export const T0 = 1_700_000_000_000;
export const SEC = 1000;
export const MIN = 60 * SEC;

export function templates(...entries: Record<string, unknown>[]): AgentTemplate[] {
  const { templates: read, problems } = readAgentTemplates(entries);
  assert.deepEqual(problems, []);
  return read;
}

export function start(list: AgentTemplate[], options: Partial<AutoscalerOptions> = {}): AutoscalerState {
  return initialAutoscalerState({ owner: OWNER, instance: INSTANCE, ...options }, list);
}

/** A freestyle job waiting for `label` (null: no label). */
export function job(id: number, label: string | null, more: Record<string, unknown> = {}) {
  return {
    _class: BUILDABLE_ITEM_CLASS,
    id,
    inQueueSince: T0 + id,
    buildable: true,
    blocked: false,
    pending: false,
    stuck: true,
    why: label === null ? 'Waiting for next available executor' : `There are no nodes with the label ‘${label}’`,
    task: {
      _class: FREESTYLE_PROJECT_CLASS,
      name: `job-${id}`,
      url: `https://ci/job/job-${id}/`,
      labelExpression: label,
    },
    ...more,
  };
}

/** A Pipeline `node` block: its label is only in `why`. */
export function pipeline(id: number, why: string) {
  return {
    _class: BUILDABLE_ITEM_CLASS,
    id,
    inQueueSince: T0 + id,
    buildable: true,
    blocked: false,
    pending: false,
    stuck: false,
    why,
    task: { _class: PLACEHOLDER_TASK_CLASS, name: `part of app #${id}`, url: `job/app/${id}/` },
  };
}

export type NodeState = 'connecting' | 'idle' | 'busy' | 'offline-idle' | 'offline-busy';

/** An agent node as `computer/api/json` shows it; ours carries the owner marker in its description. */
export function node(
  name: string,
  state: NodeState,
  options: { ours?: boolean; executors?: number; owner?: string } = {},
) {
  const executors = options.executors ?? 1;
  const idle = state === 'idle' || state === 'offline-idle' || state === 'connecting';
  const template = /^mesos-(.+)-[a-z0-9]+-\d+$/.exec(name)?.[1] ?? 'x';
  return {
    _class: SLAVE_COMPUTER_CLASS,
    displayName: name,
    description: options.ours === false ? 'a static agent' : agentNodeDescription(options.owner ?? OWNER, template),
    offline: state !== 'idle' && state !== 'busy',
    temporarilyOffline: state === 'offline-idle' || state === 'offline-busy',
    idle,
    numExecutors: executors,
    executors: Array.from({ length: executors }, (_, i) => ({ idle: idle || i > 0 })),
    assignedLabels: [{ name }],
  };
}

export function poll(at: number, items: unknown[], nodes: unknown[] = [], session = 'S1'): AutoscalerInput {
  return {
    kind: 'poll',
    at,
    session,
    queue: { _class: 'hudson.model.Queue', items },
    computers: {
      _class: 'hudson.model.ComputerSet',
      computer: [
        { _class: BUILT_IN_COMPUTER_CLASS, displayName: 'Built-In Node', offline: false, idle: true, numExecutors: 0 },
        ...nodes,
      ],
    },
  };
}

export function mesos(at: number, tasks: Record<string, AgentTaskReport> = {}, reconciled = true): AutoscalerInput {
  return { kind: 'scheduler', at, reconciled, tasks };
}

export const running = (hostname = 'agent-1'): AgentTaskReport => ({
  state: 'running',
  offerId: 'O1',
  mesosAgentId: 'S1',
  hostname,
});

export interface Run {
  state: AutoscalerState;
  actions: AutoscalerAction[][];
  decisions: AutoscaleDecision[][];
}

/** Feeds inputs in order; keeps each step's actions and decisions. */
export function run(state: AutoscalerState, inputs: readonly AutoscalerInput[]): Run {
  const out: Run = { state, actions: [], decisions: [] };
  for (const input of inputs) {
    const step = autoscale(out.state, input);
    out.state = step.state;
    out.actions.push(step.actions);
    out.decisions.push(step.decisions);
  }
  return out;
}

/** Continues a run with more inputs. */
export function more(previous: Run, inputs: readonly AutoscalerInput[]): Run {
  return run(previous.state, inputs);
}

export const kinds = (decisions: readonly AutoscaleDecision[]) =>
  decisions.map((d) => (d.skip ? `skip:${d.skip}` : d.kind));
export const brief = (actions: readonly AutoscalerAction[]) => actions.map((a) => `${a.kind} ${a.name}`);
