import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startInboundAgent } from '../../../src/sandbox/jenkins/inboundAgent';
import { startSandboxJenkins, type SandboxJenkins } from '../../../src/sandbox/jenkins/sandboxJenkins';
import { bundleSandboxAgent } from '../../support/sandboxAgentBundle';
import { basic, fetchAgentSecret, getJson, nodeForm, post, ProcessKeeper } from './sandboxTestKit';

const keeper = new ProcessKeeper();
let dir: string;
let jenkins: SandboxJenkins;
const admin = { Authorization: basic('admin', 'token') };
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sandbox-agent-'));
  jenkins = await startSandboxJenkins({
    security: { users: [{ id: 'admin', apiTokens: ['token'] }] },
    agentPingIntervalMs: 200,
  });
});

after(async () => {
  await keeper.killAll();
  await jenkins.close();
  await rm(dir, { recursive: true, force: true });
});

async function createInboundNode(name: string, labelString: string): Promise<string> {
  const res = await post(
    `${jenkins.url}computer/doCreateItem`,
    nodeForm(name, {
      numExecutors: 1,
      remoteFS: join(dir, name),
      labelString,
      mode: 'EXCLUSIVE',
      launcher: { $class: 'hudson.slaves.JNLPLauncher' },
    }),
    { ...admin, ...FORM },
  );
  assert.equal(res.status, 302);
  return fetchAgentSecret(jenkins.url, name, admin);
}

async function computer(name: string) {
  return getJson<{ offline: boolean; offlineCauseReason: string; idle: boolean }>(
    `${jenkins.url}computer/${name}/api/json?tree=offline,offlineCauseReason,idle`,
    admin,
  );
}

