import type * as vscode from 'vscode';
import { isTerminalTaskState } from '../../core/cluster/taskStates';
import type { ClusterHandle } from '../clusters/clusterRegistry';
import type { SchedulerAccess } from '../scheduler/schedulerAccess';
import { refuseReadOnly } from './launchTasks';
import type { TaskCommandsDeps } from './taskCommandsDeps';

/** One task (or pending request) to kill. Without frameworkId it is one of the scheduler's own. */
export interface KillTarget {
  readonly cluster: string;
  /** A task id, or a pending request's id. */
  readonly taskId: string;
  readonly frameworkId?: string;
  readonly name?: string;
}

/**
 * How a kill ended, per cluster. killed: KILL sent (or pending requests dropped) · refused: read-only
 * cluster, or tasks of another framework that were not torn down · declined: not confirmed · tornDown: the
 * frameworks removed by operator TEARDOWN.
 */
export interface KillOutcome {
  readonly killed: readonly KillTarget[];
  readonly refused: readonly KillTarget[];
  readonly declined: readonly KillTarget[];
  readonly tornDown: readonly { readonly cluster: string; readonly frameworkId: string }[];
  /** What the user was told, in order. */
  readonly messages: readonly string[];
}

export const TEAR_DOWN = 'Tear Down Framework…';
const TEARDOWN_TIMEOUT_MS = 30_000;

/** Groups items by a key, keeping first-seen order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

function listed(targets: readonly KillTarget[]): string {
  const names = targets.map((t) => (t.name && t.name !== t.taskId ? `"${t.name}" (${t.taskId})` : t.taskId));
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

class KillRun {
  readonly outcome = {
    killed: [] as KillTarget[],
    refused: [] as KillTarget[],
    declined: [] as KillTarget[],
    tornDown: [] as { cluster: string; frameworkId: string }[],
    messages: [] as string[],
  };

  constructor(private readonly deps: TaskCommandsDeps) {}

  say(kind: 'info' | 'warning' | 'error', message: string, ...actions: string[]): Thenable<string | undefined> {
    this.outcome.messages.push(message);
    return this.deps.ui[kind](message, ...actions);
  }

  async cluster(cluster: string, targets: KillTarget[]): Promise<void> {
    const handle = this.deps.clusters.get(cluster);
    if (!handle) {
      this.outcome.refused.push(...targets);
      void this.say('error', `There is no cluster "${cluster}" in mesos.clusters any more; nothing was killed there.`);
      return;
    }
    if (handle.config.readOnly) {
      this.outcome.refused.push(...targets);
      this.outcome.messages.push(
        refuseReadOnly(this.deps, cluster, `${listed(targets)} ${targets.length === 1 ? 'was' : 'were'} not killed`),
      );
      return;
    }
    const model = handle.current?.model;
    const live = targets.filter((t) => {
      const state = t.frameworkId !== undefined ? model?.task(t.frameworkId, t.taskId)?.state : undefined;
      return state === undefined || !isTerminalTaskState(state);
    });
    if (live.length < targets.length) {
      const ended = targets.filter((t) => !live.includes(t));
      void this.say('info', `${listed(ended)} ${ended.length === 1 ? 'has' : 'have'} ended already: nothing to kill.`);
    }
    if (live.length === 0) return;
    const access = this.deps.schedulers.forCluster(cluster);
    let ours = access.frameworkId;
    if (ours === undefined && live.some((t) => t.frameworkId !== undefined)) {
      // without our framework id a task of ours would look foreign, and TEARDOWN would be offered for it
      await access.ensureRunning();
      ours = access.frameworkId;
      if (ours === undefined) {
        this.outcome.refused.push(...live);
        void this.say(
          'error',
          `The scheduler of ${cluster} is not connected yet, so it cannot tell whether ${listed(live)} ${live.length === 1 ? 'is' : 'are'} its own. Try again in a moment.`,
        );
        return;
      }
    }
    const own = live.filter((t) => t.frameworkId === undefined || t.frameworkId === ours);
    const foreign = live.filter((t) => !own.includes(t));
    if (own.length > 0) await this.killOwn(handle, access, own);
    for (const [frameworkId, tasks] of groupBy(foreign, (t) => t.frameworkId!))
      await this.foreign(handle, frameworkId, tasks);
  }

  private async killOwn(handle: ClusterHandle, access: SchedulerAccess, targets: KillTarget[]): Promise<void> {
    const cluster = handle.name;
    if (handle.config.protected) {
      const choice = await this.deps.ui.confirm(
        `Kill ${targets.length === 1 ? listed(targets) : `${targets.length} tasks`} on the protected cluster "${cluster}"?`,
        targets.map((t) => t.name ?? t.taskId).join('\n'),
        'Kill',
      );
      if (choice !== 'Kill') {
        this.outcome.declined.push(...targets);
        return;
      }
    }
    this.deps.log.info(`killing ${targets.map((t) => t.taskId).join(', ')} on ${cluster}`);
    await access.kill(targets.map((t) => t.taskId));
    this.outcome.killed.push(...targets);
    void this.say('info', `Kill sent for ${listed(targets)} on ${cluster}.`);
  }

  /**
   * Mesos lets only the framework that launched a task kill it. What is left is the operator's TEARDOWN of
   * that whole framework, which is drastic: it is offered behind typing the framework's name.
   */
  private async foreign(handle: ClusterHandle, frameworkId: string, targets: KillTarget[]): Promise<void> {
    const cluster = handle.name;
    const framework = handle.current?.model.framework(frameworkId);
    const name = framework?.name || frameworkId;
    const choice = await this.deps.ui.confirm(
      `${listed(targets)} ${targets.length === 1 ? 'belongs' : 'belong'} to the framework "${name}", not to this editor's scheduler: Mesos lets only the framework that launched a task kill it.`,
      `What can be done from here is to tear down the whole framework "${name}" (${frameworkId}) with the operator API: EVERY task of it is killed, and its framework id can never be used again (it has to register anew). Do that only to a framework that is broken or abandoned.`,
      TEAR_DOWN,
    );
    if (choice !== TEAR_DOWN) {
      this.outcome.refused.push(...targets);
      return;
    }
    const typed = await this.deps.ui.input({
      title: `Tear down framework "${name}" on ${cluster}`,
      prompt: `Every task of "${name}" will be killed and the id ${frameworkId} can never be reused. Type the framework's name to confirm.`,
      placeHolder: name,
      ignoreFocusOut: true,
      validateInput: (text) => (text === name ? undefined : `Type "${name}" exactly to tear it down.`),
    });
    if (typed !== name) {
      this.outcome.declined.push(...targets);
      return;
    }
    const session = await handle.session();
    this.deps.log.warn(`tearing down framework ${frameworkId} (${name}) on ${cluster}`);
    try {
      await session.operator.teardown(frameworkId, AbortSignal.timeout(TEARDOWN_TIMEOUT_MS));
    } catch (err) {
      this.deps.log.error(`TEARDOWN of ${frameworkId} on ${cluster} failed`, err);
      this.outcome.refused.push(...targets);
      void this.say('error', `Could not tear down "${name}" on ${cluster}: ${(err as Error).message}`, 'Show Log').then(
        (c) => c === 'Show Log' && this.deps.showLog(),
      );
      return;
    }
    this.outcome.tornDown.push({ cluster, frameworkId });
    this.outcome.killed.push(...targets);
    void this.say('info', `Framework "${name}" was torn down on ${cluster}: Mesos is killing its tasks.`);
  }
}

