import type { CliCommand } from '../cliCommand';
import { DEFAULT_FRAMEWORK_NAME, EXECUTE_OPTIONS, executePlanOf, STATE_FILE_FAILOVER_SECONDS } from '../executePlan';
import { runExecute } from '../executeRun';
import { connectToMasters, MASTER_USAGE, wireEncoding } from '../masterOptions';
import { parseCommandArgs } from '../parseCommandArgs';

const USAGE = `Usage: mesos-ops execute --name NAME [options] [cluster options] --command LINE
       mesos-ops execute --name NAME [options] [cluster options] -- PROGRAM [ARG...]

Runs one task, like mesos-execute: registers a fresh framework, launches the task on the first offer that
fits, prints each scheduling decision and status update, and tears the framework down when the task ends,
so nothing is left behind. The task id is NAME.1. Ctrl-C kills the task, waits for its end, then tears the
framework down (a second Ctrl-C quits at once; Mesos then removes the framework and kills the task).

Exit status: 0 only if the task reached TASK_FINISHED; 1 if it ended otherwise (FAILED, KILLED, LOST,
ERROR, …), no offer fitted within --timeout, or the master could not be reached; 2 for a usage error.

Task:
  --name NAME            the task's name (required)
  --command LINE         a shell command line, run by /bin/sh -c
  -- PROGRAM ARG...      the command without a shell: every word after '--', the first is the program
  --argv WORD            the same, one --argv per word (write --argv=-c for a word that starts with '-')
  --cpus N               cpus to ask for (default 0.1)
  --mem MB               memory in MB (default 32)
  --disk MB              disk in MB (default: none asked for)
  --docker-image IMAGE   run the command in this image (a MESOS container with a docker image)
  --env NAME=VALUE       an environment variable for the task; repeat for more
  --role ROLE            the framework's role; the task may use resources reserved for it (default '*')
  --kill-after SECONDS   kill the task this long after it reached TASK_RUNNING

Framework:
  --framework-name NAME  the framework's name in the Mesos UI (default '${DEFAULT_FRAMEWORK_NAME}')
  --failover-timeout S   how long Mesos keeps the task if this process dies (default 0, like mesos-execute;
                         ${STATE_FILE_FAILOVER_SECONDS} with --state-file)
  --state-file PATH      keep the framework id and the task in PATH while the run lasts, so that
                         'mesos-ops kill --state-file PATH TASK' can kill the task from another shell, or
                         after this process died; the principal (--principal) is the framework's too

Output:
  --timeout SECONDS      how long to wait for the subscription, then for a fitting offer (default 60)
  --json                 one JSON object per line (event: decision, status, note, exit) instead of text

${MASTER_USAGE}`;

export const executeCommand: CliCommand = {
  name: 'execute',
  summary: 'run one task on the cluster and wait for its end (like mesos-execute)',
  usage: USAGE,
  async run(ctx) {
    const split = ctx.argv.indexOf('--');
    const options = split < 0 ? ctx.argv : ctx.argv.slice(0, split);
    const trailing = split < 0 ? [] : ctx.argv.slice(split + 1);
    const { values } = parseCommandArgs(options, EXECUTE_OPTIONS, USAGE);
    const plan = executePlanOf(values, trailing);
    const encoding = wireEncoding(values);
    const connection = connectToMasters(values, ctx.log);
    try {
      return await runExecute(ctx, plan, connection, encoding);
    } finally {
      await connection.close();
    }
  },
};
