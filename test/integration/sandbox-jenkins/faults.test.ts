import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { startInboundAgent } from '../../../src/sandbox/jenkins/inboundAgent';
import { startSandboxJenkins } from '../../../src/sandbox/jenkins/sandboxJenkins';
import { getJson, post } from './sandboxTestKit';

const JSON_BODY = { 'Content-Type': 'application/json' };

test('failAllRequests makes every Jenkins response a 500 while the admin API keeps working', async (t) => {
  const jenkins = await startSandboxJenkins({ nodes: [{ name: 'n', online: true }] });
  t.after(() => jenkins.close());
  jenkins.setFailAllRequests(true);
  for (const path of [
    'api/json',
    'queue/api/json',
    'computer/api/json',
    'crumbIssuer/api/json',
    'label/n/api/json',
    'jnlpJars/agent.jar',
  ]) {
    const res = await fetch(`${jenkins.url}${path}`);
    assert.equal(res.status, 500, path);
    assert.ok(res.headers.get('x-jenkins'), 'even failures come from "Jenkins"');
  }
  assert.equal((await post(`${jenkins.url}computer/n/doDelete`, null)).status, 500);
  const state = await getJson<{ failAllRequests: boolean }>(`${jenkins.url}__sandbox/state`);
  assert.equal(state.failAllRequests, true);

  const exit = await startInboundAgent({
    urls: [jenkins.url],
    name: 'n',
    secret: jenkins.agentSecret('n'),
    noReconnect: true,
    log: () => undefined,
  }).done;
  assert.equal(exit.code, 1);
  assert.match(exit.reason, /cannot be reached: HTTP 500/);

  const off = await post(`${jenkins.url}__sandbox/faults`, JSON.stringify({ failAllRequests: false }), JSON_BODY);
  assert.equal(off.status, 200);
  assert.equal((await fetch(`${jenkins.url}queue/api/json`)).status, 200);
  const on = await post(`${jenkins.url}__sandbox/faults`, JSON.stringify({ failAllRequests: true }), JSON_BODY);
  assert.deepEqual(await on.json(), { failAllRequests: true });
  assert.equal((await fetch(`${jenkins.url}queue/api/json`)).status, 500);
  assert.equal((await post(`${jenkins.url}__sandbox/faults`, '{"failAllRequests":"yes"}', JSON_BODY)).status, 400);
});

test('the admin API expires crumbs, queues builds, adds stand-in nodes and simulates a restart', async (t) => {
  const jenkins = await startSandboxJenkins();
  t.after(() => jenkins.close());
  const session = await fetch(`${jenkins.url}crumbIssuer/api/json`);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { crumb } = (await session.json()) as { crumb: string };
  const headers = { Cookie: cookie, 'Jenkins-Crumb': crumb };

  const queued = await post(
    `${jenkins.url}__sandbox/queue`,
    JSON.stringify([{ job: 'a', label: 'linux', durationSeconds: 60 }]),
    JSON_BODY,
  );
  const { ids } = (await queued.json()) as { ids: number[] };
  assert.deepEqual(ids, [1]);
  assert.equal((await post(`${jenkins.url}queue/cancelItem?id=1`, null, headers)).status, 204);

  assert.equal((await post(`${jenkins.url}__sandbox/crumbs/expire`, null)).status, 200);
  const stale = await post(`${jenkins.url}queue/cancelItem?id=1`, null, headers);
  assert.equal(stale.status, 403);
  assert.match(await stale.text(), /No valid crumb was included in the request/);

  const bad = await post(`${jenkins.url}__sandbox/queue`, JSON.stringify({ job: 'a' }), JSON_BODY);
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /durationSeconds/);

  assert.equal(
    (
      await post(
        `${jenkins.url}__sandbox/nodes`,
        JSON.stringify({ name: 'x', labelString: 'linux', online: true }),
        JSON_BODY,
      )
    ).status,
    200,
  );
  const computers = await getJson<{ computer: { displayName: string; offline: boolean }[] }>(
    `${jenkins.url}computer/api/json?tree=computer[displayName,offline]`,
  );
  assert.deepEqual(
    computers.computer.map((c) => [c.displayName, c.offline]),
    [
      ['Built-In Node', false],
      ['x', false],
    ],
  );
  assert.equal(
    (await post(`${jenkins.url}__sandbox/nodes/x/online`, JSON.stringify({ online: false }), JSON_BODY)).status,
    200,
  );
  assert.equal(jenkins.model.isOffline(jenkins.model.node('x')!), true);

  const before = jenkins.session;
  const restarted = await post(`${jenkins.url}__sandbox/restart`, null);
  const { session: after } = (await restarted.json()) as { session: string };
  assert.notEqual(after, before);
  assert.equal((await fetch(`${jenkins.url}api/json`)).headers.get('x-jenkins-session'), after);
  assert.equal((await fetch(`${jenkins.url}__sandbox/nope`)).status, 404);
});

test('a simulated restart aborts running builds, invalidates crumbs and brings stand-in agents back', async (t) => {
  const jenkins = await startSandboxJenkins({ nodes: [{ name: 'n', labelString: 'linux', online: true }] });
  t.after(() => jenkins.close());
  const session = await fetch(`${jenkins.url}crumbIssuer/api/json`);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { crumb } = (await session.json()) as { crumb: string };
  const running = jenkins.enqueue({ job: 'deploy', kind: 'pipeline', label: 'linux', durationSeconds: 600 });
  const before = jenkins.session;
  jenkins.restart();
  assert.notEqual(jenkins.session, before);
  assert.equal(jenkins.finishedBuilds().find((b) => b.queueId === running)?.result, 'ABORTED');
  assert.equal(jenkins.model.isOffline(jenkins.model.node('n')!), false);
  const stale = await post(`${jenkins.url}computer/n/toggleOffline`, null, { Cookie: cookie, 'Jenkins-Crumb': crumb });
  assert.equal(stale.status, 403);
  const root = await getJson<{ jobs: { _class: string; name: string; color: string }[] }>(
    `${jenkins.url}api/json?tree=jobs[name,color]`,
  );
  assert.deepEqual(root.jobs, [
    { _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob', name: 'deploy', color: 'aborted' },
  ]);
});

test('bad start-up options reject before anything listens', async () => {
  await assert.rejects(
    startSandboxJenkins({ nodes: [{ name: 'a' }, { name: 'a' }] }),
    /Agent called ‘a’ already exists/,
  );
  await assert.rejects(
    startSandboxJenkins({ workload: [{ job: 'x', durationSeconds: -1 }] }),
    /workload:1: "durationSeconds" must be a number of seconds >= 0/,
  );
  await assert.rejects(
    startSandboxJenkins({
      workload: { random: { seed: 1, meanIntervalSeconds: 0, labels: ['x'], durationSeconds: { min: 0, max: 1 } } },
    }),
    /meanIntervalSeconds must be > 0/,
  );
});
