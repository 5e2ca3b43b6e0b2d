import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createLogger, MemorySink } from '../../src/core/log/logSink';
import { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import { until } from '../support/until';
import { extensionApi } from './support/extensionApi';

// Clusters from settings, their live sessions, and the local sandbox command, inside a real extension host.

async function setClusters(value: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration('mesos').update('clusters', value, vscode.ConfigurationTarget.Global);
}


suite('clusters (inside the extension host)', () => {
  let sandbox: SandboxCluster | undefined;
  suiteTeardown(async () => {
    await setClusters([]);
    await sandbox?.stop();
  });

  test('settings become clusters; a bad entry is a problem and the good one still works', async () => {
    const { clusters } = await extensionApi();
    sandbox = new SandboxCluster({ agents: 1, allocationIntervalMs: 200, heartbeatMs: 1000, log: createLogger(new MemorySink(), 'sandbox') });
    await sandbox.start();
    await setClusters([
      { name: 'exthost', masters: sandbox.leaderUrl },
      { name: 'exthost', masters: 'http://127.0.0.1:1' },
    ]);
    await until(() => clusters.clusters.length === 1, 'the registry to follow the setting');
    assert.equal(clusters.problems.length, 1);
    assert.match(clusters.problems[0]!.message, /used twice/);
    const session = await clusters.get('exthost')!.session();
    await until(() => session.state.kind === 'connected', 'the session to connect');
    assert.equal(session.model.totals().agents.active, 1);
    await vscode.commands.executeCommand('mesos.refresh', 'exthost');
    assert.equal(session.state.kind, 'connected');
  });

  test('an unreachable cluster reports the cause', async () => {
    const { clusters } = await extensionApi();
    await setClusters([{ name: 'nowhere', masters: 'http://127.0.0.1:1' }]);
    await until(() => clusters.get('nowhere') !== undefined, 'the cluster');
    const session = await clusters.get('nowhere')!.session();
    await until(() => session.state.kind === 'error', 'the error state');
    assert.match((session.state as { message: string }).message, /127\.0\.0\.1:1/);
  });

  test('Start Local Sandbox runs the sandbox beside the editor and adds it as a cluster; Stop removes it', async () => {
    const { clusters } = await extensionApi();
    await setClusters([]);
    const urls = (await vscode.commands.executeCommand('mesos.startSandbox')) as { master: string } | undefined;
    assert.ok(urls?.master, 'the command returns the sandbox URLs');
    await until(() => clusters.get('local sandbox') !== undefined, 'the sandbox cluster');
    const session = await clusters.get('local sandbox')!.session();
    await until(() => session.state.kind === 'connected' && session.model.totals().agents.active === 2, 'the sandbox to be browsable', 30_000);
    await vscode.commands.executeCommand('mesos.stopSandbox');
    await until(() => clusters.get('local sandbox') === undefined, 'the cluster to go');
  });
});
