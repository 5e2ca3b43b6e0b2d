import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { createLogger, MemorySink } from '../../src/core/log/logSink';
import type { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import { ClusterScheduler } from '../../src/ui/scheduler/clusterScheduler';
import type { SchedulerTaskUpdate } from '../../src/ui/scheduler/schedulerAccess';
import { startTestSandbox } from '../support/sandboxFixture';
import { until } from '../support/until';
import { extensionApi } from './support/extensionApi';

// One scheduler per cluster across editor windows, inside a real extension host. Two ClusterScheduler
// objects over one shared directory stand for two windows (each window is its own extension host, and
// they share only the extension's global storage): the first runs the framework, the second forwards
// to it, and takes over when the first goes away, as the same framework.

/** An in-memory Memento shared by the two "windows" (VS Code's global state is shared the same way). */
class SharedMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return (this.values.has(key) ? this.values.get(key) : fallback) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}

suite('scheduler across windows (inside the extension host)', () => {
  let sandbox: SandboxCluster | undefined;
  let dir: string | undefined;
  const windows: ClusterScheduler[] = [];

  suiteTeardown(async () => {
    for (const w of windows) await w.stop({ teardown: w.where === 'here' }).catch(() => undefined);
    for (const w of windows) w.dispose();
    await vscode.workspace.getConfiguration('mesos').update('clusters', [], vscode.ConfigurationTarget.Global);
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('one window runs the framework; the other forwards launch and kill, then takes over as the same framework', async () => {
    const { clusters } = await extensionApi();
    sandbox = (await startTestSandbox({ agents: 1 })).cluster;
    await vscode.workspace
      .getConfiguration('mesos')
      .update('clusters', [{ name: 'windows', masters: sandbox.leaderUrl, encoding: 'json' }], vscode.ConfigurationTarget.Global);
    await until(() => clusters.get('windows') !== undefined, 'the cluster');
    dir = mkdtempSync(join(tmpdir(), 'mesos-windows-'));
    const memento = new SharedMemento();
    const logs = new MemorySink();
    const open = (n: number) => {
      const w = new ClusterScheduler({
        cluster: 'windows',
        clusters,
        globalState: memento,
        dir: dir!,
        log: createLogger(logs, `window${n}`),
        heartbeatMs: 200,
        staleMs: 1000,
      });
      windows.push(w);
      return w;
    };
    const first = open(1);
    const second = open(2);

    await first.ensureRunning();
    assert.equal(first.where, 'here');
    const frameworkId = first.frameworkId;
    assert.ok(frameworkId, 'subscribed with a framework id');

    await second.ensureRunning();
    assert.equal(second.where, 'other-window', 'a second window never subscribes the same framework');
    const updates: SchedulerTaskUpdate[] = [];
    second.onTaskUpdate((u) => updates.push(u));
    await second.launch([{ id: 'forwarded', cpus: 0.1, mem: 32, command: { value: 'sleep 60', shell: true } }]);
    await until(() => first.tasks().some((t) => t.requestId === 'forwarded' && t.state === 'TASK_RUNNING'), 'the forwarded launch to run', 20_000);
    await until(() => second.tasks().some((t) => t.taskId === 'forwarded.1' && t.state === 'TASK_RUNNING'), 'the other window to see it', 10_000);
    assert.ok(updates.some((u) => u.taskId === 'forwarded.1' && u.state === 'TASK_RUNNING'), 'the forwarding window gets the update');
    assert.equal(sandbox.master.frameworks.size, 1, 'exactly one framework registered');

    // the first window closes without teardown: the second takes over, failing over to the same framework
    first.dispose();
    await until(() => second.where === 'here', 'the second window to take over', 20_000);
    await until(() => second.tasks().some((t) => t.taskId === 'forwarded.1' && t.state === 'TASK_RUNNING'), 'the task reconciled by the new holder', 20_000);
    assert.equal(second.frameworkId, frameworkId, 'the same framework, failed over');

    await second.kill(['forwarded.1']);
    await until(() => !second.tasks().some((t) => t.taskId === 'forwarded.1'), 'the task killed', 20_000);
    assert.equal(sandbox.master.frameworks.size, 1);
  });
});
