import { resolveTaskSandbox, sandboxFilePath } from '../../core/mesos/files/taskSandbox';
import { findTask } from '../../core/mesos/operator/findTask';
import { CliUsageError, type CliCommand } from '../cliCommand';
import { withClusterClients } from '../clusterClients';
import { MASTER_OPTIONS, MASTER_USAGE } from '../masterOptions';
import { parseCommandArgs } from '../parseCommandArgs';

const USAGE = `Usage: mesos-ops cat [--framework ID] [cluster options] TASK [FILE]

Prints a file of a task's sandbox (default: stdout), like mesos-cat. TASK is a task id or a unique prefix
of one; FILE is a path inside the sandbox (stdout, stderr, or any file the task wrote).

${MASTER_USAGE}`;

export const catCommand: CliCommand = {
  name: 'cat',
  summary: "print a file of a task's sandbox (like mesos-cat)",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, { ...MASTER_OPTIONS, framework: { type: 'string' } }, USAGE, true);
    const [taskId, file = 'stdout', ...extra] = positionals;
    if (!taskId || extra.length) throw new CliUsageError(`give one TASK and at most one FILE\n\n${USAGE}`);
    return withClusterClients(values, ctx.log, async (clients) => {
      const located = await findTask(clients.operator, taskId, ctx.signal, values.framework);
      const sandbox = resolveTaskSandbox(located.task, located.agent);
      const files = clients.agentFiles(sandbox.agentUrl);
      const path = sandboxFilePath(sandbox.path, file);
      for (let offset = 0; ; ) {
        const chunk = await files.read(path, offset, { signal: ctx.signal });
        if (chunk.data.length === 0) break;
        ctx.stdout.write(chunk.data);
        offset = chunk.offset + chunk.data.length;
      }
      return 0;
    });
  },
};
