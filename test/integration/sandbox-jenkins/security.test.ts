import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSandboxJenkins, type SandboxJenkins } from '../../../src/sandbox/jenkins/sandboxJenkins';
import { basic, nodeForm, post } from './sandboxTestKit';

const TOKEN = '11aa22bb33cc44dd55ee66ff77001122';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

let jenkins: SandboxJenkins;
const admin = { Authorization: basic('admin', TOKEN) };
const adminPassword = { Authorization: basic('admin', 'hunter2') };
const reader = { Authorization: basic('reader', 'reader-token') };

before(async () => {
  jenkins = await startSandboxJenkins({
    security: {
      users: [
        { id: 'admin', password: 'hunter2', apiTokens: [TOKEN] },
        { id: 'reader', apiTokens: ['reader-token'], permissions: ['Overall/Read'] },
        { id: 'operator', apiTokens: ['op'], permissions: ['Overall/Read', 'Agent/Disconnect'] },
      ],
    },
    nodes: [{ name: 'n1', online: true }],
  });
});

after(async () => {
  await jenkins.close();
});

/** Fetches a crumb the way a password/session client must: keep the session cookie for the POST. */
async function crumbSession(headers: Record<string, string>) {
  const res = await fetch(`${jenkins.url}crumbIssuer/api/json`, { headers });
  assert.equal(res.status, 200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  assert.match(cookie, /^JSESSIONID\.[0-9a-f]{8}=/);
  const body = (await res.json()) as { _class: string; crumb: string; crumbRequestField: string };
  assert.equal(body._class, 'hudson.security.csrf.DefaultCrumbIssuer');
  assert.equal(body.crumbRequestField, 'Jenkins-Crumb');
  assert.match(body.crumb, /^[0-9a-f]{64}$/);
  return { cookie, crumb: body.crumb };
}

describe('authentication', () => {
  test('anonymous without Overall/Read gets 403 and a login redirect page, never a 401 challenge', async () => {
    const res = await fetch(`${jenkins.url}queue/api/json`);
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('www-authenticate'), null);
    assert.equal(res.headers.get('x-you-are-authenticated-as'), 'anonymous');
    assert.equal(res.headers.get('x-required-permission'), 'hudson.model.Hudson.Read');
    assert.match(res.headers.get('x-permission-implied-by') ?? '', /hudson\.model\.Hudson\.Administer/);
    assert.ok(res.headers.get('x-jenkins'));
    assert.match(await res.text(), /login\?from=%2Fqueue%2Fapi%2Fjson/);
  });

  test('wrong credentials get 401 with a Basic challenge', async () => {
    for (const auth of [
      basic('admin', 'wrong'),
      basic('nobody', TOKEN),
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
    ]) {
      const res = await fetch(`${jenkins.url}queue/api/json`, { headers: { Authorization: auth } });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Basic realm="Jenkins"');
    }
  });

  test('an API token or the password reads the API; whoAmI says who', async () => {
    assert.equal((await fetch(`${jenkins.url}queue/api/json`, { headers: admin })).status, 200);
    assert.equal((await fetch(`${jenkins.url}queue/api/json`, { headers: adminPassword })).status, 200);
    const who = (await (await fetch(`${jenkins.url}whoAmI/api/json`, { headers: admin })).json()) as Record<
      string,
      unknown
    >;
    assert.deepEqual([who.name, who.anonymous, who.authenticated], ['admin', false, true]);
  });

  test('agent.jar and the encrypted JNLP need no credentials', async () => {
    assert.equal((await fetch(`${jenkins.url}jnlpJars/agent.jar`)).status, 200);
    assert.equal((await fetch(`${jenkins.url}computer/n1/jenkins-agent.jnlp?encrypt=true`)).status, 200);
    assert.equal((await fetch(`${jenkins.url}computer/n1/jenkins-agent.jnlp`)).status, 403);
  });

  test('an authenticated user lacking a permission gets 403 naming it', async () => {
    const res = await post(`${jenkins.url}computer/doCreateItem`, nodeForm('x', {}), { ...reader, ...FORM });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('x-you-are-authenticated-as'), 'reader');
    assert.equal(res.headers.get('x-required-permission'), 'hudson.model.Computer.Create');
    assert.match(await res.text(), /reader is missing the Agent\/Create permission/);
    const secret = await fetch(`${jenkins.url}computer/n1/slave-agent.jnlp`, { headers: reader });
    assert.equal(secret.status, 403);
    assert.equal(secret.headers.get('x-required-permission'), 'hudson.model.Computer.Connect');
  });

  test('Agent/Disconnect implies Agent/Connect for toggleOffline', async () => {
    const operator = { Authorization: basic('operator', 'op') };
    const off = await post(`${jenkins.url}computer/n1/toggleOffline?offlineMessage=drain`, null, operator);
    assert.equal(off.status, 302);
    assert.equal(off.headers.get('location'), `${jenkins.url}computer/n1/`);
    const on = await post(`${jenkins.url}computer/n1/toggleOffline`, null, operator);
    assert.equal(on.status, 302);
    assert.equal(jenkins.model.node('n1')?.temporarilyOffline, false);
  });
});

