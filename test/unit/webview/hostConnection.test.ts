import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostConnection } from '../../../webview/hostConnection';
import type { WebviewToHost } from '../../../webview/protocol';

test('each request gets its own id and is settled by the response with that id', async () => {
  const sent: WebviewToHost[] = [];
  const connection = new HostConnection((m) => sent.push(m));
  const pause = connection.request({ method: 'pause' });
  const scale = connection.request({ method: 'scaleNow' });
  const dry = connection.request({ method: 'setDryRun', on: true });
  assert.deepEqual(sent, [
    { type: 'request', id: 1, method: 'pause' },
    { type: 'request', id: 2, method: 'scaleNow' },
    { type: 'request', id: 3, method: 'setDryRun', on: true },
  ]);
  assert.equal(connection.waiting, 3);

  // answered out of order
  assert.equal(
    connection.settle({ type: 'response', id: 2, ok: true, result: { summary: 'Launched 1 agent.' } }),
    true,
  );
  assert.equal(
    connection.settle({ type: 'response', id: 3, ok: false, error: 'The scheduler runs in another window.' }),
    true,
  );
  assert.equal(connection.settle({ type: 'response', id: 1, ok: true }), true);
  assert.deepEqual(await scale, { summary: 'Launched 1 agent.' });
  await assert.rejects(dry, { message: 'The scheduler runs in another window.' });
  assert.equal(await pause, undefined);
  assert.equal(connection.waiting, 0);
});

test('a response to no request of ours is not used', () => {
  const connection = new HostConnection(() => undefined);
  assert.equal(connection.settle({ type: 'response', id: 7, ok: true }), false);
  void connection.request({ method: 'resume' });
  assert.equal(connection.settle({ type: 'response', id: 1, ok: true }), true);
  assert.equal(connection.settle({ type: 'response', id: 1, ok: true }), false, 'a second answer to the same request');
});
