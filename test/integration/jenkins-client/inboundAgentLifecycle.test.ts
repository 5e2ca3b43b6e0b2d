import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger, MemorySink } from '../../../src/core/log/logSink';
import { startInboundAgent } from '../../../src/sandbox/jenkins/inboundAgent';
import { startSandboxJenkins, type SandboxJenkins } from '../../../src/sandbox/jenkins/sandboxJenkins';
import { jenkinsClients, rejection, signal } from './jenkinsClientFixture';

const TOKEN = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const PASSWORD = 'hunter2-password';
let jenkins: SandboxJenkins;
let dir: string;
const sink = new MemorySink();
const { client, closeAll } = jenkinsClients(() => ({
  url: jenkins.url,
  user: 'admin',
  token: TOKEN,
  timeoutMs: 10_000,
  logger: createLogger(sink, 'jenkins'),
}));

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jenkins-client-'));
  jenkins = await startSandboxJenkins({
    security: { users: [{ id: 'admin', password: PASSWORD, apiTokens: [TOKEN] }] },
    agentPingIntervalMs: 200,
  });
});

after(async () => {
  await closeAll();
  await jenkins.close();
  await rm(dir, { recursive: true, force: true });
});

for (const via of ['form', 'xml'] as const) {
  test(
    `create (${via}) → secret → the inbound agent connects and builds → offline → online → delete`,
    { timeout: 30_000 },
    async () => {
      const c = client();
      const name = `mesos-linux-${via}-6f1d2c3e`;
      await c.createInboundAgent(
        { name, labels: ['mesos', 'linux'], executors: 1, remoteFs: join(dir, name), description: `task ${name}` },
        signal(),
        { via },
      );
      const created = await c.computer(name, signal());
      assert.ok(created, 'the node exists');
      assert.equal(created.offline, true, 'offline until its agent connects');
      assert.equal(created.temporarilyOffline, false);
      assert.equal(created.description, `task ${name}`);
      assert.deepEqual(created.assignedLabels.map((l) => l.name).sort(), ['linux', 'mesos', name].sort());
      assert.equal(jenkins.model.node(name)?.mode, 'EXCLUSIVE');

      const jnlp = await c.agentJnlp(name, signal());
      assert.equal(jnlp.secret, jenkins.agentSecret(name));
      assert.equal(jnlp.name, name);
      assert.equal(jnlp.url, jenkins.url);
      assert.equal(jnlp.webSocket, true);
      assert.equal(jnlp.workDir, join(dir, name));
      assert.equal(await c.agentSecret(name, signal()), jnlp.secret);

      const online = jenkins.waitForEvent((e) => e.type === 'nodeOnline' && e.node === name);
      const agent = startInboundAgent({
        urls: [jnlp.url ?? jenkins.url],
        name,
        secret: jnlp.secret,
        workDir: jnlp.workDir,
        noReconnect: true,
        log: () => undefined,
      });
      await online;
      const connected = (await c.computers(signal())).computer.find((n) => n.displayName === name);
      assert.equal(connected?.offline, false);
      assert.equal(connected?.idle, true);

      const finished = jenkins.waitForEvent((e) => e.type === 'buildFinished' && e.build.node === name);
      jenkins.enqueue({ job: `build-${via}`, label: 'mesos && linux', durationSeconds: 0.2 });
      await finished;

      await c.setOffline(name, 'idle for 10 minutes (autoscaler)', signal());
      await c.setOffline(name, 'still idle (autoscaler)', signal()); // idempotent: stays offline
      const marked = await c.computer(name, signal());
      assert.equal(marked?.temporarilyOffline, true);
      assert.equal(marked?.offline, true);
      assert.equal(marked?.offlineCauseReason, 'still idle (autoscaler)');
      assert.equal(marked?.offlineCause?._class, 'hudson.slaves.OfflineCause$UserCause');

      assert.equal(await c.setOnline(name, signal()), true);
      assert.equal(await c.setOnline(name, signal()), false, 'not marked: nothing to do');
      assert.equal((await c.computer(name, signal()))?.offline, false);

      assert.equal(await c.deleteNode(name, signal()), true);
      assert.deepEqual(await agent.done, { code: 0, reason: 'released by the controller: the node was deleted' });
      assert.equal(await c.deleteNode(name, signal()), false, 'already gone is not an error');
      assert.equal(await c.computer(name, signal()), undefined);

      const gone = await rejection(c.agentSecret(name, signal()));
      assert.equal(gone.kind, 'not-found');
      assert.match(gone.message, /has no inbound agent node ‘mesos-linux-/);
      const offline = await rejection(c.setOffline(name, 'x', signal()));
      assert.equal(offline.kind, 'not-found');
      assert.equal((await rejection(c.setOnline(name, signal()))).kind, 'not-found');
    },
  );
}

