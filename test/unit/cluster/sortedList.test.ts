import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SortedList } from '../../../src/core/cluster/sortedList';
import { seededRandom } from '../../support/seededRandom';

interface Item {
  key: number;
  readonly id: number;
}

const compare = (a: Item, b: Item): number => a.key - b.key || a.id - b.id;

describe('SortedList', () => {
  it('stays equal to a sorted array through random additions, removals, re-keyings, reads and background sorts', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const random = seededRandom(seed);
      const list = new SortedList<Item>(compare);
      const members: Item[] = [];
      const take = (): Item => {
        const at = random.int(0, members.length - 1);
        const item = members[at]!;
        members[at] = members[members.length - 1]!;
        members.pop();
        return item;
      };
      let background: Generator<void, void, void> | undefined;
      let nextId = 0;
      for (let step = 0; step < 300; step++) {
        const action = random.int(0, 9);
        if (action <= 3 || members.length === 0) {
          // a burst, as a snapshot adds them
          for (let n = random.int(1, action === 0 ? 1500 : 20); n > 0; n--) {
            const item = { key: random.int(0, 500), id: nextId++ };
            list.add(item);
            members.push(item);
          }
        } else if (action <= 5) {
          const item = take();
          list.remove(item);
          if (random.int(0, 1) === 1) {
            // removed and added back before anyone read the list
            list.add(item);
            members.push(item);
          }
        } else if (action === 6) {
          const item = take();
          assert.equal(list.removeNow(item), true);
          item.key = random.int(0, 500);
          list.add(item);
          members.push(item);
        } else if (action === 7) {
          background ??= list.settleInSlices();
          for (let n = random.int(1, 5); n > 0 && background !== undefined; n--) {
            if (background.next().done === true) background = undefined;
          }
        } else if (action === 8) {
          const seen: Item[] = [];
          list.forEachUnordered((item) => seen.push(item));
          assert.deepEqual(seen.sort(compare), [...members].sort(compare), `seed ${seed} step ${step}: members`);
        } else {
          assert.deepEqual(list.values(), [...members].sort(compare), `seed ${seed} step ${step}: order`);
          assert.equal(list.isSettled, true);
        }
        assert.equal(list.size, members.length, `seed ${seed} step ${step}: size`);
      }
      while (background !== undefined && background.next().done !== true);
      assert.deepEqual(list.values(), [...members].sort(compare), `seed ${seed}: final order`);
    }
  });

  it('sorts a large batch in many small steps', () => {
    const random = seededRandom(7);
    const list = new SortedList<Item>(compare);
    for (let id = 0; id < 50_000; id++) list.add({ key: random.int(0, 1e9), id });
    let steps = 0;
    for (const _ of list.settleInSlices()) steps++;
    assert.ok(steps >= 50, `${steps} steps`);
    const values = list.values();
    for (let i = 1; i < values.length; i++) assert.ok(compare(values[i - 1]!, values[i]!) < 0);
  });

  it('counts a version per change, and removeNow says whether the item was there', () => {
    const list = new SortedList<Item>(compare);
    const a = { key: 1, id: 1 };
    list.add(a);
    const version = list.version;
    assert.equal(list.removeNow({ key: 1, id: 2 }), false);
    assert.equal(list.version, version);
    assert.equal(list.removeNow(a), true);
    assert.ok(list.version > version);
    assert.equal(list.size, 0);
  });
});
