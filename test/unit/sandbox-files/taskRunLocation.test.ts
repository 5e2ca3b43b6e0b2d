import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { agentStateFromJson, parseAgentState } from '../../../src/core/mesos/files/agentState';
import { TaskSandboxError } from '../../../src/core/mesos/files/taskSandbox';
import { locateTaskRun } from '../../../src/core/mesos/files/taskRunLocation';

const captured = parseAgentState(readFileSync(join(__dirname, '../../fixtures/mesos-1.12/agent-state.json')));
const FW = '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0011';

function executor(
  id: string,
  directory: string,
  tasks: { tasks?: string[]; completed?: string[] } = {},
  type?: string,
) {
  const task = (taskId: string, state: string) => ({ id: taskId, name: taskId, state, resources: {}, statuses: [] });
  return {
    id,
    name: id,
    source: '',
    container: directory.slice(directory.lastIndexOf('/') + 1),
    directory,
    resources: {},
    ...(type ? { type } : {}),
    tasks: (tasks.tasks ?? []).map((t) => task(t, 'TASK_RUNNING')),
    queued_tasks: [],
    completed_tasks: (tasks.completed ?? []).map((t) => task(t, 'TASK_FINISHED')),
  };
}

function agentState(
  frameworks: { id: string; executors?: unknown[]; completed_executors?: unknown[] }[],
  completed: typeof frameworks = [],
) {
  const framework = (f: (typeof frameworks)[number]) => ({
    id: f.id,
    name: f.id,
    executors: f.executors ?? [],
    completed_executors: f.completed_executors ?? [],
  });
  return agentStateFromJson({
    id: 'S0',
    pid: 'slave(1)@127.0.0.1:5051',
    start_time: 1,
    frameworks: frameworks.map(framework),
    completed_frameworks: completed.map(framework),
  });
}

test('a command task is found in the run that lists it, running or completed (captured from Mesos 1.12)', () => {
  const running = locateTaskRun(captured, { frameworkId: FW, taskId: 'capture-long' });
  assert.deepEqual(running, {
    path: `/tmp/realmesos/agent/slaves/9b5d8929-2afc-4fa6-a716-69ba2145bf88-S0/frameworks/${FW}/executors/capture-long/runs/70bbd3e4-cb8d-45b9-b440-473b1131a99c`,
    executorId: 'capture-long',
    completed: false,
    taskGroup: false,
  });
  const done = locateTaskRun(captured, {
    frameworkId: '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0006',
    taskId: 'heldout148c54-t-4c88e7',
  });
  assert.equal(done?.completed, true);
  assert.match(done!.path, /\/executors\/heldout148c54-t-4c88e7\/runs\/f51268f4-e5b6-471e-9cd3-9cdd4a22e69e$/);
  // a completed framework's runs are found too
  const gone = locateTaskRun(captured, {
    frameworkId: '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0002',
    taskId: 'heldout18f32b-t-d6b93a',
  });
  assert.match(gone!.path, /\/runs\/22478884-df52-4731-9cf5-66f6420da598$/);
});

test('a task of a custom executor is found without knowing the executor id', () => {
  const state = agentState([
    {
      id: 'fw',
      executors: [executor('jenkins-exec', '/w/fw/executors/jenkins-exec/runs/c1', { tasks: ['agent-1', 'agent-2'] })],
    },
  ]);
  assert.deepEqual(locateTaskRun(state, { frameworkId: 'fw', taskId: 'agent-2' }), {
    path: '/w/fw/executors/jenkins-exec/runs/c1',
    executorId: 'jenkins-exec',
    completed: false,
    taskGroup: false,
  });
  assert.equal(locateTaskRun(state, { frameworkId: 'other-fw', taskId: 'agent-2' }), undefined);
});

test("a task group's task has its own sandbox below the default executor's", () => {
  const state = agentState([
    { id: 'fw', executors: [executor('default-exec', '/w/runs/c9/', { tasks: ['build', 'sidecar'] }, 'DEFAULT')] },
  ]);
  const run = locateTaskRun(state, { frameworkId: 'fw', taskId: 'sidecar' });
  assert.equal(run?.path, '/w/runs/c9/tasks/sidecar');
  assert.equal(run?.taskGroup, true);
});

test('a task id used again resolves to its newest run: a current one, else the last completed', () => {
  const old = executor('t', '/w/runs/old', { completed: ['t'] });
  const newer = executor('t', '/w/runs/newer', { completed: ['t'] });
  const current = executor('t', '/w/runs/current', { tasks: ['t'] });
  assert.equal(
    locateTaskRun(agentState([{ id: 'fw', completed_executors: [old, newer] }]), { frameworkId: 'fw', taskId: 't' })
      ?.path,
    '/w/runs/newer',
  );
  assert.equal(
    locateTaskRun(agentState([{ id: 'fw', executors: [current], completed_executors: [old, newer] }]), {
      frameworkId: 'fw',
      taskId: 't',
    })?.path,
    '/w/runs/current',
  );
});

test("when no run lists the task (trimmed task lists), the executor's newest run is taken; with none, undefined", () => {
  const state = agentState([
    {
      id: 'fw',
      completed_executors: [
        executor('exec-a', '/w/runs/a1'),
        executor('exec-a', '/w/runs/a2'),
        executor('cmd', '/w/runs/cmd'),
      ],
    },
  ]);
  assert.equal(locateTaskRun(state, { frameworkId: 'fw', taskId: 'x', executorId: 'exec-a' })?.path, '/w/runs/a2');
  // a command task's executor id is its task id
  assert.equal(locateTaskRun(state, { frameworkId: 'fw', taskId: 'cmd' })?.path, '/w/runs/cmd');
  assert.equal(locateTaskRun(state, { frameworkId: 'fw', taskId: 'never-ran' }), undefined);
});

test('a task id that would name a directory outside the sandbox is refused', () => {
  const state = agentState([{ id: 'fw', executors: [executor('d', '/w/runs/d', { tasks: ['../x'] }, 'DEFAULT')] }]);
  assert.throws(
    () => locateTaskRun(state, { frameworkId: 'fw', taskId: '../x' }),
    (e: unknown) => e instanceof TaskSandboxError && e.kind === 'invalid-id',
  );
});
