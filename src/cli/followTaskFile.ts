import { SandboxFileFollower } from '../core/mesos/files/sandboxFileFollower';
import { resolveTaskSandbox, sandboxFilePath } from '../core/mesos/files/taskSandbox';
import { findTask } from '../core/mesos/operator/findTask';
import type { CliContext } from './cliCommand';
import { withClusterClients } from './clusterClients';
import type { MasterOptionValues } from './masterOptions';
import { intOption } from './options';

/** The options of a command that follows a task's file, beside the cluster options (parseArgs definitions). */
export const FOLLOW_OPTIONS = {
  follow: { type: 'boolean', short: 'f' },
  interval: { type: 'string' },
} as const;

export interface FollowOptionValues extends MasterOptionValues {
  /** The task's framework. */
  framework?: string;
  /** Keep printing what the task writes, until Ctrl-C. */
  follow?: boolean;
  /** Milliseconds between looks for new data when following. */
  interval?: string;
}

export interface TaskFileRequest {
  /** A task id or a unique prefix of one. */
  readonly taskId: string;
  /** A path inside the sandbox: stdout, stderr, or any file the task wrote. */
  readonly file: string;
  /** How much of the end of the file to print first. */
  readonly tailBytes: number;
  /** Names the command in the note about a truncated file. */
  readonly commandName: string;
}

/** What `tail` and `logs` share: find the task's sandbox, print the end of one file, and follow it if asked. */
export async function followTaskFile(
  ctx: CliContext,
  values: FollowOptionValues,
  request: TaskFileRequest,
): Promise<number> {
  const pollMs = intOption(values.interval, 'interval', 1000, 50, 3_600_000);
  return withClusterClients(values, ctx.log, async (clients) => {
    const located = await findTask(clients.operator, request.taskId, ctx.signal, values.framework);
    const sandbox = resolveTaskSandbox(located.task, located.agent);
    const follower = new SandboxFileFollower({
      client: clients.agentFiles(sandbox.agentUrl),
      path: sandboxFilePath(sandbox.path, request.file),
      tailBytes: request.tailBytes,
      pollMs,
      onData: (data) => ctx.stdout.write(data),
      onTruncated: () =>
        ctx.stderr.write(`mesos-ops ${request.commandName}: ${request.file} was truncated; following from its start\n`),
    });
    if (values.follow === true) await follower.follow(ctx.signal);
    else await follower.drain(ctx.signal);
    return 0;
  });
}
