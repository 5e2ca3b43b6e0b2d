import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openUiSession, type UiSession } from '../harness/uiSession';
import { expandPane, openViewContainer, runCommand, screenshot, viewPane, waitOutput } from '../harness/workbench';

// The foundation's UI in a real VS Code: the Mesos container, its three views' welcome content with no
// cluster configured, and the extension's own log channel.
let session: UiSession;
let failed: string | undefined;

before(async () => {
  session = await openUiSession();
});
after(async () => {
  await session?.close(failed);
});

async function step(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    await screenshot(session.page, `welcome-${name}`);
  } catch (err) {
    failed = `welcome-${name}`;
    throw err;
  }
}

test('the Mesos container appears in the activity bar and shows its three views', { timeout: 90_000 }, () =>
  step('container', async () => {
    await openViewContainer(session.page, 'Mesos');
    for (const title of ['Frameworks', 'Offers', 'Agents']) {
      await viewPane(session.page, title).locator('.pane-header').waitFor({ timeout: 30_000 });
    }
  }));

test('each view shows welcome content with Add Cluster and Start Local Sandbox', { timeout: 60_000 }, () =>
  step('views', async () => {
    for (const title of ['Frameworks', 'Offers', 'Agents']) {
      const pane = await expandPane(session.page, title);
      const welcome = pane.locator('.welcome-view-content');
      await welcome.waitFor({ timeout: 30_000 });
      const text = await welcome.innerText();
      assert.match(text, new RegExp(`no ${title.toLowerCase()} to show`, 'i'));
      await welcome.getByRole('button', { name: 'Add Cluster' }).waitFor({ timeout: 5_000 });
      await welcome.getByRole('button', { name: 'Start Local Sandbox' }).waitFor({ timeout: 5_000 });
    }
  }));

test('Mesos: Show Log opens the "Mesos Ops" log channel', { timeout: 60_000 }, () =>
  step('show-log', async () => {
    await runCommand(session.page, 'Mesos: Show Log');
    const text = await waitOutput(session.page, /Mesos Ops \d+\.\d+\.\d+ activated/);
    assert.match(text, /\[extension\]/);
  }));
