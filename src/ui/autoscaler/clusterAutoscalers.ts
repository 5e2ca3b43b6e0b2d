import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { AutoscaleDecision } from '../../core/scheduler/autoscaler/autoscaleDecision';
import type { AutoscalerDriver } from '../../core/scheduler/autoscaler/autoscalerDriver';
import type { AutoscalerQueueSource } from '../../core/scheduler/autoscaler/autoscalerQueueSource';
import { readAgentTemplates } from '../../core/scheduler/autoscaler/readAgentTemplates';
import { sandboxAgentTemplate } from '../../sandbox/jenkins/sandboxAgentTemplate';
import { loadClusterRuntime } from '../clusters/loadClusterRuntime';
import { LOCAL_SANDBOX_CLUSTER } from '../clusters/localSandbox';
import type { QueueSource } from '../../core/scheduler/autoscaler/queueSource';
import type { ClusterSchedulers } from '../scheduler/registerSchedulers';
import type { Services } from '../services';
import { stoppedQueueSource } from './stoppedQueueSource';

interface Running {
  readonly driver: AutoscalerDriver;
  readonly jenkins: { close(): unknown };
  readonly source: AutoscalerQueueSource;
  readonly subscriptions: { dispose(): unknown }[];
}

/** One decision as a line of the "Mesos Ops: Scaling" channel: time, kind, what it is about, why. */
function decisionLine(cluster: string, d: AutoscaleDecision): string {
  const about = [d.template && `template ${d.template}`, d.label && `label ${d.label}`, d.agent && `agent ${d.agent}`, d.hostname && `on ${d.hostname}`]
    .filter(Boolean)
    .join(', ');
  return `${new Date(d.at).toISOString()} [${cluster}] ${d.dryRun ? '(dry run) ' : ''}${d.kind}${d.skip ? `/${d.skip}` : ''}${about ? ` (${about})` : ''}: ${d.reason}`;
}

/**
 * The Jenkins autoscaler of each cluster, run in the window that runs the cluster's scheduler (the agents
 * are that framework's tasks). Templates and limits come from settings, the API token from SecretStorage.
 * Decisions go to the "Mesos Ops: Scaling" channel and to the Jenkins Queue & Scaling panel.
 */
export class ClusterAutoscalers implements vscode.Disposable {
  private readonly running = new Map<string, Running>();
  private readonly changed = new vscode.EventEmitter<string>();
  /** An autoscaler started or stopped (its cluster's name). */
  readonly onDidChange = this.changed.event;
  private channel: vscode.OutputChannel | undefined;
  private readonly whereSeen = new Map<string, string>();
  private readonly watching: vscode.Disposable;

  constructor(
    private readonly services: Services,
    private readonly schedulers: ClusterSchedulers,
  ) {
    this.watching = schedulers.onDidChange((scheduler) => {
      const { cluster, where } = scheduler;
      if (this.whereSeen.get(cluster) === where) return;
      this.whereSeen.set(cluster, where);
      // the agents are the scheduler's tasks: without the scheduler here (stopped, taken over, or dropped
      // with its cluster) the autoscaler cannot act
      if (where !== 'here' && this.running.has(cluster)) void this.stop(cluster, false);
      this.changed.fire(cluster);
    });
  }

  /**
   * The setting's templates; for the local sandbox, when the setting has none, one that serves the
   * sandbox's workload with its agent (so "try it" needs no setup and never writes the user's settings).
   */
  private templateSetting(cluster: string): { value: unknown; builtIn: boolean } {
    const value = vscode.workspace.getConfiguration('mesos.jenkins').get<unknown>('agentTemplates', []);
    const none = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
    if (none && cluster === LOCAL_SANDBOX_CLUSTER && this.services.clusters.isEphemeral(cluster)) {
      // the sandbox's tasks run the agent with the extension host's own program, as the sandbox itself runs
      const template = sandboxAgentTemplate({ node: process.execPath, electron: process.versions.electron !== undefined });
      return { value: [template], builtIn: true };
    }
    return { value, builtIn: false };
  }

  get(cluster: string): AutoscalerDriver | undefined {
    return this.running.get(cluster)?.driver;
  }

  /** What the panel shows for a cluster: the live autoscaler, or where it runs instead. */
  sourceFor(cluster: string): QueueSource | undefined {
    const handle = this.services.clusters.get(cluster);
    if (!handle?.config.jenkinsUrl) return undefined;
    const live = this.running.get(cluster);
    if (live) return live.source;
    const where = this.schedulers.forCluster(cluster).where;
    return stoppedQueueSource(
      cluster,
      where === 'here' ? 'stopped' : where,
      where === 'other-window'
        ? 'The autoscaler runs with the scheduler in another window: open the panel there.'
        : where === 'headless'
          ? 'The autoscaler runs headless (mesos-ops autoscale); its decisions are in its log.'
          : 'The autoscaler is not running: use "Mesos: Start Jenkins Autoscaler".',
    );
  }

