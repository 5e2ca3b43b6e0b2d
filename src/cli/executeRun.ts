import type { WireEncoding } from '../core/mesos/codec';
import type { MasterConnection } from '../core/mesos/connection/masterConnection';
import { FileSchedulerStore } from '../core/scheduler/fileSchedulerStore';
import { frameworkInfoFor } from '../core/scheduler/frameworkInfoFor';
import { restoreSchedulerState } from '../core/scheduler/schedulerSnapshot';
import { MemorySchedulerStore, type SchedulerStore } from '../core/scheduler/schedulerStore';
import { CliUsageError, type CliContext } from './cliCommand';
import type { ExecutePlan } from './executePlan';
import { SchedulerTaskSession, type TaskEnd } from './schedulerTaskSession';
import { within } from './within';

/** After Ctrl-C, how long the task gets to report its end before TEARDOWN makes Mesos kill it anyway. */
const INTERRUPT_WAIT_MS = 30_000;

/**
 * One `mesos-ops execute`: a fresh framework, one task, its progress printed, then TEARDOWN so nothing is
 * left behind. Resolves to the exit code: 0 only for TASK_FINISHED.
 */
export async function runExecute(
  ctx: CliContext,
  plan: ExecutePlan,
  connection: MasterConnection,
  encoding: WireEncoding,
): Promise<number> {
  const store: SchedulerStore = plan.stateFile ? new FileSchedulerStore(plan.stateFile) : new MemorySchedulerStore();
  if (plan.stateFile) await startAfresh(store, plan.stateFile);
  const session = new SchedulerTaskSession(
    ctx,
    {
      connection,
      frameworkInfo: frameworkInfoFor(plan.framework),
      store,
      encoding,
      // an offer that did not fit comes back after a few seconds, not the default two minutes
      options: { refuseSeconds: 5 },
    },
    plan.request.id,
    plan.json,
  );
  const problem = await session.start(plan.timeoutMs);
  if (problem !== undefined) return finish(ctx, session, { final: false, message: problem });

  const timers: NodeJS.Timeout[] = [];
  let killAfterSet = false;
  session.onRunning((taskId) => {
    if (plan.killAfterMs === undefined || killAfterSet) return;
    killAfterSet = true;
    timers.push(
      setTimeout(() => {
        session.report.note(`kill-after: killing task ${taskId} after ${plan.killAfterMs! / 1000} s of TASK_RUNNING`, {
          taskId,
        });
        session.driver.kill(taskId);
      }, plan.killAfterMs),
    );
  });
  session.driver.launch([plan.request]);
  timers.push(
    setTimeout(() => {
      if (session.taskId !== undefined) return;
      const why =
        session.report.unmatchedReason ?? 'no offers arrived (are there agents with free resources for this role?)';
      session.settle({ final: false, message: `no offer fitted within ${plan.timeoutMs / 1000} s: ${why}` });
    }, plan.timeoutMs),
  );
  try {
    const waited = await within(session.ended, undefined, ctx.signal);
    const end = waited.kind === 'done' ? waited.value : await interrupt(session, plan);
    return await finish(ctx, session, end);
  } finally {
    for (const t of timers) clearTimeout(t);
  }
}

/** Ctrl-C: kill the task (or withdraw the request), wait for its end, and let TEARDOWN do the rest. */
async function interrupt(session: SchedulerTaskSession, plan: ExecutePlan): Promise<TaskEnd> {
  const taskId = session.taskId;
  session.report.note(
    taskId !== undefined
      ? `interrupted: killing task ${taskId}, then tearing the framework down (Ctrl-C again quits at once)`
      : 'interrupted: withdrawing the request, then tearing the framework down',
    taskId !== undefined ? { taskId } : {},
  );
  session.driver.kill(taskId ?? plan.request.id);
  const waited = await within(session.ended, INTERRUPT_WAIT_MS);
  if (waited.kind === 'done') return waited.value;
  return {
    final: false,
    ...(taskId !== undefined && { taskId }),
    message: `task ${taskId ?? plan.request.id} did not report its end within ${INTERRUPT_WAIT_MS / 1000} s of the kill; the teardown makes Mesos kill it`,
  };
}

async function finish(ctx: CliContext, session: SchedulerTaskSession, end: TaskEnd): Promise<number> {
  const frameworkId = session.driver.frameworkId;
  const tornDown = await session.stop(true);
  if (tornDown) session.report.note(`framework ${frameworkId ?? '?'} torn down`, { frameworkId });
  const code = end.state === 'TASK_FINISHED' ? 0 : 1;
  session.report.exit(code, {
    ...(end.taskId !== undefined && { taskId: end.taskId }),
    ...(end.state !== undefined && { state: end.state }),
    ...(end.message !== undefined && { message: end.message }),
    ...(frameworkId !== undefined && { frameworkId }),
  });
  if (end.message !== undefined) ctx.stderr.write(`mesos-ops execute: ${end.message}\n`);
  return code;
}

/**
 * A state file is this run's alone: one that still tracks a task from an earlier run (its process died with
 * the task running) is refused rather than overwritten, since overwriting would lose the only way to kill it.
 */
async function startAfresh(store: SchedulerStore, path: string): Promise<void> {
  const { state } = restoreSchedulerState(await store.load());
  const live = [...Object.keys(state.tasks), ...state.pending.map((p) => p.id)];
  if (live.length > 0) {
    throw new CliUsageError(
      `the state file ${path} still tracks ${live.join(', ')} of framework ${state.frameworkId ?? '?'} from an earlier run, which may still be running. ` +
        `Kill it with 'mesos-ops kill --state-file ${path} ${live[0]!}', or remove the file if it is gone.`,
      1,
    );
  }
  await store.save({ version: 1, pending: [], tasks: [], attempts: {} });
}
