import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSandboxJenkins } from '../../../src/sandbox/jenkins/sandboxJenkins';
import { parseWorkload } from '../../../src/sandbox/jenkins/workload';
import { getJson, nodeForm, post } from './sandboxTestKit';

interface Item {
  id: number;
  why: string | null;
  stuck: boolean;
  buildable: boolean;
  pending?: boolean;
}

const QUEUE_TREE = 'items[id,why,stuck,buildable,pending,task[name,labelExpression]]';

test(
  'a build waits with the right why texts while the nodes change, then runs on the matching node and leaves',
  { timeout: 20_000 },
  async (t) => {
    const jenkins = await startSandboxJenkins({ csrf: false });
    t.after(() => jenkins.close());
    const queue = async () =>
      (await getJson<{ items: Item[] }>(`${jenkins.url}queue/api/json?tree=${QUEUE_TREE}`)).items;
    const whyOf = async (id: number) => (await queue()).find((i) => i.id === id)?.why;

    // Long enough that the HTTP reads below see it running even on a loaded machine.
    const id = jenkins.enqueue({ job: 'compile', label: 'mesos && linux', durationSeconds: 1 });
    assert.equal(await whyOf(id), 'Waiting for next available executor', 'no agent nodes: the label is not shown');

    const created = await post(
      `${jenkins.url}computer/doCreateItem`,
      nodeForm('mesos-1', {
        numExecutors: 1,
        labelString: 'mesos linux',
        mode: 'EXCLUSIVE',
        remoteFS: '/tmp/a',
        launcher: { $class: 'hudson.slaves.JNLPLauncher' },
      }),
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    );
    assert.equal(created.status, 302);
    assert.equal(created.headers.get('location'), `${jenkins.url}computer/`);
    assert.equal(await whyOf(id), '‘mesos-1’ is offline');

    await post(
      `${jenkins.url}computer/doCreateItem`,
      nodeForm('mesos-2', { labelString: 'mesos linux', mode: 'EXCLUSIVE' }),
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    );
    assert.equal(await whyOf(id), 'All nodes of label ‘mesos&&linux’ are offline');
    assert.equal((await queue())[0]?.stuck, true);

    const other = jenkins.enqueue({ job: 'lint', label: 'windows', durationSeconds: 0.3 });
    assert.equal(await whyOf(other), 'There are no nodes with the label ‘windows’');

    const finished = jenkins.waitForEvent((e) => e.type === 'buildFinished' && e.build.queueId === id);
    jenkins.setNodeOnline('mesos-2', true);
    const started = await getJson<{ _class: string; executable: { number: number; url: string } }>(
      `${jenkins.url}queue/item/${id}/api/json?tree=executable[number,url]`,
    );
    assert.equal(started._class, 'hudson.model.Queue$LeftItem');
    assert.deepEqual(started.executable, {
      _class: 'hudson.model.FreeStyleBuild',
      number: 1,
      url: `${jenkins.url}job/compile/1/`,
    });
    const busy = await getJson<{ idle: boolean }>(`${jenkins.url}computer/mesos-2/api/json?tree=idle`);
    assert.equal(busy.idle, false);
    assert.deepEqual(
      (await queue()).map((i) => i.id),
      [other],
    );

    const event = await finished;
    assert.equal(event.type === 'buildFinished' && event.build.node, 'mesos-2');
    const idle = await getJson<{ idle: boolean }>(`${jenkins.url}computer/mesos-2/api/json?tree=idle`);
    assert.equal(idle.idle, true);
    assert.deepEqual(
      jenkins.finishedBuilds().map((b) => [b.job, b.number, b.node, b.result, b.label]),
      [['compile', 1, 'mesos-2', 'SUCCESS', 'mesos&&linux']],
    );
  },
);

