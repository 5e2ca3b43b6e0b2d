import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CommandSpec } from '../../../src/sandbox/mesos/agent/commandSpec';
import { TaskKilledBeforeStartError, TaskProcess } from '../../../src/sandbox/mesos/agent/taskProcess';
import { processAlive } from '../../support/processAlive';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ops-task-'));
  dirs.push(dir);
  return dir;
}

function shell(value: string, environment: Record<string, string> = {}): CommandSpec {
  return { shell: true, value, arguments: [], environment, uris: [] };
}


test('a shell command that exits 0 is TASK_FINISHED, with stdout and stderr in the sandbox', async () => {
  const dir = sandbox();
  const task = new TaskProcess(shell('echo out; echo err >&2; echo "$GREETING $MESOS_SANDBOX"', { GREETING: 'hi' }), dir);
  await task.start();
  const exit = await task.exit;
  assert.deepEqual(exit, { state: 'TASK_FINISHED', message: 'Command exited with status 0', exitCode: 0, signal: null });
  assert.equal(readFileSync(join(dir, 'stdout'), 'utf8'), `out\nhi ${dir}\n`);
  assert.equal(readFileSync(join(dir, 'stderr'), 'utf8'), 'err\n');
});

test('a non-zero exit is TASK_FAILED with the status in the message, as the command executor says it', async () => {
  const task = new TaskProcess(shell('echo protobuf; exit 3'), sandbox());
  await task.start();
  const exit = await task.exit;
  assert.equal(exit.state, 'TASK_FAILED');
  assert.equal(exit.message, 'Command exited with status 3');
});

test('the argv form execs value with arguments, argv[0] included', async () => {
  const dir = sandbox();
  const task = new TaskProcess({ shell: false, value: '/bin/echo', arguments: ['echo', 'a b', 'c'], environment: {}, uris: [] }, dir);
  await task.start();
  assert.equal((await task.exit).state, 'TASK_FINISHED');
  assert.equal(readFileSync(join(dir, 'stdout'), 'utf8'), 'a b c\n');
});

test('a command that cannot be executed fails to start and reports TASK_FAILED', async () => {
  const task = new TaskProcess({ shell: false, value: '/nonexistent/binary', arguments: ['x'], environment: {}, uris: [] }, sandbox());
  await assert.rejects(task.start(), /ENOENT/);
  const exit = await task.exit;
  assert.equal(exit.state, 'TASK_FAILED');
  assert.match(exit.message, /Failed to launch command/);
});

test('kill sends SIGTERM to the whole group: the task is TASK_KILLED and no child survives', async () => {
  const dir = sandbox();
  const task = new TaskProcess(shell('sleep 300 & echo $! > child.pid; wait'), dir);
  await task.start();
  let childPid = 0;
  for (let i = 0; i < 100 && !childPid; i++) {
    await new Promise((r) => setTimeout(r, 20));
    try {
      childPid = Number(readFileSync(join(dir, 'child.pid'), 'utf8'));
    } catch {
      // not written yet
    }
  }
  assert.ok(childPid > 0 && processAlive(childPid), 'the background child should be running');
  const exit = await task.kill(5_000);
  assert.equal(exit.state, 'TASK_KILLED');
  assert.equal(exit.message, 'Command terminated with signal Terminated');
  for (let i = 0; i < 50 && processAlive(childPid); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(processAlive(childPid), false, 'the shell\'s child must die with the task');
});

test('a task that ignores SIGTERM is SIGKILLed after the grace period', async () => {
  const task = new TaskProcess(shell("trap '' TERM; echo ready; while :; do sleep 0.05; done"), sandbox());
  await task.start();
  await new Promise((r) => setTimeout(r, 100));
  const exit = await task.kill(200);
  assert.equal(exit.state, 'TASK_KILLED');
  assert.equal(exit.signal, 'SIGKILL');
  assert.equal(exit.message, 'Command terminated with signal Killed');
});

test('kill is idempotent and kill after exit returns the same exit', async () => {
  const task = new TaskProcess(shell('exit 0'), sandbox());
  await task.start();
  const first = await task.exit;
  assert.equal(await task.kill(0), first);
  assert.equal(first.state, 'TASK_FINISHED');
});

test('a kill before start() is remembered: start() rejects, the exit is TASK_KILLED and the command never runs', async () => {
  const dir = sandbox();
  const task = new TaskProcess(shell('echo $$ > ran.pid; exec sleep 300'), dir);
  try {
    const killed = task.kill(3000);
    await assert.rejects(task.start(), TaskKilledBeforeStartError);
    const exit = await killed;
    assert.equal(exit.state, 'TASK_KILLED');
    assert.equal(exit.signal, null);
    assert.equal(task.pid, undefined, 'nothing was spawned');
    assert.equal(existsSync(join(dir, 'ran.pid')), false, 'the command never ran');
  } finally {
    await task.kill(0);
  }
});

test('a kill while start() is still opening its logs (before the spawn) is remembered likewise', async () => {
  const dir = sandbox();
  const task = new TaskProcess(shell('echo $$ > ran.pid; exec sleep 300'), dir);
  try {
    const starting = task.start();
    const killed = task.kill(0);
    await assert.rejects(starting, TaskKilledBeforeStartError);
    assert.equal((await killed).state, 'TASK_KILLED');
    assert.equal(task.pid, undefined, 'nothing was spawned');
    assert.equal(existsSync(join(dir, 'ran.pid')), false, 'the command never ran');
  } finally {
    await task.kill(0);
  }
});

test('a sandbox where the logs cannot be opened fails the start and still settles the exit', { timeout: 5000 }, async () => {
  const task = new TaskProcess(shell('true'), join(sandbox(), 'missing'));
  await assert.rejects(task.start(), /ENOENT/);
  const exit = await task.exit;
  assert.equal(exit.state, 'TASK_FAILED');
  assert.match(exit.message, /Failed to launch command/);
});
