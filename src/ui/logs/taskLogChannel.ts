import * as vscode from 'vscode';
import { taskKey } from '../../core/cluster/clusterNodes';
import type { ClusterSession } from '../../core/cluster/clusterSession';
import { isTerminalTaskState } from '../../core/cluster/taskStates';
import type { Logger } from '../../core/log/logSink';
import type { Endpoint } from '../../core/http/endpoint';
import type { SandboxFileFollower } from '../../core/mesos/files/sandboxFileFollower';
import { AppendCoalescer } from '../../core/util/appendCoalescer';
import { loadClusterRuntime } from '../clusters/loadClusterRuntime';

export type TaskLogStreams = 'stdout' | 'stderr' | 'both';

export interface TaskLogTarget {
  readonly clusterName: string;
  readonly frameworkId: string;
  readonly taskId: string;
}

export interface TaskLogChannelOptions {
  readonly target: TaskLogTarget;
  readonly streams: TaskLogStreams;
  readonly session: ClusterSession;
  /** Start with the last this-many bytes of each file. */
  readonly tailBytes: number;
  readonly pollMs: number;
  /** Credentials and trust for the agent: the cluster's, as agents usually share the master's. */
  readonly auth?: { principal: string; secret: string };
  readonly ca?: string;
  readonly insecure?: boolean;
  readonly log: Logger;
}

interface StreamFollow {
  readonly file: 'stdout' | 'stderr';
  readonly follower: SandboxFileFollower;
  readonly decoder: TextDecoder;
  /** With both files in one channel, text waits here until its line is complete, so lines do not mix. */
  partial: string;
}

/**
 * One followed task: an output channel that starts with the tail of the task's stdout and/or stderr,
 * grows as the files grow, and closes with a line when the task reaches a terminal state (after a last
 * read, so nothing written before the end is missed).
 */
export class TaskLogChannel implements vscode.Disposable {
  readonly channel: vscode.OutputChannel;
  private readonly coalescer: AppendCoalescer;
  private readonly controller = new AbortController();
  private readonly follows: StreamFollow[] = [];
  private endpoint: Endpoint | undefined;
  private modelSubscription: { dispose(): void } | undefined;
  private textSoFar = '';
  private finishing: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  private following: Promise<unknown> | undefined;
  private doneValue = false;
  private disposed = false;

  constructor(private readonly options: TaskLogChannelOptions) {
    const { target, streams, session } = options;
    const name = session.model.task(target.frameworkId, target.taskId)?.name || target.taskId;
    const which = streams === 'both' ? 'stdout+stderr' : streams;
    this.channel = vscode.window.createOutputChannel(`Mesos: ${name} (${which})`);
    this.coalescer = new AppendCoalescer({ write: (text) => this.channel.append(text) });
  }

  /** Everything appended so far (for tests and for the command's return value). */
  get text(): string {
    return this.textSoFar;
  }

  /** The task ended and its logs were read to the end, or following stopped on an error. */
  get done(): boolean {
    return this.doneValue;
  }