test(
  'create a node, read its secret, connect a real agent process, run a build, kill the agent: the node goes offline',
  { timeout: 30_000 },
  async () => {
    const secret = await createInboundNode('agent-a', 'mesos linux');
    assert.equal(
      (await computer('agent-a')).offline,
      true,
      'a created inbound node is offline until its agent connects',
    );

    const online = jenkins.waitForEvent((e) => e.type === 'nodeOnline' && e.node === 'agent-a');
    const workDir = join(dir, 'agent-a-work');
    const agent = keeper.spawnAgent([
      '-url',
      jenkins.url,
      '-name',
      'agent-a',
      '-secret',
      secret,
      '-workDir',
      workDir,
      '-noReconnect',
    ]);
    await online;
    assert.equal((await computer('agent-a')).offline, false);
    assert.ok(existsSync(join(workDir, 'remoting')), 'the agent prepares its work directory');
    assert.doesNotMatch(agent.output(), new RegExp(secret), 'the secret is never logged');

    const finished = jenkins.waitForEvent((e) => e.type === 'buildFinished' && e.build.job === 'compile');
    jenkins.enqueue({ job: 'compile', label: 'mesos && linux', durationSeconds: 0.3 });
    await agent.waitForOutput(/Build started: compile #1 \(queue item \d+\) on executor 0/);
    const event = await finished;
    assert.equal(event.type === 'buildFinished' && event.build.result, 'SUCCESS');
    await agent.waitForOutput(/Build finished: compile #1: SUCCESS/);

    const long = jenkins.enqueue({ job: 'long', label: 'mesos', durationSeconds: 600 });
    await agent.waitForOutput(/Build started: long #1/);
    const offline = jenkins.waitForEvent((e) => e.type === 'nodeOffline' && e.node === 'agent-a');
    agent.child.kill('SIGKILL');
    await offline;
    const after = await computer('agent-a');
    assert.equal(after.offline, true);
    assert.match(after.offlineCauseReason, /^Connection was broken/);
    assert.equal(after.idle, true);
    assert.equal(jenkins.finishedBuilds().find((b) => b.queueId === long)?.result, 'ABORTED');
    assert.equal(await agent.exited, 'SIGKILL');
  },
);

test('a wrong secret is refused: the agent says so and exits 1', { timeout: 30_000 }, async () => {
  await createInboundNode('agent-b', 'linux');
  const agent = keeper.spawnAgent(['-url', jenkins.url, '-name', 'agent-b', '-secret', 'ab'.repeat(32)]);
  assert.equal(await agent.exited, 1);
  assert.match(agent.output(), /The server rejected the connection: wrong secret for agent ‘agent-b’ \(HTTP 403/);
  assert.match(agent.output(), /jenkins-agent\.jnlp/);
  assert.equal((await computer('agent-b')).offline, true);
});

test(
  'an agent for a node that does not exist is refused with Jenkins’ text (and exits with -noReconnect)',
  { timeout: 30_000 },
  async () => {
    const agent = keeper.spawnAgent([
      '-url',
      jenkins.url,
      '-name',
      'ghost',
      '-secret',
      jenkins.agentSecret('ghost'),
      '-noReconnect',
    ]);
    assert.equal(await agent.exited, 1);
    assert.match(agent.output(), /The server rejected the connection: ghost is not an inbound agent/);
  },
);

test('usage errors exit 2', { timeout: 30_000 }, async () => {
  const agent = keeper.spawnAgent(['-url', jenkins.url]);
  assert.equal(await agent.exited, 2);
  assert.match(agent.output(), /-name is required/);
});

test(
  'a second connection for a connected node is rejected; deleting the node releases the first agent',
  { timeout: 30_000 },
  async () => {
    const secret = await createInboundNode('agent-c', 'linux');
    const lines: string[] = [];
    const first = startInboundAgent({
      urls: [jenkins.url],
      name: 'agent-c',
      secret,
      noReconnect: true,
      log: (l) => lines.push(l),
    });
    await jenkins.waitForEvent((e) => e.type === 'nodeOnline' && e.node === 'agent-c');
    const second = await startInboundAgent({
      urls: [jenkins.url],
      name: 'agent-c',
      secret,
      noReconnect: true,
      log: () => undefined,
    }).done;
    assert.equal(second.code, 1);
    assert.match(second.reason, /agent-c is already connected to this controller\. Rejecting this connection\./);

    const del = await post(`${jenkins.url}computer/agent-c/doDelete`, null, admin);
    assert.equal(del.status, 302);
    const exit = await first.done;
    assert.deepEqual(exit, { code: 0, reason: 'released by the controller: the node was deleted' });
  },
);

test('without -noReconnect the agent comes back after a controller restart', { timeout: 30_000 }, async () => {
  const secret = await createInboundNode('agent-d', 'linux');
  const agent = startInboundAgent({
    urls: [jenkins.url],
    name: 'agent-d',
    secret,
    retryDelayMs: 50,
    log: () => undefined,
  });
  try {
    await jenkins.waitForEvent((e) => e.type === 'nodeOnline' && e.node === 'agent-d');
    const before = jenkins.session;
    const back = jenkins.waitForEvent((e) => e.type === 'nodeOnline' && e.node === 'agent-d');
    const offline = jenkins.waitForEvent((e) => e.type === 'nodeOffline' && e.node === 'agent-d');
    jenkins.restart();
    await offline;
    await back;
    assert.notEqual(jenkins.session, before);
    assert.equal((await computer('agent-d')).offline, false);
  } finally {
    agent.stop();
    assert.equal((await agent.done).code, 0);
  }
});

test('the old -jnlpUrl bootstrap reads url and name from the encrypted JNLP file', { timeout: 30_000 }, async () => {
  const secret = await createInboundNode('agent-e', 'linux');
  const agent = startInboundAgent({
    urls: [],
    jnlpUrl: `${jenkins.url}computer/agent-e/slave-agent.jnlp`,
    secret,
    noReconnect: true,
    log: () => undefined,
  });
  try {
    await jenkins.waitForEvent((e) => e.type === 'nodeOnline' && e.node === 'agent-e');
  } finally {
    agent.stop();
  }
  assert.equal((await agent.done).code, 0);
  const wrong = await startInboundAgent({
    urls: [],
    jnlpUrl: `${jenkins.url}computer/agent-e/slave-agent.jnlp`,
    secret: 'cd'.repeat(32),
    noReconnect: true,
    log: () => undefined,
  }).done;
  assert.equal(wrong.code, 1);
  assert.match(wrong.reason, /could not be read with this secret/);
});

test('-failIfWorkDirIsMissing turns a missing work directory into an error', { timeout: 30_000 }, async () => {
  const secret = await createInboundNode('agent-f', 'linux');
  const exit = await startInboundAgent({
    urls: [jenkins.url],
    name: 'agent-f',
    secret,
    workDir: join(dir, 'does-not-exist'),
    failIfWorkDirIsMissing: true,
    log: () => undefined,
  }).done;
  assert.equal(exit.code, 1);
  assert.match(exit.reason, /does not exist \(-failIfWorkDirIsMissing\)/);
});

test(
  'jnlpJars/agent.jar serves the bundled agent, which runs with `node agent.jar …`',
  { timeout: 60_000 },
  async (t) => {
    const bundle = join(dir, 'sandbox-agent.js');
    await bundleSandboxAgent(bundle);
    const served = await startSandboxJenkins({ agentJar: { path: bundle } });
    t.after(() => served.close());
    const res = await fetch(`${served.url}jnlpJars/agent.jar`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/java-archive');
    const jar = join(dir, 'agent.jar');
    await writeFile(jar, Buffer.from(await res.arrayBuffer()));

    served.addNode({ name: 'jar-agent', labelString: 'linux' });
    const online = served.waitForEvent((e) => e.type === 'nodeOnline' && e.node === 'jar-agent');
    const agent = keeper.spawnNode([
      jar,
      '-url',
      served.url,
      '-name',
      'jar-agent',
      '-secret',
      served.agentSecret('jar-agent'),
      '-noReconnect',
    ]);
    await online;
    const offline = served.waitForEvent((e) => e.type === 'nodeOffline' && e.node === 'jar-agent');
    agent.child.kill('SIGTERM');
    await offline;
    assert.equal(await agent.exited, 'SIGTERM');

    const stubbed = await startSandboxJenkins();
    t.after(() => stubbed.close());
    const stub = join(dir, 'stub.jar');
    await writeFile(stub, Buffer.from(await (await fetch(`${stubbed.url}jnlpJars/agent.jar`)).arrayBuffer()));
    const note = keeper.spawnNode([stub]);
    assert.equal(await note.exited, 2);
    assert.match(note.output(), /started without its agent program/);
  },
);