test('a taken name is already-exists; a bad name is refused before anything is sent', async () => {
  const c = client();
  await c.createInboundAgent({ name: 'taken-1', labels: [], executors: 1, remoteFs: '/tmp/t' }, signal());
  for (const via of ['form', 'xml'] as const) {
    const err = await rejection(
      c.createInboundAgent({ name: 'taken-1', labels: [], executors: 1, remoteFs: '/tmp/t' }, signal(), { via }),
    );
    assert.equal(err.kind, 'already-exists', via);
    assert.equal(err.status, 400);
    assert.match(err.reason, /already exists/);
  }
  const bad = await rejection(
    c.createInboundAgent({ name: 'a b', labels: [], executors: 1, remoteFs: '/tmp/t' }, signal()),
  );
  assert.equal(bad.kind, 'invalid-argument');
  assert.match(bad.message, /^The agent node's name "a b" is not a safe node name/);
  assert.equal(jenkins.model.node('a b'), undefined);
  assert.equal((await rejection(c.deleteNode('a/b', signal()))).kind, 'invalid-argument');
});

test('with a password Jenkins wants crumbs: fetched when asked, reused, and refetched once after they expire', async () => {
  const c = client({ token: PASSWORD });
  const events: string[] = [];
  const off = jenkins.onEvent((e) => {
    if (e.type === 'nodeCreated' || e.type === 'nodeDeleted') events.push(`${e.type} ${e.node}`);
  });
  try {
    await c.createInboundAgent({ name: 'pw-1', labels: ['linux'], executors: 1, remoteFs: '/tmp/p' }, signal());
    await c.setOffline('pw-1', 'draining', signal());
    jenkins.expireCrumbs();
    assert.equal(await c.deleteNode('pw-1', signal()), true, 'an expired crumb is replaced and the request repeated');
    jenkins.restart();
    await c.createInboundAgent({ name: 'pw-2', labels: ['linux'], executors: 1, remoteFs: '/tmp/p' }, signal());
    assert.equal(await c.deleteNode('pw-2', signal()), true);
  } finally {
    off();
  }
  assert.deepEqual(events, ['nodeCreated pw-1', 'nodeDeleted pw-1', 'nodeCreated pw-2', 'nodeDeleted pw-2']);
  // One fetch per session: the first POST, the one after the crumbs expired, the first after the restart.
  assert.deepEqual(
    sink.records
      .filter((r) => /CSRF crumb/.test(r.message) && /‘pw-/.test(r.message))
      .map((r) => r.message.split(';')[0]),
    [
      'Jenkins asked for a CSRF crumb to create the agent node ‘pw-1’',
      'Jenkins asked for a CSRF crumb to delete the agent node ‘pw-1’',
      'Jenkins asked for a CSRF crumb to create the agent node ‘pw-2’',
    ],
  );
});

test('neither the API token, the password nor an agent secret ever reaches the log', () => {
  const log = sink.text();
  assert.ok(sink.records.length > 0, 'the client logged something');
  assert.match(log, /created the agent node mesos-linux-form-6f1d2c3e/);
  for (const secret of [
    TOKEN,
    PASSWORD,
    jenkins.agentSecret('mesos-linux-form-6f1d2c3e'),
    jenkins.agentSecret('pw-1'),
  ]) {
    assert.ok(!log.includes(secret), 'a secret was logged');
  }
  assert.doesNotMatch(log, /JSESSIONID/);
});
