import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSandboxJenkins, type SandboxJenkins } from '../../../src/sandbox/jenkins/sandboxJenkins';
import { getJson, post } from './sandboxTestKit';

// One controller for the read-only API checks: two online stand-in agents, one offline node, and a queue
// with a running build, a labelled wait, a Pipeline placeholder and a quiet-period item.
let jenkins: SandboxJenkins;

before(async () => {
  jenkins = await startSandboxJenkins({
    nodes: [
      { name: 'linux-1', labelString: 'linux docker', online: true, description: 'first' },
      { name: 'linux-2', labelString: 'linux', numExecutors: 2, mode: 'EXCLUSIVE', online: true },
      { name: 'win-1', labelString: 'windows' },
    ],
  });
  jenkins.enqueue({ job: 'long', label: 'linux && docker', durationSeconds: 600 });
  jenkins.enqueue({ job: 'compile', label: 'linux && docker', durationSeconds: 600 });
  jenkins.enqueue({ job: 'team/app', kind: 'pipeline', label: 'gpu', durationSeconds: 600, stage: 'Test' });
  jenkins.enqueue({ job: 'later', label: 'linux', durationSeconds: 1, quietPeriodSeconds: 600, params: { A: '1' } });
});

after(async () => {
  await jenkins.close();
});

describe('headers and formats', () => {
  test('api/json answers carry Jenkins headers', async () => {
    const res = await fetch(`${jenkins.url}queue/api/json`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json;charset=utf-8');
    assert.equal(res.headers.get('x-jenkins'), '2.578');
    assert.match(res.headers.get('x-jenkins-session') ?? '', /^[0-9a-f]{8}$/);
    assert.equal(res.headers.get('x-jenkins-session'), jenkins.session);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'deny');
  });

  test('pretty prints, jsonp is refused, a bad depth or a malformed tree is a server error', async () => {
    assert.match(
      await (await fetch(`${jenkins.url}api/json?pretty`)).text(),
      /\n {2}"_class": "hudson\.model\.Hudson"/,
    );
    assert.equal((await fetch(`${jenkins.url}queue/api/json?jsonp=f`)).status, 403);
    assert.equal((await fetch(`${jenkins.url}queue/api/json?depth=x`)).status, 500);
    const malformed = await fetch(`${jenkins.url}queue/api/json?tree=items[id`);
    assert.equal(malformed.status, 500);
    assert.match(await malformed.text(), /Malformed tree expression/);
  });

  test('unknown objects are 404, POST-only endpoints answer 405 to GET', async () => {
    assert.equal((await fetch(`${jenkins.url}computer/nope/api/json`)).status, 404);
    assert.equal((await fetch(`${jenkins.url}queue/item/999/api/json`)).status, 404);
    assert.equal((await fetch(`${jenkins.url}no/such/page`)).status, 404);
    assert.equal((await fetch(`${jenkins.url}computer/linux-1/doDelete`)).status, 405);
    assert.equal((await fetch(`${jenkins.url}computer/doCreateItem`)).status, 405);
    assert.equal((await fetch(`${jenkins.url}tcpSlaveAgentListener/`)).status, 404);
  });
});