describe('CSRF crumbs', () => {
  test('API-token callers need no crumb', async () => {
    const res = await post(`${jenkins.url}computer/doCreateItem`, nodeForm('token-made', {}), { ...admin, ...FORM });
    assert.equal(res.status, 302);
  });

  test('password callers need a crumb tied to their session cookie', async () => {
    const none = await post(`${jenkins.url}computer/doCreateItem`, nodeForm('pw-1', {}), { ...adminPassword, ...FORM });
    assert.equal(none.status, 403);
    assert.match(await none.text(), /No valid crumb was included in the request/);

    const { cookie, crumb } = await crumbSession(adminPassword);
    const noCookie = await post(`${jenkins.url}computer/doCreateItem`, nodeForm('pw-1', {}), {
      ...adminPassword,
      ...FORM,
      'Jenkins-Crumb': crumb,
    });
    assert.equal(noCookie.status, 403, 'a crumb from another session is worthless');

    const ok = await post(`${jenkins.url}computer/doCreateItem`, nodeForm('pw-1', {}), {
      ...adminPassword,
      ...FORM,
      'Jenkins-Crumb': crumb,
      Cookie: cookie,
    });
    assert.equal(ok.status, 302);

    const asField = new URLSearchParams(nodeForm('pw-2', {}));
    asField.set('Jenkins-Crumb', crumb);
    const viaForm = await post(`${jenkins.url}computer/doCreateItem`, asField, {
      ...adminPassword,
      ...FORM,
      Cookie: cookie,
    });
    assert.equal(viaForm.status, 302, 'the crumb also works as a form field');
  });

  test('expired crumbs are rejected with 403 until the client fetches a new one', async () => {
    const { cookie, crumb } = await crumbSession(adminPassword);
    jenkins.expireCrumbs();
    const stale = await post(`${jenkins.url}computer/pw-1/toggleOffline`, null, {
      ...adminPassword,
      'Jenkins-Crumb': crumb,
      Cookie: cookie,
    });
    assert.equal(stale.status, 403);
    assert.match(await stale.text(), /No valid crumb/);
    const fresh = await crumbSession(adminPassword);
    const retried = await post(`${jenkins.url}computer/pw-1/toggleOffline`, null, {
      ...adminPassword,
      'Jenkins-Crumb': fresh.crumb,
      Cookie: fresh.cookie,
    });
    assert.equal(retried.status, 302);
  });

  test('GET requests are never crumb-checked', async () => {
    assert.equal((await fetch(`${jenkins.url}computer/api/json`, { headers: adminPassword })).status, 200);
  });
});

test('without security, anonymous may do everything but POSTs still need a crumb; anonymousRead opens reads only', async (t) => {
  const open = await startSandboxJenkins();
  t.after(() => open.close());
  assert.equal((await fetch(`${open.url}queue/api/json`)).status, 200);
  const blocked = await post(`${open.url}computer/doCreateItem`, nodeForm('a', {}), FORM);
  assert.equal(blocked.status, 403);
  const session = await fetch(`${open.url}crumbIssuer/api/json`);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { crumb } = (await session.json()) as { crumb: string };
  const created = await post(`${open.url}computer/doCreateItem`, nodeForm('a', {}), {
    ...FORM,
    Cookie: cookie,
    'Jenkins-Crumb': crumb,
  });
  assert.equal(created.status, 302);

  const readable = await startSandboxJenkins({
    security: { users: [{ id: 'u', apiTokens: ['t'] }], anonymousRead: true },
  });
  t.after(() => readable.close());
  assert.equal((await fetch(`${readable.url}queue/api/json`)).status, 200);
  const create = await post(`${readable.url}computer/doCreateItem`, nodeForm('b', {}), {
    ...FORM,
    Authorization: basic('u', 't'),
  });
  assert.equal(create.status, 302);
  const anonDelete = await fetch(`${readable.url}crumbIssuer/api/json`);
  const c2 = (anonDelete.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { crumb: crumb2 } = (await anonDelete.json()) as { crumb: string };
  const denied = await post(`${readable.url}computer/b/doDelete`, null, { Cookie: c2, 'Jenkins-Crumb': crumb2 });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get('x-required-permission'), 'hudson.model.Computer.Delete');
  assert.equal(denied.headers.get('x-you-are-authenticated-as'), 'anonymous');
});

