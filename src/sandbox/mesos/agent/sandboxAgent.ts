import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type {
  FrameworkInfo,
  KillPolicy,
  TaskInfo,
  TaskState,
  TaskStatus,
  TaskStatusReason,
  TaskStatusSource,
} from '../../../core/mesos/proto/generated/wireTypes';
import { isTerminalTaskState } from '../../../core/cluster/taskStates';
import type { AgentRuntime, StatusSink } from '../master/agentRuntime';
import type { CommandSpec } from './commandSpec';
import { fetchUris } from './uriFetcher';
import { TaskKilledBeforeStartError, TaskProcess } from './taskProcess';

export interface SandboxAgentOptions {
  /** The agent's --work_dir: sandboxes live under <workDir>/slaves/<agent-id>/… (reference §7.6). */
  readonly workDir: string;
  /** How often an unacknowledged status update is sent again (Mesos starts at 10 s). */
  readonly statusRetryMs?: number;
  /** Grace period between SIGTERM and SIGKILL when the task has no kill policy (the command executor's 3 s). */
  readonly defaultGracePeriodMs?: number;
  /** Whether DOCKER containers can run here; decided once at start (`docker info` answering). */
  readonly dockerAvailable?: boolean;
}

/** One task on this agent: its sandbox, its process and its status updates waiting for acknowledgement. */
export interface AgentTask {
  readonly frameworkId: string;
  readonly framework: FrameworkInfo;
  readonly info: TaskInfo;
  readonly executorId: string;
  readonly containerId: string;
  readonly directory: string;
  state: TaskState;
  process?: TaskProcess;
  killed: boolean;
  /** Updates not yet acknowledged, oldest first; only the head is sent (reference §2.8). */
  readonly pending: TaskStatus[];
  retryTimer?: NodeJS.Timeout;
  /** All statuses ever produced, for the agent's /state. */
  readonly statuses: TaskStatus[];
}


