import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ClusterModel } from '../../src/core/cluster';
import type { ClusterSessionState } from '../../src/core/cluster/clusterSession';
import { createLogger, MemorySink } from '../../src/core/log/logSink';
import { ClusterTreeProvider } from '../../src/ui/explorer/clusterTreeProvider';
import type { ExplorerClusterHandle, ExplorerClusters, ExplorerSession } from '../../src/ui/explorer/explorerClusters';
import type { ExplorerNode } from '../../src/ui/explorer/explorerNode';
import { frameworkId, syntheticGetState, taskUpdatedEvent } from '../unit/cluster/clusterStateBuilder';

// The tree providers over a generated cluster (no master behind it: a real ClusterModel loaded from a
// synthetic GET_STATE): paging at 500 rows with "Show more", stable element identity, the filter, and
// refreshes aimed at the elements a model change names.

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** One cluster whose session is already connected and loaded: what the registry hands out after start. */
function loadedCluster(name: string, model: ClusterModel): ExplorerClusters {
  const state: ClusterSessionState = { kind: 'connected', leader: 'http://127.0.0.1:5050' };
  const session: ExplorerSession = {
    model,
    state,
    leader: state.leader,
    onStateChange: () => ({ dispose() {} }),
    watchOffers: () => ({ dispose() {} }),
  };
  const handle: ExplorerClusterHandle = {
    name,
    config: { masters: 'http://127.0.0.1:5050', readOnly: false },
    current: session,
    session: () => Promise.resolve(session),
  };
  const changed = new vscode.EventEmitter<void>();
  const started = new vscode.EventEmitter<ExplorerClusterHandle>();
  return { clusters: [handle], problems: [], onDidChangeClusters: changed.event, onDidStartSession: started.event };
}

