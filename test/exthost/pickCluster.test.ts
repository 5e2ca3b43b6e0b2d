import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { ClusterConfig } from '../../src/core/cluster/clusterConfig';
import type { ClusterHandle, ClusterLookup } from '../../src/ui/clusters/clusterRegistry';
import { pickCluster, type ClusterPickUi } from '../../src/ui/clusters/pickCluster';

// The one way every command finds the cluster it acts on: its argument, else the only cluster offered,
// else a pick; and a sentence with a way out when there is nothing to offer.

function lookup(...configs: Partial<ClusterConfig>[]): ClusterLookup {
  const handles = configs.map(
    (c) => ({ name: c.name!, config: { masters: `http://${c.name}:5050`, ...c } as ClusterConfig }) as ClusterHandle,
  );
  return { clusters: handles, get: (name) => handles.find((h) => h.name === name) };
}

/** Answers the pick with the item labelled `answer` and records everything said and asked. */
class ScriptedPickUi implements ClusterPickUi {
  readonly said: { message: string; actions: string[] }[] = [];
  readonly asked: { items: vscode.QuickPickItem[]; placeHolder: string | undefined }[] = [];
  readonly ran: string[] = [];
  constructor(
    private readonly answer?: string,
    private readonly press?: string,
  ) {}
  info(message: string, ...actions: string[]): Thenable<string | undefined> {
    this.said.push({ message, actions });
    return Promise.resolve(this.press !== undefined && actions.includes(this.press) ? this.press : undefined);
  }
  pickOne<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: vscode.QuickPickOptions,
  ): Thenable<T | undefined> {
    this.asked.push({ items: [...items], placeHolder: options.placeHolder });
    return Promise.resolve(items.find((i) => i.label === this.answer));
  }
  runCommand(command: string): Thenable<unknown> {
    this.ran.push(command);
    return Promise.resolve();
  }
}

const writable = (h: ClusterHandle) => !h.config.readOnly;

suite('pickCluster (inside the extension host)', () => {
  test('an argument naming a configured cluster wins, even one not offered; a tree node counts as its clusterName', async () => {
    const clusters = lookup({ name: 'a' }, { name: 'ro', readOnly: true }, { name: 'b' });
    const ui = new ScriptedPickUi();
    assert.equal(await pickCluster(clusters, { arg: 'ro', placeHolder: 'Which?', offer: writable }, ui), 'ro');
    assert.equal(
      await pickCluster(clusters, { arg: { clusterName: 'b', kind: 'cluster' }, placeHolder: 'Which?' }, ui),
      'b',
    );
    assert.deepEqual(ui.asked, [], 'nobody was asked');
    assert.deepEqual(ui.said, []);
  });

  test('an argument naming no configured cluster falls back to the pick among those offered', async () => {
    const clusters = lookup({ name: 'a' }, { name: 'ro', readOnly: true }, { name: 'b', protected: true });
    const ui = new ScriptedPickUi('b');
    const picked = await pickCluster(
      clusters,
      {
        arg: 'gone',
        placeHolder: 'Launch on which cluster?',
        offer: writable,
        describe: (h) => (h.config.protected ? 'protected' : 'open'),
      },
      ui,
    );
    assert.equal(picked, 'b');
    assert.deepEqual(ui.asked, [
      {
        items: [
          { label: 'a', description: 'open' },
          { label: 'b', description: 'protected' },
        ],
        placeHolder: 'Launch on which cluster?',
      },
    ]);
  });

  test('the only cluster offered is taken without asking; a cancelled pick is undefined; items default to the masters', async () => {
    const ui = new ScriptedPickUi();
    assert.equal(
      await pickCluster(
        lookup({ name: 'a' }, { name: 'ro', readOnly: true }),
        { placeHolder: 'Which?', offer: writable },
        ui,
      ),
      'a',
    );
    assert.equal(ui.asked.length, 0, 'nobody was asked');
    assert.equal(await pickCluster(lookup({ name: 'a' }, { name: 'b' }), { placeHolder: 'Which?' }, ui), undefined);
    assert.deepEqual(ui.asked[0]?.items, [
      { label: 'a', description: 'http://a:5050' },
      { label: 'b', description: 'http://b:5050' },
    ]);
  });

  test('with no cluster configured it says so and offers Add Cluster…, which runs mesos.addCluster', async () => {
    const ui = new ScriptedPickUi(undefined, 'Add Cluster…');
    assert.equal(await pickCluster(lookup(), { arg: 'a', placeHolder: 'Which?' }, ui), undefined);
    assert.deepEqual(ui.said, [{ message: 'No Mesos cluster is configured yet.', actions: ['Add Cluster…'] }]);
    await Promise.resolve(); // the button is handled once the notification's answer is in
    assert.deepEqual(ui.ran, ['mesos.addCluster']);
    assert.deepEqual(ui.asked, []);
  });

  test('when clusters are configured but none is offered it says why, and asks nothing', async () => {
    const ui = new ScriptedPickUi();
    const why = 'Every configured cluster is read-only.';
    assert.equal(
      await pickCluster(
        lookup({ name: 'ro', readOnly: true }),
        { placeHolder: 'Which?', offer: writable, noneOffered: why },
        ui,
      ),
      undefined,
    );
    assert.deepEqual(ui.said, [{ message: why, actions: [] }]);
    assert.deepEqual(ui.asked, []);
    assert.deepEqual(ui.ran, []);
  });
});