/** Whether a working docker is on this machine (the sandbox runs DOCKER tasks only then). */
export async function dockerWorks(): Promise<boolean> {
  try {
    await promisify(execFile)('docker', ['info'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * A sandbox agent: runs command tasks as local processes in per-task sandboxes laid out as Mesos lays them
 * out, and reports their status updates to the master the way a real agent does: STARTING, RUNNING, then
 * a terminal state, each stamped with a UUID and re-sent until acknowledged, the next one only after
 * the previous was acknowledged.
 */
export class SandboxAgent implements AgentRuntime {
  readonly tasks = new Map<string, AgentTask>(); // key: frameworkId/taskId
  readonly completed: AgentTask[] = [];
  readonly frameworks = new Map<string, FrameworkInfo>();
  private stopped = false;
  /** Tasks whose launch (sandbox, URI fetch, spawn) is under way, with the switch that aborts their fetch. */
  private readonly launching = new Map<AgentTask, AbortController>();
  /**
   * Every process this agent created that has not ended. stop() kills these, not the task table's: a task
   * can leave the table (framework shut down) while its process is still starting.
   */
  private readonly processes = new Set<TaskProcess>();
  /** Launches still running: stop() waits for them, so that no process can start after it returned. */
  private readonly runs = new Set<Promise<void>>();

  constructor(
    readonly id: string,
    private readonly sink: StatusSink,
    private readonly options: SandboxAgentOptions,
  ) {}

  /** Where this agent's sandboxes start. */
  get agentDir(): string {
    return join(this.options.workDir, 'slaves', this.id);
  }

  launch(framework: FrameworkInfo, info: TaskInfo): void {
    const frameworkId = framework.id?.value ?? '';
    const taskId = info.task_id.value;
    const containerId = randomUUID();
    const executorId = taskId; // the command executor's id is the task's (reference §5)
    const runs = join(this.agentDir, 'frameworks', frameworkId, 'executors', executorId, 'runs');
    const task: AgentTask = {
      frameworkId,
      framework,
      info,
      executorId,
      containerId,
      directory: join(runs, containerId),
      state: 'TASK_STAGING',
      killed: false,
      pending: [],
      statuses: [],
    };
    this.frameworks.set(frameworkId, framework);
    this.tasks.set(`${frameworkId}/${taskId}`, task);
    if (this.stopped) {
      this.killDuringLaunch(task);
      return;
    }
    const fetch = new AbortController();
    this.launching.set(task, fetch);
    const run: Promise<void> = this.run(task, runs, fetch.signal)
      .catch((err: unknown) => {
        this.update(task, 'TASK_FAILED', { reason: 'REASON_CONTAINER_LAUNCH_FAILED', message: `Failed to launch container: ${(err as Error).message}` });
      })
      .finally(() => {
        this.launching.delete(task);
        this.runs.delete(run);
      });
    this.runs.add(run);
  }

  private async run(task: AgentTask, runs: string, signal: AbortSignal): Promise<void> {
    await mkdir(task.directory, { recursive: true });
    await rm(join(runs, 'latest'), { force: true });
    await symlink(task.containerId, join(runs, 'latest'));
    const container = task.info.container;
    if (container && (container.type === 'DOCKER' || container.mesos?.image)) {
      if (!this.options.dockerAvailable) {
        this.update(task, 'TASK_FAILED', {
          reason: 'REASON_CONTAINER_LAUNCH_FAILED',
          message:
            'Failed to launch container: this sandbox agent has no working docker, so it cannot run container images. ' +
            'Launch the task without a container image, or install and start docker on this machine.',
        });
        return;
      }
    }
    const command = task.info.command!;
    const spec: CommandSpec = {
      shell: command.shell ?? true,
      value: command.value ?? '',
      arguments: command.arguments ?? [],
      environment: Object.fromEntries((command.environment?.variables ?? []).filter((v) => v.value !== undefined).map((v) => [v.name, v.value!])),
      uris: (command.uris ?? []).map((u) => ({ value: u.value, executable: u.executable ?? false, extract: u.extract ?? true, ...(u.output_file ? { outputFile: u.output_file } : {}) })),
    };
    try {
      await fetchUris(spec.uris, task.directory, signal);
    } catch (err) {
      if (signal.aborted) {
        this.killDuringLaunch(task); // killed while fetching; a no-op when kill() already said so
        return;
      }
      this.update(task, 'TASK_FAILED', {
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
        message: `Failed to launch container: Failed to fetch all URIs for container '${task.containerId}': ${(err as Error).message}`,
      });
      return;
    }
    if (task.killed || this.stopped || isTerminalTaskState(task.state)) {
      this.killDuringLaunch(task);
      return;
    }
    const dockerSpec = this.dockerized(task, spec);
    const proc = new TaskProcess(dockerSpec, task.directory, {
      MESOS_TASK_ID: task.info.task_id.value,
      MESOS_FRAMEWORK_ID: task.frameworkId,
      MESOS_AGENT_ID: this.id,
      MESOS_EXECUTOR_ID: task.executorId,
      MESOS_CONTAINER_ID: task.containerId,
      MESOS_DIRECTORY: task.directory,
    });
    this.processes.add(proc);
    void proc.exit.then(() => this.processes.delete(proc));
    task.process = proc;
    // The master may kill the task (or the framework) while this update is delivered: proc remembers it.
    this.update(task, 'TASK_STARTING', {});
    try {
      await proc.start();
    } catch (err) {
      const exit = await proc.exit;
      const reason = err instanceof TaskKilledBeforeStartError ? 'REASON_TASK_KILLED_DURING_LAUNCH' : 'REASON_EXECUTOR_TERMINATED';
      this.update(task, exit.state, { message: exit.message, reason });
      return;
    }
    this.update(task, 'TASK_RUNNING', {});
    const exit = await proc.exit;
    this.update(task, exit.state, { message: exit.message, ...(exit.state === 'TASK_FAILED' ? {} : {}) });
  }

  private dockerized(task: AgentTask, spec: CommandSpec): CommandSpec {
    const image = task.info.container?.docker?.image ?? task.info.container?.mesos?.image?.docker?.name;
    if (!image) return spec;
    const inner = spec.shell ? ['sh', '-c', spec.value] : spec.arguments.length ? spec.arguments : [spec.value];
    const env = Object.entries(spec.environment).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const args = ['docker', 'run', '--rm', '--name', `mesos-${task.containerId}`, '-v', `${task.directory}:/mnt/mesos/sandbox`, ...env, image, ...inner];
    return { ...spec, shell: false, value: 'docker', arguments: args };
  }

  kill(frameworkId: string, taskId: string, killPolicy?: KillPolicy): void {
    const task = this.tasks.get(`${frameworkId}/${taskId}`);
    if (!task || isTerminalTaskState(task.state)) return;
    const policy = killPolicy ?? task.info.kill_policy;
    const nanos = policy?.grace_period?.nanoseconds;
    const graceMs = nanos !== undefined ? Number(BigInt(nanos) / 1_000_000n) : (this.options.defaultGracePeriodMs ?? 3000);
    const first = !task.killed;
    task.killed = true;
    if (!task.process) {
      this.killDuringLaunch(task);
      return;
    }
    if (first && (task.framework.capabilities ?? []).some((c) => c.type === 'TASK_KILLING_STATE')) {
      this.update(task, 'TASK_KILLING', {});
    }
    void task.process.kill(graceMs);
  }

  acknowledge(frameworkId: string, taskId: string, uuid: string): boolean {
    const key = `${frameworkId}/${taskId}`;
    const task = this.tasks.get(key);
    const head = task?.pending[0];
    if (!task || !head || head.uuid !== uuid) return false;
    task.pending.shift();
    if (task.retryTimer) clearTimeout(task.retryTimer);
    task.retryTimer = undefined;
    if (task.pending.length > 0) this.sendHead(task);
    else if (isTerminalTaskState(task.state)) {
      this.tasks.delete(key);
      this.completed.push(task);
    }
    return true;
  }

  /**
   * Kills every task of the framework. The tasks leave the task table at once and nothing more is sent for
   * them (the framework is gone, nobody acknowledges); they still end TASK_KILLED in the agent's state.
   */
  shutdownFramework(frameworkId: string): void {
    for (const task of [...this.tasks.values()]) {
      if (task.frameworkId !== frameworkId) continue;
      task.killed = true;
      if (task.retryTimer) clearTimeout(task.retryTimer);
      task.retryTimer = undefined;
      task.pending.length = 0;
      this.tasks.delete(`${frameworkId}/${task.info.task_id.value}`);
      this.completed.push(task);
      if (task.process) void task.process.kill(0);
      else this.killDuringLaunch(task);
    }
  }

  /** Kills every process this agent started and returns once no launch is left that could start one. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const task of this.tasks.values()) {
      if (task.retryTimer) clearTimeout(task.retryTimer);
      task.retryTimer = undefined;
    }
    for (const fetch of this.launching.values()) fetch.abort();
    await Promise.all([...this.processes].map((proc) => proc.kill(0)));
    await Promise.all([...this.runs]);
  }

  /**
   * A task killed before its command was handed over (still fetching): it never starts. The Mesos agent
   * answers such a kill itself with this update, and destroys the container, fetcher included.
   */
  private killDuringLaunch(task: AgentTask): void {
    this.launching.get(task)?.abort();
    this.update(task, 'TASK_KILLED', {
      source: 'SOURCE_AGENT',
      reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
      message: 'Killed before delivery to the executor',
    });
  }

  /** Records a new state and queues its update; the head of the queue goes to the master. */
  private update(task: AgentTask, state: TaskState, extra: { message?: string; reason?: TaskStatusReason; source?: TaskStatusSource }): void {
    if (this.stopped && !isTerminalTaskState(state)) return;
    if (isTerminalTaskState(task.state)) return;
    task.state = state;
    const status: TaskStatus = {
      task_id: task.info.task_id,
      state,
      source: extra.source ?? 'SOURCE_EXECUTOR',
      agent_id: { value: this.id },
      executor_id: { value: task.executorId },
      timestamp: Date.now() / 1000,
      uuid: randomBytes(16).toString('base64'),
      container_status: {
        container_id: { value: task.containerId },
        ...(task.process?.pid !== undefined ? { executor_pid: task.process.pid } : {}),
      },
      ...(extra.message !== undefined ? { message: extra.message } : {}),
      ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
    };
    task.statuses.push(status);
    // A task that left the table with its framework is recorded, never sent: nobody would acknowledge it.
    if (this.tasks.get(`${task.frameworkId}/${task.info.task_id.value}`) !== task) return;
    task.pending.push(status);
    if (task.pending.length === 1) this.sendHead(task);
  }

  private sendHead(task: AgentTask): void {
    const head = task.pending[0];
    if (!head || this.stopped) return;
    this.sink.statusUpdate(this.id, task.frameworkId, head);
    task.retryTimer = setTimeout(() => this.sendHead(task), this.options.statusRetryMs ?? 10_000);
    task.retryTimer.unref();
  }
}
