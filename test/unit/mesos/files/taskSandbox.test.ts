import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Endpoint } from '../../../../src/core/http/endpoint';
import { parseAgentState } from '../../../../src/core/mesos/files/agentState';
import {
  agentBaseUrl,
  executorIdOfTask,
  latestRunPath,
  resolveTaskSandbox,
  runDirectoryPath,
  sandboxFilePath,
  TaskSandboxError,
} from '../../../../src/core/mesos/files/taskSandbox';

const state = parseAgentState(readFileSync(join(__dirname, '../../../fixtures/mesos-1.12/agent-state.json')));
const FW = '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0011';
const AGENT = { pid: 'slave(1)@127.0.0.1:15051', hostname: 'agent-1.example', port: 5051 };

test('a command task (empty executor id) uses its task id as the executor id', () => {
  assert.equal(executorIdOfTask({ taskId: 'capture-long', executorId: '' }), 'capture-long');
  assert.equal(executorIdOfTask({ taskId: 'capture-long' }), 'capture-long');
  assert.equal(executorIdOfTask({ taskId: 't1', executorId: 'jenkins-executor' }), 'jenkins-executor');
  const sandbox = resolveTaskSandbox({ frameworkId: FW, taskId: 'capture-long', executorId: '' }, AGENT);
  assert.deepEqual(sandbox, {
    agentUrl: 'http://127.0.0.1:15051',
    path: `/frameworks/${FW}/executors/capture-long/runs/latest`,
    executorId: 'capture-long',
    via: 'latest',
  });
});

test('the agent address comes from its pid, else from hostname and port', () => {
  assert.equal(agentBaseUrl({ pid: 'slave(1)@10.0.0.5:5051', hostname: 'ignored' }), 'http://10.0.0.5:5051');
  assert.equal(agentBaseUrl({ pid: 'slave(1)@[fd00::5]:5051' }), 'http://[fd00::5]:5051');
  assert.equal(agentBaseUrl({ hostname: 'agent-7.example', port: 5052 }), 'http://agent-7.example:5052');
  assert.equal(agentBaseUrl({ hostname: 'agent-7.example' }), 'http://agent-7.example:5051');
  assert.equal(
    agentBaseUrl({ pid: 'garbage', hostname: 'agent-7.example', port: 15051 }),
    'http://agent-7.example:15051',
  );
  assert.equal(agentBaseUrl({ hostname: 'fd00::7', port: 5051 }, 'https'), 'https://[fd00::7]:5051');
  assert.throws(
    () => agentBaseUrl({}),
    (e: unknown) => e instanceof TaskSandboxError && e.kind === 'no-agent-address',
  );
  assert.throws(
    () => agentBaseUrl({ hostname: 'a', port: 70000 }),
    (e: unknown) => e instanceof TaskSandboxError && e.kind === 'no-agent-address',
  );
});

test('a task-group task gets tasks/<task-id> below its executor sandbox', () => {
  const task = { frameworkId: 'fw-1', taskId: 'build-7', executorId: 'default-executor-1', taskGroup: true };
  assert.equal(latestRunPath(task), '/frameworks/fw-1/executors/default-executor-1/runs/latest/tasks/build-7');
});

test('ids with "+" and spaces stay raw in the path and are encoded once in the query', () => {
  const task = { frameworkId: 'fw+1', taskId: 'my task+2', executorId: '' };
  const path = latestRunPath(task);
  assert.equal(path, '/frameworks/fw+1/executors/my task+2/runs/latest');
  const endpoint = new Endpoint({ baseUrl: agentBaseUrl(AGENT) });
  try {
    const url = endpoint.urlFor('/files/read', { path: sandboxFilePath(path, 'stdout'), offset: 0 });
    assert.equal(
      url.search,
      '?path=%2Fframeworks%2Ffw%2B1%2Fexecutors%2Fmy+task%2B2%2Fruns%2Flatest%2Fstdout&offset=0',
    );
    // Decoded as the agent decodes a query (+ is a space, %2B a plus), it is the path again.
    assert.equal(url.searchParams.get('path'), `${path}/stdout`);
  } finally {
    void endpoint.close();
  }
});

test('ids that would walk out of the sandbox path are refused', () => {
  for (const [task, what] of [
    [{ frameworkId: 'fw', taskId: '../../etc' }, 'executor'],
    [{ frameworkId: '..', taskId: 't' }, 'framework'],
    [{ frameworkId: 'fw', taskId: 'a/b', executorId: 'e', taskGroup: true }, 'task'],
    [{ frameworkId: '', taskId: 't' }, 'framework'],
  ] as const) {
    assert.throws(
      () => latestRunPath(task),
      (e: unknown) => e instanceof TaskSandboxError && e.kind === 'invalid-id' && e.message.includes(`The ${what} id`),
    );
  }
});

test("a run's directory from the agent's /state, current or completed", () => {
  const running = resolveTaskSandbox({ frameworkId: FW, taskId: 'capture-long' }, AGENT, { agentState: state });
  assert.equal(running.via, 'directory');
  assert.equal(running.completed, false);
  assert.equal(
    running.path,
    `/tmp/realmesos/agent/slaves/9b5d8929-2afc-4fa6-a716-69ba2145bf88-S0/frameworks/${FW}/executors/capture-long/runs/70bbd3e4-cb8d-45b9-b440-473b1131a99c`,
  );
  // A run in completed_executors of a completed framework.
  const done = runDirectoryPath(state, {
    frameworkId: '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0002',
    taskId: 'heldout18f32b-t-d6b93a',
  });
  assert.equal(done.completed, true);
  assert.match(done.path, /\/executors\/heldout18f32b-t-d6b93a\/runs\/22478884-df52-4731-9cf5-66f6420da598$/);
  const group = runDirectoryPath(state, { frameworkId: FW, taskId: 'capture-long', taskGroup: true });
  assert.match(group.path, /\/runs\/70bbd3e4-cb8d-45b9-b440-473b1131a99c\/tasks\/capture-long$/);
});

test('a run the agent no longer lists is a run-not-found error with a next step', () => {
  assert.throws(
    () => runDirectoryPath(state, { frameworkId: FW, taskId: 'never-ran', agentId: 'other-agent' }),
    (e: unknown) =>
      e instanceof TaskSandboxError &&
      e.kind === 'run-not-found' &&
      /garbage-collected/.test(e.message) &&
      /other-agent/.test(e.message) &&
      e.nextStep.length > 0,
  );
});

test('sandboxFilePath joins without doubling slashes', () => {
  assert.equal(
    sandboxFilePath('/frameworks/f/executors/e/runs/latest/', '/stdout'),
    '/frameworks/f/executors/e/runs/latest/stdout',
  );
  assert.equal(sandboxFilePath('/x', 'logs/app.log'), '/x/logs/app.log');
});