describe('queue/api/json', () => {
  test('depth 0 shows every item key; the task shows name, url, color; placeholders only _class', async () => {
    const queue = await getJson<{ _class: string; items: Record<string, unknown>[]; discoverableItems: unknown[] }>(
      `${jenkins.url}queue/api/json`,
    );
    assert.equal(queue._class, 'hudson.model.Queue');
    assert.deepEqual(queue.discoverableItems, []);
    assert.deepEqual(
      queue.items.map((i) => i.id),
      [4, 3, 2],
      'waiting first, then buildable newest first',
    );
    const [waiting, placeholder, compile] = queue.items as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    assert.equal(waiting._class, 'hudson.model.Queue$WaitingItem');
    assert.equal(waiting.params, '\nA=1');
    assert.equal(typeof waiting.timestamp, 'number');
    assert.match(String(waiting.why), /^In the quiet period\. Expires in (9 min 59 sec|10 min)$/);
    assert.deepEqual(placeholder.task, {
      _class: 'org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$PlaceholderTask',
    });
    assert.deepEqual(Object.keys(compile).sort(), [
      '_class',
      'actions',
      'blocked',
      'buildable',
      'buildableStartMilliseconds',
      'id',
      'inQueueSince',
      'params',
      'pending',
      'stuck',
      'task',
      'url',
      'why',
    ]);
    assert.deepEqual(compile.task, {
      _class: 'hudson.model.FreeStyleProject',
      name: 'compile',
      url: `${jenkins.url}job/compile/`,
      color: 'notbuilt',
    });
    assert.equal(compile.url, 'queue/item/2/');
    assert.equal(compile.why, 'Waiting for next available executor on ‘linux-1’');
    assert.equal(compile.stuck, false);
    assert.equal(compile.pending, false);
  });

  test('tree selects nested fields, including labelExpression and the placeholder name and url', async () => {
    const queue = await getJson<{ items: unknown[] }>(
      `${jenkins.url}queue/api/json?tree=items[id,why,stuck,task[name,url,labelExpression]]`,
    );
    assert.deepEqual(queue, {
      _class: 'hudson.model.Queue',
      items: [
        {
          _class: 'hudson.model.Queue$WaitingItem',
          id: 4,
          why: (queue.items[0] as { why: string }).why,
          stuck: false,
          task: {
            _class: 'hudson.model.FreeStyleProject',
            name: 'later',
            url: `${jenkins.url}job/later/`,
            labelExpression: 'linux',
          },
        },
        {
          _class: 'hudson.model.Queue$BuildableItem',
          id: 3,
          why: 'There are no nodes with the label ‘gpu’',
          stuck: true,
          task: {
            _class: 'org.jenkinsci.plugins.workflow.support.steps.ExecutorStepExecution$PlaceholderTask',
            name: 'team » app #1 (Test)',
            url: 'job/team/job/app/1/',
          },
        },
        {
          _class: 'hudson.model.Queue$BuildableItem',
          id: 2,
          why: 'Waiting for next available executor on ‘linux-1’',
          stuck: false,
          task: {
            _class: 'hudson.model.FreeStyleProject',
            name: 'compile',
            url: `${jenkins.url}job/compile/`,
            labelExpression: 'linux && docker',
          },
        },
      ],
    });
  });

  test('tree ranges slice the items array', async () => {
    const ids = async (range: string) =>
      (await getJson<{ items: { id: number }[] }>(`${jenkins.url}queue/api/json?tree=items[id]${range}`)).items.map(
        (i) => i.id,
      );
    assert.deepEqual(await ids('{0,1}'), [4]);
    assert.deepEqual(await ids('{1}'), [3]);
    assert.deepEqual(await ids('{1,}'), [3, 2]);
    assert.deepEqual(await ids('{,2}'), [4, 3]);
  });

  test('a left item keeps its executable for queue/item/<id>/api/json', async () => {
    const left = await getJson<Record<string, unknown>>(`${jenkins.url}queue/item/1/api/json`);
    assert.equal(left._class, 'hudson.model.Queue$LeftItem');
    assert.equal(left.cancelled, false);
    assert.equal(left.why, null);
    assert.deepEqual(left.executable, {
      _class: 'hudson.model.FreeStyleBuild',
      number: 1,
      url: `${jenkins.url}job/long/1/`,
    });
    const polled = await getJson(`${jenkins.url}queue/item/1/api/json?tree=cancelled,executable[url,number],why`);
    assert.deepEqual(polled, {
      _class: 'hudson.model.Queue$LeftItem',
      cancelled: false,
      executable: { _class: 'hudson.model.FreeStyleBuild', url: `${jenkins.url}job/long/1/`, number: 1 },
      why: null,
    });
  });
});

