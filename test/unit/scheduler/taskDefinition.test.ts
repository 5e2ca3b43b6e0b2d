import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRequestId, slugOf } from '../../../src/core/scheduler/requestId';
import { parseTaskDefinition, taskNameOfFile } from '../../../src/core/scheduler/taskDefinition';
import { formatTaskDefinitionProblem } from '../../../src/core/scheduler/taskDefinitionProblem';
import { validateLaunchRequest } from '../../../src/core/scheduler/placementConstraint';
import { findJsonSyntaxError, firstJsonErrorOffset } from '../../../src/core/util/jsonSyntaxError';

// Task definition files (`*.mesos-task.json`): what a good one launches, exactly, and where a bad one is wrong.

const fixed = { idSuffix: () => 'abc123' };

function problemsOf(text: string, options: Parameters<typeof parseTaskDefinition>[1] = fixed): string[] {
  return parseTaskDefinition(text, options).problems.map(formatTaskDefinitionProblem);
}

test('a minimal task gets the defaults: 0.1 cpus, 128 MB, a shell command, a slugged id', () => {
  const def = parseTaskDefinition(JSON.stringify({ name: 'Hello World!', command: 'echo hi' }), fixed);
  assert.deepEqual(def.problems, []);
  assert.equal(def.cluster, undefined);
  assert.deepEqual(def.requests, [
    { id: 'hello-world-abc123', name: 'Hello World!', cpus: 0.1, mem: 128, command: { shell: true, value: 'echo hi' } },
  ]);
});

test('every field maps onto the TaskRequest the scheduler takes', () => {
  const def = parseTaskDefinition(
    JSON.stringify({
      name: 'web',
      command: ['python3', '-m', 'http.server'],
      cpus: 0.5,
      mem: 256,
      disk: 64,
      ports: 2,
      role: 'ci',
      constraints: [
        ['hostname', 'UNIQUE'],
        ['rack', 'LIKE', 'r[12]'],
      ],
      environment: { A: '1', B_2: 'two words' },
      uris: [
        'https://x/app.tgz',
        { value: 'https://x/run.sh', executable: true, extract: false, cache: true, outputFile: 'run' },
      ],
      container: { image: 'alpine:3.20' },
      user: 'nobody',
      killGracePeriodSeconds: 2.5,
      restart: 'on-failure',
    }),
    fixed,
  );
  assert.deepEqual(def.problems, []);
  assert.deepEqual(def.requests, [
    {
      id: 'web-abc123',
      name: 'web',
      cpus: 0.5,
      mem: 256,
      disk: 64,
      ports: 2,
      role: 'ci',
      constraints: [
        ['hostname', 'UNIQUE'],
        ['rack', 'LIKE', 'r[12]'],
      ],
      command: {
        shell: false,
        value: 'python3',
        arguments: ['python3', '-m', 'http.server'],
        environment: {
          variables: [
            { name: 'A', value: '1' },
            { name: 'B_2', value: 'two words' },
          ],
        },
        uris: [
          { value: 'https://x/app.tgz' },
          { value: 'https://x/run.sh', executable: true, extract: false, cache: true, output_file: 'run' },
        ],
        user: 'nobody',
      },
      container: { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: 'alpine:3.20' } } } },
      killPolicy: { grace_period: { nanoseconds: 2_500_000_000 } },
      restart: 'on-failure',
    },
  ]);
  // what the parser accepts, the scheduler accepts too
  for (const request of def.requests) validateLaunchRequest(request);
});

test('a DOCKER container with no command runs the image entrypoint; forcePullImage maps per containerizer', () => {
  const docker = parseTaskDefinition(
    JSON.stringify({ name: 'r', container: { image: 'redis:7', type: 'DOCKER', forcePullImage: true } }),
    fixed,
  );
  assert.deepEqual(docker.problems, []);
  assert.deepEqual(docker.requests[0]!.command, { shell: false });
  assert.deepEqual(docker.requests[0]!.container, {
    type: 'DOCKER',
    docker: { image: 'redis:7', force_pull_image: true },
  });
  const mesos = parseTaskDefinition(
    JSON.stringify({ name: 'r', command: 'true', container: { image: 'redis:7', forcePullImage: true } }),
    fixed,
  );
  assert.deepEqual(mesos.requests[0]!.container, {
    type: 'MESOS',
    mesos: { image: { type: 'DOCKER', docker: { name: 'redis:7' }, cached: false } },
  });
});

