import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAgentJnlp } from '../../../src/core/jenkins/agentJnlp';
import { inboundAgentForm, inboundAgentFormJson } from '../../../src/core/jenkins/inboundAgentForm';
import { InboundAgentRequestError } from '../../../src/core/jenkins/inboundAgentRequestError';
import {
  existingNodeNameProblem,
  type InboundAgentRequest,
  inboundAgentSpec,
} from '../../../src/core/jenkins/inboundAgentSpec';
import { inboundAgentXml } from '../../../src/core/jenkins/inboundAgentXml';
import { JenkinsShapeError } from '../../../src/core/jenkins/jenkinsShapeError';
import { tokenizeLabelString } from '../../../src/core/jenkins/labelExpressionQuoting';
import { bindNodeConfigXml } from '../../../src/sandbox/jenkins/nodeConfigXml';
import { bindNodeCreateForm } from '../../../src/sandbox/jenkins/nodeCreateForm';
import { renderJnlp } from '../../../src/sandbox/jenkins/jnlpFile';

const request: InboundAgentRequest = {
  name: 'mesos-linux-6f1d2c3e',
  labels: ['mesos', 'linux'],
  executors: 2,
  remoteFs: '/home/jenkins/agent',
  description: 'mesos task mesos-linux-6f1d2c3e (autoscaler)',
};
const SECRET = '3f9c'.repeat(16);

function refusal(change: Partial<Record<keyof InboundAgentRequest, unknown>>): InboundAgentRequestError {
  try {
    inboundAgentSpec({ ...request, ...change } as InboundAgentRequest);
  } catch (err) {
    assert.ok(err instanceof InboundAgentRequestError, `expected InboundAgentRequestError, got ${String(err)}`);
    return err;
  }
  assert.fail(`the request ${JSON.stringify(change)} was accepted`);
}

test('a request becomes a spec: EXCLUSIVE and WebSocket by default, labels as a label string', () => {
  assert.deepEqual(inboundAgentSpec(request), {
    name: 'mesos-linux-6f1d2c3e',
    labelString: 'mesos linux',
    executors: 2,
    remoteFs: '/home/jenkins/agent',
    description: 'mesos task mesos-linux-6f1d2c3e (autoscaler)',
    mode: 'EXCLUSIVE',
    webSocket: true,
  });
  const normal = inboundAgentSpec({ ...request, mode: 'NORMAL', webSocket: false, labels: ['a', 'a', 'b'] });
  assert.equal(normal.mode, 'NORMAL');
  assert.equal(normal.webSocket, false);
  assert.equal(normal.labelString, 'a b', 'duplicate labels are dropped');
});

test('labels that need quoting are quoted so that Jenkins reads back exactly the given atoms', () => {
  const atoms = ['linux docker', 'os:linux', 'say "hi"', 'back\\slash', "it's"];
  const spec = inboundAgentSpec({ ...request, labels: atoms });
  assert.deepEqual(tokenizeLabelString(spec.labelString), atoms);
});