test(
  'a second build for a busy single node names the node; the next one starts when it frees up',
  { timeout: 20_000 },
  async (t) => {
    const jenkins = await startSandboxJenkins({ nodes: [{ name: 'solo', labelString: 'linux', online: true }] });
    t.after(() => jenkins.close());
    jenkins.enqueue({ job: 'a', label: 'linux', durationSeconds: 1 });
    const second = jenkins.enqueue({ job: 'b', label: 'linux', durationSeconds: 0.1 });
    const item = await getJson<Item>(`${jenkins.url}queue/item/${second}/api/json?tree=why,buildable,pending`);
    assert.deepEqual(item, {
      _class: 'hudson.model.Queue$BuildableItem',
      why: 'Waiting for next available executor on ‘solo’',
      buildable: true,
      pending: false,
    });
    await jenkins.waitForEvent((e) => e.type === 'buildFinished' && e.build.queueId === second);
    assert.deepEqual(
      jenkins.finishedBuilds().map((b) => b.job),
      ['a', 'b'],
    );
  },
);

test('a workload file drives the queue over time', { timeout: 20_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-jenkins-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'workload.jsonl');
  await writeFile(
    file,
    [
      '{"job":"first","label":"linux","durationSeconds":0.1}',
      '{"job":"team/pipe","kind":"pipeline","label":"linux","durationSeconds":0.1,"at":0.2}',
      '{"job":"unlabeled","durationSeconds":0.1,"at":0.3}',
    ].join('\n'),
  );
  const { readFile } = await import('node:fs/promises');
  const workload = parseWorkload(await readFile(file, 'utf8'), file);
  const beforeStart = Date.now();
  const jenkins = await startSandboxJenkins({
    workload,
    nodes: [{ name: 'n', labelString: 'linux', numExecutors: 2, online: true }],
  });
  t.after(() => jenkins.close());
  const done = new Set<string>();
  await new Promise<void>((resolve) => {
    const off = jenkins.onEvent((e) => {
      if (e.type === 'buildFinished') done.add(e.build.job);
      if (done.size === 3) {
        off();
        resolve();
      }
    });
  });
  const byJob = new Map(jenkins.finishedBuilds().map((b) => [b.job, b]));
  const first = byJob.get('first');
  const pipe = byJob.get('team/pipe');
  const unlabeled = byJob.get('unlabeled');
  assert.ok(first && pipe && unlabeled);
  // The workload clock starts after beforeStart, so these are lower bounds that cannot flake.
  assert.ok(pipe.enqueuedAt - beforeStart >= 200, 'entries enter the queue no earlier than their `at`');
  assert.ok(unlabeled.enqueuedAt - beforeStart >= 300, 'entries enter the queue no earlier than their `at`');
  assert.equal(pipe.kind, 'pipeline');
  assert.ok(jenkins.finishedBuilds().every((b) => b.result === 'SUCCESS' && b.node === 'n'));
});

test('a seeded random workload keeps the queue busy', { timeout: 20_000 }, async (t) => {
  const jenkins = await startSandboxJenkins({
    workload: {
      random: {
        seed: 7,
        meanIntervalSeconds: 0.02,
        labels: ['linux', null],
        durationSeconds: { min: 0.01, max: 0.05 },
        maxBuilds: 10,
      },
    },
    nodes: [{ name: 'n', labelString: 'linux', numExecutors: 3, online: true }],
  });
  t.after(() => jenkins.close());
  let count = 0;
  await jenkins.waitForEvent((e) => e.type === 'buildFinished' && ++count === 10);
  assert.equal(jenkins.finishedBuilds().length, 10);
  assert.ok(jenkins.finishedBuilds().every((b) => b.result === 'SUCCESS'));
});

test('dispatch delay shows pending items, which the queue lists last', { timeout: 20_000 }, async (t) => {
  const jenkins = await startSandboxJenkins({ dispatchDelayMs: 60_000, nodes: [{ name: 'n', online: true }] });
  t.after(() => jenkins.close());
  const pending = jenkins.enqueue({ job: 'a', durationSeconds: 1 });
  const waiting = jenkins.enqueue({ job: 'b', durationSeconds: 1 });
  const items = (await getJson<{ items: Item[] }>(`${jenkins.url}queue/api/json?tree=items[id,pending,buildable]`))
    .items;
  assert.deepEqual(
    items.map((i) => [i.id, i.pending]),
    [
      [waiting, false],
      [pending, true],
    ],
  );
});
