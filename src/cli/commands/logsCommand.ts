import type { CliCommand } from '../cliCommand';
import { FOLLOW_OPTIONS, followTaskFile } from '../followTaskFile';
import { MASTER_USAGE } from '../masterOptions';
import { intOption } from '../options';
import { parseTaskArgs } from '../parseTaskArgs';

const USAGE = `Usage: mesos-ops logs [-f] [--stderr] [--tail BYTES] [--framework ID] [cluster options] TASK

Prints a task's output: its sandbox stdout (or stderr with --stderr) from the start, like \`docker logs\`.
With -f it keeps printing what the task writes, until Ctrl-C. TASK is a task id or a unique prefix of one;
give --framework when the same id ran under several frameworks (e.g. two \`mesos-ops execute\` runs of one
--name). The same as \`mesos-ops tail\`, with log-style defaults; use tail for other sandbox files.

Options:
  -f, --follow        keep following the output
  --stderr            the task's stderr instead of its stdout
  --tail BYTES        start with only the last BYTES of the output (default: all of it)
  --framework ID      the task's framework
  --interval MS       how often to look for new output when following (default 1000)

${MASTER_USAGE}`;

export const logsCommand: CliCommand = {
  name: 'logs',
  summary: "print a task's stdout or stderr from the start, and follow it with -f",
  usage: USAGE,
  async run(ctx) {
    const { values, taskId } = parseTaskArgs(
      ctx.argv,
      { ...FOLLOW_OPTIONS, stderr: { type: 'boolean' }, tail: { type: 'string' } },
      USAGE,
      { file: false, misuse: "give one TASK (use 'mesos-ops tail TASK FILE' for other sandbox files)" },
    );
    const tailBytes =
      values.tail === undefined ? Number.MAX_SAFE_INTEGER : intOption(values.tail, 'tail', 0, 0, 1 << 30);
    return followTaskFile(ctx, values, {
      taskId,
      file: values.stderr ? 'stderr' : 'stdout',
      tailBytes,
      commandName: 'logs',
    });
  },
};
