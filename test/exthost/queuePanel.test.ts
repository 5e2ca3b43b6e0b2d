import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createLogger, MemorySink } from '../../src/core/log/logSink';
import type { MesosOpsApi } from '../../src/extension';
import { QueuePanel } from '../../src/ui/queue/queuePanel';
import { QueuePanels } from '../../src/ui/queue/registerQueuePanel';
import type { Services } from '../../src/ui/services';
import type { QueueSource } from '../../src/core/scheduler/autoscaler/queueSource';
import type { HostToWebview, QueueChange, QueueSnapshot } from '../../webview/protocol';
import { decision, queueRow, snapshot } from '../support/queuePanelBuilders';
import { until, untilValue } from '../support/until';

// The Jenkins queue panel inside a real extension host with a real webview: the page's CSP, the ready
// handshake from our script (which runs only if the CSP and nonce let it), the snapshot and changes
// that follow, and messages from the webview that the host must refuse.

/** A QueueSource that records what the panel asked of it and emits the changes a test gives it. */
class FakeQueueSource implements QueueSource {
  readonly calls: string[] = [];
  readonly listeners = new Set<(change: QueueChange) => void>();
  constructor(public state: QueueSnapshot) {}
  snapshot(): QueueSnapshot {
    return this.state;
  }
  onDidChange(listener: (change: QueueChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  emit(change: QueueChange): void {
    for (const l of this.listeners) l(change);
  }
  pause(): void {
    this.calls.push('pause');
  }
  resume(): void {
    this.calls.push('resume');
  }
  async setDryRun(on: boolean): Promise<void> {
    this.calls.push(`setDryRun ${on}`);
    throw new Error('Dry run cannot change while agents launch. Try again in a minute.');
  }
  scaleNow(): { summary: string } {
    this.calls.push('scaleNow');
    return { summary: 'Launched 1 agent for linux.' };
  }
}

suite('Jenkins queue panel (inside the extension host)', () => {
  let panel: QueuePanel | undefined;
  let source: FakeQueueSource;
  const posted: HostToWebview[] = [];
  const rejected: string[] = [];
  const sink = new MemorySink();

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension('mesos-ops.mesos-ops');
    assert.ok(ext);
    await ext.activate();
    source = new FakeQueueSource(snapshot({ cluster: 'queue-test' }));
    panel = QueuePanel.create({
      extensionUri: ext.extensionUri,
      cluster: 'queue-test',
      source,
      log: createLogger(sink, 'queue'),
      productVersion: '9.9.9',
      flushMs: 20,
    });
    panel.onDidPost((m) => posted.push(m));
    panel.onDidReject((r) => rejected.push(r));
  });

  suiteTeardown(() => {
    panel?.dispose();
  });

  test('the page has a nonce CSP without unsafe-*, and every script carries the nonce', () => {
    const html = panel!.html;
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/
      .exec(html)?.[1]
      ?.replace(/&#39;/g, "'");
    assert.ok(policy, 'a CSP meta tag');
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    assert.ok(nonce, `script-src allows a nonce: ${policy}`);
    assert.match(policy, /default-src 'none'/);
    assert.doesNotMatch(policy, /unsafe-/);
    const scripts = [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 2);
    for (const s of scripts) assert.ok(s.includes(`nonce="${nonce}"`), `${s} has the nonce`);
    assert.ok(scripts[0]!.includes('toolkit.min.js'));
    assert.ok(scripts[1]!.includes('webview.js'));
  });

  test('the webview sends ready and gets the snapshot', async () => {
    await until(() => panel!.ready, 'the webview to send ready', 30_000);
    const init = await untilValue(() => posted.find((m) => m.type === 'init'), 'the init message');
    assert.equal(init.type, 'init');
    assert.equal(init.productVersion, '9.9.9');
    assert.deepEqual(init.snapshot, source.state);
  });

  test("the source's changes reach the webview, batched", async () => {
    posted.length = 0;
    source.emit({ kind: 'queue', queue: [queueRow({ id: 1 })] });
    source.emit({ kind: 'decisions', decisions: [decision({ kind: 'a' })] });
    source.emit({ kind: 'queue', queue: [queueRow({ id: 2 })] });
    source.emit({ kind: 'decisions', decisions: [decision({ kind: 'b' })] });
    const changes = await untilValue(() => posted.find((m) => m.type === 'changes'), 'a changes message');
    assert.deepEqual(changes, {
      type: 'changes',
      changes: [
        { kind: 'queue', queue: [queueRow({ id: 2 })] },
        { kind: 'decisions', decisions: [decision({ kind: 'a' }), decision({ kind: 'b' })] },
      ],
    });
  });

  test('a malformed change from the source is logged and not passed on', async () => {
    posted.length = 0;
    source.emit({ kind: 'queue', queue: [{ ...queueRow(), state: 'confused' } as never] });
    source.emit({ kind: 'agents', agents: [] });
    const changes = await untilValue(() => posted.find((m) => m.type === 'changes'), 'a changes message');
    assert.deepEqual(changes, { type: 'changes', changes: [{ kind: 'agents', agents: [] }] });
    assert.match(sink.text(), /dropped a malformed queue change from the autoscaler: at queue\.0\.state/);
  });

  test('malformed messages from the webview are refused without throwing, and never reach the source', async () => {
    posted.length = 0;
    rejected.length = 0;
    await panel!.receive(null);
    await panel!.receive('ready');
    await panel!.receive({ type: 'ready', please: 'run this' });
    await panel!.receive({ type: 'request', id: 5, method: 'teardown' });
    await panel!.receive({ type: 'request', id: 6, method: 'pause', extra: true });
    await panel!.receive({ type: 'request', id: -1, method: 'pause' });
    assert.equal(rejected.length, 6);
    assert.match(rejected[3]!, /method/);
    assert.match(rejected[4]!, /extra/);
    assert.match(rejected[5]!, /id/);
    assert.deepEqual(source.calls, []);
    // a refused request with a usable id is still answered, so the webview does not wait forever
    const responses = posted.filter((m) => m.type === 'response');
    assert.deepEqual(
      responses.map((r) => [r.id, r.ok]),
      [
        [5, false],
        [6, false],
      ],
    );
    assert.equal(panel!.ready, true, 'the panel goes on working');
  });

  test('valid requests call the source and are answered with the same id', async () => {
    posted.length = 0;
    await panel!.receive({ type: 'request', id: 10, method: 'pause' });
    await panel!.receive({ type: 'request', id: 11, method: 'scaleNow' });
    await panel!.receive({ type: 'request', id: 12, method: 'setDryRun', on: true });
    assert.deepEqual(source.calls, ['pause', 'scaleNow', 'setDryRun true']);
    assert.deepEqual(
      posted.filter((m) => m.type === 'response'),
      [
        { type: 'response', id: 10, ok: true },
        { type: 'response', id: 11, ok: true, result: { summary: 'Launched 1 agent for linux.' } },
        {
          type: 'response',
          id: 12,
          ok: false,
          error: 'Dry run cannot change while agents launch. Try again in a minute.',
        },
      ],
    );
  });

  test('closing the panel lets go of the source', () => {
    assert.equal(source.listeners.size, 1);
    let closed = false;
    panel!.onDidDispose(() => (closed = true));
    panel!.dispose();
    assert.equal(closed, true);
    assert.equal(source.listeners.size, 0);
    assert.equal(panel!.ready, false);
  });
});

suite('Jenkins queue panels per cluster (inside the extension host)', () => {
  let panels: QueuePanels | undefined;
  const sources = new Map<string, FakeQueueSource>();

  suiteTeardown(async () => {
    panels?.dispose();
    await vscode.workspace.getConfiguration('mesos').update('clusters', [], vscode.ConfigurationTarget.Global);
  });

  test('one panel per cluster; none for a cluster without a queue; a removed cluster closes its panel', async () => {
    const ext = vscode.extensions.getExtension<MesosOpsApi>('mesos-ops.mesos-ops');
    assert.ok(ext);
    const api = await ext.activate();
    await vscode.workspace.getConfiguration('mesos').update(
      'clusters',
      [
        { name: 'queue-a', masters: 'http://127.0.0.1:1', jenkinsUrl: 'http://127.0.0.1:2/' },
        { name: 'queue-b', masters: 'http://127.0.0.1:1' },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await until(
      () => api.clusters.get('queue-a') !== undefined && api.clusters.get('queue-b') !== undefined,
      'the clusters',
    );
    const sink = new MemorySink();
    // the part of the services the panels use: the real cluster registry, the extension's location, a log
    const services = {
      clusters: api.clusters,
      context: { extensionUri: ext.extensionUri },
      logger: (component: string) => createLogger(sink, component),
    } as unknown as Services;
    panels = new QueuePanels(services, (name) => {
      if (!api.clusters.get(name)?.config.jenkinsUrl) return undefined;
      if (!sources.has(name)) sources.set(name, new FakeQueueSource(snapshot({ cluster: name })));
      return sources.get(name);
    });

    const a = panels.show('queue-a');
    assert.ok(a, 'a panel for the cluster with a Jenkins queue');
    assert.equal(a.cluster, 'queue-a');
    assert.equal(a.panel.title, 'Jenkins Queue: queue-a');
    assert.equal(panels.show('queue-a'), a, 'showing it again reveals the same panel');
    assert.equal(panels.get('queue-a'), a);
    assert.equal(panels.show('queue-b'), undefined, 'no Jenkins URL, no panel');
    assert.equal(panels.show('no-such-cluster'), undefined);
    await until(() => a.ready, 'the webview to send ready', 30_000);

    await vscode.workspace
      .getConfiguration('mesos')
      .update('clusters', [{ name: 'queue-b', masters: 'http://127.0.0.1:1' }], vscode.ConfigurationTarget.Global);
    await until(() => panels!.get('queue-a') === undefined, "the removed cluster's panel to close");
    assert.equal(sources.get('queue-a')!.listeners.size, 0, 'the closed panel let go of its source');
  });
});
