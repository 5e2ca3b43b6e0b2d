import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExportedBean, ExportedMap, prop, serializeExport } from '../../../src/sandbox/jenkins/apiExport';
import { MalformedTreeError, parseTreeSpec, type TreeSpec } from '../../../src/sandbox/jenkins/apiTreeSpec';

function names(spec: TreeSpec): unknown {
  return Object.fromEntries([...spec.children].map(([k, v]) => [k, { range: v.range, children: names(v) }]));
}

test('tree specs parse names, nesting and every range form', () => {
  const spec = parseTreeSpec('items[id,task[name,url]],a{2},b{1,},c{,3},d{1,4}');
  const top = spec.children;
  assert.deepEqual([...top.keys()], ['items', 'a', 'b', 'c', 'd']);
  assert.deepEqual([...(top.get('items')?.children.get('task')?.children.keys() ?? [])], ['name', 'url']);
  assert.deepEqual(top.get('a')?.range, [2, 3]);
  assert.deepEqual(top.get('b')?.range, [1, Number.MAX_SAFE_INTEGER]);
  assert.deepEqual(top.get('c')?.range, [0, 3]);
  assert.deepEqual(top.get('d')?.range, [1, 4]);
  assert.deepEqual(top.get('items')?.range, [0, Number.MAX_SAFE_INTEGER]);
});

test('names are any run of characters other than , [ ] { } and a repeated name replaces the earlier', () => {
  const spec = parseTreeSpec('a b,x.y:z,a b[c]');
  assert.deepEqual(names(spec), {
    'a b': {
      range: [0, Number.MAX_SAFE_INTEGER],
      children: { c: { range: [0, Number.MAX_SAFE_INTEGER], children: {} } },
    },
    'x.y:z': { range: [0, Number.MAX_SAFE_INTEGER], children: {} },
  });
});

test('malformed specs fail the way stapler reports them', () => {
  const cases: [string, RegExp][] = [
    ['', /expected name at 0/],
    ['a,', /expected name at 2/],
    ['a[b', /expected RBRACE at 3/],
    ['a]', /expected EOF at 1/],
    ['a{x}', /expected number at 2/],
    ['a{1', /expected COMMA at 3/],
    ['a{1,2', /expected QRBRACE at 5/],
    ['[a]', /expected name at 0/],
  ];
  for (const [spec, message] of cases) {
    assert.throws(
      () => parseTreeSpec(spec),
      (err: unknown) =>
        err instanceof MalformedTreeError &&
        message.test(err.message) &&
        /^Malformed tree expression/.test(err.message),
      spec,
    );
  }
});

// A small graph shaped like Jenkins' queue: inline items with visibility 999, a nested task whose name is
// 999, color 2 and labelExpression 1.
function queue(builtTasks: { count: number }) {
  const task = (name: string) => {
    builtTasks.count++;
    return new ExportedBean('hudson.model.FreeStyleProject', [
      prop('name', name, 999),
      prop('color', 'blue', 2),
      prop('labelExpression', 'linux', 1),
      prop('owner', new ExportedBean('x.Owner', [prop('deep', 1, 1)])),
    ]);
  };
  const item = (id: number) =>
    new ExportedBean('hudson.model.Queue$BuildableItem', [
      prop('id', id, 999),
      prop('task', () => task(`job-${id}`), 999),
      prop('labels', [new ExportedBean('hudson.model.labels.LabelAtom', [prop('name', `l${id}`, 2)], false)], 999),
    ]);
  return new ExportedBean('hudson.model.Queue', [
    prop('items', [item(1), item(2), item(3)], 1, true),
    prop('map', new ExportedMap({ k: 1, nested: new ExportedBean('y.Z', [prop('v', 2, 5)]) }), 1),
    prop('hidden', 'x', 0),
  ]);
}

test('depth 0: inline items show every key; nested objects only visibility >= 2; _class follows printClass', () => {
  const built = { count: 0 };
  const json = serializeExport(queue(built), { depth: 0 });
  assert.deepEqual((json.items as unknown[])[0], {
    _class: 'hudson.model.Queue$BuildableItem',
    id: 1,
    task: { _class: 'hudson.model.FreeStyleProject', name: 'job-1', color: 'blue' },
    labels: [{ name: 'l1' }],
  });
  assert.equal(json._class, 'hudson.model.Queue');
  assert.ok(!('hidden' in json));
});

test('depth 1 lowers every threshold by one', () => {
  const json = serializeExport(queue({ count: 0 }), { depth: 1 });
  const task = ((json.items as unknown[])[0] as { task: Record<string, unknown> }).task;
  assert.deepEqual(task, {
    _class: 'hudson.model.FreeStyleProject',
    name: 'job-1',
    color: 'blue',
    labelExpression: 'linux',
    owner: { _class: 'x.Owner' },
  });
  assert.equal(json.hidden, 'x');
});

test('tree selects exactly the named keys at each level, ignoring visibility', () => {
  const json = serializeExport(queue({ count: 0 }), {
    tree: parseTreeSpec('items[id,task[labelExpression,nope]],hidden'),
  });
  assert.deepEqual(json, {
    _class: 'hudson.model.Queue',
    items: [1, 2, 3].map((id) => ({
      _class: 'hudson.model.Queue$BuildableItem',
      id,
      task: { _class: 'hudson.model.FreeStyleProject', labelExpression: 'linux' },
    })),
    hidden: 'x',
  });
});

test('a named object without sub-spec shows only its _class; * takes everything at its level', () => {
  const json = serializeExport(queue({ count: 0 }), { tree: parseTreeSpec('items[task]{0,1}') });
  assert.deepEqual(json.items, [
    { _class: 'hudson.model.Queue$BuildableItem', task: { _class: 'hudson.model.FreeStyleProject' } },
  ]);
  const star = serializeExport(queue({ count: 0 }), { tree: parseTreeSpec('items[*]{2}') });
  assert.deepEqual(star.items, [
    {
      _class: 'hudson.model.Queue$BuildableItem',
      id: 3,
      task: { _class: 'hudson.model.FreeStyleProject' },
      labels: [{}],
    },
  ]);
});

test('ranges slice arrays: {N,M} is [N, M), {N,} to the end, {,M} from the start', () => {
  const ids = (spec: string) =>
    (serializeExport(queue({ count: 0 }), { tree: parseTreeSpec(spec) }).items as { id: number }[]).map((i) => i.id);
  assert.deepEqual(ids('items[id]{1,3}'), [2, 3]);
  assert.deepEqual(ids('items[id]{1,}'), [2, 3]);
  assert.deepEqual(ids('items[id]{,1}'), [1]);
  assert.deepEqual(ids('items[id]{5,9}'), []);
});

test('lazy values are only built when selected', () => {
  const built = { count: 0 };
  serializeExport(queue(built), { tree: parseTreeSpec('items[id]') });
  assert.equal(built.count, 0);
  serializeExport(queue(built), { tree: parseTreeSpec('items[task[name]]') });
  assert.equal(built.count, 3);
});

test('maps are written with all their entries', () => {
  const json = serializeExport(queue({ count: 0 }), { tree: parseTreeSpec('map[v]') });
  assert.deepEqual(json.map, { k: 1, nested: { _class: 'y.Z', v: 2 } });
});
