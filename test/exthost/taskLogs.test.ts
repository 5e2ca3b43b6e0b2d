import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TaskLogChannel } from '../../src/ui/logs/taskLogChannel';
import { rawSubscribe, type RawSubscription } from '../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../support/sandboxFixture';
import { commandTask } from '../support/taskInfoBuilder';
import type { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import { until } from '../support/until';
import { acknowledgeAll } from '../support/acknowledgeAll';
import { extensionApi } from './support/extensionApi';

// Follow Task Logs inside a real extension host: a sandbox task prints lines over time, the channel shows
// them as they come, and when the task finishes the channel says so and stops following.

suite('task logs (inside the extension host)', () => {
  let sandbox: SandboxCluster | undefined;
  let sub: RawSubscription | undefined;
  let gate: string | undefined;
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('mesos.stopFollowingTaskLogs', { clusterName: 'logs', frameworkId: sub?.frameworkId ?? '', taskId: 'printer' });
    if (sub?.frameworkId) await sub.call({ type: 'TEARDOWN' }).catch(() => undefined);
    sub?.close();
    await vscode.workspace.getConfiguration('mesos').update('clusters', [], vscode.ConfigurationTarget.Global);
    await sandbox?.stop();
    if (gate) rmSync(gate, { recursive: true, force: true });
  });

  test('following stdout shows lines as the task prints them, and the end of the task', async () => {
    const { clusters } = await extensionApi();
    sandbox = (await startTestSandbox({ agents: 1 })).cluster;
    await vscode.workspace.getConfiguration('mesos').update('clusters', [{ name: 'logs', masters: sandbox.leaderUrl }], vscode.ConfigurationTarget.Global);
    await until(() => clusters.get('logs') !== undefined, 'the cluster');
    const session = await clusters.get('logs')!.session();
    await until(() => session.state.kind === 'connected', 'the session to connect');

    sub = await rawSubscribe(sandbox.leaderUrl, frameworkInfo({ name: 'logs' }));
    const acks = acknowledgeAll(sub);
    try {
      const offer = (await sub.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
      // prints a line, waits until told (a file appears), then prints more: the follow must see both halves
      gate = mkdtempSync(join(tmpdir(), 'mesos-logs-'));
      const script = `echo first-line; while [ ! -e '${gate}/go' ]; do sleep 0.1; done; for i in 1 2 3; do echo later-$i; sleep 0.2; done; echo "done é"`;
      await sub.call({
        type: 'ACCEPT',
        accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [commandTask(offer, 'printer', script)] } }] },
      });
      const frameworkId = sub.frameworkId!;
      await until(() => session.model.task(frameworkId, 'printer')?.state === 'TASK_RUNNING', 'the task to run');

      const channel = (await vscode.commands.executeCommand('mesos.followTaskLogs', { clusterName: 'logs', frameworkId, taskId: 'printer' }, 'stdout')) as TaskLogChannel | undefined;
      assert.ok(channel, 'the command returns the channel it follows');
      assert.equal(channel.channel.name, 'Mesos: printer (stdout)');
      await until(() => channel.text.includes('first-line\n'), 'the first line in the channel');
      assert.ok(!channel.text.includes('later-1'));
      assert.equal(channel.done, false);

      const again = (await vscode.commands.executeCommand('mesos.followTaskLogs', { clusterName: 'logs', frameworkId, taskId: 'printer' }, 'stdout')) as TaskLogChannel;
      assert.equal(again, channel, 'following the same task again shows the same channel');
      writeFileSync(join(gate, 'go'), '');

      await until(() => channel.done, 'the channel to end with the task', 30_000);
      assert.match(channel.text, /first-line\nlater-1\nlater-2\nlater-3\ndone é\n/);
      assert.match(channel.text, /— task TASK_FINISHED, log complete —\n$/);
      const ended = channel.text;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(channel.text, ended, 'nothing is appended after the end');

      await vscode.commands.executeCommand('mesos.stopFollowingTaskLogs', { clusterName: 'logs', frameworkId, taskId: 'printer' });
    } finally {
      acks.stop();
    }
  });
});
