import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomWorkload } from '../../../src/sandbox/jenkins/randomWorkload';
import { parseWorkload, WorkloadFormatError } from '../../../src/sandbox/jenkins/workload';

test('JSON lines: one entry per line, blank lines skipped, sorted by at (stable)', () => {
  const entries = parseWorkload(
    [
      '{"job":"late","label":"linux","durationSeconds":3,"at":10}',
      '',
      '{"job":"first","label":null,"durationSeconds":1}',
      '{"job":"team/app","label":"docker","durationSeconds":2,"at":10,"kind":"pipeline","stage":"Build"}',
    ].join('\n'),
  );
  assert.deepEqual(
    entries.map((e) => e.job),
    ['first', 'late', 'team/app'],
  );
  assert.equal(entries[2]?.kind, 'pipeline');
});

test('a JSON array works too', () => {
  const entries = parseWorkload('[{"job":"a","durationSeconds":1,"params":{"X":"1"}},{"job":"b","durationSeconds":0}]');
  assert.deepEqual(
    entries.map((e) => e.job),
    ['a', 'b'],
  );
  assert.deepEqual(entries[0]?.params, { X: '1' });
});

test('bad entries name the file, the line and the problem', () => {
  const cases: [string, RegExp][] = [
    ['{"job":"a"}', /w\.jsonl:1: "durationSeconds" must be a number of seconds >= 0/],
    [
      '{"job":"a","durationSeconds":1}\n{"job":"","durationSeconds":1}',
      /w\.jsonl:2: "job" must be a non-empty job name/,
    ],
    ['{"job":"a//b","durationSeconds":1}', /"job" must be a non-empty job name/],
    ['{"job":"a","durationSeconds":-1}', /"durationSeconds" must be a number/],
    ['{"job":"a","durationSeconds":1,"labl":"x"}', /unknown field "labl"/],
    ['{"job":"a","durationSeconds":1,"kind":"matrix"}', /"kind" must be "freestyle" or "pipeline"/],
    ['{"job":"a","durationSeconds":1,"label":5}', /"label" must be a string or null/],
    ['{"job":"a","durationSeconds":1,"params":{"X":1}}', /"params" must be an object of string values/],
    ['{"job": nope}', /w\.jsonl:1: not valid JSON/],
    ['[1]', /w\.jsonl:1: an entry must be a JSON object/],
    ['[{"job":"a"', /w\.jsonl: not valid JSON/],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => parseWorkload(text, 'w.jsonl'),
      (err: unknown) =>
        err instanceof WorkloadFormatError && message.test(err.message) && /JSON lines/.test(err.message),
      text,
    );
  }
});

test('a random workload is reproducible from its seed and follows its options', () => {
  const options = {
    seed: 42,
    meanIntervalSeconds: 2,
    labels: ['linux', 'docker && linux', null],
    durationSeconds: { min: 5, max: 10 },
    jobs: 3,
    pipelineShare: 0.5,
    maxBuilds: 200,
  };
  const a = [...randomWorkload(options)];
  const b = [...randomWorkload(options)];
  const c = [...randomWorkload({ ...options, seed: 43 })];
  assert.equal(a.length, 200);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  for (let i = 1; i < a.length; i++) assert.ok((a[i]?.at ?? 0) >= (a[i - 1]?.at ?? 0));
  for (const e of a) {
    assert.ok(e.durationSeconds >= 5 && e.durationSeconds <= 10);
    assert.ok(options.labels.includes(e.label ?? null));
    assert.match(e.job, /^job-[123]$/);
  }
  assert.deepEqual(new Set(a.map((e) => e.label ?? null)), new Set(options.labels));
  assert.deepEqual(new Set(a.map((e) => e.kind)), new Set(['freestyle', 'pipeline']));
  const meanGap = (a[a.length - 1]?.at ?? 0) / a.length;
  assert.ok(meanGap > 1 && meanGap < 3, `mean gap ${meanGap} should be near 2`);
});

test('random workload options are checked', () => {
  const base = { seed: 1, meanIntervalSeconds: 1, labels: ['x'], durationSeconds: { min: 1, max: 2 } };
  assert.throws(() => randomWorkload({ ...base, meanIntervalSeconds: 0 }).next(), /meanIntervalSeconds/);
  assert.throws(() => randomWorkload({ ...base, labels: [] }).next(), /labels/);
  assert.throws(() => randomWorkload({ ...base, durationSeconds: { min: 3, max: 2 } }).next(), /durationSeconds/);
});
