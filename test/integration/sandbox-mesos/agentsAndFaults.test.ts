import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { request } from 'undici';
import type { TaskInfo } from '../../../src/core/mesos/codec';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { launchRunning } from '../../support/launchRunning';
import { rawPost, rawSubscribe, type RawSubscription } from '../../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../../support/sandboxFixture';
import { commandTask } from '../../support/taskInfoBuilder';

// Sandbox agents fetching URIs into sandboxes, agents vanishing, and the master's injected faults.

async function runToEnd(sub: RawSubscription, info: TaskInfo): Promise<string> {
  let final = '';
  for (let from = 0; !final; ) {
    const event = await sub.waitFor((e) => e.update?.status.task_id.value === info.task_id.value && sub.events.indexOf(e) >= from);
    from = sub.events.indexOf(event) + 1;
    const s = event.update!.status;
    if (s.uuid) await sub.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: s.agent_id!, task_id: s.task_id, uuid: s.uuid } });
    if (['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR'].includes(s.state)) final = `${s.state}: ${s.message ?? ''}`;
  }
  return final;
}

describe('sandbox agents: URIs fetched into the sandbox', () => {
  let cluster: SandboxCluster;
  let files: Server;
  let base: string;
  let dir: string;
  before(async () => {
    ({ cluster } = await startTestSandbox({ agents: 1 }));
    dir = mkdtempSync(join(tmpdir(), 'mesos-ops-uris-'));
    writeFileSync(join(dir, 'hello.txt'), 'hello from a tarball\n');
    execFileSync('tar', ['-czf', join(dir, 'bundle.tar.gz'), '-C', dir, 'hello.txt']);
    writeFileSync(join(dir, 'tool.sh'), '#!/bin/sh\necho tool ran\n');
    files = createServer((req, res) => {
      const name = req.url!.split('?')[0]!.slice(1);
      let content: Buffer;
      try {
        content = readFileSync(join(dir, name));
      } catch {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200).end(content);
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
  });
  after(async () => {
    await cluster.stop();
    await new Promise((r) => files.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  test('an archive over http is extracted, an executable is made runnable, output_file renames', async () => {
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo());
    try {
      const offer = (await sub.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
      const info = commandTask(offer, 'fetcher', {
        value: 'cat hello.txt && ./runme && test -f local-copy.txt',
        uris: [
          { value: `${base}/bundle.tar.gz` },
          { value: `${base}/tool.sh?x=1`, executable: true, output_file: 'runme' },
          { value: join(dir, 'hello.txt'), extract: false, output_file: 'local-copy.txt' },
        ],
      });
      await sub.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [info] } }] } });
      assert.equal(await runToEnd(sub, info), 'TASK_FINISHED: Command exited with status 0');
      const run = cluster.agents[0]!.agent.completed.find((t) => t.info.task_id.value === 'fetcher')!;
      assert.equal(readFileSync(join(run.directory, 'stdout'), 'utf8'), 'hello from a tarball\ntool ran\n');
      assert.ok(statSync(join(run.directory, 'runme')).mode & 0o100, 'executable flag set');
    } finally {
      await sub.call({ type: 'TEARDOWN' });
      sub.close();
    }
  });

  test('a URI that cannot be fetched fails the task and names the URI', async () => {
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo());
    try {
      const offer = (await sub.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
      const info = commandTask(offer, 'missing-uri', { value: 'true', uris: [{ value: `${base}/nope.tar.gz` }] });
      const accepted = await sub.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [info] } }] } });
      assert.equal(accepted.status, 202, accepted.body);
      const final = await runToEnd(sub, info);
      assert.match(final, /^TASK_FAILED: Failed to launch container: Failed to fetch all URIs.*nope\.tar\.gz.*HTTP 404/);
    } finally {
      await sub.call({ type: 'TEARDOWN' });
      sub.close();
    }
  });
});

describe('sandbox agents removed, and master faults', () => {
  let cluster: SandboxCluster;
  const subs: RawSubscription[] = [];
  before(async () => {
    ({ cluster } = await startTestSandbox({ agents: 2, masters: 2 }));
  });
  afterEach(async () => {
    for (const sub of subs.splice(0)) {
      await sub.call({ type: 'TEARDOWN' }).catch(() => undefined);
      sub.close();
    }
  });
  after(() => cluster.stop());

  const admin = async (path: string, body?: unknown) => {
    const res = await request(`${cluster.leaderUrl}/__sandbox/${path}`, { method: 'POST', ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: res.statusCode, body: await res.body.text() };
  };

  for (const [capability, state] of [
    ['PARTITION_AWARE', 'TASK_UNREACHABLE'],
    [undefined, 'TASK_LOST'],
  ] as const) {
    test(`removing an agent: its tasks become ${state}, without uuid, and the framework hears FAILURE`, async () => {
      const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo(capability ? { capabilities: [{ type: capability }] } : {}));
      subs.push(sub);
      const offer = await launchRunning(sub, (o) => [commandTask(o, `doomed-${state}`, { value: 'sleep 60' })]);
      const removed = await admin(`agents/${encodeURIComponent(offer.agent_id.value)}/remove`);
      assert.equal(removed.status, 200, removed.body);
      const lost = (await sub.waitFor((e) => e.update?.status.state === state)).update!.status;
      assert.equal(lost.reason, 'REASON_AGENT_REMOVED');
      assert.equal(lost.source, 'SOURCE_MASTER');
      assert.equal(lost.uuid, undefined);
      const failure = await sub.waitFor((e) => e.type === 'FAILURE');
      assert.equal(failure.failure?.agent_id?.value, offer.agent_id.value);
      await admin('agents'); // a new agent joins, so later tests keep two
    });
  }

  test('503 while the master "recovers", a redirect loop, then normal service', async () => {
    const body = JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name: 'x' } } });
    const url = `${cluster.leaderUrl}/api/v1/scheduler`;
    await admin('faults', { unavailable: true });
    let r = await rawPost(url, body, { 'Content-Type': 'application/json' });
    assert.equal(r.status, 503);
    assert.equal(r.body, 'Master has not finished recovery');
    await admin('faults', { unavailable: false, redirectLoop: true });
    r = await rawPost(url, body, { 'Content-Type': 'application/json' });
    assert.equal(r.status, 307);
    assert.equal(r.headers.location, `//127.0.0.1:${new URL(cluster.leaderUrl).port}/master/api/v1/scheduler`);
    await admin('faults', { redirectLoop: false });
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo());
    subs.push(sub);
    assert.equal(sub.status, 200);
  });

  test('rescinding offers sends RESCIND for each outstanding offer', async () => {
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo());
    subs.push(sub);
    const offer = (await sub.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
    const r = await admin('offers/rescind');
    assert.equal(r.status, 200);
    const rescind = await sub.waitFor((e) => e.type === 'RESCIND' && e.rescind?.offer_id.value === offer.id.value);
    assert.ok(rescind);
  });
});
