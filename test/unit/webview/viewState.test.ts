import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_FILTER } from '../../../webview/decisionFilter';
import { readViewState } from '../../../webview/viewState';
import { snapshot } from '../../support/queuePanelBuilders';

test('the saved filters and picture come back after the webview was hidden', () => {
  const saved = { filter: { kind: 'launched', label: null }, snapshot: snapshot() };
  // what setState stores goes through structured cloning; JSON is the stricter stand-in
  assert.deepEqual(readViewState(JSON.parse(JSON.stringify(saved))), saved);
  assert.deepEqual(readViewState({ filter: NO_FILTER, snapshot: null }), { filter: NO_FILTER, snapshot: null });
});

test('no state, or one from another version of the panel, starts fresh', () => {
  const fresh = { filter: NO_FILTER, snapshot: null };
  assert.deepEqual(readViewState(undefined), fresh);
  assert.deepEqual(readViewState({ productVersion: '0.0.1' }), fresh);
  assert.deepEqual(readViewState({ filter: { kind: 1, label: null }, snapshot: null }), fresh);
  assert.deepEqual(readViewState({ filter: NO_FILTER, snapshot: { cluster: 'prod' } }), fresh);
});