test('instances become one request each, of one group, with numbered ids', () => {
  const def = parseTaskDefinition(
    JSON.stringify({ cluster: ' prod ', tasks: [{ name: 'w', command: 'x', instances: 3 }] }),
    fixed,
  );
  assert.deepEqual(def.problems, []);
  assert.equal(def.cluster, 'prod');
  assert.deepEqual(
    def.requests.map((r) => [r.id, r.group]),
    [
      ['w-abc123-1', 'w-abc123'],
      ['w-abc123-2', 'w-abc123'],
      ['w-abc123-3', 'w-abc123'],
    ],
  );
});

test('the tasks form reads each task; a task without a name takes the default name', () => {
  let n = 0;
  const def = parseTaskDefinition(JSON.stringify({ tasks: [{ command: 'a' }, { name: 'b', command: 'b' }] }), {
    defaultName: 'from file',
    idSuffix: () => `s${++n}`,
  });
  assert.deepEqual(def.problems, []);
  assert.deepEqual(
    def.requests.map((r) => [r.id, r.name]),
    [
      ['from-file-s1', 'from file'],
      ['b-s2', 'b'],
    ],
  );
});

test('bad values are reported with their exact paths, and nothing is launched', () => {
  const text = JSON.stringify({
    cluster: 'c',
    tasks: [
      { name: 'ok', command: 'true' },
      { name: 'bad', command: 'true', cpus: 0, mem: -5, disk: '1', ports: 1.5, instances: 500 },
      {
        command: ['ls', 3],
        constraints: [
          ['hostname', 'unique'],
          ['rack', 'BOGUS'],
          ['h'],
          ['rack', 'MAX_PER', 'x'],
          ['rack', 'LIKE', '('],
        ],
      },
      {
        name: 'e',
        command: '',
        environment: { '1BAD': 'x', GOOD: 1 },
        uris: [{ executable: true }, 7],
        container: { image: 'a b', type: 'RKT', extra: 1 },
        restart: 'always',
        cpu: 1,
      },
      'not an object',
    ],
  });
  const def = parseTaskDefinition(text, fixed);
  assert.deepEqual(def.requests, []);
  assert.deepEqual(def.problems.map(formatTaskDefinitionProblem), [
    'tasks[1].cpus: must be > 0 (got 0)',
    'tasks[1].mem: must be > 0 (got -5)',
    'tasks[1].disk: must be a number, got "1"',
    'tasks[1].ports: must be a whole number (got 1.5)',
    'tasks[1].instances: must be at most 100 (got 500)',
    'tasks[2].name: is required: give the task a name',
    'tasks[2].constraints[0][1]: unknown operator "unique": write it in capitals: "UNIQUE"',
    'tasks[2].constraints[1][1]: unknown operator "BOGUS": use one of UNIQUE, CLUSTER, LIKE, UNLIKE, GROUP_BY, MAX_PER',
    'tasks[2].constraints[2]: must be [attribute, operator] or [attribute, operator, value], got 1 item(s)',
    "tasks[2].constraints[3]: MAX_PER limit on 'rack' must be a positive whole number, got 'x'",
    "tasks[2].constraints[4]: LIKE on 'rack': '(' is not a valid regular expression (Invalid regular expression: /^(?:()$/: Unterminated group)",
    'tasks[2].command[1]: must be a string, got 3',
    'tasks[3].cpu: unknown property (did you mean "cpus"?)',
    'tasks[3].environment["1BAD"]: is not a variable name: use letters, digits and _, not starting with a digit',
    'tasks[3].environment.GOOD: must be a string, got 1 (quote numbers: "8080")',
    'tasks[3].uris[0].value: must be a URI (non-empty), got undefined',
    'tasks[3].uris[1]: must be a URI string or an object with "value", got 7',
    'tasks[3].container.extra: unknown property',
    'tasks[3].container.image: must not contain spaces, got "a b"',
    'tasks[3].container.type: must be "MESOS" (the Mesos containerizer) or "DOCKER" (the Docker containerizer), got "RKT"',
    'tasks[3].command: must not be empty: give the shell command to run',
    'tasks[3].restart: must be "never" or "on-failure", got "always"',
    'tasks[4]: must be a task object ({"name": …, "command": …}), got "not an object"',
  ]);
});

test('a single task file: paths have no prefix; cluster and $schema are allowed beside the task', () => {
  assert.deepEqual(
    problemsOf(JSON.stringify({ $schema: './s.json', cluster: 'x', name: 'a', command: 'b', cpus: -1 })),
    ['cpus: must be > 0 (got -1)'],
  );
  assert.deepEqual(problemsOf(JSON.stringify({ name: 'a' })), [
    'command: is required: a shell command ("echo hi") or ["program", "arg"] (or a container, to run its image\'s own command)',
  ]);
  assert.deepEqual(problemsOf(JSON.stringify({ cluster: '', name: 'a', command: 'b' })), [
    'cluster: must be the name of a cluster of mesos.clusters (a non-empty string)',
  ]);
});

