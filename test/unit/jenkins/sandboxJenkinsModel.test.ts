import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  fakeChannel,
  SandboxJenkinsError,
  SandboxJenkinsModel,
  type AgentNotice,
  type SandboxJenkinsEvent,
  type SandboxJenkinsModelOptions,
} from '../../../src/sandbox/jenkins/sandboxJenkinsModel';

/** A model on a hand-driven clock: `advance(ms)` moves time and runs maintain(), as the server's timer would. */
function harness(options: SandboxJenkinsModelOptions = {}) {
  let now = 1_000_000;
  const events: SandboxJenkinsEvent[] = [];
  const model = new SandboxJenkinsModel({
    now: () => now,
    rootUrl: () => 'http://j.test/',
    secretKey: 'k',
    ...options,
  });
  model.onEvent((e) => events.push(e));
  return {
    model,
    events,
    advance(ms: number) {
      now += ms;
      model.maintain();
    },
    get now() {
      return now;
    },
    why(id: number) {
      const item = model.item(id);
      assert.ok(item, `queue item ${id} exists`);
      return model.why(item);
    },
  };
}

describe('why texts follow the BuildableItem decision table', () => {
  test('with zero agent nodes the label is never shown', () => {
    const h = harness();
    const id = h.model.enqueue({ job: 'a', label: 'linux', durationSeconds: 1 });
    assert.equal(h.why(id), 'Waiting for next available executor');
    assert.equal(h.model.isStuck(h.model.item(id)!), true);
  });

  test('a label without nodes: There are no nodes with the label ‘L’ (canonical name)', () => {
    const h = harness();
    h.model.addNode({ name: 'other', labelString: 'windows', online: true });
    const id = h.model.enqueue({ job: 'a', label: 'docker && linux', durationSeconds: 1 });
    assert.equal(h.why(id), 'There are no nodes with the label ‘docker&&linux’');
    assert.equal(h.model.isStuck(h.model.item(id)!), true);
  });

  test('exactly one node and it is offline: the node is named', () => {
    const h = harness();
    h.model.addNode({ name: 'agent-1', labelString: 'linux' });
    const id = h.model.enqueue({ job: 'a', label: 'linux', durationSeconds: 1 });
    assert.equal(h.why(id), '‘agent-1’ is offline');
  });

  test('several nodes, all offline: All nodes of label ‘L’ are offline', () => {
    const h = harness();
    h.model.addNode({ name: 'agent-1', labelString: 'linux' });
    h.model.addNode({ name: 'agent-2', labelString: 'linux' });
    const id = h.model.enqueue({ job: 'a', label: 'linux', durationSeconds: 1 });
    assert.equal(h.why(id), 'All nodes of label ‘linux’ are offline');
  });

  test('busy: the label when it has several nodes, the node when it has one', () => {
    const h = harness();
    h.model.addNode({ name: 'agent-1', labelString: 'linux', online: true });
    h.model.addNode({ name: 'agent-2', labelString: 'linux', online: true });
    h.model.addNode({ name: 'gpu-1', labelString: 'gpu', online: true });
    h.model.enqueue({ job: 'a', label: 'linux', durationSeconds: 10 });
    h.model.enqueue({ job: 'b', label: 'linux', durationSeconds: 10 });
    const third = h.model.enqueue({ job: 'c', label: 'linux', durationSeconds: 10 });
    assert.equal(h.why(third), 'Waiting for next available executor on ‘linux’');
    assert.equal(h.model.isStuck(h.model.item(third)!), false);
    h.model.enqueue({ job: 'd', label: 'gpu', durationSeconds: 10 });
    const gpu = h.model.enqueue({ job: 'e', label: 'gpu', durationSeconds: 10 });
    assert.equal(h.why(gpu), 'Waiting for next available executor on ‘gpu-1’');
  });

  test('an unlabeled item that only EXCLUSIVE or offline idle executors refuse lists the refusals', () => {
    const h = harness();
    h.model.addNode({ name: 'mesos-1', labelString: 'mesos', mode: 'EXCLUSIVE', online: true });
    h.model.addNode({ name: 'down-1', labelString: 'linux' });
    const id = h.model.enqueue({ job: 'a', durationSeconds: 1 });
    assert.equal(h.why(id), '‘down-1’ is offline; ‘mesos-1’ is reserved for jobs with matching label expression');
  });

  test('more than five refusals are cut to five and a count', () => {
    const h = harness();
    for (let i = 1; i <= 7; i++) h.model.addNode({ name: `x-${i}`, mode: 'EXCLUSIVE', online: true });
    const id = h.model.enqueue({ job: 'a', durationSeconds: 1 });
    const reserved = (n: number) => `‘x-${n}’ is reserved for jobs with matching label expression`;
    assert.equal(h.why(id), `${[1, 2, 3, 4, 5].map(reserved).join('; ')}; ... and 2 more`);
  });

  test('in one dispatch pass, an item is refused by the executors still idle after the items before it', () => {
    const h = harness();
    h.model.addNode({ name: 'gpu-1', labelString: 'gpu', mode: 'EXCLUSIVE', online: true });
    h.model.addNode({ name: 'tpu-1', labelString: 'tpu', mode: 'EXCLUSIVE', online: true });
    // one quiet period, so the three become buildable, and are dispatched, together (oldest first)
    const first = h.model.enqueue({ job: 'a', durationSeconds: 10, quietPeriodSeconds: 1 });
    h.model.enqueue({ job: 'b', label: 'gpu', durationSeconds: 10, quietPeriodSeconds: 1 });
    const third = h.model.enqueue({ job: 'c', durationSeconds: 10, quietPeriodSeconds: 1 });
    h.advance(1000);
    const reserved = (n: string) => `‘${n}’ is reserved for jobs with matching label expression`;
    assert.equal(h.why(first), `${reserved('gpu-1')}; ${reserved('tpu-1')}`);
    assert.equal(h.why(third), reserved('tpu-1'), 'gpu-1 took the gpu build in between');
  });

  test('an unlabeled item with every executor busy waits without a label', () => {
    const h = harness();
    h.model.addNode({ name: 'n', online: true });
    h.model.enqueue({ job: 'a', durationSeconds: 10 });
    const id = h.model.enqueue({ job: 'b', durationSeconds: 10 });
    assert.equal(h.why(id), 'Waiting for next available executor');
  });

  test('negations match the built-in node, which is always online', () => {
    const h = harness();
    h.model.addNode({ name: 'win', labelString: 'windows' });
    const id = h.model.enqueue({ job: 'a', label: '!windows', durationSeconds: 1 });
    assert.equal(h.why(id), 'Waiting for next available executor on ‘Built-In Node’');
    assert.equal(h.model.isStuck(h.model.item(id)!), false);
  });

  test('a lax label is named by its raw text', () => {
    const h = harness();
    h.model.addNode({ name: 'n', labelString: 'linux docker', online: true });
    const id = h.model.enqueue({ job: 'a', label: 'linux docker', durationSeconds: 1 });
    assert.equal(h.why(id), 'There are no nodes with the label ‘linux docker’');
  });
});

