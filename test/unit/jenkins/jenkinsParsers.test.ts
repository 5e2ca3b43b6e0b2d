import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { JenkinsShapeError } from '../../../src/core/jenkins/jenkinsShapeError';
import { parseJenkinsComputer, parseJenkinsComputers } from '../../../src/core/jenkins/parseJenkinsComputers';
import { parseJenkinsCrumb } from '../../../src/core/jenkins/parseJenkinsCrumb';
import { parseJenkinsIdentity, parseJenkinsRoot } from '../../../src/core/jenkins/parseJenkinsIdentity';
import { parseJenkinsLabel } from '../../../src/core/jenkins/parseJenkinsLabel';
import { parseJenkinsQueue } from '../../../src/core/jenkins/parseJenkinsQueue';

/** The composed example of reference §2.2 (tree=items[…], Accept-Language: en). */
const QUEUE = {
  _class: 'hudson.model.Queue',
  items: [
    {
      _class: 'hudson.model.Queue$WaitingItem',
      id: 1191,
      inQueueSince: 1732450012000,
      buildable: false,
      blocked: false,
      stuck: false,
      why: 'In the quiet period. Expires in 4.2 sec',
      params: '',
      url: 'queue/item/1191/',
      timestamp: 1732450017000,
      task: {
        _class: 'hudson.model.FreeStyleProject',
        name: 'lint',
        url: 'https://ci.example.com/job/lint/',
        labelExpression: 'mesos',
      },
    },
    {
      _class: 'hudson.model.Queue$BuildableItem',
      id: 1190,
      inQueueSince: 1732450003000,
      buildable: true,
      blocked: false,
      pending: false,
      stuck: true,
      why: 'There are no nodes with the label ‘docker&&linux’',
      params: '\nBRANCH=main',
      url: 'queue/item/1190/',
      buildableStartMilliseconds: 1732450008000,
      task: {
        _class: 'org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$PlaceholderTask',
        name: 'part of pipelines » app #42',
        url: 'job/pipelines/job/app/42/',
      },
    },
  ],
};

function shapeError(fn: () => unknown, where: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof JenkinsShapeError && where.test(err.message));
}

test('a queue keeps Jenkins’ keys; pending defaults to false and a placeholder has no labelExpression', () => {
  const { items } = parseJenkinsQueue(QUEUE);
  assert.equal(items.length, 2);
  const [waiting, buildable] = items;
  assert.deepEqual(waiting, {
    _class: 'hudson.model.Queue$WaitingItem',
    id: 1191,
    inQueueSince: 1732450012000,
    blocked: false,
    buildable: false,
    stuck: false,
    pending: false,
    why: 'In the quiet period. Expires in 4.2 sec',
    params: '',
    url: 'queue/item/1191/',
    buildableStartMilliseconds: undefined,
    timestamp: 1732450017000,
    task: {
      _class: 'hudson.model.FreeStyleProject',
      name: 'lint',
      url: 'https://ci.example.com/job/lint/',
      fullName: undefined,
      labelExpression: 'mesos',
    },
  });
  assert.equal(buildable?.task.labelExpression, undefined);
  assert.equal(buildable?.params, '\nBRANCH=main');
  assert.equal(buildable?.buildableStartMilliseconds, 1732450008000);
  assert.deepEqual(parseJenkinsQueue({ _class: 'hudson.model.Queue' }).items, [], 'no items key: an empty queue');
});

test('a malformed queue fails with the exact place', () => {
  shapeError(() => parseJenkinsQueue('<html>'), /build queue .*is the string "<html>", expected an object/);
  shapeError(() => parseJenkinsQueue({ items: {} }), /items is an object, expected an array/);
  const bad = structuredClone(QUEUE);
  (bad.items[1] as Record<string, unknown>).id = '1190';
  shapeError(() => parseJenkinsQueue(bad), /items\[1\]\.id is the string "1190", expected a number/);
  const noTask = structuredClone(QUEUE);
  delete (noTask.items[0] as Record<string, unknown>).task;
  shapeError(() => parseJenkinsQueue(noTask), /items\[0\]\.task is missing, expected an object/);
  const badLabel = structuredClone(QUEUE);
  (badLabel.items[0]?.task as Record<string, unknown>).labelExpression = 7;
  shapeError(() => parseJenkinsQueue(badLabel), /items\[0\]\.task\.labelExpression is number 7/);
});

