import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decisionKinds, decisionLabels, filterDecisions, NO_FILTER } from '../../../webview/decisionFilter';
import { decision, T0 } from '../../support/queuePanelBuilders';

const decisions = [
  decision({ at: T0 + 1, kind: 'launched', label: 'linux' }),
  decision({ at: T0 + 2, kind: 'declined', label: undefined }),
  decision({ at: T0 + 3, kind: 'blocked-by-limit', label: 'windows' }),
  decision({ at: T0 + 4, kind: 'launched', label: 'windows' }),
  decision({ at: T0 + 5, kind: 'declined', label: 'linux' }),
];
const times = (list: { at: number }[]) => list.map((d) => d.at - T0);

test('without a filter every decision shows, newest first', () => {
  assert.deepEqual(times(filterDecisions(decisions, NO_FILTER)), [5, 4, 3, 2, 1]);
});

test('filters by kind, by label, and by both', () => {
  assert.deepEqual(times(filterDecisions(decisions, { kind: 'launched', label: null })), [4, 1]);
  assert.deepEqual(times(filterDecisions(decisions, { kind: null, label: 'linux' })), [5, 1]);
  assert.deepEqual(times(filterDecisions(decisions, { kind: 'declined', label: 'linux' })), [5]);
  assert.deepEqual(filterDecisions(decisions, { kind: 'removed', label: null }), []);
});

test('a limit keeps the newest that match', () => {
  assert.deepEqual(times(filterDecisions(decisions, NO_FILTER, 2)), [5, 4]);
  assert.deepEqual(times(filterDecisions(decisions, { kind: 'launched', label: null }, 1)), [4]);
});

test('the filter choices are the kinds and labels present, sorted, each once', () => {
  assert.deepEqual(decisionKinds(decisions), ['blocked-by-limit', 'declined', 'launched']);
  assert.deepEqual(decisionLabels(decisions), ['linux', 'windows']);
  assert.deepEqual(decisionKinds([]), []);
});