test('unsafe names, labels, executors and directories are refused with the field named', () => {
  for (const name of ['', 'has space', 'a/b', 'ends.', '-lead', 'x'.repeat(64), 'ümlaut', 'a\nb']) {
    const err = refusal({ name });
    assert.equal(err.field, 'name', name);
    assert.match(err.message, /^The agent node's name /);
  }
  assert.equal(refusal({ labels: ['ok', ''] }).field, 'labels');
  assert.equal(refusal({ labels: 'linux' }).field, 'labels');
  assert.match(refusal({ labels: ['bell\u0007'] }).message, /has a control character/);
  assert.match(refusal({ labels: ['two\nlines'] }).message, /would not read back as one label/);
  for (const executors of [0, -1, 1.5, Number.NaN, '2']) assert.equal(refusal({ executors }).field, 'executors');
  assert.match(refusal({ remoteFs: '  ' }).field, /remoteFs/);
  assert.match(refusal({ remoteFs: '/a\nb' }).message, /control characters/);
  assert.equal(refusal({ description: 'nul\u0000' }).field, 'description');
  assert.equal(refusal({ mode: 'SOMETIMES' }).field, 'mode');
});

test('existing node names only need Jenkins’ own rule, and the built-in node is refused', () => {
  assert.equal(existingNodeNameProblem('made by hand (old)'), null);
  assert.match(existingNodeNameProblem('a/b') ?? '', /unsafe character/);
  assert.match(existingNodeNameProblem('(built-in)') ?? '', /built-in node/);
  assert.equal(existingNodeNameProblem(''), 'No name is specified');
});

test('the doCreateItem form carries name, type and the json bound onto DumbSlave (reference §4.2)', () => {
  const spec = inboundAgentSpec(request);
  const form = inboundAgentForm(spec);
  assert.deepEqual([...form.keys()], ['name', 'type', 'json']);
  assert.equal(form.get('name'), 'mesos-linux-6f1d2c3e');
  assert.equal(form.get('type'), 'hudson.slaves.DumbSlave');
  assert.deepEqual(JSON.parse(form.get('json') ?? ''), {
    nodeDescription: 'mesos task mesos-linux-6f1d2c3e (autoscaler)',
    numExecutors: 2,
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
  });
  assert.deepEqual(JSON.parse(form.get('json') ?? ''), inboundAgentFormJson(spec));
  // The sandbox binds it as Jenkins would.
  const bound = bindNodeCreateForm(form, () => false).spec;
  assert.equal(bound.labelString, 'mesos linux');
  assert.equal(bound.numExecutors, 2);
  assert.equal(bound.launcher?.kind === 'inbound' && bound.launcher.webSocket, true);
});

test('the createItem XML is config.xml with a slave root, escaped text and workDirSettings (reference §4.3)', () => {
  const spec = inboundAgentSpec({ ...request, description: 'a <b> & "c"', labels: ['linux docker', 'x'] });
  const xml = inboundAgentXml(spec);
  assert.match(xml, /^<\?xml version='1\.1' encoding='UTF-8'\?>\n<slave>\n/);
  assert.match(xml, /<description>a &lt;b&gt; &amp; &quot;c&quot;<\/description>/);
  assert.match(xml, /<launcher class="hudson\.slaves\.JNLPLauncher">/);
  assert.match(xml, /<retentionStrategy class="hudson\.slaves\.RetentionStrategy\$Always"\/>/);
  assert.match(xml, /<workDirSettings>[\s\S]*<disabled>false<\/disabled>[\s\S]*<\/workDirSettings>/);
  const bound = bindNodeConfigXml(xml, null).spec;
  assert.deepEqual(
    { ...bound, launcher: undefined },
    {
      name: spec.name,
      description: 'a <b> & "c"',
      numExecutors: 2,
      remoteFS: '/home/jenkins/agent',
      labelString: '"linux docker" x',
      mode: 'EXCLUSIVE',
      launcher: undefined,
    },
  );
  assert.deepEqual(bound.launcher, {
    kind: 'inbound',
    webSocket: true,
    tunnel: '',
    workDirDisabled: false,
    workDirPath: '',
    internalDir: 'remoting',
    failIfWorkDirIsMissing: false,
  });
  assert.equal(bindNodeConfigXml(xml, 'renamed').spec.name, 'renamed', 'the name parameter overrides <name>');
});

test('the JNLP file gives the secret, the name and the agent options', () => {
  const xml = renderJnlp({
    secret: SECRET,
    name: 'agent-1',
    options: ['-webSocket', '-workDir', '/w & more', '-internalDir', 'remoting'],
    url: 'https://ci.example.com/',
  });
  assert.deepEqual(parseAgentJnlp(xml, 'agent-1'), {
    secret: SECRET,
    name: 'agent-1',
    url: 'https://ci.example.com/',
    webSocket: true,
    workDir: '/w & more',
    internalDir: 'remoting',
    options: ['-webSocket', '-workDir', '/w & more', '-internalDir', 'remoting', '-url', 'https://ci.example.com/'],
  });
  const allDigits = '0123456789'.repeat(6) + '0123';
  const plain = `<jnlp><application-desc><argument>${allDigits}</argument><argument>n</argument></application-desc></jnlp>`;
  const parsed = parseAgentJnlp(plain, 'n');
  assert.equal(parsed.secret, allDigits, 'a secret of digits stays text');
  assert.equal(parsed.url, undefined);
  assert.equal(parsed.webSocket, false);
});

test('a JNLP file without a secret, for another node or not XML is refused without quoting it', () => {
  const cases: [string, RegExp][] = [
    ['<html><body>Sign in</body></html>', /has no <argument> elements/],
    [
      '<jnlp><application-desc><argument>not-hex</argument><argument>n</argument></application-desc></jnlp>',
      /not an agent secret/,
    ],
    [
      `<jnlp><application-desc><argument>${SECRET}</argument><argument>other</argument></application-desc></jnlp>`,
      /names the node "other", not ‘n’/,
    ],
    [`<jnlp><application-desc><argument>${SECRET}</argument></application-desc></jnlp>`, /names no node/],
    [`<jnlp><application-desc><argument>${SECRET}</argument>`, /not well-formed XML/],
  ];
  for (const [xml, message] of cases) {
    assert.throws(
      () => parseAgentJnlp(xml, 'n'),
      (err: unknown) => err instanceof JenkinsShapeError && message.test(err.message) && !err.message.includes(SECRET),
    );
  }
});