const COMPUTER = {
  _class: 'hudson.slaves.SlaveComputer',
  displayName: 'mesos-linux-1',
  description: 'autoscaler',
  numExecutors: 2,
  offline: false,
  temporarilyOffline: false,
  idle: false,
  offlineCauseReason: '',
  offlineCause: null,
  jnlpAgent: true,
  launchSupported: false,
  manualLaunchAllowed: true,
  assignedLabels: [{ name: 'linux' }, { name: 'mesos-linux-1' }],
  executors: [
    {
      number: 0,
      idle: false,
      progress: 40,
      likelyStuck: false,
      currentExecutable: { _class: 'hudson.model.FreeStyleBuild', number: 7, url: 'https://ci/job/a/7/' },
    },
    { number: 1, idle: true, progress: -1, likelyStuck: false, currentExecutable: null },
  ],
  oneOffExecutors: [],
  absoluteRemotePath: '/home/jenkins/agent',
};

test('computers keep Jenkins’ shape, executors included', () => {
  const set = parseJenkinsComputers({ _class: 'hudson.model.ComputerSet', computer: [COMPUTER] });
  assert.deepEqual(set.computer[0], COMPUTER);
  const offline = parseJenkinsComputer(
    {
      ...COMPUTER,
      offline: true,
      temporarilyOffline: true,
      offlineCauseReason: 'draining',
      offlineCause: { _class: 'hudson.slaves.OfflineCause$UserCause', timestamp: 5, description: 'draining' },
      executors: [{ idle: true }],
      absoluteRemotePath: null,
    },
    'mesos-linux-1',
  );
  assert.deepEqual(offline.offlineCause, {
    _class: 'hudson.slaves.OfflineCause$UserCause',
    timestamp: 5,
    description: 'draining',
  });
  assert.deepEqual(offline.executors, [
    { number: 0, idle: true, progress: -1, likelyStuck: false, currentExecutable: null },
  ]);
  assert.equal(offline.absoluteRemotePath, null);
  shapeError(
    () => parseJenkinsComputers({ computer: [{ ...COMPUTER, offline: 'yes' }] }),
    /computer\[0\]\.offline is the string "yes", expected true or false/,
  );
  shapeError(
    () => parseJenkinsComputers({ computer: [{ ...COMPUTER, assignedLabels: ['linux'] }] }),
    /computer\[0\]\.assignedLabels\[0\] is the string "linux", expected an object/,
  );
  shapeError(
    () => parseJenkinsComputer({ ...COMPUTER, executors: [{ number: 0 }] }, 'x'),
    /node ‘x’.*executors\[0\]\.idle is missing/,
  );
});

test('labels, identities, the root and crumbs are read and checked', () => {
  assert.deepEqual(
    parseJenkinsLabel(
      {
        _class: 'hudson.model.labels.LabelExpression$And',
        name: 'linux&&mesos',
        description: 'group of a,b',
        offline: false,
        busyExecutors: 1,
        idleExecutors: 3,
        totalExecutors: 4,
        nodes: [{ _class: 'hudson.slaves.DumbSlave', nodeName: 'a' }, { nodeName: 'b' }],
      },
      'linux && mesos',
    ),
    {
      _class: 'hudson.model.labels.LabelExpression$And',
      name: 'linux&&mesos',
      description: 'group of a,b',
      offline: false,
      busyExecutors: 1,
      idleExecutors: 3,
      totalExecutors: 4,
      nodes: [{ nodeName: 'a' }, { nodeName: 'b' }],
    },
  );
  shapeError(() => parseJenkinsLabel({ name: 'x' }, 'x'), /label ‘x’.*offline is missing/);
  assert.deepEqual(
    parseJenkinsIdentity({
      _class: 'hudson.security.WhoAmI',
      name: 'svc',
      anonymous: false,
      authenticated: true,
      authorities: ['authenticated'],
    }),
    { name: 'svc', anonymous: false, authenticated: true, authorities: ['authenticated'] },
  );
  shapeError(
    () => parseJenkinsIdentity({ name: 'svc', anonymous: false, authenticated: true, authorities: [1] }),
    /authorities\[0\] is number 1/,
  );
  assert.deepEqual(
    parseJenkinsRoot({ url: null, useSecurity: true, useCrumbs: true, quietingDown: false, slaveAgentPort: 50000 }),
    {
      rootUrl: null,
      useSecurity: true,
      useCrumbs: true,
      quietingDown: false,
      slaveAgentPort: 50000,
    },
  );
  assert.deepEqual(parseJenkinsCrumb({ crumb: 'ab12', crumbRequestField: 'Jenkins-Crumb' }), {
    field: 'Jenkins-Crumb',
    crumb: 'ab12',
  });
  shapeError(() => parseJenkinsCrumb({ crumb: 'x', crumbRequestField: 'Bad Field' }), /not a valid header name/);
  shapeError(() => parseJenkinsCrumb({ crumb: '', crumbRequestField: 'Jenkins-Crumb' }), /crumb is empty/);
});
