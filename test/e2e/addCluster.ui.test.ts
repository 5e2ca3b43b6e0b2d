import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import { openUiSession, type UiSession } from '../harness/uiSession';
import { expandPane, openViewContainer, screenshot, waitNotification } from '../harness/workbench';
import { startTestSandbox } from '../support/sandboxFixture';

// Adding a cluster the way a user does, in a real VS Code: the welcome view's "Add Cluster" button, the
// name and masters steps, the connection test, and then the views and the status bar show the cluster.

let session: UiSession;
let sandbox: SandboxCluster;
let failed: string | undefined;

before(async () => {
  ({ cluster: sandbox } = await startTestSandbox({ agents: 1 }));
  session = await openUiSession();
});
after(async () => {
  await session?.close(failed);
  await sandbox?.stop();
});

async function fillInput(value: string): Promise<void> {
  const input = session.page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10_000 });
  await input.fill(value);
  await session.page.keyboard.press('Enter');
}

test('Add Cluster from the welcome view: name, masters, connection test, then the cluster is shown', { timeout: 120_000 }, async () => {
  try {
    const { page } = session;
    await openViewContainer(page, 'Mesos');
    const pane = await expandPane(page, 'Frameworks');
    await pane.locator('.welcome-view-content').getByRole('button', { name: 'Add Cluster' }).click();
    await fillInput('wizard sandbox');
    // the masters step starts with a default: replace it
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'masters' }).waitFor({ timeout: 10_000 });
    await input.fill(sandbox.leaderUrl);
    await page.keyboard.press('Enter');
    await waitNotification(page, /Connected to Mesos 1\.12\.0 at .*Cluster "wizard sandbox" added/, 30_000);
    await screenshot(page, 'add-cluster-connected');
    for (const group of ['Active', 'Inactive', 'Completed']) {
      await pane.locator('.monaco-list-row', { hasText: group }).first().waitFor({ timeout: 30_000 });
    }
    const status = page.locator('.statusbar-item', { hasText: 'wizard sandbox' });
    await status.first().waitFor({ timeout: 30_000 });
    assert.match(await status.first().innerText(), new RegExp(`wizard sandbox: 127\\.0\\.0\\.1:${new URL(sandbox.leaderUrl).port}`));
    await screenshot(page, 'add-cluster-views');
  } catch (err) {
    failed = 'add-cluster';
    throw err;
  }
});
