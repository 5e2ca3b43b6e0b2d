import type * as vscode from 'vscode';
import type { ClusterPage } from '../../core/cluster/clusterList';
import type { AgentNode } from '../../core/cluster/clusterNodes';
import type { ScalarResources } from '../../core/cluster/scalarResources';
import type { TaskDefinitionProblem } from '../../core/scheduler/taskDefinitionProblem';
import type { TaskRequest } from '../../core/scheduler/taskRequest';
import type { ClusterHandle } from '../clusters/clusterRegistry';
import type { SchedulerAccess, SchedulerWhere } from '../scheduler/schedulerAccess';
import { largerThanEveryAgent } from './agentFit';
import { LaunchTracker, type RequestProgress } from './launchTracker';
import type { TaskCommandsDeps } from './taskCommandsDeps';

/**
 * How a launch command ended. done: every request got running or ended (see results) · cancelled: the
 * user stopped waiting (or stopped before anything was sent) · refused: a read-only cluster · declined:
 * the user said no to a confirmation · not-sent: the scheduler could not take the requests · invalid: the
 * definition has problems · no-cluster: no cluster to launch on.
 */
export type LaunchStatus = 'done' | 'cancelled' | 'refused' | 'declined' | 'not-sent' | 'invalid' | 'no-cluster';

export interface LaunchOutcome {
  readonly status: LaunchStatus;
  readonly cluster?: string;
  /** Each request, where it ended (or was when waiting stopped). */
  readonly results: readonly RequestProgress[];
  /** What the user was told. */
  readonly message?: string;
  readonly problems?: readonly TaskDefinitionProblem[];
}

export const FOLLOW_LOGS = 'Follow Logs';
export const DROP_REQUEST = 'Drop Request';
export const SHOW_LOG = 'Show Log';
export const OPEN_SETTINGS = 'Open Settings';

const WAITING_FOR: Record<SchedulerWhere, string> = {
  here: 'Connecting the scheduler in this window…',
  stopped: 'Starting the scheduler in this window…',
  'other-window': 'Handing the request to the scheduler that runs in another window…',
  headless: 'Handing the request to the headless scheduler…',
};

/** The active agents' totals, when the cluster's state is loaded (empty otherwise). */
function agentTotals(handle: ClusterHandle): ScalarResources[] {
  const model = handle.current?.model;
  if (!model) return [];
  const totals: ScalarResources[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const page: ClusterPage<AgentNode> = model.page({ kind: 'agents', status: 'active' }, { offset });
    for (const agent of page.items) totals.push(agent.total);
    offset = page.nextOffset;
  }
  return totals;
}

function sizeOf(r: TaskRequest): string {
  return `${r.cpus} cpus, ${r.mem} MB mem${r.disk ? `, ${r.disk} MB disk` : ''}`;
}

function labelOf(requests: readonly TaskRequest[]): string {
  const names = [...new Set(requests.map((r) => r.name ?? r.id))];
  if (names.length === 1) return requests.length === 1 ? `"${names[0]}"` : `${requests.length} × "${names[0]}"`;
  return `${requests.length} tasks`;
}

/** The refusal a read-only cluster gets, with the way out. */
export function refuseReadOnly(deps: TaskCommandsDeps, cluster: string, what: string): string {
  const message = `Cluster "${cluster}" is read-only, so ${what}. To change it from here, set "readOnly": false for it in mesos.clusters.`;
  void deps.ui.error(message, OPEN_SETTINGS).then((choice) => {
    if (choice === OPEN_SETTINGS) void deps.runCommand('workbench.action.openSettings', 'mesos.clusters');
  });
  return message;
}

/**
 * Launches the requests on the cluster: refuses on a read-only cluster, asks first on a protected one (and
 * when no agent could ever hold a request), then shows progress until each request runs or fails.
 * Cancelling the progress stops the waiting, never the tasks.
 */
