import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startSandboxJenkins, type SandboxJenkins } from '../../../src/sandbox/jenkins/sandboxJenkins';
import { jenkinsClients, rejection, signal } from './jenkinsClientFixture';

const TOKEN = '11aa22bb33cc44dd55ee66ff77001122';
let jenkins: SandboxJenkins;
const { client, closeAll } = jenkinsClients(() => ({
  url: jenkins.url,
  user: 'admin',
  token: TOKEN,
  timeoutMs: 10_000,
}));

before(async () => {
  jenkins = await startSandboxJenkins({
    security: {
      users: [
        { id: 'admin', password: 'hunter2', apiTokens: [TOKEN] },
        { id: 'reader', apiTokens: ['reader-token'], permissions: ['Overall/Read'] },
      ],
    },
    nodes: [
      { name: 'static-1', labelString: 'linux docker', numExecutors: 2, online: true, description: 'hand-made' },
      { name: 'static-2', labelString: 'linux', online: false },
    ],
  });
});

after(async () => {
  await closeAll();
  await jenkins.close();
});

test('the queue comes back with what demand extraction needs', async () => {
  const compile = jenkins.enqueue({
    job: 'compile',
    label: 'windows && arm',
    durationSeconds: 60,
    params: { BRANCH: 'main' },
  });
  const pipeline = jenkins.enqueue({ job: 'app', label: 'gpu', durationSeconds: 60, kind: 'pipeline', stage: 'Test' });
  const waiting = jenkins.enqueue({ job: 'later', label: 'windows', durationSeconds: 60, quietPeriodSeconds: 600 });
  const { items } = await client().queue(signal());
  const byId = new Map(items.map((item) => [item.id, item]));

  const job = byId.get(compile);
  assert.ok(job, 'the freestyle item is listed');
  assert.equal(job._class, 'hudson.model.Queue$BuildableItem');
  assert.equal(job.buildable, true);
  assert.equal(job.pending, false);
  assert.equal(job.stuck, true, 'no node has the label');
  assert.equal(job.why, 'There are no nodes with the label ‘windows&&arm’', 'English texts, curly quotes');
  assert.equal(job.params, '\nBRANCH=main');
  assert.equal(job.url, `queue/item/${compile}/`);
  assert.equal(typeof job.inQueueSince, 'number');
  assert.equal(typeof job.buildableStartMilliseconds, 'number');
  assert.deepEqual(job.task, {
    _class: 'hudson.model.FreeStyleProject',
    name: 'compile',
    url: `${jenkins.url}job/compile/`,
    fullName: 'compile',
    labelExpression: 'windows && arm',
  });

  const placeholder = byId.get(pipeline);
  assert.equal(
    placeholder?.task._class,
    'org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$PlaceholderTask',
  );
  assert.equal(placeholder?.task.labelExpression, undefined, 'a Pipeline node block exports no label');
  assert.match(placeholder?.task.name ?? '', /^app #\d+ \(Test\)$/);

  const quiet = byId.get(waiting);
  assert.equal(quiet?._class, 'hudson.model.Queue$WaitingItem');
  assert.equal(typeof quiet?.timestamp, 'number');
});

test('the nodes come back with state, executors and labels', async () => {
  const { computer } = await client().computers(signal());
  const names = computer.map((c) => c.displayName);
  assert.deepEqual(names, ['Built-In Node', 'static-1', 'static-2']);
  const online = computer[1];
  assert.ok(online);
  assert.equal(online._class, 'hudson.slaves.SlaveComputer');
  assert.equal(online.description, 'hand-made');
  assert.equal(online.offline, false);
  assert.equal(online.idle, true);
  assert.equal(online.numExecutors, 2);
  assert.equal(online.jnlpAgent, true);
  assert.equal(online.launchSupported, false);
  assert.deepEqual(online.assignedLabels, [{ name: 'docker' }, { name: 'linux' }, { name: 'static-1' }]);
  assert.deepEqual(
    online.executors.map((e) => [e.number, e.idle, e.progress, e.currentExecutable]),
    [
      [0, true, -1, null],
      [1, true, -1, null],
    ],
  );
  const offline = computer[2];
  assert.equal(offline?.offline, true);
  assert.equal(offline?.temporarilyOffline, false, 'not connected is not temporarily offline');
  assert.equal(await client().computer('no-such-node', signal()), undefined);
  assert.equal((await client().computer('static-1', signal()))?.numExecutors, 2);
});

test('a label expression is read with its nodes and executor counts', async () => {
  const label = await client().label('linux && docker', signal());
  assert.equal(label._class, 'hudson.model.labels.LabelExpression$And');
  assert.equal(label.name, 'linux&&docker');
  assert.deepEqual(label.nodes, [{ nodeName: 'static-1' }]);
  assert.equal(label.offline, false);
  assert.equal(label.totalExecutors, 2);
  const nothing = await client().label('solaris', signal());
  assert.equal(nothing.offline, true);
  assert.deepEqual(nothing.nodes, []);
  const empty = await rejection(client().label(' ', signal()));
  assert.equal(empty.kind, 'invalid-argument');
});

test('ping reports identity, version, session and the settings agents depend on', async () => {
  const c = client();
  const ping = await c.ping(signal());
  assert.deepEqual(ping.identity, {
    name: 'admin',
    anonymous: false,
    authenticated: true,
    authorities: ['authenticated'],
  });
  assert.equal(ping.version, '2.578');
  assert.equal(ping.session, jenkins.session);
  assert.equal(ping.rootUrl, jenkins.url);
  assert.equal(ping.useSecurity, true);
  assert.equal(ping.useCrumbs, true);
  assert.equal(ping.slaveAgentPort, -1);
  assert.equal(c.session, jenkins.session);
  assert.equal(c.version, '2.578');
});

test('a bad API token is a 401 that points at Set Credentials…', async () => {
  const err = await rejection(client({ token: 'bad-token-7f3a9c' }).queue(signal()));
  assert.equal(err.kind, 'unauthorized');
  assert.equal(err.status, 401);
  assert.equal(err.needsCredentials, true);
  assert.match(
    err.message,
    /refused the credentials of the user ‘admin’ \(401 Unauthorized\) when asked to read the build queue/,
  );
  assert.match(err.nextStep, /Set Credentials…/);
  assert.ok(!err.message.includes('bad-token-7f3a9c'), 'the token is not in the message');
});

test('no credentials: Jenkins refuses the anonymous caller with 403, and the error says to set them', async () => {
  const anonymous = client({ user: undefined, token: undefined });
  const err = await rejection(anonymous.computers(signal()));
  assert.equal(err.kind, 'anonymous');
  assert.equal(err.permission, 'hudson.model.Hudson.Read');
  assert.match(err.nextStep, /Set the Jenkins user and an API token/);
  const ping = await rejection(anonymous.ping(signal()));
  assert.equal(ping.kind, 'anonymous', 'whoAmI works, the root does not');
});

test('a user without Agent/Create gets a forbidden error naming the permission', async () => {
  const err = await rejection(
    client({ user: 'reader', token: 'reader-token' }).createInboundAgent(
      { name: 'not-allowed', labels: ['linux'], executors: 1, remoteFs: '/tmp/x' },
      signal(),
    ),
  );
  assert.equal(err.kind, 'forbidden');
  assert.equal(err.permission, 'hudson.model.Computer.Create');
  assert.match(err.message, /the Agent\/Create permission is missing/);
  assert.match(err.nextStep, /grant Agent\/Create \(hudson\.model\.Computer\.Create\)/);
  assert.equal(jenkins.model.node('not-allowed'), undefined);
});

test('a 500 from Jenkins is a retryable server-error', async (t) => {
  jenkins.setFailAllRequests(true);
  t.after(() => jenkins.setFailAllRequests(false));
  const err = await rejection(client().queue(signal()));
  assert.equal(err.kind, 'server-error');
  assert.equal(err.status, 500);
  assert.equal(err.retryable, true);
  assert.match(err.message, /failed to read the build queue \(500 Internal Server Error: Oops!\)/);
  const post = await rejection(client().deleteNode('static-2', signal()));
  assert.equal(post.kind, 'server-error');
});

test('a controller restart is reported once through onSessionChange', async () => {
  const changes: [string, string][] = [];
  const c = client({ onSessionChange: (session, previous) => changes.push([session, previous]) });
  await c.whoAmI(signal());
  const before = jenkins.session;
  await c.whoAmI(signal());
  assert.deepEqual(changes, []);
  jenkins.restart();
  await c.queue(signal());
  await c.queue(signal());
  assert.deepEqual(changes, [[jenkins.session, before]]);
});

test('a cancelled call rejects with an AbortError, not a JenkinsError', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    client().queue(controller.signal),
    (err: unknown) => err instanceof Error && err.name === 'AbortError',
  );
});