test('the tasks form refuses task fields at the top and an empty list', () => {
  assert.deepEqual(problemsOf(JSON.stringify({ tasks: [], cpus: 1, clusters: 'x' })), [
    'cpus: unknown property (with "tasks", task fields go inside each task)',
    'clusters: unknown property (did you mean "cluster"?)',
    'tasks: must be a non-empty array of task objects',
  ]);
});

test('documents that are not an object, empty, or not JSON say so; syntax errors carry line and column', () => {
  assert.deepEqual(problemsOf('[1]'), [
    'the definition must be an object (one task, or {"tasks": [ … ]}), not an array',
  ]);
  assert.deepEqual(problemsOf('  \n'), [
    'the definition is empty: write one task ({"name": …, "command": …}) or {"tasks": [ … ]}',
  ]);
  const def = parseTaskDefinition('{\n  "name": "a",\n  "cpus": tru\n}', fixed);
  assert.deepEqual(def, {
    requests: [],
    problems: [{ path: '', message: "not valid JSON: Unexpected token '\\n'", line: 3, column: 14 }],
  });
  const trailing = parseTaskDefinition('{"name": "a",\n "command": "b",\n}', fixed).problems[0]!;
  assert.deepEqual([trailing.line, trailing.column], [3, 1]);
  assert.equal(formatTaskDefinitionProblem(trailing), `line 3, column 1: ${trailing.message}`);
  // a byte order mark is not a syntax error
  assert.deepEqual(parseTaskDefinition('\ufeff{"name":"a","command":"b"}', fixed).problems, []);
});

test('the JSON error locator agrees with JSON.parse on valid and invalid texts', () => {
  const valid = ['{}', '[]', '{"a":[1,-2.5e+3,true,false,null,"x\\u00e9\\n"]}', ' 0 ', '"s"'];
  for (const t of valid) assert.equal(firstJsonErrorOffset(t), undefined, t);
  const invalid: [string, number][] = [
    ['{"a": tru}', 9],
    ['{"a": 1,}', 8],
    ['{a:1}', 1],
    ['[1,]', 3],
    ['[01]', 2],
    ['"\t"', 1],
    ['{"a":1}x', 7],
    ['{"a":', 5],
    ['"\\x"', 2],
    ['-', 1],
    ['1.', 2],
  ];
  for (const [t, at] of invalid) {
    assert.throws(() => JSON.parse(t));
    assert.equal(firstJsonErrorOffset(t), at, t);
  }
  assert.equal(findJsonSyntaxError('{"a": 1}'), undefined);
  assert.deepEqual(findJsonSyntaxError('{\n"a": tru}'), {
    offset: 10,
    line: 2,
    column: 9,
    message: "Unexpected token '}'",
  });
});

test('request ids: a readable slug plus a random part; names that slug to nothing become "task"', () => {
  assert.equal(slugOf('Web Server (v2)'), 'web-server-v2');
  assert.equal(slugOf('Café/Ünïcode'), 'cafe-unicode');
  assert.equal(slugOf('...'), 'task');
  assert.equal(slugOf('x'.repeat(80)).length, 40);
  assert.match(newRequestId('My job'), /^my-job-[a-z0-9]{6}$/);
  const ids = new Set(Array.from({ length: 200 }, () => newRequestId('a')));
  assert.equal(ids.size, 200);
});

test('the default task name comes from the file name', () => {
  assert.equal(taskNameOfFile('/work/defs/web server.mesos-task.json'), 'web server');
  assert.equal(taskNameOfFile('C:\\defs\\Job.MESOS-TASK.JSON'), 'Job');
  assert.equal(taskNameOfFile('/x/.mesos-task.json'), undefined);
});

test('an unknown property close to a known one suggests it', () => {
  const problems = (doc: object) =>
    parseTaskDefinition(JSON.stringify({ name: 'a', command: 'b', ...doc }), fixed).problems.map(
      formatTaskDefinitionProblem,
    );
  assert.deepEqual(problems({ commnd: 'x' }), ['commnd: unknown property (did you mean "command"?)']);
  assert.deepEqual(problems({ CPUS: 1 }), ['CPUS: unknown property (did you mean "cpus"?)']);
  assert.deepEqual(problems({ kill_grace_period_seconds: 1 }), [
    'kill_grace_period_seconds: unknown property (did you mean "killGracePeriodSeconds"?)',
  ]);
  assert.deepEqual(problems({ labels: {} }), ['labels: unknown property']);
  assert.deepEqual(problems({ ram: 1 }), ['ram: unknown property']);
});
