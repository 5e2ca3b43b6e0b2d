import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MesosOpsApi } from '../../src/extension';

const EXTENSION_ID = 'mesos-ops.mesos-ops';

suite('activation (inside the extension host)', () => {
  test('the extension is installed and activates, returning its API', async () => {
    const ext = vscode.extensions.getExtension<MesosOpsApi>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in this extension host`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(api.version, ext.packageJSON.version);
  });

  test('every command the manifest contributes is registered', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.includes('mesos.showLog'), 'mesos.showLog is not contributed');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('the manifest contributes the Mesos container with the three views', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const contributes = ext.packageJSON.contributes as {
      viewsContainers: { activitybar: { id: string; title: string }[] };
      views: Record<string, { id: string }[]>;
    };
    assert.deepEqual(
      contributes.viewsContainers.activitybar.map((c) => [c.id, c.title]),
      [['mesos', 'Mesos']],
    );
    assert.deepEqual(
      (contributes.views.mesos ?? []).map((v) => v.id),
      ['mesos.frameworks', 'mesos.offers', 'mesos.agents'],
    );
  });

  test('mesos.showLog runs without error', async () => {
    await vscode.commands.executeCommand('mesos.showLog');
  });
});
