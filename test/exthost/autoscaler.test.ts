import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MesosOpsApi } from '../../src/extension';
import type { AutoscaleDecision } from '../../src/core/scheduler/autoscaler/autoscaleDecision';
import type { AutoscalerDriver } from '../../src/core/scheduler/autoscaler/autoscalerDriver';
import { sandboxAgentCommand } from '../../src/sandbox/jenkins/sandboxAgentCommand';
import { startSandboxJenkins, type SandboxJenkins } from '../../src/sandbox/jenkins/sandboxJenkins';
import type { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import type { QueuePanel } from '../../src/ui/queue/queuePanel';
import type { HostToWebview, QueueSnapshot } from '../../webview/protocol';
import { startTestSandbox } from '../support/sandboxFixture';
import { until, untilValue } from '../support/until';

// The Jenkins autoscaler the way the extension runs it, inside a real extension host: the cluster and the
// template come from settings and the Jenkins API token from secret storage; "Mesos: Start Jenkins
// Autoscaler" runs the editor's scheduler on the sandbox master; a labelled build queued in the sandbox
// Jenkins gets an agent (a Mesos task running the sandbox agent) and runs on it; the panel shows it; the
// decisions export to a file with no secret in it; and starting without a template or without a Jenkins
// URL fails with a sentence that says what to set.

const CLUSTER = 'autoscaled';
const JENKINS_USER = 'autoscaler';
const TOKEN = 'token-0f1e2d3c4b5a69788796a5b4c3d2e1f0';

async function api(): Promise<{ api: MesosOpsApi; extensionPath: string }> {
  const ext = vscode.extensions.getExtension<MesosOpsApi>('mesos-ops.mesos-ops');
  assert.ok(ext);
  return { api: await ext.activate(), extensionPath: ext.extensionPath };
}

async function update(section: string, key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
}

suite('Jenkins autoscaler (inside the extension host)', () => {
  let sandbox: SandboxCluster | undefined;
  let jenkins: SandboxJenkins | undefined;
  let dir: string | undefined;
  let ext: MesosOpsApi | undefined;

  suiteSetup(async function () {
    this.timeout(60_000);
    const opened = await api();
    ext = opened.api;
    sandbox = (await startTestSandbox({ agents: 1, agentResources: 'cpus:4;mem:4096;disk:10000;ports:[31000-32000]' })).cluster;
    jenkins = await startSandboxJenkins({
      // the sandbox's stand-in for agent.jar, as the bundled CLI serves it
      agentJar: { path: join(opened.extensionPath, 'dist', 'sandbox-agent.js') },
      agentPingIntervalMs: 500,
      security: { users: [{ id: JENKINS_USER, apiTokens: [TOKEN] }] },
    });
    dir = mkdtempSync(join(tmpdir(), 'mesos-autoscaler-'));
    await ext.secrets.set(CLUSTER, 'jenkinsToken', TOKEN);
    await update('mesos.jenkins', 'pollIntervalSeconds', 1);
    await update('mesos', 'clusters', [
      { name: CLUSTER, masters: sandbox.leaderUrl, jenkinsUrl: jenkins.url, jenkinsUser: JENKINS_USER },
      { name: 'no-jenkins', masters: sandbox.leaderUrl },
    ]);
    await until(() => ext!.clusters.get(CLUSTER) !== undefined && ext!.clusters.get('no-jenkins') !== undefined, 'the clusters');
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    if (ext) {
      await ext.autoscalers.stop(CLUSTER, false).catch(() => undefined);
      // with teardown, Mesos kills the agents' tasks and the framework goes
      for (const s of ext.schedulers.all) if (s.cluster === CLUSTER) await s.stop({ teardown: true }).catch(() => undefined);
      ext.queuePanels.get(CLUSTER)?.dispose();
      await ext.secrets.set(CLUSTER, 'jenkinsToken', undefined);
    }
    await update('mesos', 'clusters', []);
    await update('mesos.jenkins', 'agentTemplates', undefined);
    await update('mesos.jenkins', 'pollIntervalSeconds', undefined);
    await jenkins?.close();
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('without an agent template the autoscaler does not start, and says what to set', async () => {
    await update('mesos.jenkins', 'agentTemplates', []);
    await assert.rejects(ext!.autoscalers.start(CLUSTER), /There is no agent template: add one to mesos\.jenkins\.agentTemplates/);
    assert.equal(await vscode.commands.executeCommand('mesos.startAutoscaler', CLUSTER), undefined, 'the command reports it and returns nothing');
    assert.equal(ext!.autoscalers.get(CLUSTER), undefined);
    await update('mesos.jenkins', 'agentTemplates', [{ name: 'linux', labels: ['linux'], cpus: -1 }]);
    await assert.rejects(ext!.autoscalers.start(CLUSTER), /mesos\.jenkins\.agentTemplates has problems: .*cpus/);
    assert.equal(ext!.autoscalers.get(CLUSTER), undefined);
  });

  test('on a cluster without a Jenkins URL the autoscaler does not start, and says what to set', async () => {
    await update('mesos.jenkins', 'agentTemplates', [{ name: 'linux', labels: ['linux'], command: sandboxAgentCommand(process.execPath) }]);
    await assert.rejects(ext!.autoscalers.start('no-jenkins'), /Cluster "no-jenkins" has no jenkinsUrl: set it with "Mesos: Edit Cluster…"/);
    assert.equal(await vscode.commands.executeCommand('mesos.startAutoscaler', 'no-jenkins'), undefined);
    assert.equal(ext!.autoscalers.get('no-jenkins'), undefined);
    assert.equal(ext!.schedulers.all.find((s) => s.cluster === 'no-jenkins')?.where ?? 'stopped', 'stopped', 'no scheduler was started for it');
  });

  test('a labelled build gets an agent launched on Mesos, runs on it, and the decisions export without a secret', async function () {
    this.timeout(90_000);
    const j = jenkins!;
    await update('mesos.jenkins', 'agentTemplates', [
      // idle agents go within a second, so the test sees the whole life of one
      { name: 'linux', labels: ['linux'], cpus: 0.5, mem: 128, maxAgents: 2, idleMinutes: 0.01, command: sandboxAgentCommand(process.execPath) },
    ]);
    const agentSecrets = new Map<string, string>();
    const stopWatching = j.onEvent((e) => {
      if (e.type === 'nodeCreated') agentSecrets.set(e.node, j.agentSecret(e.node));
    });
    try {
      const compile = j.enqueue({ job: 'compile', label: 'linux', durationSeconds: 1 });
      const elsewhere = j.enqueue({ job: 'elsewhere', label: 'windows', durationSeconds: 1 });

      const driver = (await vscode.commands.executeCommand('mesos.startAutoscaler', CLUSTER)) as AutoscalerDriver | undefined;
      assert.ok(driver, 'the command returns the running autoscaler');
      assert.equal(ext!.autoscalers.get(CLUSTER), driver);
      assert.equal(ext!.schedulers.forCluster(CLUSTER).where, 'here', "the autoscaler runs beside this window's scheduler");
      assert.equal(
        await vscode.commands.executeCommand('mesos.startAutoscaler', CLUSTER),
        driver,
        'starting it again gives the same autoscaler',
      );

      // the panel: opened while the autoscaler runs, it gets what the autoscaler sees
      const panel = (await vscode.commands.executeCommand('mesos.showJenkinsQueue', CLUSTER)) as QueuePanel | undefined;
      assert.ok(panel);
      assert.equal(ext!.queuePanels.get(CLUSTER), panel);
      const posted: HostToWebview[] = [];
      panel.onDidPost((m) => posted.push(m));
      await until(() => panel.ready, 'the panel to be ready', 30_000);

      const launch = await untilValue(
        () => driver.decisions.toArray().find((d) => d.kind === 'launch' && d.items?.includes(compile)),
        'a launch decision for the build',
        30_000,
      );
      assert.equal(launch.template, 'linux');
      assert.equal(launch.label, 'linux');
      assert.equal(launch.dryRun ?? false, false);
      const agent = launch.agent!;
      assert.match(agent, /^mesos-linux-/);

      await until(() => j.finishedBuilds().some((b) => b.queueId === compile), 'the build to finish', 45_000);
      const build = j.finishedBuilds().find((b) => b.queueId === compile)!;
      assert.equal(build.node, agent, 'the build ran on the launched agent');
      assert.equal(build.result, 'SUCCESS');
      // what was done about the agent (skips say what was not done, e.g. while its task waited for an offer)
      const kinds = (about: string) =>
        driver.decisions
          .toArray()
          .filter((d) => d.agent === about && d.kind !== 'skip')
          .map((d) => d.kind);
      assert.deepEqual(kinds(agent).slice(0, 3), ['launch', 'placed', 'connected']);
      assert.ok(
        driver.decisions.toArray().some((d) => d.kind === 'skip' && d.skip === 'no-template' && d.items?.includes(elsewhere)),
        'the build no template serves is reported, not served',
      );
      assert.equal(j.model.item(elsewhere) !== undefined, true, 'and it still waits');

      // the panel was told: a launch decision and the agent reached the webview
      const seen = (): QueueSnapshot['decisions'] =>
        posted.flatMap((m) =>
          m.type === 'init' ? m.snapshot.decisions : m.type === 'changes' ? m.changes.flatMap((c) => (c.kind === 'decisions' ? c.decisions : c.kind === 'snapshot' ? c.snapshot.decisions : [])) : [],
        );
      await until(() => seen().some((d) => d.kind === 'launch' && d.agent === agent), 'the launch decision in the panel', 10_000);
      const agentsShown = () =>
        posted.flatMap((m) =>
          m.type === 'init' ? m.snapshot.agents : m.type === 'changes' ? m.changes.flatMap((c) => (c.kind === 'agents' ? c.agents : [])) : [],
        );
      await until(() => agentsShown().some((a) => a.name === agent), 'the agent in the panel', 10_000);

      // the idle agent goes: node deleted, task ended (the 'removed' decision comes first, then its actions)
      await until(() => kinds(agent).includes('removed'), 'the idle agent to be removed', 30_000);
      await until(() => j.model.node(agent) === undefined, 'its node to be deleted', 15_000);
      const scheduler = ext!.schedulers.forCluster(CLUSTER);
      await until(
        () => !scheduler.tasks().some((t) => t.taskId.startsWith(`${agent}.`) && ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING'].includes(t.state)),
        'its task to end',
        15_000,
      );

      const target = vscode.Uri.file(join(dir!, 'decisions.jsonl'));
      const written = (await vscode.commands.executeCommand('mesos.exportScalingDecisions', CLUSTER, target)) as vscode.Uri | undefined;
      assert.equal(written?.fsPath, target.fsPath);
      const text = readFileSync(target.fsPath, 'utf8');
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      const exported = lines.map((l) => JSON.parse(l) as AutoscaleDecision);
      assert.ok(exported.length >= 5, `several decisions were exported: ${lines.length}`);
      for (const d of exported) assert.equal(typeof d.at, 'number');
      assert.deepEqual(
        exported.filter((d) => d.agent === agent && d.kind !== 'skip').map((d) => d.kind),
        ['launch', 'placed', 'connected', 'remove', 'removed'],
        "the agent's whole life is in the file",
      );
      assert.equal(agentSecrets.size >= 1, true);
      for (const [name, secret] of agentSecrets) assert.equal(text.includes(secret), false, `${name}'s secret is not in the file`);
      assert.equal(text.includes(TOKEN), false, 'the Jenkins API token is not in the file');

      await vscode.commands.executeCommand('mesos.stopAutoscaler', CLUSTER);
      assert.equal(ext!.autoscalers.get(CLUSTER), undefined);
      assert.equal(driver.running, false);
      // the open panel now says the autoscaler is stopped
      await until(
        () => posted.some((m) => m.type === 'changes' && m.changes.some((c) => c.kind === 'snapshot' && c.snapshot.scheduler.where === 'stopped')),
        'the panel to show the autoscaler stopped',
        10_000,
      );
      assert.equal(
        await vscode.commands.executeCommand('mesos.exportScalingDecisions', CLUSTER, target),
        undefined,
        'a stopped autoscaler has nothing to export',
      );
    } finally {
      stopWatching();
    }
  });

  // last: it removes the cluster
  test('removing the cluster from settings stops its autoscaler', async function () {
    this.timeout(30_000);
    const driver = (await vscode.commands.executeCommand('mesos.startAutoscaler', CLUSTER)) as AutoscalerDriver | undefined;
    assert.ok(driver?.running, 'the autoscaler runs again');
    await update('mesos', 'clusters', [{ name: 'no-jenkins', masters: sandbox!.leaderUrl }]);
    await until(() => ext!.autoscalers.get(CLUSTER) === undefined, 'the autoscaler to be dropped', 10_000);
    await until(() => !driver.running, 'the autoscaler to stop', 10_000);
  });
});