  /** Resolves when following has ended (task terminal, an error, or stop). */
  get finished(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  start(): void {
    this.running ??= this.run().catch((err: unknown) => this.fail(err));
  }

  private append(text: string): void {
    if (text === '' || this.disposed) return;
    this.textSoFar += text;
    this.coalescer.append(text);
  }

  private line(text: string): void {
    const follows = this.follows.filter((f) => f.partial !== '');
    for (const f of follows) {
      this.append(`${f.partial}\n`);
      f.partial = '';
    }
    if (this.textSoFar !== '' && !this.textSoFar.endsWith('\n')) this.append('\n');
    this.append(`${text}\n`);
  }

  private async run(): Promise<void> {
    const { target, session, streams } = this.options;
    const taskNode = session.model.task(target.frameworkId, target.taskId);
    if (!taskNode) throw new Error(`Task ${target.taskId} is not in the state of cluster ${target.clusterName}: refresh the cluster and try again`);
    const agentNode = session.model.agent(taskNode.agentId);
    const runtime = loadClusterRuntime();
    const sandbox = runtime.resolveTaskSandbox(
      {
        frameworkId: target.frameworkId,
        taskId: target.taskId,
        ...(taskNode.task.executor_id?.value ? { executorId: taskNode.task.executor_id.value } : {}),
        agentId: taskNode.agentId,
      },
      { ...(agentNode?.agent?.pid ? { pid: agentNode.agent.pid } : {}), hostname: agentNode?.info.hostname ?? agentNode?.hostname ?? '', ...(agentNode?.info.port ? { port: agentNode.info.port } : {}) },
    );
    const { auth, ca, insecure } = this.options;
    this.endpoint = new runtime.Endpoint({ baseUrl: sandbox.agentUrl, name: 'Mesos agent', ...(auth ? { auth } : {}), ...(ca ? { ca } : {}), ...(insecure ? { insecure } : {}), log: this.options.log });
    const client = new runtime.AgentFilesClient(this.endpoint);
    const files: ('stdout' | 'stderr')[] = streams === 'both' ? ['stdout', 'stderr'] : [streams];
    for (const file of files) {
      const state: { follow?: StreamFollow } = {};
      const follower = new runtime.SandboxFileFollower({
        client,
        path: runtime.sandboxFilePath(sandbox.path, file),
        tailBytes: this.options.tailBytes,
        pollMs: this.options.pollMs,
        onData: (data) => this.received(state.follow!, data),
        onTruncated: (from, size) => this.line(`— ${file} shrank from ${from} to ${size} bytes (rotated or truncated); following from its start —`),
        onRetry: (err, delay) => this.options.log.warn(`reading ${file} of task ${target.taskId} failed; retrying in ${delay} ms`, err),
      });
      state.follow = { file, follower, decoder: new TextDecoder('utf-8'), partial: '' };
      this.follows.push(state.follow);
    }
    this.modelSubscription = session.model.onDidChange((change) => {
      if (change.full || change.tasks.has(taskKey(target.frameworkId, target.taskId))) this.checkTerminal();
    });
    this.following = Promise.all(this.follows.map((f) => f.follower.follow(this.controller.signal)));
    this.checkTerminal();
    await this.following;
    await this.finishing;
  }

  private received(follow: StreamFollow, data: Uint8Array): void {
    const text = follow.decoder.decode(data, { stream: true });
    if (this.options.streams !== 'both') {
      this.append(text);
      return;
    }
    const all = follow.partial + text;
    const end = all.lastIndexOf('\n');
    follow.partial = all.slice(end + 1);
    if (end >= 0) this.append(all.slice(0, end + 1));
  }

  private checkTerminal(): void {
    if (this.finishing || this.disposed) return;
    const { target, session } = this.options;
    const task = session.model.task(target.frameworkId, target.taskId);
    if (!task || !isTerminalTaskState(task.state)) return;
    this.finishing = this.finish(task.state);
  }

  private async finish(state: string): Promise<void> {
    this.controller.abort();
    // a read in flight may still deliver: the last read starts after it, so nothing arrives twice
    await this.following?.catch(() => undefined);
    // a last read with its own signal: the files may have grown since the last poll
    const drain = new AbortController();
    const timer = setTimeout(() => drain.abort(), 30_000);
    try {
      for (const f of this.follows) {
        try {
          while ((await f.follower.drain(drain.signal)) > 0) {
            /* read on until the file is read to its end */
          }
        } catch (err) {
          this.line(`— could not read the rest of ${f.file}: ${(err as Error).message} —`);
        }
        const rest = f.decoder.decode();
        if (rest) this.received(f, new TextEncoder().encode(rest));
      }
    } finally {
      clearTimeout(timer);
    }
    this.line(`— task ${state}, log complete —`);
    this.stopFollowing();
  }

  private fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.options.log.warn(`following the logs of task ${this.options.target.taskId} stopped`, err);
    this.line(`— stopped following: ${message} —`);
    this.stopFollowing();
  }

  private stopFollowing(): void {
    this.doneValue = true;
    this.controller.abort();
    this.modelSubscription?.dispose();
    this.modelSubscription = undefined;
    this.coalescer.flush();
    const endpoint = this.endpoint;
    this.endpoint = undefined;
    void endpoint?.close();
  }

  /** Stops following and removes the channel. */
  dispose(): void {
    if (this.disposed) return;
    this.stopFollowing();
    this.disposed = true;
    this.coalescer.dispose();
    this.channel.dispose();
  }
}
