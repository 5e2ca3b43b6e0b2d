import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Locator } from 'playwright-core';
import type { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import { openUiSession, type UiSession } from '../harness/uiSession';
import { expandPane, openViewContainer, screenshot, viewPane } from '../harness/workbench';
import { rawSubscribe, type RawSubscription } from '../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../support/sandboxFixture';

// The cluster explorer in a real VS Code: a sandbox cluster runs in this process, the editor is
// configured with it, and a framework launched here shows up in the Frameworks, Agents and Offers views,
// then changes state live. Screenshots of each step go to test-artifacts/screenshots.

let session: UiSession;
let sandbox: SandboxCluster;
let scheduler: RawSubscription | undefined;
let acking: NodeJS.Timeout | undefined;
let failed: string | undefined;

before(async () => {
  ({ cluster: sandbox } = await startTestSandbox({ agents: 2 }));
  session = await openUiSession({ settings: { 'mesos.clusters': [{ name: 'ui sandbox', masters: sandbox.leaderUrl }] } });
});

after(async () => {
  if (acking) clearInterval(acking);
  await scheduler?.call({ type: 'TEARDOWN' }).catch(() => undefined);
  scheduler?.close();
  await session?.close(failed);
  await sandbox?.stop();
});

async function step(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    await screenshot(session.page, `explorer-${name}`);
  } catch (err) {
    failed = `explorer-${name}`;
    throw err;
  }
}

/** A tree row of a view pane whose label is exactly `label`. */
function treeRow(pane: Locator, label: string): Locator {
  return pane.locator('.monaco-list-row', { has: pane.page().locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
}

async function expandRow(row: Locator): Promise<void> {
  await row.first().waitFor({ timeout: 20_000 });
  if ((await row.first().getAttribute('aria-expanded')) === 'false') await row.first().click();
}

test('the Frameworks view shows the cluster\'s framework groups', { timeout: 90_000 }, () =>
  step('frameworks', async () => {
    await openViewContainer(session.page, 'Mesos');
    const pane = await expandPane(session.page, 'Frameworks');
    for (const group of ['Active', 'Inactive', 'Completed']) await treeRow(pane, group).waitFor({ timeout: 30_000 });
    const description = pane.locator('.pane-header .description');
    await description.filter({ hasText: /updated \d\d:\d\d:\d\d/ }).waitFor({ timeout: 10_000 });
  }));

test('a task launched by a framework appears under the framework, running', { timeout: 60_000 }, () =>
  step('task-running', async () => {
    scheduler = await rawSubscribe(sandbox.leaderUrl, frameworkInfo({ name: 'ui-fw' }));
    const offer = (await scheduler.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
    const acked = new Set<string>();
    acking = setInterval(() => {
      for (const e of scheduler!.events) {
        const s = e.update?.status;
        if (!s?.uuid || acked.has(s.uuid)) continue;
        acked.add(s.uuid);
        void scheduler!.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: s.agent_id!, task_id: s.task_id, uuid: s.uuid } });
      }
    }, 100);
    await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [
          {
            type: 'LAUNCH',
            launch: {
              task_infos: [
                {
                  name: 'ui-task',
                  task_id: { value: 'ui-task' },
                  agent_id: offer.agent_id,
                  resources: [
                    { name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 }, role: '*' },
                    { name: 'mem', type: 'SCALAR', scalar: { value: 128 }, role: '*' },
                  ],
                  command: { value: 'sleep 120' },
                },
              ],
            },
          },
        ],
      },
    });
    const pane = viewPane(session.page, 'Frameworks');
    await expandRow(treeRow(pane, 'ui-fw'));
    await treeRow(pane, 'Running').waitFor({ timeout: 20_000 });
    const task = treeRow(pane, 'ui-task');
    await task.waitFor({ timeout: 20_000 });
    const text = await task.innerText();
    assert.match(text, /0\.5 cpu · 128 MB/);
  }));

test('the Agents view lists the agents with used of total, their attributes and tasks', { timeout: 60_000 }, () =>
  step('agents', async () => {
    const pane = await expandPane(session.page, 'Agents');
    const agents = pane.locator('.monaco-list-row[aria-level="1"]');
    await agents.nth(1).waitFor({ timeout: 30_000 });
    assert.equal(await agents.count(), 2);
    // the agent that runs the task uses 0.5 cpu
    const busy = agents.filter({ hasText: /cpu 0\.5\// });
    await expandRow(busy);
    await expandRow(treeRow(pane, 'Tasks'));
    await treeRow(pane, 'ui-task').waitFor({ timeout: 20_000 });
    await treeRow(pane, 'Attributes').waitFor({ timeout: 5_000 });
  }));

test('the Offers view shows outstanding offers while it is open', { timeout: 60_000 }, () =>
  step('offers', async () => {
    const pane = await expandPane(session.page, 'Offers');
    const offer = pane.locator('.monaco-list-row[aria-level="1"]', { hasText: /cpu .* · to ui-fw/ }).first();
    await offer.waitFor({ timeout: 30_000 });
    await expandRow(offer);
    await treeRow(pane, 'agent').waitFor({ timeout: 10_000 });
    await treeRow(pane, 'framework').waitFor({ timeout: 10_000 });
  }));

test('killing the task moves its row to Killed, live', { timeout: 60_000 }, () =>
  step('task-killed', async () => {
    const pane = await expandPane(session.page, 'Frameworks');
    await scheduler!.call({ type: 'KILL', kill: { task_id: { value: 'ui-task' } } });
    const killed = treeRow(pane, 'Killed');
    await killed.waitFor({ timeout: 30_000 });
    await expandRow(killed);
    await treeRow(pane, 'ui-task').waitFor({ timeout: 10_000 });
    // no Running group is left for ui-fw
    await treeRow(pane, 'Running').waitFor({ state: 'detached', timeout: 10_000 });
  }));
