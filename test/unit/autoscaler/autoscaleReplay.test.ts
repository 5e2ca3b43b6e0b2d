import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { autoscale } from '../../../src/core/scheduler/autoscaler/autoscale';
import type { AutoscaleDecision } from '../../../src/core/scheduler/autoscaler/autoscaleDecision';
import type { AutoscalerAction } from '../../../src/core/scheduler/autoscaler/autoscalerAction';
import type { AutoscalerInput } from '../../../src/core/scheduler/autoscaler/autoscalerInput';
import { initialAutoscalerState, type AutoscalerState } from '../../../src/core/scheduler/autoscaler/autoscalerState';
import { DecisionRing } from '../../../src/core/scheduler/autoscaler/decisionRing';
import { readAgentTemplates } from '../../../src/core/scheduler/autoscaler/readAgentTemplates';

/*
 * A recorded sequence (test/fixtures/jenkins/autoscaler-recording.inputs.jsonl: a header with the options and
 * templates, then one input per line) and what the autoscaler answered to each input
 * (…outputs.jsonl). Replaying must give the same answers, byte for byte. After an intended change of
 * behaviour or wording, regenerate the outputs with MESOS_OPS_UPDATE_FIXTURES=1 and review the diff.
 */
const INPUTS = new URL('../../fixtures/jenkins/autoscaler-recording.inputs.jsonl', import.meta.url);
const OUTPUTS = new URL('../../fixtures/jenkins/autoscaler-recording.outputs.jsonl', import.meta.url);

interface Header {
  owner: string;
  instance: string;
  options: Record<string, number>;
  templates: unknown;
}
function load(): { state: AutoscalerState; inputs: AutoscalerInput[] } {
  const [first, ...rest] = readFileSync(INPUTS, 'utf8').trim().split('\n');
  const header = JSON.parse(first!) as Header;
  const { templates, problems } = readAgentTemplates(header.templates);
  assert.deepEqual(problems, []);
  const state = initialAutoscalerState(
    { owner: header.owner, instance: header.instance, ...header.options },
    templates,
  );
  return { state, inputs: rest.map((line) => JSON.parse(line) as AutoscalerInput) };
}
function replay(): { lines: string[]; ring: DecisionRing<AutoscaleDecision>; actions: AutoscalerAction[] } {
  let { state } = load();
  const { inputs } = load();
  const ring = new DecisionRing<AutoscaleDecision>(1000);
  const lines: string[] = [];
  const actions: AutoscalerAction[] = [];
  for (const input of inputs) {
    const step = autoscale(state, input);
    state = step.state;
    ring.push(...step.decisions);
    actions.push(...step.actions);
    lines.push(JSON.stringify({ at: input.at, input: input.kind, actions: step.actions, decisions: step.decisions }));
  }
  return { lines, ring, actions };
}

describe('autoscaler: replay of a recorded sequence', () => {
  const first = replay();
  if (process.env.MESOS_OPS_UPDATE_FIXTURES === '1') writeFileSync(OUTPUTS, `${first.lines.join('\n')}\n`);

  it('gives the recorded actions and decisions, input by input', () => {
    const recorded = readFileSync(OUTPUTS, 'utf8').trim().split('\n');
    assert.equal(first.lines.length, recorded.length);
    first.lines.forEach((line, i) => assert.equal(line, recorded[i], `answer to input ${i + 1}`));
  });

  it('gives identical output when replayed again, and the exported decision log reads back the same', () => {
    const second = replay();
    assert.deepEqual(second.lines, first.lines);
    const exported = first.ring.toJsonLines();
    assert.equal(DecisionRing.fromJsonLines<AutoscaleDecision>(exported, 1000).toJsonLines(), exported);
  });

  it('covers the whole life of agents in the recording', () => {
    const decided = new Set(first.ring.toArray().map((d) => (d.skip ? `skip:${d.skip}` : d.kind)));
    for (const kind of [
      'launch',
      'placed',
      'connected',
      'remove',
      'removed',
      'failure',
      'retry',
      'orphan',
      'reconcile',
      'mode',
      'skip:no-template',
      'skip:unplaced',
      'skip:limit',
      'skip:build-running',
    ]) {
      assert.ok(decided.has(kind), `the recording has a ${kind} decision`);
    }
    const done = new Set(first.actions.map((a) => a.kind));
    assert.deepEqual([...done].sort(), ['create-node', 'delete-node', 'kill-agent', 'launch-agent', 'offline-node']);
  });
});