describe('computer/api/json and label/<expr>/api/json', () => {
  test('the computer set lists the built-in node first and counts online executors only', async () => {
    const set = await getJson<{
      computer: Record<string, unknown>[];
      busyExecutors: number;
      totalExecutors: number;
      displayName: string;
    }>(`${jenkins.url}computer/api/json`);
    assert.equal(set.displayName, 'Nodes');
    assert.deepEqual(
      set.computer.map((c) => c.displayName),
      ['Built-In Node', 'linux-1', 'linux-2', 'win-1'],
    );
    assert.equal(set.totalExecutors, 3);
    assert.equal(set.busyExecutors, 1);
    const linux1 = set.computer[1] as Record<string, unknown>;
    assert.equal(linux1._class, 'hudson.slaves.SlaveComputer');
    assert.deepEqual(linux1.assignedLabels, [{ name: 'docker' }, { name: 'linux' }, { name: 'linux-1' }]);
    assert.deepEqual(linux1.executors, [{ _class: 'hudson.model.Executor' }]);
    assert.equal(linux1.idle, false);
    assert.equal(linux1.jnlpAgent, true);
    assert.equal(linux1.launchSupported, false);
    assert.equal(linux1.offlineCause, null);
    const win = set.computer[3] as Record<string, unknown>;
    assert.equal(win.offline, true);
    assert.equal(win.temporarilyOffline, false);
    assert.equal(win.offlineCauseReason, '');
  });

  test('the recommended poll tree with a range', async () => {
    const set = await getJson(
      `${jenkins.url}computer/api/json?tree=computer[displayName,offline,temporarilyOffline,idle,numExecutors,offlineCauseReason,assignedLabels[name]]{1,3}`,
    );
    assert.deepEqual(set, {
      _class: 'hudson.model.ComputerSet',
      computer: [
        {
          _class: 'hudson.slaves.SlaveComputer',
          displayName: 'linux-1',
          offline: false,
          temporarilyOffline: false,
          idle: false,
          numExecutors: 1,
          offlineCauseReason: '',
          assignedLabels: [{ name: 'docker' }, { name: 'linux' }, { name: 'linux-1' }],
        },
        {
          _class: 'hudson.slaves.SlaveComputer',
          displayName: 'linux-2',
          offline: false,
          temporarilyOffline: false,
          idle: true,
          numExecutors: 2,
          offlineCauseReason: '',
          assignedLabels: [{ name: 'linux' }, { name: 'linux-2' }],
        },
      ],
    });
  });

  test('depth 1 opens executors up', async () => {
    const computer = await getJson<{ executors: Record<string, unknown>[] }>(
      `${jenkins.url}computer/linux-1/api/json?depth=1`,
    );
    const [executor] = computer.executors;
    assert.equal(executor?.idle, false);
    assert.equal(executor?.number, 0);
    assert.equal((executor?.currentExecutable as { number: number }).number, 1);
    const builtIn = await getJson(`${jenkins.url}computer/(built-in)/api/json?tree=displayName,numExecutors`);
    assert.deepEqual(builtIn, {
      _class: 'hudson.model.Hudson$MasterComputer',
      displayName: 'Built-In Node',
      numExecutors: 0,
    });
  });

  test('a label expression (percent-encoded) reports its canonical name, nodes and counts', async () => {
    const label = await getJson(`${jenkins.url}label/linux%20%26%26%20!docker/api/json`);
    assert.deepEqual(label, {
      _class: 'hudson.model.labels.LabelExpression$And',
      actions: [],
      busyExecutors: 0,
      clouds: [],
      description: '',
      idleExecutors: 2,
      loadStatistics: { _class: 'hudson.model.Label$1' },
      name: 'linux&&!docker',
      nodes: [{ _class: 'hudson.slaves.DumbSlave', nodeName: 'linux-2' }],
      offline: false,
      tiedJobs: [],
      totalExecutors: 2,
    });
  });

  test('an atom nobody has is an offline, invalid label; an atom reports its own (unset) description', async () => {
    const gpu = await getJson<Record<string, unknown>>(`${jenkins.url}label/gpu/api/json`);
    assert.equal(gpu._class, 'hudson.model.labels.LabelAtom');
    assert.equal(gpu.offline, true);
    assert.deepEqual(gpu.nodes, []);
    assert.equal(gpu.description, null);
    assert.deepEqual(gpu.propertiesList, []);
    const none = await getJson<Record<string, unknown>>(`${jenkins.url}label/gpu%26%26cuda/api/json`);
    assert.equal(none.description, 'invalid label');
    const group = await getJson<Record<string, unknown>>(
      `${jenkins.url}label/linux%7C%7Cwindows/api/json?tree=description,offline`,
    );
    assert.deepEqual(group, {
      _class: 'hudson.model.labels.LabelExpression$Or',
      description: 'group of linux-1,linux-2,win-1',
      offline: false,
    });
  });

  test('the root object and whoAmI', async () => {
    const root = await getJson<Record<string, unknown>>(
      `${jenkins.url}api/json?tree=url,useSecurity,useCrumbs,slaveAgentPort,jobs[name]`,
    );
    assert.deepEqual(root, {
      _class: 'hudson.model.Hudson',
      jobs: [
        { _class: 'hudson.model.FreeStyleProject', name: 'compile' },
        { _class: 'hudson.model.FreeStyleProject', name: 'later' },
        { _class: 'hudson.model.FreeStyleProject', name: 'long' },
        { _class: 'com.cloudbees.hudson.plugins.folder.Folder', name: 'team' },
      ],
      slaveAgentPort: -1,
      url: jenkins.url,
      useCrumbs: true,
      useSecurity: false,
    });
    const who = await getJson<Record<string, unknown>>(`${jenkins.url}whoAmI/api/json`);
    assert.equal(who.name, 'anonymous');
    assert.equal(who.anonymous, true);
  });
});

test('cancelItem: 204 for a queued item, 404 once it is gone, and the item is left as cancelled', async () => {
  const session = await fetch(`${jenkins.url}crumbIssuer/api/json`);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { crumb } = (await session.json()) as { crumb: string };
  const headers = { 'Jenkins-Crumb': crumb, Cookie: cookie };
  const id = jenkins.enqueue({ job: 'doomed', label: 'nowhere', durationSeconds: 1 });
  const cancel = await post(`${jenkins.url}queue/cancelItem?id=${id}`, null, headers);
  assert.equal(cancel.status, 204);
  const again = await post(`${jenkins.url}queue/cancelItem?id=${id}`, null, headers);
  assert.equal(again.status, 404);
  assert.equal(await again.text(), `Provided id (${id}) not found`);
  const left = await getJson<Record<string, unknown>>(`${jenkins.url}queue/item/${id}/api/json`);
  assert.equal(left.cancelled, true);
  assert.equal(left.executable, null);
});