/** Kills the targets, cluster by cluster: see KillRun for the rules. */
export async function killTargets(deps: TaskCommandsDeps, targets: readonly KillTarget[]): Promise<KillOutcome> {
  const run = new KillRun(deps);
  for (const [cluster, group] of groupBy(targets, (t) => t.cluster)) await run.cluster(cluster, group);
  return run.outcome;
}

/** The palette's picker: this editor's scheduler tasks and pending requests, on every writable cluster. */
export async function pickKillTargets(deps: TaskCommandsDeps): Promise<KillTarget[] | undefined> {
  const writable = deps.clusters.clusters.filter((c) => !c.config.readOnly);
  if (deps.clusters.clusters.length === 0) {
    void deps.ui.info('No Mesos cluster is configured, so there is nothing to kill.');
    return undefined;
  }
  if (writable.length === 0) {
    void deps.ui.info('Every configured cluster is read-only: nothing can be killed from here.');
    return undefined;
  }
  type Item = vscode.QuickPickItem & { target: KillTarget };
  const items: Item[] = [];
  for (const handle of writable) {
    for (const t of deps.schedulers.forCluster(handle.name).tasks()) {
      if (t.state !== 'PENDING' && isTerminalTaskState(t.state)) continue;
      const pending = t.state === 'PENDING';
      items.push({
        label: t.name,
        description: `${pending ? 'waiting for an offer' : t.state}${t.hostname ? ` · ${t.hostname}` : ''}${writable.length > 1 ? ` · ${handle.name}` : ''}`,
        detail: pending ? t.requestId : t.taskId,
        target: { cluster: handle.name, taskId: pending ? t.requestId : t.taskId, name: t.name },
      });
    }
  }
  if (items.length === 0) {
    void deps.ui.info(
      "This editor's scheduler has no tasks to kill. Tasks of other frameworks: right-click them in the Mesos views.",
    );
    return undefined;
  }
  const chosen = await deps.ui.pickMany(items, {
    placeHolder: 'Kill which tasks? (pending requests are dropped)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen && chosen.length > 0 ? chosen.map((i) => i.target) : undefined;
}
