import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppendCoalescer, type CoalescerClock } from '../../../src/core/util/appendCoalescer';

/** A clock whose time moves only when the test says so, firing due timers in order. */
class FakeClock implements CoalescerClock {
  time = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pendingTimers(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
}

function setup(intervalMs = 100) {
  const clock = new FakeClock();
  const written: { at: number; text: string }[] = [];
  const coalescer = new AppendCoalescer({ write: (text) => written.push({ at: clock.time, text }), intervalMs, clock });
  return { clock, written, coalescer };
}

test('the first append after a quiet spell is written at once', () => {
  const { coalescer, written } = setup();
  coalescer.append('one\n');
  assert.deepEqual(written, [{ at: 0, text: 'one\n' }]);
});

test('appends within the interval are gathered into one write at its end', () => {
  const { coalescer, written, clock } = setup();
  coalescer.append('a');
  clock.advance(10);
  coalescer.append('b');
  clock.advance(30);
  coalescer.append('c');
  assert.equal(written.length, 1);
  clock.advance(60);
  assert.deepEqual(written, [
    { at: 0, text: 'a' },
    { at: 100, text: 'bc' },
  ]);
});

test('a steady stream of appends is written at most once per interval, in order and complete', () => {
  const { coalescer, written, clock } = setup(100);
  let expected = '';
  for (let i = 0; i < 1000; i++) {
    const piece = `line ${i}\n`;
    expected += piece;
    coalescer.append(piece);
    clock.advance(1);
  }
  coalescer.flush();
  assert.equal(written.map((w) => w.text).join(''), expected);
  for (let i = 1; i < written.length - 1; i++) assert.ok(written[i]!.at - written[i - 1]!.at >= 100);
  assert.ok(written.length <= 11, `${written.length} writes for 1 s of appends`);
});

test('empty appends write nothing; flush writes what is pending and clears the timer', () => {
  const { coalescer, written, clock } = setup();
  coalescer.append('');
  assert.equal(written.length, 0);
  coalescer.append('x');
  coalescer.append('y');
  assert.equal(clock.pendingTimers, 1);
  coalescer.flush();
  assert.deepEqual(
    written.map((w) => w.text),
    ['x', 'y'],
  );
  assert.equal(clock.pendingTimers, 0);
  assert.equal(coalescer.writes, 2);
});

test('dispose writes the rest, leaves no timer, and ignores later appends', () => {
  const { coalescer, written, clock } = setup();
  coalescer.append('a');
  coalescer.append('b');
  coalescer.dispose();
  assert.equal(clock.pendingTimers, 0);
  coalescer.append('late');
  clock.advance(1000);
  assert.deepEqual(
    written.map((w) => w.text),
    ['a', 'b'],
  );
});