export async function launchOnCluster(
  deps: TaskCommandsDeps,
  cluster: string,
  requests: readonly TaskRequest[],
): Promise<LaunchOutcome> {
  const { ui, log } = deps;
  const handle = deps.clusters.get(cluster);
  if (!handle) {
    const names = deps.clusters.clusters.map((c) => `"${c.name}"`).join(', ');
    const message = `There is no cluster "${cluster}" in mesos.clusters${names ? ` (there are ${names})` : ''}; nothing was launched.`;
    void ui.error(message);
    return { status: 'no-cluster', cluster, results: [], message };
  }
  if (handle.config.readOnly)
    return { status: 'refused', cluster, results: [], message: refuseReadOnly(deps, cluster, 'nothing was launched') };

  const label = labelOf(requests);
  const totals = agentTotals(handle);
  const tooLarge = requests
    .map((r) => ({ r, why: largerThanEveryAgent(r, totals) }))
    .filter((x) => x.why !== undefined);
  if (tooLarge.length > 0) {
    const first = tooLarge[0]!;
    const choice = await ui.confirm(
      `"${first.r.name ?? first.r.id}" is larger than any agent of ${cluster}: it ${first.why}.`,
      'Launched anyway, it waits in the scheduler until a large enough agent joins the cluster.',
      'Launch Anyway',
    );
    if (choice !== 'Launch Anyway')
      return { status: 'declined', cluster, results: [], message: 'too large; not launched' };
  }
  if (handle.config.protected) {
    const detail = requests.map((r) => `${r.name ?? r.id} (${sizeOf(r)})`).join('\n');
    const choice = await ui.confirm(`Launch ${label} on the protected cluster "${cluster}"?`, detail, 'Launch');
    if (choice !== 'Launch') return { status: 'declined', cluster, results: [], message: 'not confirmed' };
  }

  const access = deps.schedulers.forCluster(cluster);
  const tracker = new LaunchTracker(requests);
  let sent = false;
  let sendError: Error | undefined;
  log.info(`launching ${requests.map((r) => r.id).join(', ')} on ${cluster} (scheduler: ${access.where})`);
  const status = await ui.progress(
    `Launching ${label} on ${cluster}`,
    (progress, token) =>
      new Promise<'done' | 'cancelled' | 'not-sent'>((resolve) => {
        const subscriptions: vscode.Disposable[] = [];
        let over = false;
        const end = (how: 'done' | 'cancelled' | 'not-sent') => {
          if (over) return;
          over = true;
          for (const s of subscriptions) s.dispose();
          resolve(how);
        };
        const changed = () => {
          progress.report({ message: tracker.message() });
          if (sent && tracker.settled) end('done');
        };
        // listening starts before the requests go out, so that no decision about them is missed
        subscriptions.push(
          access.onDecision((d) => {
            if (tracker.onDecision(d)) changed();
          }),
          access.onTaskUpdate((u) => {
            if (tracker.onTaskUpdate(u)) changed();
          }),
          token.onCancellationRequested(() => end('cancelled')),
        );
        void (async () => {
          progress.report({ message: WAITING_FOR[access.where] });
          await access.ensureRunning();
          // cancelled while the scheduler started: nothing has been sent, so nothing is launched
          if (over) return;
          progress.report({ message: 'Sending the request to the scheduler…' });
          await access.launch(requests);
          sent = true;
          changed();
        })().catch((err: unknown) => {
          sendError = err instanceof Error ? err : new Error(String(err));
          end('not-sent');
        });
      }),
  );

  const results = tracker.results();
  if (status === 'not-sent') {
    log.error(`launching on ${cluster} failed`, sendError);
    const message = `Could not launch ${label} on ${cluster}: ${sendError?.message ?? 'the scheduler did not take the request'}`;
    void ui.error(message, SHOW_LOG).then((c) => c === SHOW_LOG && deps.showLog());
    return { status, cluster, results, message };
  }
  if (status === 'cancelled') {
    const message = sent
      ? `Stopped waiting for ${label} on ${cluster}; the scheduler goes on with it (${tracker.message()}). "Mesos: Kill Task" stops it.`
      : `Cancelled before anything was sent: nothing was launched on ${cluster}.`;
    void ui.info(message);
    return { status, cluster, results, message };
  }
  return { status, cluster, results, message: reportResults(deps, cluster, access, results) };
}

/** The closing notification: running (with Follow Logs), or each failure with its reason. */
function reportResults(
  deps: TaskCommandsDeps,
  cluster: string,
  access: SchedulerAccess,
  results: readonly RequestProgress[],
): string {
  const follow = (p: RequestProgress | undefined) => {
    if (!p?.taskId || access.frameworkId === undefined) return undefined;
    return () =>
      deps.runCommand('mesos.followTaskLogs', {
        clusterName: cluster,
        frameworkId: access.frameworkId,
        taskId: p.taskId,
      });
  };
  const bad = results.filter((p) => p.phase !== 'running' && p.phase !== 'finished');
  if (bad.length === 0) {
    const first = results[0];
    const message =
      results.length === 1 && first
        ? first.phase === 'finished'
          ? `Task "${first.name}" ran and finished already on ${cluster} (${first.taskId ?? first.requestId}).`
          : `Task "${first.name}" is running on ${cluster} (${first.taskId ?? first.requestId}).`
        : `${results.length} tasks are running on ${cluster}: ${results.map((p) => p.taskId ?? p.requestId).join(', ')}.`;
    const followFirst = follow(first);
    void deps.ui.info(message, ...(followFirst ? [FOLLOW_LOGS] : [])).then((c) => c === FOLLOW_LOGS && followFirst?.());
    return message;
  }
  const lines = bad.map((p) => {
    switch (p.phase) {
      case 'rejected':
        return `The scheduler refused "${p.name}": ${p.reason ?? 'no reason given'}`;
      case 'too-large':
        return `"${p.name}" is larger than any agent of ${cluster} (${p.reason ?? 'no agent can hold it'}); it stays queued until one joins`;
      case 'removed':
        return `"${p.name}" was removed before it was placed`;
      default:
        return `"${p.name}" failed${p.taskId ? ` (${p.taskId})` : ''}: ${p.reason ?? p.state ?? 'no reason given'}`;
    }
  });
  const good = results.length - bad.length;
  const message = `${good > 0 ? `${good} of ${results.length} tasks are running on ${cluster}. ` : ''}${lines.join('. ')}.`;
  const followFailed = follow(bad.find((p) => p.taskId !== undefined));
  const tooLarge = bad.filter((p) => p.phase === 'too-large').map((p) => p.requestId);
  const actions = [...(followFailed ? [FOLLOW_LOGS] : []), ...(tooLarge.length > 0 ? [DROP_REQUEST] : []), SHOW_LOG];
  void deps.ui.error(message, ...actions).then((choice) => {
    if (choice === FOLLOW_LOGS) void followFailed?.();
    else if (choice === DROP_REQUEST) void access.kill(tooLarge);
    else if (choice === SHOW_LOG) deps.showLog();
  });
  return message;
}
