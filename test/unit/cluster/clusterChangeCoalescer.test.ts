import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ClusterChangeCoalescer,
  clusterListKey,
  mergeClusterChanges,
  type ClusterChange,
  type ClusterList,
  type CoalescerClock,
} from '../../../src/core/cluster';

/** A clock that moves only when told, with the timers it holds. */
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
  get pending(): number {
    return this.timers.size;
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = until;
  }
}

function change(
  at: number,
  parts: { tasks?: string[]; agents?: string[]; lists?: ClusterList[]; full?: boolean; totals?: boolean },
): ClusterChange {
  return {
    full: parts.full ?? false,
    frameworks: new Set(),
    agents: new Set(parts.agents ?? []),
    tasks: new Set(parts.tasks ?? []),
    offers: new Set(),
    lists: new Map((parts.lists ?? []).map((l) => [clusterListKey(l), l])),
    totals: parts.totals ?? false,
    at,
  };
}

describe('ClusterChangeCoalescer', () => {
  it('delivers one merged change after a quiet moment', () => {
    const clock = new FakeClock();
    const delivered: ClusterChange[] = [];
    const coalescer = new ClusterChangeCoalescer((c) => delivered.push(c), { delayMs: 100, maxDelayMs: 1000, clock });
    coalescer.push(change(1, { tasks: ['f/a'], lists: [{ kind: 'agents' }] }));
    clock.advance(50);
    coalescer.push(
      change(2, { tasks: ['f/b'], agents: ['s1'], lists: [{ kind: 'agents' }, { kind: 'offers' }], totals: true }),
    );
    clock.advance(99);
    assert.equal(delivered.length, 0);
    clock.advance(1);
    assert.equal(delivered.length, 1);
    const [merged] = delivered;
    assert.deepEqual([...merged!.tasks].sort(), ['f/a', 'f/b']);
    assert.deepEqual([...merged!.agents], ['s1']);
    assert.deepEqual([...merged!.lists.keys()].sort(), ['agents', 'offers']);
    assert.equal(merged!.totals, true);
    assert.equal(merged!.full, false);
    assert.equal(merged!.at, 2);
    assert.equal(clock.pending, 0);
  });

  it('does not wait longer than maxDelayMs while changes keep coming', () => {
    const clock = new FakeClock();
    const delivered: ClusterChange[] = [];
    const coalescer = new ClusterChangeCoalescer((c) => delivered.push(c), { delayMs: 100, maxDelayMs: 300, clock });
    for (let i = 0; i < 10; i++) {
      coalescer.push(change(i, { tasks: [`f/${i}`] }));
      clock.advance(60);
    }
    // pushes at 0, 60, …, 540: delivered at 300 (the first five) and at 600 (the rest)
    assert.deepEqual(
      delivered.map((c) => c.tasks.size),
      [5, 5],
    );
    coalescer.dispose();
  });

  it('flushes on demand, and after dispose delivers nothing and holds no timer', () => {
    const clock = new FakeClock();
    const delivered: ClusterChange[] = [];
    const coalescer = new ClusterChangeCoalescer((c) => delivered.push(c), { clock });
    coalescer.flush();
    assert.equal(delivered.length, 0);
    coalescer.push(change(1, { full: true }));
    coalescer.flush();
    assert.equal(delivered.length, 1);
    assert.equal(delivered[0]!.full, true);
    coalescer.push(change(2, { tasks: ['f/a'] }));
    coalescer.dispose();
    assert.equal(clock.pending, 0);
    clock.advance(10_000);
    coalescer.push(change(3, { tasks: ['f/b'] }));
    assert.equal(delivered.length, 1);
  });

  it('merging keeps either side when the other is empty, and a full change stays full', () => {
    const a = change(1, { tasks: ['f/a'] });
    const empty = change(2, {});
    const merged = mergeClusterChanges(a, empty);
    assert.equal(merged.tasks, a.tasks);
    assert.equal(merged.at, 2);
    assert.equal(mergeClusterChanges(empty, change(3, { full: true })).full, true);
  });

  it('works on real timers by default', async () => {
    const delivered: ClusterChange[] = [];
    const coalescer = new ClusterChangeCoalescer((c) => delivered.push(c), { delayMs: 5 });
    coalescer.push(change(1, { tasks: ['f/a'] }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(delivered.length, 1);
    coalescer.dispose();
  });
});
