import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  parseHostMessage,
  parseQueueChange,
  parseQueueSnapshot,
  parseWebviewMessage,
  requestIdOf,
  type HostToWebview,
  type Parsed,
  type QueueChange,
  type WebviewToHost,
} from '../../../webview/protocol';
import { agentRow, decision, point, queueRow, snapshot } from '../../support/queuePanelBuilders';

function accepted<T>(parsed: Parsed<T>, original: unknown): void {
  assert.equal(parsed.ok, true, parsed.ok ? '' : `refused: ${parsed.reason}`);
  if (parsed.ok) assert.deepEqual(parsed.value, original, 'the checked message keeps every field');
}

/** Refused, and the reason names where (when a path is given) and what. */
function refused<T>(parsed: Parsed<T>, where: string | RegExp): string {
  assert.equal(parsed.ok, false, 'should be refused');
  const reason = parsed.ok ? '' : parsed.reason;
  assert.ok(reason.length > 0);
  if (typeof where === 'string') assert.ok(reason.includes(where), `reason "${reason}" should mention ${where}`);
  else assert.match(reason, where);
  return reason;
}

describe('messages from the webview (checked by the host)', () => {
  const valid: WebviewToHost[] = [
    { type: 'ready' },
    { type: 'request', id: 1, method: 'pause' },
    { type: 'request', id: 2, method: 'resume' },
    { type: 'request', id: 3, method: 'setDryRun', on: true },
    { type: 'request', id: 0, method: 'setDryRun', on: false },
    { type: 'request', id: 4, method: 'scaleNow' },
  ];
  for (const message of valid) {
    test(`accepts ${JSON.stringify(message)}`, () => accepted(parseWebviewMessage(message), message));
  }

  test('refuses what is not a message object', () => {
    for (const value of [null, undefined, 'ready', 42, [], [{ type: 'ready' }]])
      refused(parseWebviewMessage(value), /./);
  });

  test('refuses an unknown type', () => {
    refused(parseWebviewMessage({ type: 'init', productVersion: '1' }), 'type');
  });

  test('refuses unknown fields instead of ignoring them', () => {
    refused(parseWebviewMessage({ type: 'ready', extra: 1 }), 'extra');
    refused(parseWebviewMessage({ type: 'request', id: 1, method: 'pause', on: true }), 'on');
  });

  test('refuses an unknown method', () => {
    refused(parseWebviewMessage({ type: 'request', id: 1, method: 'teardown' }), 'method');
  });

  test('refuses setDryRun without a boolean "on"', () => {
    refused(parseWebviewMessage({ type: 'request', id: 1, method: 'setDryRun' }), 'on');
    refused(parseWebviewMessage({ type: 'request', id: 1, method: 'setDryRun', on: 'yes' }), 'on');
  });

  test('refuses request ids that are not non-negative safe integers', () => {
    for (const id of [-1, 1.5, '1', Number.NaN, Infinity, 2 ** 60, undefined]) {
      refused(parseWebviewMessage({ type: 'request', id, method: 'pause' }), 'id');
    }
  });

  test('requestIdOf finds a usable id in a refused request, and nothing else', () => {
    assert.equal(requestIdOf({ type: 'request', id: 9, method: 'teardown' }), 9);
    assert.equal(requestIdOf({ type: 'request', id: -1 }), undefined);
    assert.equal(requestIdOf({ type: 'request', id: '9' }), undefined);
    assert.equal(requestIdOf(null), undefined);
    assert.equal(requestIdOf('x'), undefined);
  });
});

