import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JenkinsClient } from '../core/jenkins/jenkinsClient';
import { MasterConnection } from '../core/mesos/connection/masterConnection';
import type { AutoscaleDecision } from '../core/scheduler/autoscaler/autoscaleDecision';
import { AutoscalerDriver } from '../core/scheduler/autoscaler/autoscalerDriver';
import { FileSchedulerStore } from '../core/scheduler/fileSchedulerStore';
import { frameworkInfoFor } from '../core/scheduler/frameworkInfoFor';
import type { LeaseInfo } from '../core/scheduler/lease/leaseInfo';
import { leaseKey } from '../core/scheduler/lease/leaseKey';
import { SchedulerLease } from '../core/scheduler/lease/schedulerLease';
import { schedulerLeasePaths } from '../core/scheduler/lease/schedulerLeasePaths';
import type { SchedulerDriver } from '../core/scheduler/schedulerDriver';
import { restoreSchedulerState } from '../core/scheduler/schedulerSnapshot';
import type { AutoscaleConfig } from './autoscaleConfig';
import { CliUsageError, type CliContext } from './cliCommand';
import { CliLogSink } from './cliLogSink';
import { CliScheduler } from './cliScheduler';
import { DecisionLineWriter } from './decisionLineWriter';
import { defaultStateDir } from './defaultStateDir';
import { readAutoscaleSecrets, type AutoscaleSecrets } from './readAutoscaleSecrets';
import { roundSummary } from './roundSummary';
import { within } from './within';

/** What `mesos-ops autoscale` was asked to do. */
export interface AutoscalePlan {
  readonly config: AutoscaleConfig;
  /** Append decisions here; stdout when absent. */
  readonly decisionsFile?: string;
  /** --dry-run (the config's autoscaler.dryRun counts too). */
  readonly dryRun: boolean;
  /** --once: subscribe, reconcile, one poll round in dry run, exit. */
  readonly once: boolean;
}

/** How long the master gets to accept the framework, and (with --once) to reconcile its tasks. */
const START_TIMEOUT_MS = 60_000;
/** The scheduler's state (framework id and tasks) in the cluster's folder of the state directory. */
const STATE_FILE = 'scheduler-state.json';
/** After a drain, how long the killed agents get to report their end before the scheduler stops. */
const DRAIN_WAIT_MS = 10_000;

interface Running {
  readonly ctx: CliContext;
  readonly plan: AutoscalePlan;
  readonly secrets: AutoscaleSecrets;
  readonly ca: string | undefined;
  readonly stateFile: string;
  readonly lease: SchedulerLease;
  readonly decisions: DecisionLineWriter;
  readonly say: (line: string) => void;
}

/**
 * The daemon: takes the cluster's scheduler lease in the state directory (so two daemons never run one
 * framework), subscribes the framework saved there (or a new one), runs the Jenkins autoscaler on it, and
 * writes each decision as a JSON line until SIGINT/SIGTERM. Then it stops the autoscaler (draining idle
 * agents if the config says so) before the scheduler, whose framework stays registered without a TEARDOWN
 * so the agents keep running and the next start takes them over. Resolves to the exit code: 0 after a
 * requested stop (or a --once round that worked), 1 when the cluster, Jenkins or the lease failed.
 */
export async function runAutoscale(ctx: CliContext, plan: AutoscalePlan): Promise<number> {
  const { config } = plan;
  const secrets = await readAutoscaleSecrets(config);
  const ca = config.cluster.caFile !== undefined ? await readCa(config.cluster.caFile) : undefined;
  const stateDir = config.scheduler.stateDir ?? defaultStateDir();
  const key = leaseKey(config.cluster.name);
  const paths = schedulerLeasePaths(stateDir, key);
  const say = (line: string) => void ctx.stderr.write(`mesos-ops autoscale: ${line}\n`);
  const decisions = DecisionLineWriter.open(plan.decisionsFile, ctx.stdout, say);
  const lease = SchedulerLease.open({
    dir: stateDir,
    key,
    ownerId: `autoscale-${process.pid}-${randomUUID().slice(0, 8)}`,
    where: 'headless',
    log: ctx.log.child('lease'),
  });
  try {
    await takeLease(lease, config.cluster.name, paths.lease);
    const stateFile = join(paths.root, STATE_FILE);
    return await run({ ctx, plan, secrets, ca, stateFile, lease, decisions, say });
  } finally {
    await lease.dispose();
    decisions.close();
  }
}

