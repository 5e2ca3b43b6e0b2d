import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Endpoint } from '../../../src/core/http/endpoint';
import { AgentFilesClient, MAX_READ_LENGTH, SandboxFileError } from '../../../src/core/mesos/files';
import { SandboxFileFollower } from '../../../src/core/mesos/files/sandboxFileFollower';
import { AgentHttpServer } from '../../../src/sandbox/mesos/agent/agentHttpServer';
import { SandboxAgent } from '../../../src/sandbox/mesos/agent/sandboxAgent';
import { addAgentTask } from '../../support/sandboxAgentTasks';
import { until } from '../../support/until';

// The follower behind `tail -f` and the log panels, against a sandbox agent serving real files.

let root: string;
let server: AgentHttpServer;
let endpoint: Endpoint;
let client: AgentFilesClient;
let file: string;
const path = '/frameworks/fw/executors/t/runs/latest/stdout';

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'mesos-ops-follow-'));
  const agent = new SandboxAgent('agent-S0', { statusUpdate: () => undefined }, { workDir: join(root, 'work') });
  const task = addAgentTask(agent, { frameworkId: 'fw', taskId: 't' });
  file = join(task.directory, 'stdout');
  writeFileSync(file, 'old line\n');
  server = new AgentHttpServer({
    agent,
    info: { hostname: '127.0.0.1', port: 0, resources: [], attributes: [], masterHostname: '127.0.0.1', startTime: 0, version: '1.12.0' },
  });
  const port = await server.listen(0);
  endpoint = new Endpoint({ baseUrl: `http://127.0.0.1:${port}` });
  client = new AgentFilesClient(endpoint);
});
after(async () => {
  await endpoint.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function collector() {
  const chunks: Buffer[] = [];
  return { chunks, text: () => Buffer.concat(chunks).toString('utf8'), onData: (d: Uint8Array) => chunks.push(Buffer.from(d)) };
}


test('starts with the last N bytes, then delivers what is appended, in order', async () => {
  writeFileSync(file, 'first\nsecond\n');
  const out = collector();
  const follower = new SandboxFileFollower({ client, path, tailBytes: 7, pollMs: 20, onData: out.onData });
  const controller = new AbortController();
  const following = follower.follow(controller.signal);
  await until(() => out.text() === 'second\n');
  appendFileSync(file, 'third\n');
  await until(() => out.text() === 'second\nthird\n');
  controller.abort();
  await following;
});

test('a burst larger than one read is delivered whole, page after page', async () => {
  writeFileSync(file, '');
  const out = collector();
  const follower = new SandboxFileFollower({ client, path, pollMs: 20, onData: out.onData });
  const controller = new AbortController();
  const following = follower.follow(controller.signal);
  await until(() => follower.position === 0);
  const burst = Buffer.alloc(3 * MAX_READ_LENGTH + 123, 'x');
  appendFileSync(file, burst);
  await until(() => Buffer.concat(out.chunks).length === burst.length);
  assert.ok(out.chunks.length >= 4, 'read in 64 KiB pages');
  controller.abort();
  await following;
});

test('a truncated file is followed again from its start, and said so', async () => {
  writeFileSync(file, 'a long first generation of the log\n');
  const out = collector();
  const truncations: [number, number][] = [];
  const follower = new SandboxFileFollower({ client, path, fromOffset: 0, pollMs: 20, onData: out.onData, onTruncated: (a, b) => truncations.push([a, b]) });
  const controller = new AbortController();
  const following = follower.follow(controller.signal);
  await until(() => out.text().includes('first generation'));
  truncateSync(file, 0);
  appendFileSync(file, 'new\n');
  await until(() => out.text().endsWith('new\n'));
  assert.deepEqual(truncations, [[35, 4]]);
  controller.abort();
  await following;
});

test('drain() reads what is there and returns: the last read after a task ended', async () => {
  writeFileSync(file, 'x'.repeat(MAX_READ_LENGTH + 10));
  const out = collector();
  const follower = new SandboxFileFollower({ client, path, fromOffset: 0, onData: out.onData });
  assert.equal(await follower.drain(AbortSignal.timeout(5000)), MAX_READ_LENGTH + 10);
  assert.equal(await follower.drain(AbortSignal.timeout(5000)), 0);
});

test('a sandbox that is gone ends following with a typed error', async () => {
  const follower = new SandboxFileFollower({ client, path: '/frameworks/fw/executors/none/runs/latest/stdout', fromOffset: 0, onData: () => undefined });
  await assert.rejects(follower.follow(AbortSignal.timeout(5000)), (err: unknown) => err instanceof SandboxFileError && err.kind === 'not-found');
});

test('an agent hiccup (500s) is ridden out with retries', async () => {
  let failures = 2;
  const flaky = createServer((req, res) => {
    if (failures-- > 0) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      return;
    }
    const offset = new URL(req.url!, 'http://x').searchParams.get('offset');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(offset === '-1' || offset === null ? '{"data":"","offset":3}' : offset === '0' ? '{"data":"ok\\n","offset":0}' : `{"data":"","offset":${offset}}`);
  });
  await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', () => r()));
  const flakyEndpoint = new Endpoint({ baseUrl: `http://127.0.0.1:${(flaky.address() as AddressInfo).port}` });
  try {
    const out = collector();
    const retries: number[] = [];
    const follower = new SandboxFileFollower({
      client: new AgentFilesClient(flakyEndpoint),
      path: '/x/stdout',
      fromOffset: 0,
      pollMs: 20,
      random: () => 0,
      onData: out.onData,
      onRetry: (_e, delay) => retries.push(delay),
    });
    const controller = new AbortController();
    const following = follower.follow(controller.signal);
    await until(() => out.text() === 'ok\n');
    assert.equal(retries.length, 2);
    controller.abort();
    await following;
  } finally {
    await flakyEndpoint.close();
    await new Promise((r) => flaky.close(r));
  }
});
