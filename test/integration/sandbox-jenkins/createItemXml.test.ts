import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSandboxJenkins } from '../../../src/sandbox/jenkins/sandboxJenkins';
import { basic, fetchAgentSecret, post } from './sandboxTestKit';

const XML = { 'Content-Type': 'application/xml' };
const admin = { Authorization: basic('admin', 'token') };
const reader = { Authorization: basic('reader', 'reader-token') };

const config = (name: string, launcher = '<launcher class="hudson.slaves.JNLPLauncher"/>') =>
  `<?xml version='1.1' encoding='UTF-8'?><slave><name>${name}</name><description>x</description>` +
  `<remoteFS>/home/jenkins/agent</remoteFS><numExecutors>2</numExecutors><mode>EXCLUSIVE</mode>` +
  `<retentionStrategy class="hudson.slaves.RetentionStrategy$Always"/>${launcher}<label>mesos linux</label>` +
  '<nodeProperties/></slave>';

test('POST computer/createItem with config.xml creates a node (reference §4.3)', async (t) => {
  const jenkins = await startSandboxJenkins({
    security: {
      users: [
        { id: 'admin', apiTokens: ['token'] },
        { id: 'reader', apiTokens: ['reader-token'], permissions: ['Overall/Read'] },
      ],
    },
  });
  t.after(() => jenkins.close());

  const created = await post(`${jenkins.url}computer/createItem?name=xml-1`, config('ignored'), { ...admin, ...XML });
  assert.equal(created.status, 200);
  assert.equal(await created.text(), '');
  const node = jenkins.model.node('xml-1');
  assert.ok(node, 'the name parameter overrides <name>');
  assert.equal(node.numExecutors, 2);
  assert.equal(node.mode, 'EXCLUSIVE');
  assert.equal(node.labelString, 'mesos linux');
  assert.equal(node.launcher.kind === 'inbound' && node.launcher.workDirDisabled, true, 'no workDirSettings: legacy');
  assert.match(await fetchAgentSecret(jenkins.url, 'xml-1', admin), /^[0-9a-f]{64}$/);

  const again = await post(`${jenkins.url}computer/createItem?name=xml-1`, config('x'), { ...admin, ...XML });
  assert.equal(again.status, 400);
  assert.equal(
    Buffer.from(again.headers.get('x-error') ?? '', 'latin1').toString('utf8'),
    "Node 'xml-1' already exists",
  );

  const fromBody = await post(`${jenkins.url}computer/createItem`, config('xml-2'), {
    ...admin,
    'Content-Type': 'text/xml',
  });
  assert.equal(fromBody.status, 200);
  assert.ok(jenkins.model.node('xml-2'));

  const denied = await post(`${jenkins.url}computer/createItem?name=xml-3`, config('x'), { ...reader, ...XML });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get('x-required-permission'), 'hudson.model.Computer.Create');

  const broken = await post(`${jenkins.url}computer/createItem?name=xml-4`, '<slave><name>', { ...admin, ...XML });
  assert.equal(broken.status, 500);
  const otherType = await post(`${jenkins.url}computer/createItem?name=xml-5`, '<hudson.slaves.Unknown/>', {
    ...admin,
    ...XML,
  });
  assert.equal(otherType.status, 500);
  const notXml = await post(`${jenkins.url}computer/createItem?name=xml-6`, 'name=x', {
    ...admin,
    'Content-Type': 'application/x-www-form-urlencoded',
  });
  assert.equal(notXml.status, 400);
  assert.equal(jenkins.model.node('xml-6'), undefined);
});

test('before Jenkins 2.539 computer/createItem does not take XML', async (t) => {
  const jenkins = await startSandboxJenkins({ version: '2.538', csrf: false });
  t.after(() => jenkins.close());
  const res = await post(`${jenkins.url}computer/createItem?name=old`, config('old'), XML);
  assert.equal(res.status, 400);
  assert.equal(jenkins.model.node('old'), undefined);
});