async function readCa(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliUsageError(
      `cannot read the CA file ${file} (cluster.caFile: ${code ?? (error as Error).message}): check the path and its permissions`,
    );
  }
}

async function takeLease(lease: SchedulerLease, cluster: string, file: string): Promise<void> {
  let acquired: boolean;
  try {
    acquired = await lease.tryAcquire();
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message} (the state directory: scheduler.stateDir)`, 1);
  }
  if (acquired) return;
  const holder = await lease.holder().catch(() => undefined);
  throw new CliUsageError(
    `the scheduler of cluster "${cluster}" already runs ${describeHolder(holder)} (lease ${file}): ` +
      'two schedulers must never run one framework. Stop that one first, or leave the cluster to it.',
    1,
  );
}

function describeHolder(holder: LeaseInfo | undefined): string {
  if (!holder) return 'in another process';
  const what = holder.where === 'headless' ? "in another 'mesos-ops autoscale'" : 'in an editor window';
  return `${what} (pid ${holder.pid} on ${holder.hostname}, since ${new Date(holder.since).toISOString()})`;
}

async function run(r: Running): Promise<number> {
  const { ctx, plan, secrets, ca } = r;
  const { cluster, jenkins: jenkinsConfig, scheduler: schedulerConfig } = plan.config;
  const sink = new CliLogSink(ctx);
  // both are checked already (readAutoscaleConfig, readAutoscaleSecrets); made first so none is left open
  const jenkins = new JenkinsClient({
    url: jenkinsConfig.url,
    ...(jenkinsConfig.user !== undefined && { user: jenkinsConfig.user }),
    ...(secrets.jenkinsToken !== undefined && { token: secrets.jenkinsToken }),
    ...(ca !== undefined && { ca }),
    ...(cluster.insecure && { insecure: true }),
    logger: ctx.log.child('jenkins'),
  });
  let connection: MasterConnection;
  try {
    connection = new MasterConnection({
      masters: cluster.masters,
      encoding: cluster.encoding,
      endpoint: {
        ...(secrets.mesos && { auth: secrets.mesos }),
        ...(ca !== undefined && { ca }),
        ...(cluster.insecure && { insecure: true }),
        log: ctx.log,
      },
      leaderTimeoutMs: 5_000,
      sink,
    });
  } catch (error) {
    await jenkins.close().catch(() => undefined);
    throw new CliUsageError(`cluster.masters: ${(error as Error).message}`);
  }
  try {
    const store = new FileSchedulerStore(r.stateFile);
    let savedFrameworkId: string | undefined;
    try {
      savedFrameworkId = restoreSchedulerState(await store.load()).state.frameworkId;
    } catch (error) {
      throw new CliUsageError((error as Error).message, 1);
    }
    const scheduler = new CliScheduler(sink, {
      connection,
      frameworkInfo: frameworkInfoFor({
        name: schedulerConfig.frameworkName,
        ...(cluster.role !== undefined && { roles: [cluster.role] }),
        ...(secrets.mesos && { principal: secrets.mesos.principal }),
        failoverTimeoutSeconds: schedulerConfig.failoverTimeoutSeconds,
      }),
      store,
      encoding: cluster.encoding,
    });
    return await runScheduler(r, { scheduler, jenkins, sink, savedFrameworkId });
  } finally {
    await jenkins.close().catch(() => undefined);
    await connection.close().catch(() => undefined);
  }
}

interface Parts {
  readonly scheduler: CliScheduler;
  readonly jenkins: JenkinsClient;
  readonly sink: CliLogSink;
  readonly savedFrameworkId: string | undefined;
}

async function runScheduler(r: Running, parts: Parts): Promise<number> {
  const { ctx, plan, say } = r;
  const { jenkins, sink, savedFrameworkId } = parts;
  const scheduler = parts.scheduler.driver;
  const { cluster, autoscaler: options, scheduler: schedulerConfig } = plan.config;

  // what ends the daemon other than a signal: the lease or the subscription lost for good
  let fail!: (message: string) => void;
  const failed = new Promise<string>((resolve) => (fail = resolve));
  r.lease.onChange((state, holder) => {
    if (state === 'lost')
      fail(
        `the scheduler lease was lost (now held ${describeHolder(holder)}): stopping at once, leaving the agents to it`,
      );
  });
  scheduler.onStatusChange((status) => {
    if (status.state === 'failed') fail(status.message);
  });

  const started = await parts.scheduler.subscribe(
    START_TIMEOUT_MS,
    ctx.signal,
    'Check cluster.masters and that the masters are reachable from here.',
  );
  if (started.kind === 'aborted') {
    say('interrupted before the framework was subscribed; nothing was started');
    return plan.once ? 1 : 0;
  }
  if (started.kind === 'failed') {
    say(started.message);
    return 1;
  }
  const frameworkId = scheduler.frameworkId ?? '?';
  const how =
    savedFrameworkId === undefined
      ? 'registered'
      : savedFrameworkId === frameworkId
        ? 'failed over to'
        : 'registered (the saved one was gone)';
  say(
    `${how} framework ${frameworkId} on ${scheduler.master ?? 'the leading master'} for cluster "${cluster.name}" (state in ${r.stateFile})`,
  );

  const dryRun = plan.once || plan.dryRun || options.dryRun;
  const autoscaler = new AutoscalerDriver({
    jenkins,
    scheduler,
    jenkinsUrl: plan.config.jenkins.url,
    templates: plan.config.templates,
    // nodes carry the framework's id, as in the editor: only this framework's agents are adopted or cleaned up
    owner: scheduler.frameworkId ?? cluster.name,
    options: {
      pollMs: options.pollIntervalSeconds * 1000,
      maxAgents: options.maxAgents,
      connectTimeoutMs: options.agentConnectTimeoutSeconds * 1000,
    },
    dryRun,
    sink,
  });
  autoscaler.onDecision((d) => r.decisions.write(d));

  let outcome: Outcome = { code: 1, drain: false, teardown: false };
  try {
    outcome = plan.once
      ? await checkOnce(r, autoscaler, scheduler, savedFrameworkId === undefined)
      : await serve(r, autoscaler, failed, dryRun);
  } finally {
    await autoscaler
      .stop({ drain: outcome.drain })
      .catch((error: unknown) => say(`the autoscaler did not stop cleanly: ${(error as Error).message}`));
    // the kills of drained agents are answered while subscribed, so their ends are not left for the next start
    if (outcome.drain) await within(untilKillsEnded(scheduler), DRAIN_WAIT_MS);
    const problem = await parts.scheduler.stop(outcome.teardown);
    if (problem !== undefined) say(problem);
  }
  if (outcome.teardown) say(`framework ${frameworkId} was new and had nothing to run, so it is torn down again`);
  else if (outcome.code !== 0 && !plan.once)
    say(`stopped; framework ${frameworkId} and its agents are left as they are`);
  else if (!plan.once || savedFrameworkId !== undefined)
    say(
      `stopped; framework ${frameworkId} stays registered for its failover timeout (${schedulerConfig.failoverTimeoutSeconds} s): ` +
        'its agents keep running and the next start takes them over',
    );
  return outcome.code;
}

/** How a run ends: its exit code, and what stopping does. */
interface Outcome {
  readonly code: number;
  /** Remove idle agents before the autoscaler stops. */
  readonly drain: boolean;
  /** TEARDOWN the framework (only one that --once registered for nothing). */
  readonly teardown: boolean;
}

/** The daemon proper: runs until a signal (exit 0) or until the lease or the subscription is lost (exit 1). */
async function serve(
  r: Running,
  autoscaler: AutoscalerDriver,
  failed: Promise<string>,
  dryRun: boolean,
): Promise<Outcome> {
  const { ctx, plan, say } = r;
  const options = plan.config.autoscaler;
  const drainOnExit = options.onExit === 'drainIdleAgents';
  const first = await within(autoscaler.start(), undefined, ctx.signal);
  if (first.kind === 'error') throw first.error;
  if (first.kind !== 'aborted') {
    say(
      `autoscaler running${dryRun ? ' in dry run (nothing is launched or removed)' : ''}: ` +
        `templates ${plan.config.templates.map((t) => t.name).join(', ')}; Jenkins ${plan.config.jenkins.url}; ` +
        `a poll every ${options.pollIntervalSeconds} s. SIGINT/SIGTERM stop it ` +
        `(${drainOnExit ? 'idle agents are removed first' : 'agents keep running'}).`,
    );
    const ended = await within(failed, undefined, ctx.signal);
    if (ended.kind === 'done') {
      say(ended.value);
      return { code: 1, drain: false, teardown: false };
    }
  }
  say(
    `stopping (${reasonOf(ctx.signal)}): ${drainOnExit ? 'removing idle agents first' : 'the agents keep running'}; ` +
      'a second signal quits at once',
  );
  return { code: 0, drain: drainOnExit, teardown: false };
}

/**
 * --once: waits until the framework's tasks are reconciled (so agents are counted right), runs the
 * autoscaler's first round as a dry run and says what it would do. A framework registered just for this,
 * with nothing to run, is torn down again.
 */
async function checkOnce(
  r: Running,
  autoscaler: AutoscalerDriver,
  scheduler: SchedulerDriver,
  newFramework: boolean,
): Promise<Outcome> {
  const { ctx, say } = r;
  const teardown = () =>
    newFramework && Object.keys(scheduler.state.tasks).length === 0 && scheduler.state.pending.length === 0;
  const failed = (message: string): Outcome => {
    say(message);
    return { code: 1, drain: false, teardown: teardown() };
  };
  const reconciled = await within(untilReconciled(scheduler), START_TIMEOUT_MS, ctx.signal);
  if (reconciled.kind === 'aborted') return failed('interrupted before the round');
  if (reconciled.kind !== 'done') {
    return failed(
      `the framework's tasks were not reconciled within ${START_TIMEOUT_MS / 1000} s (${scheduler.status.message})`,
    );
  }
  const made: AutoscaleDecision[] = [];
  autoscaler.onDecision((d) => made.push(d));
  const round = await within(autoscaler.start(), undefined, ctx.signal);
  if (round.kind === 'aborted') return failed('interrupted during the round');
  if (round.kind === 'error') throw round.error;
  const { pollError } = autoscaler.health;
  if (pollError !== undefined) return failed(`Jenkins could not be polled: ${pollError}`);
  say(`--once: ${roundSummary(made, Object.keys(autoscaler.state.agents).length)} The config works.`);
  return { code: 0, drain: false, teardown: teardown() };
}

/** The scheduler is subscribed and every task it knew has answered reconciliation (AgentTaskWatch's test). */
function untilReconciled(scheduler: SchedulerDriver): Promise<void> {
  const done = () => scheduler.state.subscribed && scheduler.state.reconcile === undefined;
  return untilState(scheduler, done);
}

/** No task the scheduler was asked to kill is still tracked. */
async function untilKillsEnded(scheduler: SchedulerDriver): Promise<void> {
  // the kills are inputs still queued in the driver until it has reduced them
  await scheduler.whenIdle();
  await untilState(scheduler, () => !Object.values(scheduler.state.tasks).some((t) => t.killRequested));
}

function untilState(scheduler: SchedulerDriver, done: () => boolean): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = scheduler.onStateChange(() => {
      if (!done()) return;
      listener.dispose();
      resolve();
    });
  });
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : 'interrupted';
}