describe('doCreateItem binding errors', () => {
  const create = (params: Record<string, string>) =>
    post(`${jenkins.url}computer/doCreateItem`, new URLSearchParams(params), { ...admin, ...FORM });

  test('duplicate and bad names are 400 with X-Error', async () => {
    const dup = await create({ name: 'n1', type: 'hudson.slaves.DumbSlave', json: '{}' });
    assert.equal(dup.status, 400);
    assert.equal(
      Buffer.from(dup.headers.get('x-error') ?? '', 'latin1').toString('utf8'),
      'Agent called ‘n1’ already exists',
    );
    const bad = await create({ name: 'a/b', type: 'hudson.slaves.DumbSlave', json: '{}' });
    assert.equal(bad.status, 400);
    assert.equal(
      Buffer.from(bad.headers.get('x-error') ?? '', 'latin1').toString('utf8'),
      '‘/’ is an unsafe character',
    );
    const missing = await create({ type: 'hudson.slaves.DumbSlave', json: '{}' });
    assert.equal(missing.status, 400);
    assert.equal(missing.headers.get('x-error'), "Query parameter 'name' is required");
  });

  test('a missing json field is 400; an unknown type or launcher class is 500', async () => {
    const noJson = await create({ name: 'z1', type: 'hudson.slaves.DumbSlave' });
    assert.equal(noJson.status, 400);
    assert.match(noJson.headers.get('x-error') ?? '', /expects a form submission/);
    assert.equal((await create({ name: 'z2', type: 'hudson.slaves.Nope', json: '{}' })).status, 500);
    assert.equal(
      (await create({ name: 'z3', type: 'hudson.slaves.DumbSlave', json: '{"launcher":{"$class":"x.Y"}}' })).status,
      500,
    );
    assert.equal(
      (await create({ name: 'z4', type: 'hudson.slaves.DumbSlave', json: '{"numExecutors":"many"}' })).status,
      500,
    );
    assert.equal(
      (await create({ name: 'z5', type: 'hudson.slaves.DumbSlave', json: '{"numExecutors":0}' })).status,
      400,
    );
    assert.equal(jenkins.model.node('z1') ?? jenkins.model.node('z2') ?? jenkins.model.node('z5'), undefined);
  });

  test('the reference example binds: labels, mode, executors, description, launcher settings', async () => {
    const spec = {
      nodeDescription: 'mesos task jenkins-agent-linux-6f1d2c3e (autoscaler)',
      numExecutors: '2',
      remoteFS: '/home/jenkins/agent',
      labelString: 'mesos linux',
      mode: 'EXCLUSIVE',
      launcher: {
        $class: 'hudson.slaves.JNLPLauncher',
        webSocket: true,
        tunnel: '',
        workDirSettings: { disabled: false, workDirPath: '', internalDir: 'remoting', failIfWorkDirIsMissing: false },
      },
      retentionStrategy: { $class: 'hudson.slaves.RetentionStrategy$Always' },
      nodeProperties: { 'stapler-class-bag': 'true' },
    };
    const res = await create({
      name: ' jenkins-agent-linux-6f1d2c3e ',
      type: 'hudson.slaves.DumbSlave',
      json: JSON.stringify(spec),
    });
    assert.equal(res.status, 302);
    const computer = (await (
      await fetch(
        `${jenkins.url}computer/jenkins-agent-linux-6f1d2c3e/api/json?tree=description,numExecutors,offline,assignedLabels[name]`,
        { headers: admin },
      )
    ).json()) as Record<string, unknown>;
    assert.deepEqual(computer, {
      _class: 'hudson.slaves.SlaveComputer',
      description: 'mesos task jenkins-agent-linux-6f1d2c3e (autoscaler)',
      numExecutors: 2,
      offline: true,
      assignedLabels: [{ name: 'jenkins-agent-linux-6f1d2c3e' }, { name: 'linux' }, { name: 'mesos' }],
    });
    assert.equal(jenkins.model.node('jenkins-agent-linux-6f1d2c3e')?.mode, 'EXCLUSIVE');
    const jnlp = await (
      await fetch(`${jenkins.url}computer/jenkins-agent-linux-6f1d2c3e/jenkins-agent.jnlp`, { headers: admin })
    ).text();
    assert.match(
      jnlp,
      /<argument>-webSocket<\/argument>\s*<argument>-workDir<\/argument>\s*<argument>\/home\/jenkins\/agent<\/argument>/,
    );
    assert.match(jnlp, new RegExp(`<argument>${jenkins.agentSecret('jenkins-agent-linux-6f1d2c3e')}</argument>`));
  });

  test('doDelete answers 302 and the node is gone; a second delete is 404', async () => {
    await create({ name: 'doomed', type: 'hudson.slaves.DumbSlave', json: '{}' });
    const del = await post(`${jenkins.url}computer/doomed/doDelete`, null, admin);
    assert.equal(del.status, 302);
    assert.equal(del.headers.get('location'), `${jenkins.url}computer/`);
    assert.equal((await post(`${jenkins.url}computer/doomed/doDelete`, null, admin)).status, 404);
  });
});
