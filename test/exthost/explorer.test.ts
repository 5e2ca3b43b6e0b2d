import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterTreeProvider } from '../../src/ui/explorer/clusterTreeProvider';
import type { ExplorerNode } from '../../src/ui/explorer/explorerNode';
import type { SandboxCluster } from '../../src/sandbox/mesos/sandboxCluster';
import { rawSubscribe, type RawSubscription } from '../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../support/sandboxFixture';
import { extensionApi } from './support/extensionApi';

// The Frameworks, Offers and Agents views of the running extension against a sandbox cluster started
// here: what each view lists, a task launched by a framework appearing and changing state live, the
// cluster level and error nodes, all read through the providers that activate() returns.

type TaskRow = Extract<ExplorerNode, { kind: 'task' }>;

async function setClusters(value: unknown[]): Promise<void> {
  await vscode.workspace.getConfiguration('mesos').update('clusters', value, vscode.ConfigurationTarget.Global);
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** Waits until `read` returns something (not undefined); returns it. */
async function until<T>(read: () => T | undefined | Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Markdown as the reader sees it (VS Code escapes punctuation and spaces of appended text). */
function plain(markdown: string): string {
  return markdown.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
}

function rows(p: ClusterTreeProvider, parent?: ExplorerNode): { node: ExplorerNode; item: vscode.TreeItem; label: string }[] {
  return p.getChildren(parent).map((node) => {
    const item = p.getTreeItem(node);
    return { node, item, label: labelOf(item) };
  });
}

function row(p: ClusterTreeProvider, parent: ExplorerNode | undefined, label: string): ExplorerNode | undefined {
  return rows(p, parent).find((r) => r.label === label)?.node;
}

suite('explorer views (inside the extension host)', () => {
  let sandbox: SandboxCluster | undefined;
  let scheduler: RawSubscription | undefined;

  suiteSetup(async () => {
    ({ cluster: sandbox } = await startTestSandbox({ agents: 2 }));
  });
  suiteTeardown(async () => {
    await scheduler?.call({ type: 'TEARDOWN' }).catch(() => undefined);
    scheduler?.close();
    await setClusters([]);
    await sandbox?.stop();
  });

  test('one cluster: frameworks grouped at the root; a launched task shows under its framework and its agent and changes state live', async () => {
    const { explorer } = await extensionApi();
    const { frameworks, agents, offers } = explorer.providers;
    await setClusters([{ name: 'explorer', masters: sandbox!.leaderUrl }]);

    // the first paint shows "Connecting…" or the groups, never waits for the cluster
    const first = rows(frameworks).map((r) => r.label);
    assert.ok(first.includes('Connecting…') || first.includes('Active'), `first paint: ${first.join(', ')}`);
    await until(() => (rows(frameworks).map((r) => r.label).join() === 'Active,Inactive,Completed' ? true : undefined), 'the three framework groups');

    scheduler = await rawSubscribe(sandbox!.leaderUrl, frameworkInfo({ name: 'explorer-fw' }));
    const offer = (await scheduler.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
    const agentId = offer.agent_id.value;
    const acked = new Set<string>();
    const ackAll = async (): Promise<void> => {
      for (const e of scheduler!.events) {
        const s = e.update?.status;
        if (!s?.uuid || acked.has(s.uuid)) continue;
        acked.add(s.uuid);
        await scheduler!.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: s.agent_id!, task_id: s.task_id, uuid: s.uuid } });
      }
    };
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
                  name: 'explorer-task',
                  task_id: { value: 'explorer-task' },
                  agent_id: offer.agent_id,
                  resources: [
                    { name: 'cpus', type: 'SCALAR', scalar: { value: 0.25 }, role: '*' },
                    { name: 'mem', type: 'SCALAR', scalar: { value: 64 }, role: '*' },
                  ],
                  command: { value: 'sleep 60' },
                },
              ],
            },
          },
        ],
      },
    });

    // Frameworks: Active → explorer-fw → Running → explorer-task
    const active = row(frameworks, undefined, 'Active')!;
    const framework = await until(() => row(frameworks, active, 'explorer-fw'), 'the framework under Active');
    const fwItem = frameworks.getTreeItem(framework);
    assert.equal(fwItem.contextValue, 'mesos.framework.active');
    const running = await until(async () => {
      await ackAll();
      return row(frameworks, framework, 'Running');
    }, 'the Running group');
    const task = (await until(() => row(frameworks, running, 'explorer-task'), 'the task row')) as TaskRow;
    const taskItem = frameworks.getTreeItem(task);
    assert.equal(taskItem.contextValue, 'mesos.task.running');
    assert.equal((taskItem.iconPath as vscode.ThemeIcon).id, 'play-circle');
    assert.equal(((taskItem.iconPath as vscode.ThemeIcon).color as vscode.ThemeColor).id, 'testing.iconPassed');
    assert.match(String(taskItem.description), /0\.25 cpu · 64 MB/);
    assert.equal(task.agentId, agentId);
    assert.equal(task.clusterName, 'explorer');
    assert.equal(frameworks.getParent(task), running);
    assert.equal(frameworks.getParent(running), framework);
    assert.equal(frameworks.getChildren(framework)[0], running, 'the same node is the same object');
    const tooltip = frameworks.resolveTreeItem(frameworks.getTreeItem(task), task).tooltip;
    assert.ok(tooltip instanceof vscode.MarkdownString);
    const tooltipText = plain(tooltip.value);
    assert.ok(tooltipText.includes('Framework: explorer-fw ('), tooltipText);
    assert.ok(tooltipText.includes('State: running'), tooltipText);

    // Agents: the agent's Tasks list holds the same task
    const agentRows = rows(agents);
    assert.equal(agentRows.length, 2, agentRows.map((r) => r.label).join(', '));
    const agent = agentRows.find((r) => (r.node as { agentId?: string }).agentId === agentId)!;
    assert.equal(agent.item.contextValue, 'mesos.agent.active');
    assert.match(String(agent.item.description), /^cpu 0\.25\/\d+ · mem 64 MB\/[\d.]+ GB · disk 0\/[\d.]+ GB · 1 task$/);
    const agentChildren = rows(agents, agent.node).map((r) => r.label);
    assert.deepEqual(agentChildren.slice(0, 3), ['cpu', 'mem', 'disk']);
    assert.ok(agentChildren.includes('Attributes') && agentChildren.includes('Tasks'), agentChildren.join(', '));
    const agentTasks = row(agents, agent.node, 'Tasks')!;
    const onAgent = rows(agents, agentTasks);
    assert.deepEqual(onAgent.map((r) => r.label), ['explorer-task']);
    assert.match(String(onAgent[0]!.item.description), /^running · explorer-fw/);

    // live: killing the task refreshes the elements that changed, not the whole tree (what the first
    // snapshot announced may still wait in the debouncer: deliver it before listening)
    frameworks.flush();
    const fired: (ExplorerNode | ExplorerNode[] | undefined)[] = [];
    const listening = frameworks.onDidChangeTreeData((e) => fired.push(e));
    try {
      await scheduler.call({ type: 'KILL', kill: { task_id: { value: 'explorer-task' }, agent_id: offer.agent_id } });
      const killed = await until(async () => {
        await ackAll();
        return row(frameworks, framework, 'Killed');
      }, 'the Killed group');
      assert.deepEqual(rows(frameworks, killed).map((r) => r.label), ['explorer-task']);
      assert.equal(frameworks.getTreeItem(rows(frameworks, killed)[0]!.node).contextValue, 'mesos.task.killed');
      // the tree hears of it after the debounce (the model itself is already current)
      await until(() => (fired.length > 0 ? true : undefined), 'a refresh event');
      assert.ok(fired.every((e) => Array.isArray(e) && e.length > 0), `root refreshes: ${fired.filter((e) => !Array.isArray(e)).length}`);
    } finally {
      listening.dispose();
    }
    await until(() => (rows(agents, agentTasks)[0]?.item.contextValue === 'mesos.task.killed' ? true : undefined), 'the agent view to follow');

    // Offers: polled while watched; an offer names its agent and its framework
    offers.setWatchOffers(true);
    try {
      const offerRow = await until(() => rows(offers).find((r) => r.item.contextValue === 'mesos.offer'), 'an outstanding offer');
      const details = rows(offers, offerRow.node);
      assert.deepEqual(details.slice(0, 3).map((r) => r.label), ['agent', 'framework', 'cpu']);
      assert.equal(details[1]!.item.description, 'explorer-fw');
      assert.equal(details[0]!.item.command?.command, 'mesos.revealAgent');
    } finally {
      offers.setWatchOffers(false);
    }

    // Copy Id puts the selected ids on the clipboard, one per line
    await vscode.commands.executeCommand('mesos.copyId', task, [task, framework]);
    assert.equal(await vscode.env.clipboard.readText(), `explorer-task\n${scheduler.frameworkId}`);
  });

  test('several clusters: a cluster level whose description is used of total; an unreachable one is an error with next steps', async () => {
    const { explorer } = await extensionApi();
    const { agents } = explorer.providers;
    await setClusters([
      { name: 'explorer', masters: sandbox!.leaderUrl },
      { name: 'nowhere', masters: 'http://127.0.0.1:1' },
    ]);
    await until(() => (rows(agents).length === 2 ? true : undefined), 'two cluster rows');
    const good = await until(() => {
      const r = rows(agents).find((x) => x.label === 'explorer');
      return /^cpu [\d.]+\/\d+ · mem [\d.]+\/[\d.]+ (MB|GB) · disk/.test(String(r?.item.description)) ? r : undefined;
    }, 'the totals of the sandbox');
    assert.equal(good.item.contextValue, 'mesos.cluster.connected');
    const bad = await until(() => rows(agents).find((x) => x.label === 'nowhere' && x.item.contextValue === 'mesos.cluster.error'), 'the unreachable cluster');
    assert.equal(bad.item.description, 'unreachable');
    const [error] = rows(agents, bad.node);
    assert.ok(error);
    assert.equal(error.item.contextValue, 'mesos.cluster.error');
    assert.match(error.label, /127\.0\.0\.1:1/);
    const actions = rows(agents, error.node);
    assert.deepEqual(actions.map((a) => a.label), ['Retry', 'Edit Cluster…', 'Show Log']);
    assert.deepEqual(actions.map((a) => [a.item.command?.command, a.item.command?.arguments?.[0]]), [
      ['mesos.refresh', 'nowhere'],
      ['mesos.editCluster', 'nowhere'],
      ['mesos.showLog', undefined],
    ]);
    // the sandbox's agents sit under its cluster row
    const sandboxAgents = rows(agents, good.node);
    assert.equal(sandboxAgents.length, 2);
    assert.equal(agents.getParent(sandboxAgents[0]!.node), good.node);
  });

  test('a bad settings entry is an error row that opens the settings; the views say when they were updated', async () => {
    const { explorer } = await extensionApi();
    const { frameworks } = explorer.providers;
    await setClusters([{ name: 'explorer', masters: sandbox!.leaderUrl }, { name: 'no-masters' }]);
    const problem = await until(() => rows(frameworks).find((r) => r.item.contextValue === 'mesos.settingsProblem'), 'the settings problem row');
    assert.match(problem.label, /no-masters/);
    assert.deepEqual(rows(frameworks, problem.node).map((a) => [a.label, a.item.command?.command]), [['Open Settings', 'workbench.action.openSettings']]);
    // the good cluster is unaffected and its content sits at the root after the problem
    await until(() => (rows(frameworks).map((r) => r.label).slice(1).join() === 'Active,Inactive,Completed' ? true : undefined), 'the groups of the good cluster');
    await until(() => (/^updated \d\d:\d\d:\d\d$/.test(explorer.views.frameworks.description ?? '') ? true : undefined), 'the view description');
  });

  test('Reveal Agent selects the task\'s agent in the Agents view', async () => {
    const { explorer } = await extensionApi();
    await setClusters([{ name: 'explorer', masters: sandbox!.leaderUrl }]);
    const { frameworks } = explorer.providers;
    await until(() => row(frameworks, undefined, 'Active'), 'the groups');
    // the killed task of the first test is still listed by the master
    const task = await until(() => {
      for (const group of rows(frameworks)) {
        for (const fw of rows(frameworks, group.node)) {
          if (fw.label !== 'explorer-fw') continue;
          for (const state of rows(frameworks, fw.node)) {
            const t = rows(frameworks, state.node).find((r) => r.label === 'explorer-task');
            if (t) return t.node as TaskRow;
          }
        }
      }
      return undefined;
    }, 'the task');
    await vscode.commands.executeCommand('mesos.revealAgent', task);
    const selected = await until(() => explorer.views.agents.selection[0], 'a selection in the Agents view');
    assert.equal(selected.kind, 'agent');
    assert.equal((selected as { agentId: string }).agentId, task.agentId);
  });
});
