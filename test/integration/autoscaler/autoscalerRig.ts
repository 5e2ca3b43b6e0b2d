import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { isTaskState, isTerminalTaskState } from '../../../src/core/cluster/taskStates';
import { JenkinsClient } from '../../../src/core/jenkins/jenkinsClient';
import { MemorySink } from '../../../src/core/log/logSink';
import { MasterConnection } from '../../../src/core/mesos/connection/masterConnection';
import type { AutoscaleDecision } from '../../../src/core/scheduler/autoscaler/autoscaleDecision';
import {
  AutoscalerDriver,
  type AutoscalerDriverOptions,
} from '../../../src/core/scheduler/autoscaler/autoscalerDriver';
import type { AgentTemplate } from '../../../src/core/scheduler/autoscaler/agentTemplate';
import { readAgentTemplates } from '../../../src/core/scheduler/autoscaler/readAgentTemplates';
import type { DecisionRecord } from '../../../src/core/scheduler/decisionRecord';
import { frameworkInfoFor } from '../../../src/core/scheduler/frameworkInfoFor';
import { SchedulerDriver } from '../../../src/core/scheduler/schedulerDriver';
import type { SchedulerSnapshot } from '../../../src/core/scheduler/schedulerSnapshot';
import type { SchedulerStore } from '../../../src/core/scheduler/schedulerStore';
import { sandboxAgentCommand } from '../../../src/sandbox/jenkins/sandboxAgentCommand';
import {
  startSandboxJenkins,
  type SandboxJenkins,
  type SandboxJenkinsOptions,
} from '../../../src/sandbox/jenkins/sandboxJenkins';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { bundleSandboxAgent } from '../../support/sandboxAgentBundle';
import { startTestSandbox } from '../../support/sandboxFixture';

/*
 * The autoscaler end to end: the sandbox Mesos cluster runs the agents' tasks as local processes, and the
 * sandbox Jenkins queues builds and runs them on the agents that connect. The sandbox serves its own
 * inbound agent (a Node program, built here from src/sandbox/jenkins/inboundAgentMain.ts) as
 * jnlpJars/agent.jar; the tasks fetch it like the real agent.jar and start it with the template's `command`
 * (sandboxAgentCommand: `node agent.jar` with agent.jar's arguments and the secret on fd 3), because
 * `java -jar` cannot run a Node program.
 */

export const OWNER = 'sandbox';

export interface AutoscalerRun {
  readonly driver: AutoscalerDriver;
  readonly decisions: AutoscaleDecision[];
}

export interface SchedulerRun {
  readonly scheduler: SchedulerDriver;
  readonly decisions: DecisionRecord[];
}

export class AutoscalerRig {
  /** Every log line of every scheduler and autoscaler of the rig (checked for secrets). */
  readonly logs = new MemorySink();
  private readonly autoscalers: AutoscalerDriver[] = [];
  private readonly schedulers: SchedulerDriver[] = [];
  private readonly jenkinses: SandboxJenkins[] = [];
  private readonly clients: JenkinsClient[] = [];

  private constructor(
    readonly cluster: SandboxCluster,
    readonly connection: MasterConnection,
    readonly dir: string,
    readonly agentJar: string,
  ) {}

  static async start(): Promise<AutoscalerRig> {
    const dir = await mkdtemp(join(tmpdir(), 'autoscaler-e2e-'));
    const agentJar = join(dir, 'sandbox-agent.js');
    await bundleSandboxAgent(agentJar);
    const { cluster } = await startTestSandbox({
      agents: 1,
      agentResources: 'cpus:4;mem:4096;disk:10000;ports:[31000-32000]',
    });
    const connection = new MasterConnection({
      masters: cluster.masters.map((m) => m.url),
      retry: { initialMs: 50, maxMs: 200 },
    });
    return new AutoscalerRig(cluster, connection, dir, agentJar);
  }

