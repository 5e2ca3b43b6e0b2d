import { isTerminalTaskState } from '../../core/cluster/taskStates';
import { findTask } from '../../core/mesos/operator/findTask';
import { FileSchedulerStore } from '../../core/scheduler/fileSchedulerStore';
import { restoreSchedulerState } from '../../core/scheduler/schedulerSnapshot';
import { CliUsageError, type CliCommand, type CliContext } from '../cliCommand';
import { withClusterClients, type ClusterClients } from '../clusterClients';
import { frameworkRecordOf, type FrameworkRecord } from '../frameworkRecord';
import { MASTER_USAGE, wireEncoding, type MasterOptionValues } from '../masterOptions';
import { numberOption } from '../numberOption';
import { parseTaskArgs } from '../parseTaskArgs';
import { SchedulerTaskSession } from '../schedulerTaskSession';
import { TaskProgressReport } from '../taskProgressReport';
import { within } from '../within';
import { requestIdOf } from '../../core/scheduler/taskId';

const USAGE = `Usage: mesos-ops kill [--framework ID] [cluster options] TASK --state-file PATH [--force]
       mesos-ops kill [--framework ID] [cluster options] TASK --teardown-framework --yes

Kills a task. Mesos lets only the task's own framework kill it (through its scheduler), so:

  --state-file PATH     the task's framework is one of ours and PATH is its state file (written by
                        'mesos-ops execute --state-file PATH', or by the autoscaler daemon): fail over to
                        that framework with the saved id, KILL the task, print its status updates until it
                        ends. Then the framework is torn down if it has nothing else to run, or left
                        registered (for its failover timeout) for its own scheduler to come back to.
  --force               with --state-file: also when a scheduler holds the framework right now (e.g. the
                        'mesos-ops execute' that launched the task); that scheduler is displaced and stops
  --teardown-framework  any framework: an operator TEARDOWN of the task's whole framework, which kills
                        every task it runs. Needs --yes.

Without either, kill finds the task, says whose it is, and changes nothing. TASK is a task id or a unique
prefix of one. Exit status: 0 once the task ended (or had already); 1 if it could not be killed; 2 for a
usage error.

Options:
  --framework ID        the task's framework, when the id is not unique
  --timeout SECONDS     how long to wait for the subscription, then for the task's end (default 60)
  --json                status updates as JSON lines

${MASTER_USAGE}`;

interface KillValues extends MasterOptionValues {
  framework?: string;
  'state-file'?: string;
  force?: boolean;
  'teardown-framework'?: boolean;
  yes?: boolean;
  timeout?: string;
  json?: boolean;
}

