import { CliUsageError, type CliCommand } from '../cliCommand';
import { followTaskFile } from '../followTaskFile';
import { MASTER_OPTIONS, MASTER_USAGE } from '../masterOptions';
import { intOption } from '../options';
import { parseCommandArgs } from '../parseCommandArgs';

const USAGE = `Usage: mesos-ops tail [-f] [-c BYTES] [--framework ID] [cluster options] TASK [FILE]

Prints the end of a file of a task's sandbox (default: the last 4096 bytes of stdout), like mesos-tail.
With -f it keeps printing what the task writes, until Ctrl-C; a truncated file is followed from its start
again, and agent hiccups are ridden out.

Options:
  -f, --follow        keep following the file
  -c, --bytes BYTES   how much of the end to print first (default 4096)
  --interval MS       how often to look for new data when following (default 1000)

${MASTER_USAGE}`;

export const tailCommand: CliCommand = {
  name: 'tail',
  summary: "print the end of a task's sandbox file, and follow it with -f (like mesos-tail)",
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      ctx.argv,
      {
        ...MASTER_OPTIONS,
        framework: { type: 'string' },
        follow: { type: 'boolean', short: 'f' },
        bytes: { type: 'string', short: 'c' },
        interval: { type: 'string' },
      },
      USAGE,
      true,
    );
    const [taskId, file = 'stdout', ...extra] = positionals;
    if (!taskId || extra.length) throw new CliUsageError(`give one TASK and at most one FILE\n\n${USAGE}`);
    const tailBytes = intOption(values.bytes, 'bytes', 4096, 0, 1 << 30);
    const pollMs = intOption(values.interval, 'interval', 1000, 50, 3_600_000);
    return followTaskFile(ctx, values, {
      taskId,
      ...(values.framework !== undefined && { frameworkId: values.framework }),
      file,
      tailBytes,
      follow: values.follow === true,
      pollMs,
      commandName: 'tail',
    });
  },
};
