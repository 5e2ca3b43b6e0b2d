import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MesosDecodeError } from '../../../../src/core/mesos/codec';
import {
  agentStateFromJson,
  findExecutorRuns,
  frameworkRuns,
  parseAgentState,
} from '../../../../src/core/mesos/files/agentState';

const body = readFileSync(join(__dirname, '../../../fixtures/mesos-1.12/agent-state.json'));

test('the captured agent /state reads into typed frameworks, executors and tasks', () => {
  const state = parseAgentState(body);
  assert.equal(state.id, '9b5d8929-2afc-4fa6-a716-69ba2145bf88-S0');
  assert.equal(state.pid, 'slave(1)@127.0.0.1:15051');
  assert.equal(state.version, '1.12.0');
  assert.equal(state.master_hostname, 'localhost');
  assert.equal(state.flags?.work_dir, '/tmp/realmesos/agent');
  assert.equal(state.resources.ports, '[31000-32000]');
  assert.equal(state.frameworks.length, 2);
  assert.equal(state.completed_frameworks.length, 8);
  const capture = state.frameworks[0]!;
  assert.equal(capture.name, 'capture-framework');
  assert.equal(capture.role, '*');
  assert.deepEqual(
    capture.executors.map((e) => e.id),
    ['capture-short', 'capture-long'],
  );
  const long = capture.executors[1]!;
  assert.match(long.directory, /^\/tmp\/realmesos\/agent\/slaves\/.*\/executors\/capture-long\/runs\/70bbd3e4/);
  assert.equal(long.container, '70bbd3e4-cb8d-45b9-b440-473b1131a99c');
  assert.equal(long.tasks[0]!.state, 'TASK_RUNNING');
  assert.equal(long.tasks[0]!.executor_id, '');
  assert.deepEqual(
    long.tasks[0]!.statuses.map((s) => s.state),
    ['TASK_STARTING', 'TASK_RUNNING'],
  );
  const short = capture.executors[0]!;
  assert.equal(short.completed_tasks[0]!.state, 'TASK_FINISHED');
});

test('findExecutorRuns lists current runs before completed ones', () => {
  const state = parseAgentState(body);
  const runs = findExecutorRuns(state, '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0006', 'heldout148c54-t-4c88e7');
  assert.equal(runs.length, 1);
  assert.equal(runs[0]!.completed, true);
  assert.equal(runs[0]!.frameworkCompleted, false);
  assert.deepEqual(findExecutorRuns(state, 'no-such-framework', 'x'), []);
});

test('frameworkRuns gives one list per entry of the framework, in frameworks then in completed_frameworks', () => {
  const executor = (id: string) => ({ id, directory: `/w/runs/${id}` });
  const state = agentStateFromJson({
    id: 'S0',
    pid: 'slave(1)@127.0.0.1:5051',
    start_time: 1,
    frameworks: [{ id: 'fw', executors: [executor('c1')], completed_executors: [executor('d1'), executor('d2')] }],
    completed_frameworks: [
      { id: 'other', executors: [], completed_executors: [executor('x')] },
      { id: 'fw', executors: [], completed_executors: [executor('d0')] },
    ],
  });
  const ids = (completed: boolean) =>
    frameworkRuns(state, 'fw', completed).map((runs) => runs.map((r) => r.executor.id));
  assert.deepEqual(ids(false), [['c1'], []]);
  assert.deepEqual(ids(true), [['d1', 'd2'], ['d0']]);
  assert.deepEqual(
    frameworkRuns(state, 'fw', true)
      .flat()
      .map((r) => [r.frameworkCompleted, r.completed]),
    [
      [false, true],
      [false, true],
      [true, true],
    ],
  );
  assert.deepEqual(frameworkRuns(state, 'no-such-framework', false), []);
});

test('a body that is not an agent state names the field that is wrong', () => {
  const check = (value: unknown, path: string | undefined, kind: string) =>
    assert.throws(
      () => agentStateFromJson(value),
      (e: unknown) => e instanceof MesosDecodeError && e.path === path && e.kind === kind,
    );
  check([], undefined, 'wrong-type');
  check({ pid: 'slave(1)@x:1', start_time: 1 }, 'id', 'missing-field');
  check({ id: 'a', pid: 'p', start_time: 1, frameworks: {} }, 'frameworks', 'wrong-type');
  check(
    { id: 'a', pid: 'p', start_time: 1, frameworks: [{ id: 'f', executors: [{ id: 'e' }] }] },
    'frameworks[0].executors[0].directory',
    'missing-field',
  );
  assert.throws(
    () => parseAgentState(Buffer.from('<html><title>Login</title></html>')),
    (e: unknown) => e instanceof MesosDecodeError && e.kind === 'html',
  );
});

test('a bare Infinity (task limits) does not stop the state from being read', () => {
  const text = body
    .toString('utf8')
    .replace('"role":"*","statuses"', '"role":"*","limits":{"cpus":Infinity},"statuses"');
  assert.notEqual(text, body.toString('utf8'));
  const state = parseAgentState(Buffer.from(text));
  assert.equal(state.frameworks.length, 2);
});
