import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { AsyncEventQueue } from '../../../../src/core/mesos/connection/asyncEventQueue';

test('items come out in the order they went in, whether read before or after they arrive', async () => {
  const queue = new AsyncEventQueue<number>();
  const early = queue.next();
  queue.push(1);
  queue.push(2);
  queue.push(3);
  assert.deepEqual(await early, { value: 1, done: false });
  assert.deepEqual(await queue.next(), { value: 2, done: false });
  assert.deepEqual(await queue.next(), { value: 3, done: false });
  assert.equal(queue.length, 0);
});

test('end() lets the reader drain what is queued, then the iteration is done', async () => {
  const queue = new AsyncEventQueue<string>();
  queue.push('a');
  queue.push('b');
  queue.end();
  queue.push('ignored');
  const read: string[] = [];
  for await (const item of queue) read.push(item);
  assert.deepEqual(read, ['a', 'b']);
});

test('a waiting reader is released by end()', async () => {
  const queue = new AsyncEventQueue<string>();
  const waiting = queue.next();
  queue.end();
  assert.deepEqual(await waiting, { value: undefined, done: true });
});

test('fail() delivers what is queued, then throws the error once', async () => {
  const queue = new AsyncEventQueue<number>();
  queue.push(7);
  const problem = new Error('subscription ended');
  queue.fail(problem);
  const read: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const item of queue) read.push(item);
    })(),
    (error: unknown) => error === problem,
  );
  assert.deepEqual(read, [7]);
  assert.deepEqual(await queue.next(), { value: undefined, done: true });
});

test('a waiting reader receives the failure', async () => {
  const queue = new AsyncEventQueue<number>();
  const waiting = queue.next();
  queue.fail(new Error('gone'));
  await assert.rejects(waiting, /gone/);
});

test('breaking out of for-await drops the queue and tells the producer once', async () => {
  let returned = 0;
  const queue = new AsyncEventQueue<number>(() => returned++);
  for (let i = 0; i < 5; i++) queue.push(i);
  for await (const item of queue) if (item === 1) break;
  assert.equal(returned, 1);
  assert.equal(queue.done, true);
  queue.push(9);
  assert.deepEqual(await queue.next(), { value: undefined, done: true });
  await queue.return();
  assert.equal(returned, 1);
});

test('a long-lived queue keeps every item in order across its internal compaction', async () => {
  const queue = new AsyncEventQueue<number>();
  const total = 5_000;
  for (let i = 0; i < total; i++) queue.push(i);
  for (let i = 0; i < total; i++) {
    const result = await queue.next();
    assert.equal(result.value, i);
    if (i % 1000 === 0) queue.push(total + i);
  }
  const rest: number[] = [];
  queue.end();
  for await (const item of queue) rest.push(item);
  assert.deepEqual(
    rest,
    [0, 1000, 2000, 3000, 4000].map((i) => total + i),
  );
});

test('two reads at once are a programming error, reported instead of losing an item', async () => {
  const queue = new AsyncEventQueue<number>();
  const first = queue.next();
  await assert.rejects(queue.next(), /called again before the previous one settled/);
  queue.push(1);
  assert.deepEqual(await first, { value: 1, done: false });
});
