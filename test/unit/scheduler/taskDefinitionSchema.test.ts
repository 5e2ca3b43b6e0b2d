import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import {
  parseTaskDefinition,
  SINGLE_TASK_EXTRA_FIELDS,
  TASK_LIST_FIELDS,
} from '../../../src/core/scheduler/taskDefinition';
import {
  CONSTRAINT_OPERATORS,
  CONTAINER_FIELDS,
  CONTAINER_TYPES,
  ENVIRONMENT_NAME,
  MAX_INSTANCES,
  RESTART_POLICIES,
  TASK_ENTRY_DEFAULTS,
  TASK_ENTRY_FIELDS,
  URI_FIELDS,
} from '../../../src/core/scheduler/taskDefinitionEntry';
import { formatTaskDefinitionProblem } from '../../../src/core/scheduler/taskDefinitionProblem';

// The schema the editor validates *.mesos-task.json with, and the parser the launch command uses, must
// agree: same fields, same defaults, same enums, and the same verdict on every document of a corpus.

interface Schema {
  [key: string]: unknown;
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
  oneOf?: Schema[];
  examples?: unknown[];
  description?: string;
  $ref?: string;
}

const schemaText = readFileSync(resolve(__dirname, '../../../schemas/mesos-task.schema.json'), 'utf8');
const schema = JSON.parse(schemaText) as Schema & { definitions: Record<string, Schema> };
const task = schema.definitions.task!;
const taskProps = task.properties!;

const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema);
const parse = (doc: unknown) => parseTaskDefinition(JSON.stringify(doc), { idSuffix: () => 'x1' });

const sorted = (xs: Iterable<string>) => [...xs].sort();

test('the schema is valid JSON Schema (draft-07) and names the fields the parser reads', () => {
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.ok(ajv.validateSchema(schema), JSON.stringify(ajv.errors));
  assert.deepEqual(sorted(Object.keys(taskProps)), sorted(TASK_ENTRY_FIELDS));
  const single = schema.definitions.singleTask!.properties!;
  assert.deepEqual(sorted(Object.keys(single)), sorted([...TASK_ENTRY_FIELDS, ...SINGLE_TASK_EXTRA_FIELDS]));
  for (const field of TASK_ENTRY_FIELDS)
    assert.equal(single[field]!.$ref, `#/definitions/task/properties/${field}`, field);
  assert.deepEqual(sorted(Object.keys(schema.definitions.taskList!.properties!)), sorted(TASK_LIST_FIELDS));
  assert.deepEqual(sorted(Object.keys(taskProps.container!.properties!)), sorted(CONTAINER_FIELDS));
  const uriObject = (taskProps.uris!.items as Schema).oneOf!.find((s) => s.type === 'object')!;
  assert.deepEqual(sorted(Object.keys(uriObject.properties!)), sorted(URI_FIELDS));
});

test("enums, defaults and limits are the parser's", () => {
  const constraintItems = (taskProps.constraints!.items as Schema).items as Schema[];
  assert.deepEqual(constraintItems[1]!.enum, CONSTRAINT_OPERATORS);
  assert.equal((constraintItems[1]!.enumDescriptions as string[]).length, CONSTRAINT_OPERATORS.length);
  assert.deepEqual(taskProps.restart!.enum, RESTART_POLICIES);
  assert.deepEqual(taskProps.container!.properties!.type!.enum, CONTAINER_TYPES);
  assert.equal(taskProps.cpus!.default, TASK_ENTRY_DEFAULTS.cpus);
  assert.equal(taskProps.mem!.default, TASK_ENTRY_DEFAULTS.mem);
  assert.equal(taskProps.disk!.default, TASK_ENTRY_DEFAULTS.disk);
  assert.equal(taskProps.ports!.default, TASK_ENTRY_DEFAULTS.ports);
  assert.equal(taskProps.instances!.default, TASK_ENTRY_DEFAULTS.instances);
  assert.equal(taskProps.instances!.maximum, MAX_INSTANCES);
  assert.equal(taskProps.restart!.default, TASK_ENTRY_DEFAULTS.restart);
  assert.equal(taskProps.container!.properties!.type!.default, TASK_ENTRY_DEFAULTS.containerType);
  assert.equal(taskProps.container!.properties!.forcePullImage!.default, TASK_ENTRY_DEFAULTS.forcePullImage);
  assert.equal((taskProps.environment!.propertyNames as Schema).pattern, ENVIRONMENT_NAME.source);
  // a file that leaves every size out launches exactly the defaults
  const request = parse({ name: 'd', command: 'true' }).requests[0]!;
  assert.deepEqual(
    [request.cpus, request.mem, request.disk ?? 0, request.ports ?? 0],
    [TASK_ENTRY_DEFAULTS.cpus, TASK_ENTRY_DEFAULTS.mem, TASK_ENTRY_DEFAULTS.disk, TASK_ENTRY_DEFAULTS.ports],
  );
});