describe('queue life cycle', () => {
  test('an item is assigned to an idle executor whose node satisfies the label, runs, and leaves', () => {
    const h = harness();
    h.model.addNode({ name: 'small', labelString: 'linux', online: true });
    h.model.addNode({ name: 'big', labelString: 'linux docker', numExecutors: 2, online: true });
    const id = h.model.enqueue({ job: 'build', label: 'linux && docker', durationSeconds: 2 });
    const item = h.model.item(id)!;
    assert.equal(item.stage, 'left');
    assert.equal(item.executable?.node, 'big');
    assert.equal(h.model.queueItems().length, 0);
    assert.equal(h.model.busyExecutors(h.model.node('big')!), 1);
    assert.equal(h.model.nextWakeAt(), h.now + 2000);
    h.advance(1999);
    assert.equal(h.model.finishedBuilds().length, 0);
    h.advance(1);
    assert.equal(h.model.busyExecutors(h.model.node('big')!), 0);
    const [build] = h.model.finishedBuilds();
    assert.deepEqual(
      { job: build?.job, number: build?.number, node: build?.node, result: build?.result, label: build?.label },
      { job: 'build', number: 1, node: 'big', result: 'SUCCESS', label: 'linux&&docker' },
    );
    assert.deepEqual(
      h.events.map((e) => e.type),
      ['nodeCreated', 'nodeOnline', 'nodeCreated', 'nodeOnline', 'queued', 'buildStarted', 'buildFinished'],
    );
  });

  test('queue ids increase; items list waiting, blocked, then buildable newest first', () => {
    const h = harness();
    h.model.addNode({ name: 'n', labelString: 'linux', online: true });
    const running = h.model.enqueue({ job: 'solo', label: 'linux', durationSeconds: 5, concurrent: false });
    const blocked = h.model.enqueue({ job: 'solo', label: 'linux', durationSeconds: 5, concurrent: false });
    const b1 = h.model.enqueue({ job: 'x', label: 'gpu', durationSeconds: 1 });
    const b2 = h.model.enqueue({ job: 'y', label: 'gpu', durationSeconds: 1 });
    const waiting = h.model.enqueue({ job: 'z', label: 'gpu', durationSeconds: 1, quietPeriodSeconds: 5 });
    assert.deepEqual([running, blocked, b1, b2, waiting], [1, 2, 3, 4, 5]);
    assert.deepEqual(
      h.model.queueItems().map((i) => [i.id, i.stage]),
      [
        [5, 'waiting'],
        [2, 'blocked'],
        [4, 'buildable'],
        [3, 'buildable'],
      ],
    );
    assert.equal(h.why(blocked), 'A build is already in progress');
    assert.equal(h.why(waiting), 'In the quiet period. Expires in 5 sec');
    h.advance(4200);
    assert.equal(h.why(waiting), 'In the quiet period. Expires in 0.8 sec');
    h.advance(800);
    assert.equal(h.model.item(waiting)?.stage, 'buildable');
    assert.equal(h.model.item(waiting)?.buildableStartMilliseconds, h.now);
    assert.equal(h.model.item(blocked)?.stage, 'left', 'the blocked build starts once the first finished');
  });

  test('with a dispatch delay the item is pending (not demand) before it starts', () => {
    const h = harness({ dispatchDelayMs: 500 });
    h.model.addNode({ name: 'n', online: true });
    const id = h.model.enqueue({ job: 'a', durationSeconds: 1 });
    const item = h.model.item(id)!;
    assert.equal(item.stage, 'buildable');
    assert.equal(item.pending, true);
    assert.deepEqual(
      h.model.queueItems().map((i) => i.id),
      [id],
    );
    h.advance(500);
    assert.equal(item.stage, 'left');
    assert.equal(item.executable?.startedAt, h.now);
  });

  test('a temporarily offline node gets no new work but finishes what it runs', () => {
    const h = harness();
    h.model.addNode({ name: 'n', labelString: 'linux', online: true });
    h.model.enqueue({ job: 'a', label: 'linux', durationSeconds: 1 });
    h.model.toggleOffline('n', 'maintenance', 'admin');
    const node = h.model.node('n')!;
    assert.equal(node.offlineCause?.reason, 'maintenance');
    assert.equal(node.offlineCause?.description, 'Disconnected by admin : maintenance');
    const waiting = h.model.enqueue({ job: 'b', label: 'linux', durationSeconds: 1 });
    assert.equal(h.why(waiting), '‘n’ is offline');
    h.advance(1000);
    assert.equal(h.model.finishedBuilds()[0]?.result, 'SUCCESS');
    assert.equal(h.model.item(waiting)?.stage, 'buildable');
    h.model.toggleOffline('n', '', 'admin');
    assert.equal(node.offlineCause, null);
    assert.equal(h.model.item(waiting)?.stage, 'left');
  });

  test('losing the channel aborts running builds and records the cause', () => {
    const h = harness();
    const notices: AgentNotice[] = [];
    h.model.addNode({ name: 'n' });
    const channel = { ...fakeChannel(), kind: 'agent' as const, notify: (n: AgentNotice) => notices.push(n) };
    h.model.connect('n', channel);
    h.model.enqueue({ job: 'a', durationSeconds: 60 });
    assert.equal(notices[0]?.type, 'build-start');
    h.model.disconnect('n', channel, 'the agent’s connection closed');
    const node = h.model.node('n')!;
    assert.equal(h.model.isOffline(node), true);
    assert.equal(node.offlineCause?.javaClass, 'hudson.slaves.OfflineCause$ChannelTermination');
    assert.equal(h.model.finishedBuilds()[0]?.result, 'ABORTED');
    assert.equal(h.model.busyExecutors(node), 0);
    assert.ok(h.events.some((e) => e.type === 'nodeOffline' && e.node === 'n'));
  });

  test('a stale channel cannot take a reconnected node offline', () => {
    const h = harness();
    h.model.addNode({ name: 'n' });
    const first = fakeChannel();
    h.model.connect('n', first);
    h.model.disconnect('n', first, 'gone');
    const second = fakeChannel();
    h.model.connect('n', second);
    h.model.disconnect('n', first, 'late close of the old socket');
    assert.equal(h.model.isOffline(h.model.node('n')!), false);
  });

  test('connection refusals carry Jenkins texts', () => {
    const h = harness();
    h.model.addNode({ name: 'n', online: true });
    h.model.addNode({ name: 'ssh', launcher: { kind: 'other', javaClass: 'hudson.plugins.sshslaves.SSHLauncher' } });
    assert.throws(() => h.model.connect('missing', fakeChannel()), /missing is not an inbound agent/);
    assert.throws(() => h.model.connect('ssh', fakeChannel()), /ssh is not an inbound agent/);
    assert.throws(
      () => h.model.connect('n', fakeChannel()),
      (e: unknown) =>
        e instanceof SandboxJenkinsError &&
        e.message === 'n is already connected to this controller. Rejecting this connection.',
    );
  });

  test('cancel works until an executor is chosen; left items are forgotten after five minutes', () => {
    const h = harness();
    const id = h.model.enqueue({ job: 'a', label: 'nowhere', durationSeconds: 1 });
    assert.equal(h.model.cancel(id), true);
    assert.equal(h.model.item(id)?.cancelled, true);
    assert.equal(h.model.cancel(id), false);
    h.advance(5 * 60_000 - 1);
    assert.ok(h.model.item(id));
    h.advance(1);
    assert.equal(h.model.item(id), undefined);
  });

  test('Pipeline node blocks have their run number while queued', () => {
    const h = harness();
    const first = h.model.enqueue({ job: 'team/app', kind: 'pipeline', label: 'linux', durationSeconds: 1 });
    const second = h.model.enqueue({ job: 'team/app', kind: 'pipeline', label: 'linux', durationSeconds: 1 });
    assert.equal(h.model.item(first)?.task.runNumber, 1);
    assert.equal(h.model.item(second)?.task.runNumber, 2);
    assert.equal(h.model.item(first)?.task.labelExpression, null);
  });

  test('deleting a node aborts its builds and removes it', () => {
    const h = harness();
    h.model.addNode({ name: 'n', online: true });
    h.model.enqueue({ job: 'a', durationSeconds: 60 });
    assert.equal(h.model.deleteNode('n'), true);
    assert.equal(h.model.node('n'), undefined);
    assert.equal(h.model.finishedBuilds()[0]?.result, 'ABORTED');
    assert.equal(h.model.deleteNode('n'), false);
  });

  test('stuck without an offline label: after ten times the estimate (at least a minute)', () => {
    const h = harness();
    h.model.addNode({ name: 'n', online: true });
    h.model.enqueue({ job: 'a', durationSeconds: 1 });
    h.advance(1000);
    h.model.enqueue({ job: 'hog', durationSeconds: 3600 });
    const id = h.model.enqueue({ job: 'a', durationSeconds: 1 });
    h.advance(600_000);
    assert.equal(h.model.isStuck(h.model.item(id)!), false);
    h.advance(1);
    assert.equal(h.model.isStuck(h.model.item(id)!), true);
  });

  test('a listener that enqueues from an event does not upset the pass that emitted it', () => {
    const h = harness();
    h.model.addNode({ name: 'n', numExecutors: 2, online: true });
    let chained = false;
    h.model.onEvent((e) => {
      if (e.type === 'buildStarted' && !chained) {
        chained = true;
        h.model.enqueue({ job: 'chained', durationSeconds: 1 });
      }
    });
    h.model.enqueue({ job: 'a', durationSeconds: 1 });
    const starts = h.events.filter((e) => e.type === 'buildStarted').map((e) => (e as { job: string }).job);
    assert.deepEqual(starts, ['a', 'chained']);
  });
});

test('agent secrets are 64 hex characters, stable per name and key, different per name', () => {
  const a = new SandboxJenkinsModel({ secretKey: 'k' });
  const b = new SandboxJenkinsModel({ secretKey: 'k' });
  const c = new SandboxJenkinsModel({ secretKey: 'other' });
  assert.match(a.agentSecret('n'), /^[0-9a-f]{64}$/);
  assert.equal(a.agentSecret('n'), b.agentSecret('n'));
  assert.notEqual(a.agentSecret('n'), a.agentSecret('m'));
  assert.notEqual(a.agentSecret('n'), c.agentSecret('n'));
});

test('node names and executors are validated', () => {
  const h = harness();
  h.model.addNode({ name: 'n' });
  assert.throws(() => h.model.addNode({ name: 'n' }), /Agent called ‘n’ already exists/);
  assert.throws(() => h.model.addNode({ name: 'z', numExecutors: 0 }), /invalid number of executors/);
});
