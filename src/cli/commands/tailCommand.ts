import type { CliCommand } from '../cliCommand';
import { FOLLOW_OPTIONS, followTaskFile } from '../followTaskFile';
import { MASTER_USAGE } from '../masterOptions';
import { intOption } from '../options';
import { parseTaskArgs } from '../parseTaskArgs';

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
    const { values, taskId, file } = parseTaskArgs(
      ctx.argv,
      { ...FOLLOW_OPTIONS, bytes: { type: 'string', short: 'c' } },
      USAGE,
      { file: true, misuse: 'give one TASK and at most one FILE' },
    );
    const tailBytes = intOption(values.bytes, 'bytes', 4096, 0, 1 << 30);
    return followTaskFile(ctx, values, { taskId, file: file ?? 'stdout', tailBytes, commandName: 'tail' });
  },
};
