import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import { openUiSession, type UiSession } from '../harness/uiSession';
import {
  expandPane,
  openViewContainer,
  runCommand,
  screenshot,
  viewPane,
  waitNotification,
  waitOutput,
} from '../harness/workbench';
import { startTestSandbox } from '../support/sandboxFixture';
import { UiStory } from './uiStory';

// A task's whole life the way a user lives it, in a real VS Code: "Mesos: Launch Task…" from the palette,
// step by step; the progress notification until it runs; "Follow Logs" into an Output channel; the task
// under the editor's own framework in the Frameworks view; "Kill Task" from its context menu, after which
// the tree shows it killed and the channel says the log is complete. Screenshots go to
// test-artifacts/screenshots as launch-task-*.

const CLUSTER = 'ui sandbox';
const COMMAND = 'for i in $(seq 1 1000); do echo line-$i; sleep 0.2; done';

let session: UiSession;
let sandbox: SandboxCluster;
const story = new UiStory('launch-task', () => session.page);
/** The last `line-N` of the task's output the Output panel showed. */
let lastSeen = 0;
/** The id the scheduler gave the task, read from the "running" notification. */
let taskId: string | undefined;

before(async () => {
  ({ cluster: sandbox } = await startTestSandbox({ agents: 1 }));
  session = await openUiSession({ settings: { 'mesos.clusters': [{ name: CLUSTER, masters: sandbox.leaderUrl }] } });
});

after(async () => {
  // the framework stays registered until the sandbox goes; stopping the sandbox kills what is left
  await session?.close(story.failed);
  await sandbox?.stop();
});

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A tree row of a view pane whose label is exactly `label`. */
function treeRow(pane: Locator, label: string): Locator {
  return pane.locator('.monaco-list-row', { has: pane.page().locator('.label-name', { hasText: new RegExp(`^${escaped(label)}$`) }) });
}

async function expandRow(row: Locator): Promise<void> {
  await row.first().waitFor({ timeout: 30_000 });
  if ((await row.first().getAttribute('aria-expanded')) === 'false') await row.first().click();
}

/**
 * Answers one wizard step: waits until the quick input shows the step's title (so that an Enter never
 * lands on the previous step), types the answer over what the box holds, or keeps it, and presses Enter.
 */
async function answerStep(page: Page, title: string, value?: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: `Launch Task on ${CLUSTER}: ${title}` }).waitFor({ timeout: 15_000 });
  const input = widget.locator('.quick-input-box input');
  if (value !== undefined) await input.fill(value);
  await page.keyboard.press('Enter');
}

test('Launch Task… from the palette: every step answered by typing, then the task runs', { timeout: 120_000 }, (t) =>
  story.step(t, 'running-notification', async () => {
    const { page } = session;
    // the palette offers the command once the extension has read the cluster setting: wait for the views
    await openViewContainer(page, 'Mesos');
    const pane = await expandPane(page, 'Frameworks');
    await treeRow(pane, 'Active').waitFor({ timeout: 30_000 });
    await runCommand(page, 'Mesos: Launch Task…', { waitClosed: false });
    await answerStep(page, 'Name', 'ui-task');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Shell command' }).waitFor({ timeout: 15_000 });
    await answerStep(page, 'How to run it'); // the first choice, "Shell command", is active
    await answerStep(page, 'Command', COMMAND);
    await answerStep(page, 'CPUs', '0.1');
    const mem = page.locator('.quick-input-widget .quick-input-title', { hasText: ': Memory' });
    await mem.waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-widget .quick-input-box input').fill('32');
    await screenshot(page, 'launch-task-wizard-memory');
    await page.keyboard.press('Enter');
    for (const title of ['Disk', 'Instances', 'Container image (optional)', 'Placement constraints (optional)', 'Environment (optional)'])
      await answerStep(page, title);
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });

    const running = await waitNotification(page, new RegExp(`Task "ui-task" is running on ${escaped(CLUSTER)} \\(`), 60_000);
    const text = await running.innerText();
    taskId = /\(([^)]+)\)\.?$/.exec(text.trim())?.[1];
    assert.ok(taskId?.startsWith('ui-task'), `the notification names the task id: ${text}`);
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'Task "ui-task" is running' });
    await toast.getByRole('button', { name: 'Follow Logs' }).waitFor({ timeout: 5_000 });
    // the screenshot shows the toast once it has faded in
    await page.locator('.notification-toast.notification-fade-in-done', { hasText: 'Task "ui-task" is running' }).waitFor({ timeout: 5_000 });
  }));

