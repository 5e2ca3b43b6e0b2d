import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Locator, Page } from 'playwright-core';
import { SANDBOX_WORKLOAD_LABELS, sandboxAgentTemplate } from '../../src/sandbox/jenkins/sandboxAgentTemplate';
import { startSandboxJenkins, type SandboxJenkins } from '../../src/sandbox/jenkins/sandboxJenkins';
import type { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import { REPO_ROOT } from '../harness/paths';
import { openUiSession, type UiSession } from '../harness/uiSession';
import { expandPane, openViewContainer, runCommand, screenshot, viewPane, waitNotification } from '../harness/workbench';
import { startTestSandbox } from '../support/sandboxFixture';
import { UiStory } from './uiStory';

// The Jenkins autoscaler the way a user tries it, in a real VS Code: the sandbox Jenkins queues a steady
// stream of builds labelled like the "try it" workload, the cluster and the "try it" agent template come
// from the user's settings, "Mesos: Start Jenkins Autoscaler" runs from the palette, and the Jenkins Queue &
// Scaling panel (opened from the Frameworks view's title) shows the waiting builds, the launch decisions,
// the agents and the timeline, and pauses and resumes scaling. Screenshots go to
// test-artifacts/screenshots as jenkins-queue-*.

const CLUSTER = 'ui jenkins';

let session: UiSession;
let sandbox: SandboxCluster;
let jenkins: SandboxJenkins;
const story = new UiStory('jenkins-queue', () => session.page);
let panel: Frame | undefined;

before(async () => {
  ({ cluster: sandbox } = await startTestSandbox({ agents: 1 }));
  jenkins = await startSandboxJenkins({
    agentJar: { path: join(REPO_ROOT, 'dist', 'sandbox-agent.js') },
    agentPingIntervalMs: 500,
    // builds come faster than two one-executor agents can run them: the queue never empties
    workload: {
      random: { seed: 11, meanIntervalSeconds: 2, labels: SANDBOX_WORKLOAD_LABELS, durationSeconds: { min: 4, max: 8 } },
    },
  });
  session = await openUiSession({
    settings: {
      'mesos.clusters': [{ name: CLUSTER, masters: sandbox.leaderUrl, jenkinsUrl: jenkins.url }],
      // the template "try it" writes, with fewer agents (the sandbox runs them on this machine); its tasks
      // run in this process's sandbox, so this Node runs the sandbox agent
      'mesos.jenkins.agentTemplates': [{ ...sandboxAgentTemplate({ node: process.execPath }), maxAgents: 2 }],
      'mesos.jenkins.pollIntervalSeconds': 1,
    },
  });
});

after(async () => {
  // the editor's framework and its agents' tasks go with the sandbox
  await session?.close(story.failed);
  await jenkins?.close();
  await sandbox?.stop();
});

/**
 * The queue panel's document. VS Code nests a webview in two iframes and names neither after the panel:
 * the frame to use is the one whose document has the panel's root, once the host's snapshot arrived.
 */
async function queuePanelFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const ready = await frame
        .evaluate(() => document.querySelector('#queue-panel[data-ready="true"]') !== null)
        .catch(() => false);
      if (ready) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('no frame shows the Jenkins queue panel (#queue-panel[data-ready="true"])');
}

/** Waits until at least `min` elements match, and returns how many did. */
async function atLeast(locator: Locator, min: number, what: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = 0;
  while (Date.now() < deadline) {
    count = await locator.count();
    if (count >= min) return count;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`expected at least ${min} ${what}, saw ${count}`);
}

test('"Mesos: Start Jenkins Autoscaler" from the palette starts it on the configured cluster', { timeout: 120_000 }, (t) =>
  story.step(t, 'started', async () => {
    const { page } = session;
    // the palette offers the command once the extension has read the cluster setting: wait for the views
    await openViewContainer(page, 'Mesos');
    const pane = await expandPane(page, 'Frameworks');
    await pane.locator('.monaco-list-row', { hasText: 'Active' }).first().waitFor({ timeout: 30_000 });
    await runCommand(page, 'Mesos: Start Jenkins Autoscaler', { waitClosed: false });
    await waitNotification(page, `The Jenkins autoscaler of ${CLUSTER} is running.`, 60_000);
  }));

