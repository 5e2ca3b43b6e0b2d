import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { FrameworkInfo, TaskInfo, TaskStatus } from '../../../src/core/mesos/codec';
import { SandboxAgent } from '../../../src/sandbox/mesos/agent/sandboxAgent';
import type { StatusSink } from '../../../src/sandbox/mesos/master/agentRuntime';
import { processAlive } from '../../support/processAlive';
import { until } from '../../support/until';

// The moment between TASK_STARTING and the spawn of the task's process: a KILL, a framework shutdown or a
// stop that lands there must still end the task, and no process may be left running. The sink below
// reacts to TASK_STARTING synchronously, which is exactly that moment.

const FRAMEWORK: FrameworkInfo = { id: { value: 'fw-1' }, user: 'root', name: 'launch-kill' };

/** Records every update the agent sends and acknowledges each one a tick later, as the master would. */
class AckingSink implements StatusSink {
  readonly statuses: TaskStatus[] = [];
  onStatus: (status: TaskStatus) => void = () => undefined;
  agent: SandboxAgent | undefined;

  statusUpdate(_agentId: string, frameworkId: string, status: TaskStatus): void {
    if (this.statuses.some((s) => s.uuid === status.uuid)) return; // a retry
    this.statuses.push(status);
    this.onStatus(status);
    setImmediate(() => this.agent?.acknowledge(frameworkId, status.task_id.value, status.uuid!));
  }

  states(): string[] {
    return this.statuses.map((s) => s.state);
  }
}

let workDir: string;
let sink: AckingSink;
let agent: SandboxAgent;

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'mesos-ops-launch-kill-'));
  sink = new AckingSink();
  agent = new SandboxAgent('agent-1', sink, { workDir, statusRetryMs: 60_000, defaultGracePeriodMs: 0 });
  sink.agent = agent;
});

afterEach(async () => {
  await agent.stop();
  for (const task of [...agent.tasks.values(), ...agent.completed]) await task.process?.kill(0);
  rmSync(workDir, { recursive: true, force: true });
});

function pidFile(): string {
  return join(workDir, 'ran.pid');
}

function sleeper(id: string, capabilities: FrameworkInfo['capabilities'] = []): [FrameworkInfo, TaskInfo] {
  const info: TaskInfo = {
    name: id,
    task_id: { value: id },
    agent_id: { value: 'agent-1' },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: '*' }],
    command: { value: `echo $$ > ${pidFile()}; exec sleep 300` },
  };
  return [{ ...FRAMEWORK, capabilities }, info];
}

/** Pids of the task's command if it ever ran and is still alive. */
function survivors(): number[] {
  if (!existsSync(pidFile())) return [];
  return readFileSync(pidFile(), 'utf8').trim().split('\n').map(Number).filter(processAlive);
}

test('a KILL between TASK_STARTING and the spawn ends the task TASK_KILLED and its command never runs', async () => {
  sink.onStatus = (s) => {
    if (s.state === 'TASK_STARTING') agent.kill('fw-1', 'early');
  };
  agent.launch(...sleeper('early', [{ type: 'TASK_KILLING_STATE' }]));
  await until(() => sink.states().includes('TASK_KILLED'), 'TASK_KILLED', 5000);
  assert.deepEqual(sink.states(), ['TASK_STARTING', 'TASK_KILLING', 'TASK_KILLED']);
  const killed = sink.statuses.at(-1)!;
  assert.equal(killed.reason, 'REASON_TASK_KILLED_DURING_LAUNCH');
  assert.equal(agent.completed.find((t) => t.info.task_id.value === 'early')?.state, 'TASK_KILLED');
  await agent.stop();
  assert.deepEqual(survivors(), [], 'no process of the task is left');
  assert.equal(existsSync(pidFile()), false, 'the command never ran');
});

test('a framework shutdown between TASK_STARTING and the spawn leaves no process, and the task ends TASK_KILLED', async () => {
  sink.onStatus = (s) => {
    if (s.state === 'TASK_STARTING') agent.shutdownFramework('fw-1');
  };
  agent.launch(...sleeper('torn-down'));
  const task = () => agent.completed.find((t) => t.info.task_id.value === 'torn-down');
  await until(() => task()?.state === 'TASK_KILLED' || existsSync(pidFile()), 'the task to end or its command to run', 5000);
  await agent.stop();
  assert.deepEqual(survivors(), [], 'no process of the task is left after stop()');
  assert.equal(existsSync(pidFile()), false, 'the command never ran');
  assert.equal(task()?.state, 'TASK_KILLED');
  assert.deepEqual(sink.states(), ['TASK_STARTING'], 'nothing is sent for a framework that is gone');
});

test('stop() between TASK_STARTING and the spawn returns with no process left', async () => {
  let stopping: Promise<void> | undefined;
  sink.onStatus = (s) => {
    if (s.state === 'TASK_STARTING') stopping = agent.stop();
  };
  agent.launch(...sleeper('stopped'));
  await until(() => stopping !== undefined, 'TASK_STARTING', 5000);
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([
    stopping!.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5000))),
  ]);
  clearTimeout(timer);
  assert.equal(stopped, true, 'stop() returned');
  assert.deepEqual(survivors(), [], 'no process of the task is left after stop()');
  assert.equal(existsSync(pidFile()), false, 'the command never ran');
  assert.equal(agent.tasks.get('fw-1/stopped')?.state, 'TASK_KILLED');
});
