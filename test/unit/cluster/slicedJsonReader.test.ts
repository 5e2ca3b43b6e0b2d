import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  JsonSliceError,
  quoteNanoseconds,
  readJsonInSlices,
  type JsonShape,
} from '../../../src/core/cluster/slicedJsonReader';
import { seededRandom, type SeededRandom } from '../../support/seededRandom';

/** Runs the walker to the end and returns what each array handed over, batch by batch. */
function read(
  text: string,
  shape: (take: (key: string) => (elements: readonly unknown[]) => void) => JsonShape,
  batchBytes = 64,
) {
  const batches = new Map<string, unknown[][]>();
  const take = (key: string) => (elements: readonly unknown[]) => {
    batches.set(key, [...(batches.get(key) ?? []), [...elements]]);
  };
  const steps = readJsonInSlices(Buffer.from(text, 'utf8'), shape(take), { batchBytes });
  let yields = 0;
  while (steps.next().done !== true) yields++;
  return { batches, yields, all: (key: string) => (batches.get(key) ?? []).flat() };
}

/** Random JSON values with everything a scanner can trip on: brackets and quotes inside strings, escapes, unicode, nesting. */
function randomValue(random: SeededRandom, depth: number): unknown {
  const pick = random.int(0, depth > 3 ? 3 : 6);
  const strings = [
    'plain',
    'with "quotes"',
    'back\\slash\\',
    '}],{"name":"x","task_id":',
    'ünïcødé ✓ 𝄞',
    '\n\t',
    '',
    '[[[',
    '\\"',
  ];
  switch (pick) {
    case 0:
      return strings[random.int(0, strings.length - 1)];
    case 1:
      return random.int(-1e6, 1e6) / (random.int(0, 1) === 0 ? 1 : 7);
    case 2:
      return random.int(0, 1) === 0;
    case 3:
      return null;
    case 4:
    case 5: {
      const object: Record<string, unknown> = {};
      for (let i = random.int(0, 4); i > 0; i--)
        object[strings[random.int(0, strings.length - 1)]! + i] = randomValue(random, depth + 1);
      return object;
    }
    default:
      return Array.from({ length: random.int(0, 4) }, () => randomValue(random, depth + 1));
  }
}

