import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readComputerSnapshot, type ComputerView } from '../../../src/core/jenkins/computerSnapshot';
import { JenkinsShapeError } from '../../../src/core/jenkins/jenkinsShapeError';
import { parseJenkinsComputers } from '../../../src/core/jenkins/parseJenkinsComputers';
import { parseJenkinsQueue } from '../../../src/core/jenkins/parseJenkinsQueue';
import {
  BUILDABLE_ITEM_CLASS,
  BUILT_IN_COMPUTER_CLASS,
  FREESTYLE_PROJECT_CLASS,
  PLACEHOLDER_TASK_CLASS,
  SLAVE_COMPUTER_CLASS,
  WORKFLOW_JOB_CLASS,
} from '../../../src/core/jenkins/jenkinsTypes';
import { readQueueDemand, type QueueDemandItem } from '../../../src/core/jenkins/queueDemand';
import { joinRefusals, whyMessages } from '../../../src/sandbox/jenkins/whyMessages';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/jenkins/${name}`, import.meta.url), 'utf8'));

// fixture builders: each reads like the case it stands for
let nextId = 100;
function buildable(why: string | null, task: Record<string, unknown>, more: Record<string, unknown> = {}) {
  const id = nextId++;
  return {
    _class: BUILDABLE_ITEM_CLASS,
    id,
    inQueueSince: 1_000 + id,
    buildable: true,
    blocked: false,
    pending: false,
    stuck: false,
    why,
    task,
    ...more,
  };
}
const freestyle = (labelExpression?: string | null) => ({
  _class: FREESTYLE_PROJECT_CLASS,
  name: 'compile',
  url: 'https://ci.example.com/job/compile/',
  ...(labelExpression !== undefined ? { labelExpression } : {}),
});
const placeholder = { _class: PLACEHOLDER_TASK_CLASS, name: 'part of app #42', url: 'job/app/42/' };
const queue = (...items: unknown[]) => ({ _class: 'hudson.model.Queue', items });
function computers(...agents: string[]): ComputerView[] {
  return readComputerSnapshot({
    _class: 'hudson.model.ComputerSet',
    computer: [
      {
        _class: BUILT_IN_COMPUTER_CLASS,
        displayName: 'Built-In Node',
        offline: false,
        idle: true,
        numExecutors: 2,
        assignedLabels: [{ name: 'built-in' }],
      },
      ...agents.map((name) => ({
        _class: SLAVE_COMPUTER_CLASS,
        displayName: name,
        offline: false,
        idle: false,
        numExecutors: 1,
        assignedLabels: [{ name }],
      })),
    ],
  });
}
const one = (item: unknown, nodes: ComputerView[] = computers('static-1')): QueueDemandItem => {
  const { items, problems } = readQueueDemand(queue(item), nodes);
  assert.deepEqual(problems, []);
  assert.equal(items.length, 1);
  return items[0]!;
};
const needOf = (item: QueueDemandItem) =>
  item.need.kind === 'label' ? { kind: 'label', name: item.need.name, lax: item.need.lax } : item.need;

describe('queue demand: the reference example (jenkins.md §2.2)', () => {
  it('keeps buildable items only, oldest first, with the label and where it came from', () => {
    const { items, problems } = readQueueDemand(fixture('queue-reference-example.json'), computers());
    assert.deepEqual(problems, []);
    assert.deepEqual(
      items.map((i) => [i.id, i.source, needOf(i), i.pipeline, i.stuck]),
      [
        [1187, 'task.labelExpression', { kind: 'label', name: 'mesos&&linux', lax: false }, false, false],
        [1190, 'why', { kind: 'label', name: 'docker&&linux', lax: false }, true, true],
      ],
    );
    assert.equal(items[1]!.task, 'part of pipelines » app #42');
  });
});

describe('queue demand: task.labelExpression (classic jobs)', () => {
  it('is preferred over why, and normalised to the canonical name', () => {
    const item = one(
      buildable(
        whyMessages.waitingForNextAvailableExecutorOn('something else'),
        freestyle('linux &&  ( docker || podman )'),
      ),
    );
    assert.equal(item.source, 'task.labelExpression');
    assert.deepEqual(needOf(item), { kind: 'label', name: 'linux&&(docker||podman)', lax: false });
  });
  it('null (the job may roam) and blank mean "any node"', () => {
    assert.deepEqual(one(buildable(null, freestyle(null))).need, { kind: 'any' });
    assert.deepEqual(one(buildable(null, freestyle('   '))).need, { kind: 'any' });
  });
  it('text that does not parse becomes one lax atom, as in Jenkins', () => {
    assert.deepEqual(needOf(one(buildable(null, freestyle('linux docker')))), {
      kind: 'label',
      name: 'linux docker',
      lax: true,
    });
  });
  it('without labelExpression in the answer, why is used', () => {
    const item = one(buildable(whyMessages.allNodesOffline('mesos'), freestyle()));
    assert.equal(item.source, 'why');
    assert.deepEqual(needOf(item), { kind: 'label', name: 'mesos', lax: false });
  });
});

describe('queue demand: why texts (Pipeline placeholders and the rest)', () => {
  const cases: [string, string | null, ComputerView[], unknown][] = [
    ['no label, agents exist', whyMessages.waitingForNextAvailableExecutor(), computers('static-1'), { kind: 'any' }],
    [
      'busy label',
      whyMessages.waitingForNextAvailableExecutorOn('mesos&&linux'),
      computers('static-1'),
      { kind: 'label', name: 'mesos&&linux', lax: false },
    ],
    [
      'busy single node: the node name replaces the label',
      whyMessages.waitingForNextAvailableExecutorOn('static-1'),
      computers('static-1'),
      { kind: 'node', node: 'static-1' },
    ],
    [
      'label without nodes',
      whyMessages.labelHasNoNodes('"my label"&&linux'),
      computers('static-1'),
      { kind: 'label', name: '"my label"&&linux', lax: false },
    ],
    [
      'label whose nodes are offline',
      whyMessages.allNodesOffline('linux'),
      computers(),
      { kind: 'label', name: 'linux', lax: false },
    ],
    [
      "the label's only node is offline",
      whyMessages.nodeOffline('static-1'),
      computers('static-1'),
      { kind: 'node', node: 'static-1' },
    ],
    [
      'refusals name the label',
      joinRefusals([whyMessages.labelMissing('a1', 'linux&&docker'), whyMessages.nodeReserved('a2')]),
      computers('a1', 'a2'),
      { kind: 'label', name: 'linux&&docker', lax: false },
    ],
    [
      'only EXCLUSIVE nodes refused: the item has no label',
      whyMessages.nodeReserved('a2'),
      computers('a2'),
      { kind: 'any' },
    ],
    [
      'pre-2.125 text without quotes',
      'Waiting for next available executor on mesos',
      computers('static-1'),
      { kind: 'label', name: 'mesos', lax: false },
    ],
  ];
  for (const [what, why, nodes, expected] of cases) {
    it(what, () => {
      const item = one(buildable(why, placeholder), nodes);
      assert.equal(item.source, 'why');
      assert.equal(item.pipeline, true);
      assert.deepEqual(needOf(item), expected);
    });
  }

  it('six or more refusals are cut short and still read', () => {
    const why = joinRefusals(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => whyMessages.labelMissing(n, 'gpu')));
    assert.match(why, /; \.\.\. and 1 more$/);
    assert.deepEqual(needOf(one(buildable(why, placeholder), computers('a'))), {
      kind: 'label',
      name: 'gpu',
      lax: false,
    });
  });

  const unknowns: [string, string | null, ComputerView[], RegExp][] = [
    [
      'no label shown because Jenkins has no agent nodes',
      whyMessages.waitingForNextAvailableExecutor(),
      computers(),
      /hides the label while it has no agent nodes/,
    ],
    ['refusals that name no label', whyMessages.nodeNotAcceptingTasks('a1'), computers('a1'), /name no label/],
    ['shutting down', whyMessages.aboutToShutDown(), computers('a1'), /about to shut down/],
    ['an offline node that is not listed', whyMessages.nodeOffline('gone-1'), computers('a1'), /no such node/],
    ['no reason at all', null, computers('a1'), /why is null/],
    [
      'refusals for two labels',
      joinRefusals([whyMessages.labelMissing('a1', 'x'), whyMessages.labelMissing('a2', 'y')]),
      computers('a1', 'a2'),
      /different labels \(x, y\)/,
    ],
  ];
  for (const [what, why, nodes, reason] of unknowns) {
    it(`unknown: ${what}`, () => {
      const need = one(buildable(why, placeholder), nodes).need;
      assert.equal(need.kind, 'unknown');
      assert.match((need as { reason: string }).reason, reason);
    });
  }
});

describe('queue demand: what is not demand, and bad input', () => {
  it('pending, blocked and waiting items and the Pipeline run itself are left out', () => {
    const { items } = readQueueDemand(
      queue(
        buildable(whyMessages.waitingForNextAvailableExecutorOn('linux'), freestyle('linux'), { pending: true }),
        {
          ...buildable('Blocked by ‘x’', freestyle('linux')),
          _class: 'hudson.model.Queue$BlockedItem',
          buildable: false,
          blocked: true,
        },
        buildable(whyMessages.waitingForNextAvailableExecutor(), { _class: WORKFLOW_JOB_CLASS, name: 'app' }),
        buildable(whyMessages.waitingForNextAvailableExecutorOn('linux'), freestyle('linux')),
      ),
      computers('a1'),
    );
    assert.deepEqual(
      items.map((i) => needOf(i)),
      [{ kind: 'label', name: 'linux', lax: false }],
    );
  });
  it('an item without an id is a problem; the others are still read', () => {
    const { items, problems } = readQueueDemand(
      queue({ buildable: true }, buildable(null, freestyle('linux'))),
      computers(),
    );
    assert.equal(items.length, 1);
    assert.deepEqual(problems, ['queue item 1 has no numeric "id"; skipped']);
  });
  it('an answer that is not a queue or a node list is a typed error saying where', () => {
    assert.throws(
      () => readQueueDemand('<html>login</html>', []),
      (err: unknown) =>
        err instanceof JenkinsShapeError &&
        err.message === 'In the build queue (queue/api/json) is the string "<html>login</html>", expected an object',
    );
    assert.throws(
      () => readComputerSnapshot({ items: [] }),
      (err: unknown) =>
        err instanceof JenkinsShapeError && err.path === 'computer' && /missing, expected an array/.test(err.message),
    );
  });

  it("reads the Jenkins client's parsed snapshots as well as raw JSON", () => {
    const rawQueue = queue(
      { ...buildable(null, freestyle('linux && docker')), url: 'queue/item/1/', params: '' },
      {
        ...buildable(whyMessages.waitingForNextAvailableExecutorOn('static-1'), placeholder),
        url: 'queue/item/2/',
        params: '',
      },
    );
    const rawComputers = {
      computer: [
        {
          _class: SLAVE_COMPUTER_CLASS,
          displayName: 'static-1',
          description: null,
          numExecutors: 2,
          offline: false,
          temporarilyOffline: false,
          idle: false,
          executors: [{ idle: true }, { idle: false }],
        },
      ],
    };
    const nodes = readComputerSnapshot(parseJenkinsComputers(rawComputers));
    assert.deepEqual(nodes, readComputerSnapshot(rawComputers));
    assert.equal(nodes[0]!.idleExecutors, 1);
    const viaClient = readQueueDemand(parseJenkinsQueue(rawQueue), nodes);
    assert.deepEqual(
      viaClient.items.map((i) => [needOf(i), i.source]),
      [
        [{ kind: 'label', name: 'linux&&docker', lax: false }, 'task.labelExpression'],
        [{ kind: 'node', node: 'static-1' }, 'why'],
      ],
    );
    assert.deepEqual(viaClient, readQueueDemand(rawQueue, nodes));
  });
});

describe('computer snapshot', () => {
  it('counts idle executors from executors[idle] when present, else from idle; none while offline', () => {
    const [busyOne, idleAll, offline, builtIn] = readComputerSnapshot({
      computer: [
        {
          displayName: 'a1',
          offline: false,
          idle: false,
          numExecutors: 3,
          executors: [{ idle: true }, { idle: false }, { idle: true }],
        },
        {
          displayName: 'a2',
          offline: false,
          idle: true,
          numExecutors: 2,
          executors: [{ _class: 'hudson.model.Executor' }],
        },
        { displayName: 'a3', offline: true, idle: true, numExecutors: 2 },
        { _class: BUILT_IN_COMPUTER_CLASS, displayName: 'Built-In Node', offline: false, idle: true, numExecutors: 2 },
      ],
    });
    assert.deepEqual([busyOne!.idleExecutors, idleAll!.idleExecutors, offline!.idleExecutors], [2, 2, 0]);
    assert.equal(builtIn!.builtIn, true);
    assert.equal(busyOne!.builtIn, false);
  });
});
