import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentActionQueue } from '../../../src/core/scheduler/autoscaler/agentActionQueue';

type Action = { name: string; step: string };

describe('AgentActionQueue', () => {
  it('runs up to the limit at once, one action per agent at a time, each agent in order', async () => {
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const queue = new AgentActionQueue<Action>(
      2,
      (a) =>
        new Promise<void>((resolve) => {
          log.push(`start ${a.name}:${a.step}`);
          gates.set(`${a.name}:${a.step}`, () => {
            log.push(`end ${a.name}:${a.step}`);
            resolve();
          });
        }),
      () => undefined,
    );
    for (const [name, step] of [
      ['a', '1'],
      ['a', '2'],
      ['b', '1'],
      ['c', '1'],
    ])
      queue.enqueue({ name: name!, step: step! });
    assert.deepEqual(log, ['start a:1', 'start b:1']);
    assert.equal(queue.running, 2);
    assert.equal(queue.waiting, 2);
    gates.get('a:1')!();
    await new Promise((r) => setImmediate(r));
    // a's next waited for a:1; the free slot goes to a:2 (a came first) before c
    assert.deepEqual(log.slice(2), ['end a:1', 'start a:2']);
    gates.get('b:1')!();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log.slice(4), ['end b:1', 'start c:1']);
    const idle = queue.whenIdle();
    gates.get('a:2')!();
    gates.get('c:1')!();
    await idle;
    assert.equal(queue.idle, true);
  });

  it('reports a rejected action and goes on; clear() drops what has not started', async () => {
    const errors: string[] = [];
    const ran: string[] = [];
    const queue = new AgentActionQueue<Action>(
      1,
      async (a) => {
        ran.push(a.step);
        if (a.step === 'bad') throw new Error('boom');
      },
      (a, e) => errors.push(`${a.step}: ${(e as Error).message}`),
    );
    queue.enqueue({ name: 'a', step: 'bad' });
    queue.enqueue({ name: 'a', step: 'good' });
    queue.enqueue({ name: 'b', step: 'dropped' });
    assert.deepEqual(
      queue.clear().map((a) => a.step),
      ['good', 'dropped'],
    );
    await queue.whenIdle();
    assert.deepEqual(ran, ['bad']);
    assert.deepEqual(errors, ['bad: boom']);
    assert.throws(
      () =>
        new AgentActionQueue<Action>(
          0,
          async () => undefined,
          () => undefined,
        ),
      RangeError,
    );
  });
});