test('every property in the schema has a description', () => {
  const missing: string[] = [];
  const walk = (s: Schema, path: string) => {
    for (const [name, p] of Object.entries(s.properties ?? {})) {
      if (p.$ref === undefined && typeof p.description !== 'string') missing.push(`${path}.${name}`);
      walk(p, `${path}.${name}`);
    }
    for (const sub of [...(Array.isArray(s.items) ? s.items : s.items ? [s.items] : []), ...(s.oneOf ?? [])])
      walk(sub, `${path}[]`);
  };
  for (const [name, def] of Object.entries(schema.definitions)) walk(def, name);
  assert.deepEqual(missing, []);
});

test('every example in the schema is valid for the schema and launches with no problem', () => {
  const examples = schema.examples!;
  assert.ok(examples.length >= 3);
  for (const example of examples) {
    assert.ok(validate(example), `schema rejects its own example: ${JSON.stringify(ajv.errors)}`);
    const def = parse(example);
    assert.deepEqual(def.problems.map(formatTaskDefinitionProblem), [], JSON.stringify(example));
    assert.ok(def.requests.length > 0);
  }
  // property examples, each in an otherwise minimal task
  let count = 0;
  for (const [field, p] of Object.entries(taskProps)) {
    for (const value of p.examples ?? []) {
      const doc = { name: 'e', command: 'true', [field]: value };
      assert.ok(validate(doc), `${field} example ${JSON.stringify(value)}: ${JSON.stringify(ajv.errors)}`);
      assert.deepEqual(
        parse(doc).problems.map(formatTaskDefinitionProblem),
        [],
        `${field} example ${JSON.stringify(value)}`,
      );
      count++;
    }
  }
  assert.ok(count >= 15, `only ${count} property examples`);
});

test('schema and parser give the same verdict on a corpus of good and bad documents', () => {
  const base = { name: 'c', command: 'true' };
  const corpus: unknown[] = [
    base,
    { ...base, cpus: 0 },
    { ...base, cpus: 0.001 },
    { ...base, mem: -1 },
    { ...base, disk: 0 },
    { ...base, disk: -0.5 },
    { ...base, ports: 1.5 },
    { ...base, ports: 65536 },
    { ...base, instances: 0 },
    { ...base, instances: MAX_INSTANCES },
    { ...base, instances: MAX_INSTANCES + 1 },
    { ...base, cpus: '1' },
    { ...base, name: '' },
    { ...base, command: '' },
    { ...base, command: [] },
    { ...base, command: ['ls', 1] },
    { ...base, command: [' ', 'x'] },
    { ...base, command: '  ' },
    { ...base, name: ' ' },
    { ...base, role: ' ' },
    { ...base, uris: [' '] },
    { ...base, constraints: [[' ', 'UNIQUE']] },
    { ...base, cluster: ' ' },
    { name: 'c' },
    { name: 'c', container: { image: 'alpine' } },
    { name: 'c', container: {} },
    { name: 'c', container: { image: 'a b' } },
    { name: 'c', container: { image: 'a', type: 'RKT' } },
    { ...base, constraints: [['hostname', 'UNIQUE']] },
    { ...base, constraints: [['hostname', 'unique']] },
    { ...base, constraints: [['hostname']] },
    { ...base, constraints: [['a', 'CLUSTER', 'x', 'y']] },
    { ...base, constraints: [['a', 'LIKE', 1]] },
    { ...base, environment: { OK_1: 'v' } },
    { ...base, environment: { '1X': 'v' } },
    { ...base, environment: { X: 1 } },
    { ...base, uris: ['u', { value: 'v', executable: true, outputFile: 'o' }] },
    { ...base, uris: [{ executable: true }] },
    { ...base, uris: [{ value: 'v', extra: 1 }] },
    { ...base, restart: 'on-failure' },
    { ...base, restart: 'always' },
    { ...base, killGracePeriodSeconds: 0 },
    { ...base, killGracePeriodSeconds: -1 },
    { ...base, killGracePeriodSeconds: 86_401 },
    { ...base, role: '' },
    { ...base, user: 'nobody' },
    { ...base, cpu: 1 },
    { ...base, cluster: 'x', $schema: 'y' },
    { ...base, cluster: '' },
    { cluster: 'x', tasks: [base, { ...base, instances: 2 }] },
    { tasks: [] },
    { tasks: [base], cpus: 1 },
    { tasks: [{ ...base, cluster: 'x' }] },
    { tasks: [{ ...base, mem: 0 }] },
    [base],
    'text',
  ];
  const disagreements: string[] = [];
  const verdicts = { accepted: 0, rejected: 0 };
  for (const doc of corpus) {
    const bySchema = validate(doc) === true;
    verdicts[bySchema ? 'accepted' : 'rejected']++;
    const byParser = parse(doc).problems.length === 0;
    if (bySchema !== byParser)
      disagreements.push(
        `${JSON.stringify(doc)}: schema ${bySchema ? 'accepts' : 'rejects'}, parser ${byParser ? 'accepts' : 'rejects'}`,
      );
  }
  assert.deepEqual(disagreements, []);
  assert.ok(verdicts.accepted >= 10 && verdicts.rejected >= 25, JSON.stringify(verdicts));
});