  async jenkins(options: SandboxJenkinsOptions = {}): Promise<{ jenkins: SandboxJenkins; client: JenkinsClient }> {
    const jenkins = await startSandboxJenkins({
      agentJar: { path: this.agentJar },
      agentPingIntervalMs: 500,
      ...options,
    });
    this.jenkinses.push(jenkins);
    const client = new JenkinsClient({ url: jenkins.url, timeoutMs: 5000 });
    this.clients.push(client);
    return { jenkins, client };
  }

  async scheduler(store: SchedulerStore, name = 'autoscaler-e2e'): Promise<SchedulerRun> {
    const scheduler = new SchedulerDriver({
      connection: this.connection,
      frameworkInfo: frameworkInfoFor({ name, failoverTimeoutSeconds: 60 }),
      store,
      options: { suppressAfterMs: 200, refuseSeconds: 1, reconcileRetryMs: 300 },
      tickMs: 100,
      backoff: { initialMs: 50, maxMs: 200 },
      sink: this.logs,
    });
    const decisions: DecisionRecord[] = [];
    scheduler.onDecision((d) => decisions.push(d));
    this.schedulers.push(scheduler);
    await scheduler.start();
    return { scheduler, decisions };
  }

  autoscaler(
    options: Pick<AutoscalerDriverOptions, 'jenkins' | 'scheduler' | 'jenkinsUrl' | 'templates'> &
      Partial<AutoscalerDriverOptions>,
  ): AutoscalerRun {
    const driver = new AutoscalerDriver({
      owner: OWNER,
      sink: this.logs,
      record: true,
      ...options,
      options: { pollMs: 150, pollBackoffMaxMs: 600, actionTimeoutMs: 5000, ...options.options },
    });
    const decisions: AutoscaleDecision[] = [];
    driver.onDecision((d) => decisions.push(d));
    this.autoscalers.push(driver);
    return { driver, decisions };
  }

  /** Task ids of the live tasks of every framework, from the master. */
  async liveTasks(): Promise<string[]> {
    const res = await request(`${this.cluster.leaderUrl}/master/state`);
    const state = (await res.body.json()) as { frameworks: { tasks: { id: string; state: string }[] }[] };
    return state.frameworks.flatMap((f) =>
      f.tasks.filter((t) => !(isTaskState(t.state) && isTerminalTaskState(t.state))).map((t) => t.id),
    );
  }

  /** Stops what a test left running: autoscalers first, then schedulers with teardown (their tasks die). */
  async reset(): Promise<void> {
    for (const a of this.autoscalers.splice(0)) await a.stop();
    for (const s of this.schedulers.splice(0)) await s.stop({ teardown: true }).catch(() => s.stop());
    for (const c of this.clients.splice(0)) await c.close();
    for (const j of this.jenkinses.splice(0)) await j.close();
  }

  async close(): Promise<void> {
    await this.reset();
    await this.connection.close();
    await this.cluster.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A store that also keeps the JSON of every snapshot it was given, to check what reached the disk. */
export class RecordingStore implements SchedulerStore {
  readonly saved: string[] = [];
  constructor(private readonly inner: SchedulerStore) {}
  load(): Promise<unknown> {
    return this.inner.load();
  }
  save(snapshot: SchedulerSnapshot): Promise<void> {
    this.saved.push(JSON.stringify(snapshot));
    return this.inner.save(snapshot);
  }
}

/** A template whose agents run the sandbox agent; small, so several fit on the sandbox's Mesos agent. */
export function sandboxTemplate(more: Record<string, unknown> = {}): AgentTemplate {
  const { templates, problems } = readAgentTemplates([
    {
      name: 'linux',
      labels: ['linux'],
      cpus: 0.5,
      mem: 128,
      maxAgents: 3,
      command: sandboxAgentCommand(process.execPath),
      ...more,
    },
  ]);
  if (problems.length > 0) throw new Error(`bad test template: ${JSON.stringify(problems)}`);
  return templates[0]!;
}

/** Names of the autoscaler's nodes (`mesos-…`) that Jenkins has now. */
export function agentNodes(jenkins: SandboxJenkins): string[] {
  return jenkins.model
    .agentNodes()
    .map((n) => n.name)
    .filter((n) => n.startsWith('mesos-'));
}