describe('reading JSON in slices', () => {
  it('hands over every element of the named arrays, in batches, and yields after each', () => {
    const tasks = Array.from({ length: 50 }, (_, i) => ({
      name: `t${i}`,
      task_id: { value: `t${i}` },
      deep: [[{ x: '}]' }]],
    }));
    const text = JSON.stringify({
      type: 'GET_STATE',
      skipped: { big: [1, 2, { three: 3 }] },
      get_state: { get_tasks: { tasks, completed_tasks: [] } },
    });
    const { batches, yields, all } = read(text, (take) => ({
      kind: 'object',
      members: {
        get_state: {
          kind: 'object',
          members: { get_tasks: { kind: 'object', members: { tasks: { kind: 'elements', take: take('tasks') } } } },
        },
      },
    }));
    assert.deepEqual(all('tasks'), tasks);
    assert.ok(batches.get('tasks')!.length > 5, 'several batches of about 64 bytes');
    assert.equal(yields, batches.get('tasks')!.length);
  });

  it('walks pretty-printed JSON, escaped keys, null members, and collects the fields of a large object apart from its arrays', () => {
    const framework = {
      id: 'f1',
      name: 'jenkins',
      tasks: [{ id: 'a' }, { id: 'b' }],
      executors: [{ big: true }],
      'we\\"ird': 1,
      offers: null,
    };
    const text = JSON.stringify({ frameworks: [framework, { ...framework, id: 'f2', tasks: [] }] }, null, 2);
    const ends: Record<string, unknown>[] = [];
    const { all } = read(text, (take) => ({
      kind: 'object',
      members: {
        frameworks: {
          kind: 'each',
          element: {
            kind: 'object',
            members: {
              tasks: { kind: 'elements', take: take('tasks') },
              executors: { kind: 'skip' },
              offers: { kind: 'elements', take: take('offers') },
            },
            others: 'collect',
            end: (fields) => ends.push(fields),
          },
        },
      },
    }));
    assert.deepEqual(all('tasks'), [{ id: 'a' }, { id: 'b' }]);
    assert.deepEqual(all('offers'), []);
    assert.deepEqual(ends, [
      { id: 'f1', name: 'jenkins', 'we\\"ird': 1 },
      { id: 'f2', name: 'jenkins', 'we\\"ird': 1 },
    ]);
  });

  it('finds the same elements with a guessed element start, right or wrong, on random documents', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const random = seededRandom(seed);
      const elements = Array.from({ length: random.int(0, 40) }, (_, i) =>
        random.int(0, 3) === 0
          ? randomValue(random, 0)
          : { name: `n${i}`, task_id: { value: `id"${i}` }, body: randomValue(random, 1) },
      );
      const pretty = random.int(0, 1) === 1;
      const text = JSON.stringify(
        { before: randomValue(random, 2), list: elements, after: [elements.slice(0, 2)] },
        null,
        pretty ? 1 : 0,
      );
      const guesses = [
        undefined,
        { anchor: ',"task_id":{"value":"', start: '{"name":"' },
        { anchor: '"', start: '{' },
        { anchor: '}', start: ',' },
      ];
      for (const elementStart of guesses) {
        const { all } = read(
          text,
          (take) => ({ kind: 'object', members: { list: { kind: 'elements', take: take('list'), elementStart } } }),
          random.int(1, 300),
        );
        assert.deepEqual(
          all('list'),
          elements,
          `seed ${seed}, guess ${JSON.stringify(elementStart)}, pretty ${pretty}`,
        );
      }
    }
  });

  it('keeps nanosecond timestamps exact where asked, and reads bare Infinity and NaN as numbers', () => {
    const text =
      '{"agents":[{"registered_time":{"nanoseconds":1795566157810769920}},{"t":{"nanoseconds":12}}],"plain":[{"nanoseconds":1795566157810769920,"x":NaN,"y":-Infinity,"z":"NaN"}]}';
    const { all } = read(text, (take) => ({
      kind: 'object',
      members: {
        agents: { kind: 'elements', take: take('agents'), exactNanoseconds: true },
        plain: { kind: 'elements', take: take('plain') },
      },
    }));
    assert.deepEqual(all('agents'), [
      { registered_time: { nanoseconds: '1795566157810769920' } },
      { t: { nanoseconds: 12 } },
    ]);
    const [plain] = all('plain') as Record<string, unknown>[];
    assert.equal(plain!.nanoseconds, 1795566157810769920); // rounded: not asked for
    assert.ok(Number.isNaN(plain!.x));
    assert.equal(plain!.y, -Infinity);
    assert.equal(plain!.z, 'NaN');
    assert.equal(quoteNanoseconds('{"nanoseconds":-9223372036854775808}'), '{"nanoseconds":"-9223372036854775808"}');
  });

  const broken: [string, string, JsonSliceError['kind']][] = [
    ['cut inside a string', '{"list":[{"a":"b', 'truncated'],
    ['cut inside an element', '{"list":[{"a":[1,2', 'truncated'],
    ['cut after an element', '{"list":[{"a":1}', 'truncated'],
    ['not JSON inside an element', '{"list":[{"a":tru}]}', 'not-json'],
    ['a number where the array should be', '{"list":42}', 'unexpected'],
    ['text after the value', '{"list":[]} trailing', 'not-json'],
    ['a missing colon', '{"list" []}', 'unexpected'],
  ];
  for (const [what, text, kind] of broken) {
    it(`reports ${what} with its offset`, () => {
      assert.throws(
        () => read(text, (take) => ({ kind: 'object', members: { list: { kind: 'elements', take: take('list') } } })),
        (error: unknown) =>
          error instanceof JsonSliceError && error.kind === kind && error.offset >= 0 && error.offset <= text.length,
      );
    });
  }
});
