import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { request } from 'undici';
import type { Offer, TaskInfo } from '../../../src/core/mesos/codec';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { rawSubscribe, type RawSubscription } from '../../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../../support/sandboxFixture';
import { commandTask } from '../../support/taskInfoBuilder';
import { launchRunning } from '../../support/launchRunning';
import { startLoopbackServer, type LoopbackServer } from '../../support/loopbackServer';
import { processAlive } from '../../support/processAlive';
import { until } from '../../support/until';

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

function readPids(dir: string, ids: string[]): number[] {
  return ids.flatMap((id) => readFileSync(join(dir, `${id}.pid`), 'utf8').trim().split('\n').map(Number));
}

test('stopping the sandbox cluster kills every task process, grandchildren that ignore SIGTERM included', async () => {
  const { cluster } = await startTestSandbox({ agents: 2 });
  const dir = cluster.describe().workDir;
  try {
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo());
    await launchRunning(sub, (offer) => [sleeper(offer, 'keep-a', dir), sleeper(offer, 'keep-b', dir)]);
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
    await launchRunning(sub, (offer) => [sleeper(offer, 'cli-task', workDir)]);
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

// A task whose URI fetch hangs is still starting: a TEARDOWN, a KILL or a stop in that window must end it
// without ever running its command (Mesos destroys the container, fetcher included).

/** A file server that holds every answer until released: the agent's fetch hangs meanwhile. */
async function heldFileServer(): Promise<{ server: LoopbackServer; release: () => void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = await startLoopbackServer(async (req, res) => {
    await released;
    if (!req.socket.destroyed) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('#!/bin/sh\necho fetched\n');
  });
  return { server, release };
}

/** Whether `promise` settles within `ms` (the timer is cleared either way). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    promise.then(() => true, () => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return settled;
}

function fetchingTask(offer: Offer, id: string, fileUrl: string, pidFile: string): TaskInfo {
  return commandTask(offer, id, { value: `echo $$ > ${pidFile}; exec sleep 300`, uris: [{ value: `${fileUrl}/tool.sh`, executable: true }] });
}

async function launchFetching(sub: RawSubscription, files: LoopbackServer, id: string, pidFile: string): Promise<TaskInfo> {
  const offer = (await sub.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
  const info = fetchingTask(offer, id, files.url, pidFile);
  await sub.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: [info] } }] } });
  await until(() => files.requests.length === 1, 'the agent to ask for the URI', 5000);
  return info;
}

function usedCpus(cluster: SandboxCluster): number {
  const used = [...cluster.master.agents.values()].flatMap((a) => a.used);
  return used.filter((r) => r.name === 'cpus').reduce((sum, r) => sum + (r.scalar?.value ?? 0), 0);
}

function survivors(pidFile: string): number[] {
  return existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim().split('\n').map(Number).filter(processAlive) : [];
}

test('a TEARDOWN while a task fetches its URIs ends the task TASK_KILLED, drops the fetch and never runs the command', { timeout: 30_000 }, async () => {
  const { cluster } = await startTestSandbox();
  const files = await heldFileServer();
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ops-fetch-teardown-'));
  const pidFile = join(dir, 'task.pid');
  try {
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo());
    await launchFetching(sub, files.server, 'fetching', pidFile);
    const agent = cluster.agents[0]!.agent;
    assert.equal(agent.tasks.get(`${sub.frameworkId}/fetching`)?.state, 'TASK_STAGING', 'the task is still fetching');
    assert.equal((await sub.call({ type: 'TEARDOWN' })).status, 202);
    const onAgent = () => agent.completed.find((t) => t.info.task_id.value === 'fetching');
    await until(() => onAgent()?.state === 'TASK_KILLED', 'the agent to end the task TASK_KILLED while the fetch still hangs', 5000);
    assert.equal(cluster.master.completedTasks.find((t) => t.task.task_id.value === 'fetching')?.task.state, 'TASK_KILLED');
    assert.equal(usedCpus(cluster), 0, 'the task and its executor gave their resources back');
    assert.equal(await settlesWithin(files.server.requests[0]!.socketClosed, 5000), true, 'the fetch connection was dropped');
    files.release();
    sub.close();
    await cluster.stop();
    assert.deepEqual(survivors(pidFile), [], 'no process of the task is left');
    assert.equal(existsSync(pidFile), false, 'the command never ran');
  } finally {
    files.release();
    await cluster.stop();
    await files.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a KILL while a task fetches its URIs answers TASK_KILLED at once, as Mesos does before delivery to the executor', { timeout: 30_000 }, async () => {
  const { cluster } = await startTestSandbox();
  const files = await heldFileServer();
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ops-fetch-kill-'));
  const pidFile = join(dir, 'task.pid');
  try {
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo({ capabilities: [{ type: 'TASK_KILLING_STATE' }] }));
    const info = await launchFetching(sub, files.server, 'fetching', pidFile);
    assert.equal((await sub.call({ type: 'KILL', kill: { task_id: info.task_id, agent_id: info.agent_id } })).status, 202);
    const killed = (await sub.waitFor((e) => e.update?.status.task_id.value === 'fetching' && e.update.status.state === 'TASK_KILLED', 5000)).update!.status;
    assert.equal(killed.source, 'SOURCE_AGENT');
    assert.equal(killed.reason, 'REASON_TASK_KILLED_DURING_LAUNCH');
    assert.equal(killed.message, 'Killed before delivery to the executor');
    assert.deepEqual(
      sub.events.filter((e) => e.update?.status.task_id.value === 'fetching').map((e) => e.update!.status.state),
      ['TASK_KILLED'],
      'the task never started, so no TASK_STARTING, TASK_RUNNING or TASK_KILLING',
    );
    await sub.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: killed.agent_id!, task_id: killed.task_id, uuid: killed.uuid! } });
    await until(() => cluster.master.completedTasks.some((t) => t.task.task_id.value === 'fetching'), 'the master to complete the task', 5000);
    assert.equal(cluster.master.completedTasks.find((t) => t.task.task_id.value === 'fetching')?.task.state, 'TASK_KILLED');
    assert.equal(usedCpus(cluster), 0, 'the task and its executor gave their resources back');
    assert.equal(await settlesWithin(files.server.requests[0]!.socketClosed, 5000), true, 'the fetch connection was dropped');
    files.release();
    sub.close();
    await cluster.stop();
    assert.deepEqual(survivors(pidFile), [], 'no process of the task is left');
    assert.equal(existsSync(pidFile), false, 'the command never ran');
  } finally {
    files.release();
    await cluster.stop();
    await files.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stopping the cluster while a task fetches its URIs drops the fetch, ends the task and leaves no process', { timeout: 30_000 }, async () => {
  const { cluster } = await startTestSandbox();
  const files = await heldFileServer();
  const dir = mkdtempSync(join(tmpdir(), 'mesos-ops-fetch-stop-'));
  const pidFile = join(dir, 'task.pid');
  try {
    const sub = await rawSubscribe(cluster.leaderUrl, frameworkInfo());
    await launchFetching(sub, files.server, 'fetching', pidFile);
    const agent = cluster.agents[0]!.agent;
    sub.close();
    await cluster.stop();
    assert.equal(agent.tasks.get(`${sub.frameworkId}/fetching`)?.state, 'TASK_KILLED', 'stop() ends the starting task');
    assert.equal(await settlesWithin(files.server.requests[0]!.socketClosed, 5000), true, 'the fetch connection was dropped');
    files.release();
    assert.deepEqual(survivors(pidFile), [], 'no process of the task is left');
    assert.equal(existsSync(pidFile), false, 'the command never ran');
  } finally {
    files.release();
    await cluster.stop();
    await files.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