export const killCommand: CliCommand = {
  name: 'kill',
  summary: "kill a task through its framework's state file, or by tearing its framework down",
  usage: USAGE,
  async run(ctx) {
    const { values, taskId: taskQuery } = parseTaskArgs(
      ctx.argv,
      {
        'state-file': { type: 'string' },
        force: { type: 'boolean' },
        'teardown-framework': { type: 'boolean' },
        yes: { type: 'boolean' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
      },
      USAGE,
      { file: false, misuse: 'give one TASK' },
    );
    const stateFile = values['state-file'];
    if (stateFile !== undefined && values['teardown-framework'])
      throw new CliUsageError('give --state-file or --teardown-framework, not both');
    if (values.force && stateFile === undefined) throw new CliUsageError('--force goes with --state-file');
    const timeoutMs = numberOption(values.timeout, 'timeout', 60, { min: 0, max: 24 * 3600 }) * 1000;
    let frameworkId = values.framework;
    if (stateFile !== undefined) {
      const saved = restoreSchedulerState(await new FileSchedulerStore(stateFile).load()).state.frameworkId;
      if (saved === undefined) {
        throw new CliUsageError(
          `the state file ${stateFile} names no framework: the run that wrote it has ended and torn its framework down, so nothing of it is left to kill`,
          1,
        );
      }
      if (frameworkId !== undefined && frameworkId !== saved) {
        throw new CliUsageError(`--framework ${frameworkId} is not the framework of the state file (${saved})`);
      }
      frameworkId = saved;
    }
    return withClusterClients(values, ctx.log, async (clients) => {
      const located = await findTask(clients.operator, taskQuery, ctx.signal, frameworkId);
      const taskId = located.task.taskId;
      if (isTerminalTaskState(located.task.state)) {
        const report = new TaskProgressReport(ctx.stdout, values.json === true, () => located.task.frameworkId);
        report.note(`task ${taskId} already ended (${located.task.state}); nothing to kill`, {
          taskId,
          state: located.task.state,
        });
        report.exit(0, { taskId, state: located.task.state });
        return 0;
      }
      const fw = frameworkRecordOf(await clients.operator.getClusterState(ctx.signal), located.task.frameworkId);
      if (!fw)
        throw new Error(
          `task ${taskId} is ${located.task.state}, but its framework ${located.task.frameworkId} is no longer registered: Mesos ends its tasks`,
        );
      if (values['teardown-framework']) return teardownFramework(ctx, clients, fw, values);
      if (stateFile === undefined) throw new CliUsageError(notOursMessage(taskId, fw), 1);
      if (fw.connected && !values.force) {
        throw new CliUsageError(
          `framework ${fw.id} ('${fw.name}') is held by a running scheduler right now, probably the 'mesos-ops execute' that launched ${taskId}: ` +
            'Ctrl-C there kills the task. Or add --force to take the framework over from here (that scheduler then stops).',
          1,
        );
      }
      return killThroughFramework(ctx, clients, values, { taskId, fw, stateFile, timeoutMs });
    });
  },
};

function notOursMessage(taskId: string, fw: FrameworkRecord): string {
  return (
    `task ${taskId} belongs to framework ${fw.id} ('${fw.name}'). Mesos lets only that framework's scheduler kill it: ` +
    'kill it there, or, if the framework is one of ours, pass the state file it keeps (--state-file PATH from ' +
    "'mesos-ops execute' or the autoscaler daemon). Tearing the whole framework down kills it too, with every " +
    `other task of the framework (${fw.activeTasks} active): --teardown-framework --yes.`
  );
}

async function teardownFramework(
  ctx: CliContext,
  clients: ClusterClients,
  fw: FrameworkRecord,
  values: KillValues,
): Promise<number> {
  if (!values.yes) {
    throw new CliUsageError(
      `--teardown-framework kills every task of framework ${fw.id} ('${fw.name}'), ${fw.activeTasks} active, and removes the framework for good. Add --yes to do it.`,
    );
  }
  await clients.operator.teardown(fw.id, ctx.signal);
  const report = new TaskProgressReport(ctx.stdout, values.json === true, () => fw.id);
  report.note(`framework ${fw.id} ('${fw.name}') torn down: Mesos kills its ${fw.activeTasks} active task(s)`, {
    frameworkId: fw.id,
  });
  report.exit(0, { frameworkId: fw.id });
  return 0;
}

async function killThroughFramework(
  ctx: CliContext,
  clients: ClusterClients,
  values: KillValues,
  target: { taskId: string; fw: FrameworkRecord; stateFile: string; timeoutMs: number },
): Promise<number> {
  const { taskId, fw, stateFile, timeoutMs } = target;
  const store = new FileSchedulerStore(stateFile);
  const requestId = restoreSchedulerState(await store.load()).state.tasks[taskId]?.request.id ?? requestIdOf(taskId);
  const session = new SchedulerTaskSession(
    ctx,
    { connection: clients.connection, frameworkInfo: fw.info, store, encoding: wireEncoding(values) },
    requestId,
    values.json === true,
    taskId,
  );
  const problem = await session.start(timeoutMs);
  if (problem !== undefined) return fail(ctx, session.report, problem);
  let code = 1;
  let message: string | undefined;
  try {
    // a task the state file lost track of is adopted once reconciliation reports it
    const known = await within(untilKnown(session, taskId), timeoutMs, ctx.signal);
    if (known.kind === 'done' && !session.isEnded) session.driver.kill(taskId);
    const waited = known.kind === 'done' ? await within(session.ended, timeoutMs, ctx.signal) : known;
    if (waited.kind === 'done') {
      code = waited.value.final ? 0 : 1;
      message = waited.value.message;
    } else if (waited.kind === 'aborted') {
      message = 'interrupted before the task reported its end';
    } else {
      message =
        known.kind === 'done'
          ? `task ${taskId} did not report its end within ${timeoutMs / 1000} s of the kill`
          : `framework ${fw.id} did not report task ${taskId} within ${timeoutMs / 1000} s`;
    }
  } finally {
    const state = session.driver.state;
    const others = Object.keys(state.tasks).length + state.pending.length;
    // an execute framework has nothing left once its task is gone; a daemon's keeps its other work
    const tornDown = await session.stop(others === 0);
    if (tornDown)
      session.report.note(`framework ${fw.id} torn down: it has nothing else to run`, { frameworkId: fw.id });
    else if (others > 0)
      session.report.note(
        `framework ${fw.id} left registered for its own scheduler: it still answers for ${others} other task(s)`,
        { frameworkId: fw.id },
      );
  }
  if (message !== undefined) ctx.stderr.write(`mesos-ops kill: ${message}\n`);
  session.report.exit(code, { taskId, ...(message !== undefined && { message }) });
  return code;
}

function untilKnown(session: SchedulerTaskSession, taskId: string): Promise<void> {
  if (session.driver.state.tasks[taskId] !== undefined || session.isEnded) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = session.driver.onStateChange((state) => {
      if (state.tasks[taskId] === undefined && !session.isEnded) return;
      listener.dispose();
      resolve();
    });
    void session.ended.then(() => {
      listener.dispose();
      resolve();
    });
  });
}

function fail(ctx: CliContext, report: TaskProgressReport, message: string): number {
  ctx.stderr.write(`mesos-ops kill: ${message}\n`);
  report.exit(1, { message });
  return 1;
}