  /** Starts the cluster's autoscaler here (and its scheduler, unless that runs in another window). */
  async start(cluster: string): Promise<AutoscalerDriver> {
    const live = this.running.get(cluster);
    if (live) return live.driver;
    const handle = this.services.clusters.get(cluster);
    if (!handle) throw new Error(`There is no cluster "${cluster}" in mesos.clusters.`);
    const jenkinsUrl = handle.config.jenkinsUrl;
    if (!jenkinsUrl) throw new Error(`Cluster "${cluster}" has no jenkinsUrl: set it with "Mesos: Edit Cluster…".`);
    const settings = vscode.workspace.getConfiguration('mesos.jenkins');
    const setting = this.templateSetting(cluster);
    const { templates, problems } = readAgentTemplates(setting.value);
    if (problems.length > 0)
      throw new Error(`mesos.jenkins.agentTemplates has problems: ${problems.map((p) => p.message).join(' ')}`);
    if (templates.length === 0)
      throw new Error('There is no agent template: add one to mesos.jenkins.agentTemplates (labels, cpus, mem…).');
    const scheduler = this.schedulers.forCluster(cluster);
    await scheduler.ensureRunning();
    const local = scheduler.localDriver;
    if (!local)
      throw new Error(
        `The scheduler of "${cluster}" runs ${scheduler.where === 'headless' ? 'headless' : 'in another window'}; the autoscaler runs beside it there.`,
      );
    const token = await this.services.secrets.get(cluster, 'jenkinsToken');
    let ca: string | undefined;
    if (handle.config.caFile) ca = await readFile(handle.config.caFile, 'utf8');
    const runtime = loadClusterRuntime();
    const log = this.services.logger(`autoscaler.${cluster}`);
    const jenkins = new runtime.JenkinsClient({
      url: jenkinsUrl,
      ...(handle.config.jenkinsUser !== undefined && { user: handle.config.jenkinsUser }),
      ...(token !== undefined && { token }),
      ...(ca !== undefined && { ca }),
      ...(handle.config.insecure && { insecure: true }),
      logger: log,
    });
    const driver = new runtime.AutoscalerDriver({
      jenkins,
      scheduler: local,
      jenkinsUrl,
      templates,
      // nodes carry the framework's id: only this framework's agents are ever adopted or cleaned up
      owner: scheduler.frameworkId ?? cluster,
      options: {
        pollMs: settings.get<number>('pollIntervalSeconds', 2) * 1000,
        maxAgents: settings.get<number>('maxAgents', 50),
        connectTimeoutMs: settings.get<number>('agentConnectTimeoutSeconds', 300) * 1000,
      },
      sink: this.services.logSink,
    });
    const source = new runtime.AutoscalerQueueSource({ driver, cluster, where: 'here' });
    const channel = (this.channel ??= vscode.window.createOutputChannel('Mesos Ops: Scaling'));
    if (setting.builtIn)
      channel.appendLine(
        `[${cluster}] mesos.jenkins.agentTemplates is empty: using the local sandbox's built-in template "${templates[0]!.name}" (labels ${templates[0]!.labels.join(' ')}). Add your own templates to that setting to change it.`,
      );
    const subscriptions = [driver.onDecision((d) => channel.appendLine(decisionLine(cluster, d)))];
    this.running.set(cluster, { driver, jenkins, source, subscriptions });
    try {
      await driver.start();
    } catch (error) {
      this.running.delete(cluster);
      for (const s of subscriptions) s.dispose();
      source.dispose();
      jenkins.close();
      throw error;
    }
    log.info(
      `Jenkins autoscaler for ${cluster} started (${setting.builtIn ? "the local sandbox's built-in template" : `${templates.length} template(s)`}, ${jenkinsUrl})`,
    );
    this.changed.fire(cluster);
    return driver;
  }

  /** Stops the cluster's autoscaler; `drain` removes idle agents first (setting mesos.jenkins.onExit). */
  async stop(cluster: string, drain?: boolean): Promise<void> {
    const live = this.running.get(cluster);
    if (!live) return;
    this.running.delete(cluster);
    const onExit = vscode.workspace.getConfiguration('mesos.jenkins').get<string>('onExit', 'keepAgents');
    try {
      await live.driver.stop({ drain: drain ?? onExit === 'drainIdleAgents' });
    } finally {
      for (const s of live.subscriptions) s.dispose();
      live.source.dispose();
      live.jenkins.close();
      this.changed.fire(cluster);
    }
  }

  /** For deactivate(): every autoscaler stops as the on-exit setting says. */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.running.keys()].map((c) => this.stop(c)));
  }

  /** The decisions kept in memory, as JSON lines. */
  exportDecisions(cluster: string): string | undefined {
    return this.running.get(cluster)?.driver.exportDecisions();
  }

  dispose(): void {
    this.watching.dispose();
    void this.stopAll();
    this.channel?.dispose();
    this.changed.dispose();
  }
}
