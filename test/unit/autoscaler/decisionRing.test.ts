import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecisionRing } from '../../../src/core/scheduler/autoscaler/decisionRing';

const record = (at: number) => ({ at, kind: 'launch', reason: `r${at}` });

describe('decision ring', () => {
  it('keeps the newest records, oldest first, and counts what it pushed out', () => {
    const ring = new DecisionRing<ReturnType<typeof record>>(3);
    ring.push(record(1), record(2));
    assert.deepEqual(
      ring.toArray().map((r) => r.at),
      [1, 2],
    );
    ring.push(record(3), record(4), record(5));
    assert.deepEqual(
      ring.toArray().map((r) => r.at),
      [3, 4, 5],
    );
    assert.deepEqual([ring.size, ring.dropped], [3, 2]);
    ring.clear();
    assert.deepEqual([ring.size, ring.toArray()], [0, []]);
  });

  it('exports JSON lines and reads them back; the newest lines win in a smaller ring', () => {
    const ring = new DecisionRing<ReturnType<typeof record>>(10);
    ring.push(record(1), record(2), record(3));
    const text = ring.toJsonLines();
    assert.equal(
      text,
      '{"at":1,"kind":"launch","reason":"r1"}\n{"at":2,"kind":"launch","reason":"r2"}\n{"at":3,"kind":"launch","reason":"r3"}\n',
    );
    assert.deepEqual(DecisionRing.fromJsonLines(text, 10).toArray(), ring.toArray());
    assert.deepEqual(
      DecisionRing.fromJsonLines<{ at: number }>(`\n${text}\n`, 2)
        .toArray()
        .map((r) => r.at),
      [2, 3],
    );
  });

  it('says which line is not JSON, and refuses a capacity below 1', () => {
    assert.throws(
      () => DecisionRing.fromJsonLines('{"at":1}\nnot json\n', 5),
      /line 2 of the decision log is not JSON/,
    );
    assert.throws(() => new DecisionRing(0), RangeError);
  });
});