suite('explorer paging and targeted refresh (generated cluster)', () => {
  const disposables: vscode.Disposable[] = [];
  let model: ClusterModel;

  suiteSetup(async () => {
    model = new ClusterModel();
    // framework 0 ("jenkins") runs 1,200 tasks; 600 agents; no task has ended yet
    await model.replaceState(
      syntheticGetState({ agents: 600, tasks: 1300, frameworks: 3, bigFrameworkTasks: 1200, completedFrameworks: 1, completedShare: 0, crowdedAgentTasks: 0 }).get_state!,
    );
  });
  suiteTeardown(() => {
    for (const d of disposables) d.dispose();
    model.dispose();
  });

  function provider(view: 'frameworks' | 'agents'): ClusterTreeProvider {
    const p = new ClusterTreeProvider({ view, clusters: loadedCluster('generated', model), log: createLogger(new MemorySink(), 'explorer') });
    disposables.push(p);
    return p;
  }

  function find(p: ClusterTreeProvider, nodes: readonly ExplorerNode[], label: string): ExplorerNode {
    const found = nodes.find((n) => labelOf(p.getTreeItem(n)) === label);
    assert.ok(found, `no row "${label}" among ${nodes.map((n) => labelOf(p.getTreeItem(n))).join(', ')}`);
    return found;
  }

  test('a framework with 1,200 running tasks shows them 500 at a time; "Show more" and "Show previous" move between pages', () => {
    const p = provider('frameworks');
    const root = p.getChildren();
    assert.deepEqual(root.map((n) => labelOf(p.getTreeItem(n))), ['Active', 'Inactive', 'Completed']);
    const active = find(p, root, 'Active');
    assert.equal(p.getTreeItem(active).description, String(model.totals().frameworks.active));
    const jenkins = find(p, p.getChildren(active), 'jenkins');
    const running = find(p, p.getChildren(jenkins), 'Running');
    assert.equal(p.getTreeItem(running).description, '1200');

    const taskIds = (nodes: readonly ExplorerNode[]): string[] => nodes.filter((n) => n.kind === 'task').map((n) => (n as { taskId: string }).taskId);
    const first = p.getChildren(running);
    assert.equal(first.length, 501);
    const more = first[500]!;
    assert.equal(more.kind, 'showMore');
    assert.equal(labelOf(p.getTreeItem(more)), 'Show more (700 left)');
    assert.equal(p.getTreeItem(more).command?.command, 'mesos.showMore');
    assert.ok(first.slice(0, 500).every((n) => n.kind === 'task' && p.getTreeItem(n).contextValue === 'mesos.task.running'));
    assert.deepEqual(p.getChildren(running).slice(0, 500), first.slice(0, 500), 'listing again gives the same element objects');

    const fired: unknown[] = [];
    disposables.push(p.onDidChangeTreeData((e) => fired.push(e)));
    p.showMore(more as Extract<ExplorerNode, { kind: 'showMore' }>);
    assert.deepEqual(fired, [[running]], 'paging refreshes only the list it belongs to');
    const second = p.getChildren(running);
    assert.equal(second.length, 502, 'one page and the two pager rows');
    assert.equal(labelOf(p.getTreeItem(second[0]!)), 'Show previous (500 before)');
    assert.equal(labelOf(p.getTreeItem(second[501]!)), 'Show more (200 left)');
    const seen = new Set(taskIds(first));
    assert.ok(taskIds(second).every((id) => !seen.has(id)), 'the second page holds other tasks');

    p.showMore(second[501] as Extract<ExplorerNode, { kind: 'showMore' }>);
    const third = p.getChildren(running);
    assert.equal(third.length, 201);
    assert.equal(labelOf(p.getTreeItem(third[0]!)), 'Show previous (1,000 before)');
    const all = [...taskIds(first), ...taskIds(second), ...taskIds(third)];
    assert.equal(new Set(all).size, 1200, 'the three pages hold every task once');

    p.showMore(third[0] as Extract<ExplorerNode, { kind: 'showMore' }>);
    assert.deepEqual(taskIds(p.getChildren(running)), taskIds(second));
    const task = p.getChildren(running)[1]!;
    assert.equal(p.getParent(task), running);
    assert.equal(p.getParent(running), jenkins);
    assert.equal(p.getParent(jenkins), active);
    assert.equal(p.getParent(active), undefined);
  });

  test('600 agents: the root lists 500 and "Show more (100 left)"; the filter narrows it and shows in the description', () => {
    const p = provider('agents');
    const root = p.getChildren();
    assert.equal(root.length, 501);
    assert.equal(labelOf(p.getTreeItem(root[500]!)), 'Show more (100 left)');
    assert.match(p.description(), /^updated \d\d:\d\d:\d\d$/);

    p.setFilter('agent-0059');
    assert.match(p.description(), /^updated \d\d:\d\d:\d\d · filter: agent-0059$/);
    const filtered = p.getChildren();
    assert.deepEqual(
      filtered.map((n) => labelOf(p.getTreeItem(n))),
      Array.from({ length: 10 }, (_, i) => `agent-0059${i}.dc1.example.com`),
    );
    const agent = filtered[0]!;
    const children = p.getChildren(agent).map((n) => labelOf(p.getTreeItem(n)));
    assert.deepEqual(children, ['cpu', 'mem', 'disk', 'ports', 'Attributes', 'Tasks']);
    p.setFilter('no such host');
    const none = p.getChildren();
    assert.equal(none.length, 1);
    assert.equal(labelOf(p.getTreeItem(none[0]!)), 'No agents match "no such host"');
  });

  test('a task update refreshes its groups, or its framework when a group appears; never the root', () => {
    const p = provider('frameworks');
    const active = find(p, p.getChildren(), 'Active');
    const framework = find(p, p.getChildren(active), 'framework-1');
    p.getTreeItem(framework);
    const groupsBefore = p.getChildren(framework);
    const runningGroup = find(p, groupsBefore, 'Running');
    const tasks = p.getChildren(runningGroup) as Extract<ExplorerNode, { kind: 'task' }>[];
    for (const t of tasks) p.getTreeItem(t);
    const [a, b, c] = tasks;
    assert.ok(a && b && c);

    const fired: (ExplorerNode | ExplorerNode[] | undefined)[] = [];
    disposables.push(p.onDidChangeTreeData((e) => fired.push(e)));
    const firedKeys = (): string[] => {
      assert.equal(fired.length, 1, 'one refresh per delivered change');
      assert.ok(Array.isArray(fired[0]), 'elements, not the whole tree');
      return (fired[0] as ExplorerNode[]).map((n) => n.key).sort();
    };

    // the first task being killed makes a "Killing" group: the framework's children change
    model.applyEvent(taskUpdatedEvent(frameworkId(1), a.taskId, a.agentId, 'TASK_KILLING', 1));
    p.flush();
    assert.deepEqual(firedKeys(), [framework.key]);
    const groupsAfter = p.getChildren(framework);
    assert.deepEqual(
      groupsAfter.map((n) => labelOf(p.getTreeItem(n))),
      [...groupsBefore.map((n) => labelOf(p.getTreeItem(n))), 'Killing'],
      'live states first, in the model\'s order',
    );
    groupsBefore.forEach((g, i) => assert.equal(groupsAfter[i], g, 'the groups that were there are the same elements'));
    const killingGroup = groupsAfter[groupsAfter.length - 1]!;
    assert.deepEqual(p.getChildren(killingGroup).map((n) => (n as { taskId?: string }).taskId), [a.taskId]);

    // the second moves between groups that exist, and the framework's row stays the same: the two lists
    fired.length = 0;
    model.applyEvent(taskUpdatedEvent(frameworkId(1), b.taskId, b.agentId, 'TASK_KILLING', 2));
    p.flush();
    assert.deepEqual(firedKeys(), [killingGroup.key, runningGroup.key].sort());
    assert.equal(p.getChildren(killingGroup).length, 2);

    // a new status in the same state: that task's row only
    fired.length = 0;
    model.applyEvent(taskUpdatedEvent(frameworkId(1), c.taskId, c.agentId, 'TASK_RUNNING', 3));
    p.flush();
    assert.deepEqual(firedKeys(), [c.key]);

    const resolved = p.resolveTreeItem(p.getTreeItem(a), a);
    assert.ok(resolved.tooltip instanceof vscode.MarkdownString);
    assert.ok(resolved.tooltip.value.includes('State: killing'), resolved.tooltip.value);
    assert.equal(p.getTreeItem(a).contextValue, 'mesos.task.killing');
  });
});