test('Follow Logs in the notification streams the task\'s stdout into an Output channel', { timeout: 90_000 }, (t) =>
  story.step(t, 'logs', async () => {
    const { page } = session;
    const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'Task "ui-task" is running' });
    await toast.getByRole('button', { name: 'Follow Logs' }).click();
    // which files: stdout is the first choice
    await page.locator('.quick-input-widget input[placeholder="Which files?"]').waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const first = lastLine(await waitOutput(page, /line-\d+/, 30_000));
    // following, not a one-off read: later lines arrive while the panel is open
    lastSeen = await waitLineAfter(page, first + 2);
    const selected = await outputChannelName(page);
    assert.equal(selected, 'Mesos: ui-task (stdout)');
  }));

test('the Frameworks view shows the editor\'s framework mesos-ops with the task running', { timeout: 90_000 }, (t) =>
  story.step(t, 'tree-running', async () => {
    const { page } = session;
    // clicking the container again would close the side bar
    if (!(await viewPane(page, 'Frameworks').isVisible())) await openViewContainer(page, 'Mesos');
    const pane = await expandPane(page, 'Frameworks');
    await expandRow(treeRow(pane, 'Active'));
    await expandRow(treeRow(pane, 'mesos-ops'));
    await expandRow(treeRow(pane, 'Running'));
    const task = treeRow(pane, 'ui-task');
    await task.waitFor({ timeout: 30_000 });
    assert.match(await task.innerText(), /0\.1 cpu · 32 MB/);
    // and the channel goes on following meanwhile
    lastSeen = await waitLineAfter(page, lastSeen);
  }));

test('Kill Task from the task\'s context menu: the tree shows it killed and the log channel ends', { timeout: 90_000 }, (t) =>
  story.step(t, 'killed', async () => {
    const { page } = session;
    const pane = viewPane(page, 'Frameworks');
    await treeRow(pane, 'ui-task').click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor({ timeout: 10_000 });
    await menu.getByRole('menuitem', { name: /^Follow Task Logs/ }).waitFor({ timeout: 5_000 });
    // a click can land while the menu still ignores the mouse (it was opened by one): choose by keyboard
    const kill = menu.getByRole('menuitem', { name: /^Kill Task/ });
    await kill.hover();
    await menu.locator('.action-item.focused', { hasText: 'Kill Task' }).waitFor({ timeout: 5_000 });
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 10_000 });
    await waitNotification(page, new RegExp(`Kill sent for "ui-task" \\(${escaped(taskId ?? 'ui-task')}\\) on ${escaped(CLUSTER)}`), 30_000);

    const killed = treeRow(pane, 'Killed');
    await expandRow(killed);
    await treeRow(pane, 'ui-task').waitFor({ timeout: 30_000 });
    // mesos-ops has no running task left
    await treeRow(pane, 'Running').waitFor({ state: 'detached', timeout: 30_000 });
    await waitOutput(page, /— task TASK_KILLED, log complete —/, 30_000);
  }));

/** The highest N of the `line-N` lines in the text (0 for none). */
function lastLine(text: string): number {
  return Math.max(0, ...[...text.matchAll(/line-(\d+)/g)].map((m) => Number(m[1])));
}

/** Waits until the Output panel shows a `line-N` with N greater than `after`; returns the highest N shown. */
async function waitLineAfter(page: Page, after: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let shown = 0;
  while (Date.now() < deadline) {
    shown = lastLine(await waitOutput(page, /line-\d+/, Math.max(1, deadline - Date.now())));
    if (shown > after) return shown;
    await page.waitForTimeout(250);
  }
  throw new Error(`the Output panel never showed a line after line-${after}; the last it showed was line-${shown}`);
}

/** The channel the Output panel shows, from its channel picker. */
async function outputChannelName(page: Page): Promise<string> {
  const select = page.locator('.part.panel select.monaco-select-box').first();
  await select.waitFor({ state: 'attached', timeout: 10_000 });
  return select.evaluate((el: HTMLSelectElement) => el.options[el.selectedIndex]?.text ?? '');
}
