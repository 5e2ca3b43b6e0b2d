import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { request } from 'undici';
import type { Offer, TaskInfo } from '../../../src/core/mesos/codec';
import { rawSubscribe, type RawSubscription } from '../../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../../support/sandboxFixture';
import { commandTask } from '../../support/taskInfoBuilder';
import { processAlive } from '../../support/processAlive';

// No task process may outlive the sandbox: stopping the cluster, or Ctrl-C on `mesos-ops sandbox`, kills
// every task's whole process group (the shell and what it started).


async function waitGone(pids: number[], ms = 5000): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && pids.some(processAlive)) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(processAlive);
}

function sleeper(offer: Offer, id: string, dir: string): TaskInfo {
  // a grandchild that ignores SIGTERM and writes its pid where the test can read it
  return commandTask(offer, id, `(trap '' TERM; sleep 300) & echo $! > ${join(dir, `${id}.pid`)}; echo $$ >> ${join(dir, `${id}.pid`)}; wait`);
}

async function launchAndAck(sub: RawSubscription, tasks: (offer: Offer) => TaskInfo[]): Promise<void> {
  const offer = (await sub.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
  const infos = tasks(offer);
  await sub.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: infos } }] } });
  for (const info of infos) {
    for (const state of ['TASK_STARTING', 'TASK_RUNNING'] as const) {
      const status = (await sub.waitFor((e) => e.update?.status.task_id.value === info.task_id.value && e.update.status.state === state)).update!.status;
      await sub.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id!, task_id: status.task_id, uuid: status.uuid! } });
    }
  }
}

function readPids(dir: string, ids: string[]): number[] {
  return ids.flatMap((id) => readFileSync(join(dir, `${id}.pid`), 'utf8').trim().split('\n').map(Number));
}

test('stopping the sandbox cluster kills every task process, grandchildren that ignore SIGTERM included', async () => {
  const { cluster } = await startTestSandbox({ agents: 2 });
  const dir = cluster.describe().workDir;
  try {
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo());
    await launchAndAck(sub, (offer) => [sleeper(offer, 'keep-a', dir), sleeper(offer, 'keep-b', dir)]);
    await new Promise((r) => setTimeout(r, 100));
    const pids = readPids(dir, ['keep-a', 'keep-b']);
    assert.equal(pids.length, 4);
    assert.ok(pids.every(processAlive), 'the tasks run before the stop');
    sub.close();
    await cluster.stop();
    assert.deepEqual(await waitGone(pids), [], 'no task process survives the stop');
  } finally {
    await cluster.stop();
  }
});

test('`mesos-ops sandbox --jenkins` prints every URL; Ctrl-C stops it, exits 0 and leaves no task process', { timeout: 60_000 }, async () => {
  const args = ['sandbox', '--agents', '1', '--port', '0', '--allocation-interval', '100', '--jenkins', '--jenkins-port', '0'];
  const cli = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', '..', 'src', 'cli', 'bin.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
  cli.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 30_000;
    while (!/Press Ctrl-C to stop/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const leader = /leading master\s+(http:\S+)/.exec(out)?.[1];
    const workDir = /work dir\s+(\S+)/.exec(out)?.[1];
    assert.ok(leader && workDir, `the CLI printed no URLs:\n${out}`);
    assert.match(out, /agent\s+http:\/\/127\.0\.0\.1:\d+/);
    const jenkins = /jenkins\s+(http:\S+)/.exec(out)?.[1];
    assert.ok(jenkins, `no Jenkins URL printed:\n${out}`);
    const queue = await request(`${jenkins}queue/api/json`);
    assert.equal(queue.statusCode, 200);
    assert.ok(Array.isArray(((await queue.body.json()) as { items: unknown[] }).items));
    const sub = await rawSubscribe(leader, frameworkInfo());
    await launchAndAck(sub, (offer) => [sleeper(offer, 'cli-task', workDir)]);
    await new Promise((r) => setTimeout(r, 100));
    const pids = readPids(workDir, ['cli-task']);
    assert.ok(pids.every(processAlive));
    cli.kill('SIGINT');
    assert.equal(await exited, 0, out);
    sub.close();
    assert.deepEqual(await waitGone(pids), [], 'no task process survives Ctrl-C');
  } finally {
    cli.kill('SIGKILL');
  }
});
