import { SandboxFileFollower } from '../core/mesos/files/sandboxFileFollower';
import { resolveTaskSandbox, sandboxFilePath } from '../core/mesos/files/taskSandbox';
import { findTask } from '../core/mesos/operator/findTask';
import type { CliContext } from './cliCommand';
import { withClusterClients } from './clusterClients';
import type { MasterOptionValues } from './masterOptions';

export interface TaskFileRequest {
  /** A task id or a unique prefix of one. */
  readonly taskId: string;
  readonly frameworkId?: string;
  /** A path inside the sandbox: stdout, stderr, or any file the task wrote. */
  readonly file: string;
  /** How much of the end of the file to print first. */
  readonly tailBytes: number;
  /** Keep printing what the task writes, until Ctrl-C. */
  readonly follow: boolean;
  readonly pollMs: number;
  /** Names the command in the note about a truncated file. */
  readonly commandName: string;
}

/** What `tail` and `logs` share: find the task's sandbox, print the end of one file, and follow it if asked. */
export async function followTaskFile(
  ctx: CliContext,
  values: MasterOptionValues,
  request: TaskFileRequest,
): Promise<number> {
  return withClusterClients(values, ctx.log, async (clients) => {
    const located = await findTask(clients.operator, request.taskId, ctx.signal, request.frameworkId);
    const sandbox = resolveTaskSandbox(located.task, located.agent);
    const follower = new SandboxFileFollower({
      client: clients.agentFiles(sandbox.agentUrl),
      path: sandboxFilePath(sandbox.path, request.file),
      tailBytes: request.tailBytes,
      pollMs: request.pollMs,
      onData: (data) => ctx.stdout.write(data),
      onTruncated: () =>
        ctx.stderr.write(`mesos-ops ${request.commandName}: ${request.file} was truncated; following from its start\n`),
    });
    if (request.follow) await follower.follow(ctx.signal);
    else await follower.drain(ctx.signal);
    return 0;
  });
}