describe('messages from the host (checked by the webview)', () => {
  test('accepts init with a whole snapshot', () => {
    const message: HostToWebview = { type: 'init', productVersion: '0.1.0', snapshot: snapshot() };
    accepted(parseHostMessage(message), message);
  });

  test('accepts a snapshot with every optional field and every state', () => {
    const full = snapshot({
      scheduler: { where: 'headless', paused: true, dryRun: true, detail: 'daemon on ci-01, pid 4242' },
      queue: [
        queueRow({ id: 1, state: 'waiting', labelExpression: null, why: null, template: null }),
        queueRow({ id: 2, state: 'agent-launching' }),
        queueRow({ id: 3, state: 'agent-online' }),
        queueRow({ id: 4, state: 'blocked-by-limit', blockedBy: 'max agents (4) of template linux' }),
      ],
      agents: (['launching', 'idle', 'busy', 'offline', 'removing'] as const).map((state, i) =>
        agentRow({ name: `a${i}`, state, idleSince: state === 'idle' ? 5 : null, taskId: null, host: null }),
      ),
      decisions: [
        decision({
          kind: 'skip',
          skip: 'limit',
          template: 'linux',
          items: [4, 5],
          agent: 'a1',
          taskId: 't',
          offerId: 'o',
          mesosAgentId: 'S1',
          hostname: 'h',
          dryRun: true,
        }),
      ],
    });
    for (const where of ['here', 'other-window', 'headless', 'stopped'] as const) {
      const s = { ...full, scheduler: { ...full.scheduler, where } };
      accepted(parseHostMessage({ type: 'init', productVersion: '1', snapshot: s }), {
        type: 'init',
        productVersion: '1',
        snapshot: s,
      });
    }
  });

  test('refuses init without a snapshot or a version', () => {
    refused(parseHostMessage({ type: 'init', productVersion: '1' }), 'snapshot');
    refused(parseHostMessage({ type: 'init', snapshot: snapshot() }), 'productVersion');
  });

  test('refuses a snapshot with a bad row, and says which row and field', () => {
    const bad = { ...snapshot(), queue: [queueRow(), { ...queueRow({ id: 2 }), state: 'stuck' }] };
    refused(parseHostMessage({ type: 'init', productVersion: '1', snapshot: bad }), 'snapshot.queue.1.state');
    refused(parseQueueSnapshot({ ...snapshot(), agents: [{ ...agentRow(), labels: 'linux' }] }), 'agents.0.labels');
    refused(parseQueueSnapshot({ ...snapshot(), decisions: [{ at: 1, kind: 'launched' }] }), 'decisions.0.reason');
    refused(parseQueueSnapshot({ ...snapshot(), decisions: [decision({ kind: '' })] }), 'decisions.0.kind');
    refused(parseQueueSnapshot({ ...snapshot(), timeline: [point({ queued: -1 })] }), 'timeline.0.queued');
    refused(parseQueueSnapshot({ ...snapshot(), timeline: [point({ at: Number.NaN })] }), 'timeline.0.at');
    refused(
      parseQueueSnapshot({ ...snapshot(), scheduler: { where: 'mars', paused: false, dryRun: false } }),
      'scheduler.where',
    );
    refused(parseQueueSnapshot({ ...snapshot(), cluster: '' }), 'cluster');
    refused(parseQueueSnapshot({ ...snapshot(), queue: [queueRow({ id: 1.5 })] }), 'queue.0.id');
    refused(
      parseQueueSnapshot({ ...snapshot(), decisions: [{ ...decision(), items: ['1190'] }] }),
      'decisions.0.items.0',
    );
  });

  test('refuses a text longer than any real one', () => {
    refused(parseQueueSnapshot({ ...snapshot(), queue: [queueRow({ why: 'x'.repeat(5000) })] }), 'queue.0.why');
  });

  test('accepts responses: done, done with a result, failed', () => {
    const messages: HostToWebview[] = [
      { type: 'response', id: 1, ok: true },
      { type: 'response', id: 2, ok: true, result: { summary: 'Launched 2 agents for linux.' } },
      { type: 'response', id: 3, ok: false, error: 'The scheduler runs in another window.' },
    ];
    for (const m of messages) accepted(parseHostMessage(m), m);
  });

  test('refuses responses without an id, or failed without an error, or with a malformed result', () => {
    refused(parseHostMessage({ type: 'response', ok: true }), 'id');
    refused(parseHostMessage({ type: 'response', id: 1, ok: false }), 'error');
    refused(parseHostMessage({ type: 'response', id: 1, ok: 'yes' }), 'ok');
    refused(parseHostMessage({ type: 'response', id: 1, ok: true, result: { launched: 2 } }), 'result.summary');
  });

  const changes: QueueChange[] = [
    { kind: 'status', scheduler: { where: 'other-window', paused: false, dryRun: true } },
    { kind: 'queue', queue: [queueRow(), queueRow({ id: 2 })] },
    { kind: 'agents', agents: [] },
    { kind: 'decisions', decisions: [decision(), decision({ kind: 'declined' })] },
    { kind: 'timeline', points: [point()] },
    { kind: 'snapshot', snapshot: snapshot() },
  ];
  for (const change of changes) {
    test(`accepts a ${change.kind} change`, () => {
      accepted(parseHostMessage({ type: 'changes', changes: [change] }), { type: 'changes', changes: [change] });
      accepted(parseQueueChange(change), change);
    });
  }

  test('accepts several changes in one message, and none', () => {
    accepted(parseHostMessage({ type: 'changes', changes }), { type: 'changes', changes });
    accepted(parseHostMessage({ type: 'changes', changes: [] }), { type: 'changes', changes: [] });
  });

  test('refuses malformed changes, with the path to the problem', () => {
    refused(parseHostMessage({ type: 'changes', changes: [{ kind: 'weather' }] }), 'changes.0.kind');
    refused(parseHostMessage({ type: 'changes', changes: [{ kind: 'queue' }] }), 'changes.0.queue');
    refused(
      parseHostMessage({ type: 'changes', changes: [changes[0], { kind: 'timeline', points: [{ at: 1 }] }] }),
      'changes.1.points.0.queued',
    );
    refused(parseHostMessage({ type: 'changes', changes: { kind: 'queue', queue: [] } }), 'changes');
    refused(
      parseQueueChange({ kind: 'status', scheduler: { where: 'here', paused: 'no', dryRun: false } }),
      'scheduler.paused',
    );
  });

  test('refuses an unknown type and non-objects', () => {
    refused(parseHostMessage({ type: 'ready' }), 'type');
    refused(parseHostMessage(null), /./);
    refused(parseHostMessage('init'), /./);
  });
});