test("the Frameworks view's title button opens the Jenkins Queue & Scaling panel, showing waiting builds", { timeout: 90_000 }, (t) =>
  story.step(t, 'queue', async () => {
    const { page } = session;
    // the toast would cover the panel in the screenshots
    await runCommand(page, 'Notifications: Clear All Notifications');
    const pane = viewPane(page, 'Frameworks');
    // title actions show while the pane is hovered
    await pane.locator('.pane-header').hover();
    await pane.locator('.pane-header .actions .action-label[aria-label="Show Jenkins Queue & Scaling"]').click();
    await page.mouse.move(900, 600); // and its hover text would too
    await page.locator('.tab', { hasText: `Jenkins Queue: ${CLUSTER}` }).waitFor({ timeout: 15_000 });
    panel = await queuePanelFrame(page);
    assert.equal(await panel.locator('#queue-panel').getAttribute('data-cluster'), CLUSTER);
    const where = panel.locator('#scheduler-where');
    assert.equal(await where.getAttribute('data-where'), 'here');
    assert.match((await where.textContent()) ?? '', /^Scheduler running in this window/);
    const rows = panel.locator('[data-testid^="queue-row-"]');
    await atLeast(rows, 1, 'queue rows');
    assert.notEqual(await panel.locator('#queue-count').textContent(), '0');
    // the builds carry the workload's labels, and the template serves them all
    const labels = await panel.locator('[data-testid^="queue-row-"] [data-column="label"]').allTextContents();
    for (const label of labels) assert.match(label, /^mesos( ?&& ?linux)?$/);
    const templates = await panel.locator('[data-testid^="queue-row-"] [data-column="template"]').allTextContents();
    assert.deepEqual([...new Set(templates)], ['sandbox']);
    await panel.locator('#queue-section').scrollIntoViewIfNeeded();
  }));

test('the decisions table shows launch decisions and the agents table the agents they started', { timeout: 90_000 }, (t) =>
  story.step(t, 'decisions', async () => {
    const frame = panel!;
    await atLeast(frame.locator('[data-testid^="decision-row-"][data-kind="launch"]'), 1, 'launch decisions');
    const launch = frame.locator('[data-testid^="decision-row-"][data-kind="launch"]').first();
    assert.match((await launch.locator('[data-column="subject"]').textContent()) ?? '', /^mesos-sandbox-/);
    assert.notEqual((await launch.locator('[data-column="reason"]').textContent())?.trim() ?? '', '', 'a launch says why');
    // an agent whose build runs on it: launched, connected, busy
    await atLeast(frame.locator('[data-testid^="agent-row-mesos-sandbox-"]'), 1, 'agent rows');
    await atLeast(frame.locator('[data-testid^="agent-row-"][data-state="busy"]'), 1, 'busy agents', 60_000);
    await atLeast(frame.locator('[data-testid^="decision-row-"][data-kind="connected"]'), 1, 'connected decisions');
    await frame.locator('#decisions-section').scrollIntoViewIfNeeded();
  }));

test('the timeline chart has points', { timeout: 60_000 }, (t) =>
  story.step(t, 'chart', async () => {
    const chart = panel!.locator('#timeline-chart');
    const deadline = Date.now() + 30_000;
    let points = 0;
    while (Date.now() < deadline && points < 2) {
      points = Number((await chart.getAttribute('data-points')) ?? '0');
      if (points < 2) await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(points >= 2, `the chart has points: ${points}`);
    // uPlot drew into its canvas
    await chart.locator('canvas').first().waitFor({ timeout: 10_000 });
    await panel!.locator('#timeline-section').scrollIntoViewIfNeeded();
  }));

test('Pause holds scaling and says so; Resume lets it go on', { timeout: 60_000 }, (t) =>
  story.step(t, 'resumed', async () => {
    const frame = panel!;
    const root = frame.locator('#queue-panel');
    assert.equal(await root.getAttribute('data-paused'), 'false');
    await frame.locator('#control-pause:not([disabled])').click();
    await frame.locator('#queue-panel[data-paused="true"]').waitFor({ timeout: 15_000 });
    await frame.locator('#scheduler-where', { hasText: '(paused)' }).waitFor({ timeout: 5_000 });
    await frame.locator('#control-message', { hasText: 'Scaling paused.' }).waitFor({ timeout: 5_000 });
    await frame.locator('#control-resume:not([disabled])').waitFor({ timeout: 5_000 });
    assert.equal(await frame.locator('#control-pause').getAttribute('disabled'), '', 'Pause is disabled while paused');
    await atLeast(frame.locator('[data-testid^="decision-row-"][data-kind="mode"]'), 1, 'the pause as a decision', 10_000);
    await screenshot(session.page, 'jenkins-queue-paused');

    await frame.locator('#control-resume').click();
    await frame.locator('#queue-panel[data-paused="false"]').waitFor({ timeout: 15_000 });
    await frame.locator('#control-message', { hasText: 'Scaling resumed.' }).waitFor({ timeout: 5_000 });
    assert.doesNotMatch((await frame.locator('#scheduler-where').textContent()) ?? '', /paused/);
    await frame.locator('#control-pause:not([disabled])').waitFor({ timeout: 5_000 });
  }));
