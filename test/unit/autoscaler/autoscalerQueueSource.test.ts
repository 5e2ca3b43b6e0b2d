import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { AutoscalerDriver } from '../../../src/core/scheduler/autoscaler/autoscalerDriver';
import { AutoscalerQueueSource } from '../../../src/core/scheduler/autoscaler/autoscalerQueueSource';
import { parseQueueChange, parseQueueSnapshot, type QueueChange } from '../../../webview/protocol';
import { offer, offers, subscribed, update } from '../../support/schedulerInputs';
import { job, templates } from './autoscalerFixtures';
import { FakeJenkins, ReducerScheduler } from './driverFakes';

const A = 'mesos-linux-t1-1';

async function setup(t: TestContext) {
  const jenkins = new FakeJenkins();
  const scheduler = new ReducerScheduler();
  scheduler.input(subscribed(Date.now()));
  const driver = new AutoscalerDriver({
    jenkins,
    scheduler,
    jenkinsUrl: 'http://jenkins.example/',
    templates: templates({ name: 'linux', labels: ['linux'], maxAgents: 1, idleMinutes: 60 }),
    owner: 'prod',
    instance: 't1',
    // polls only when the test asks (scaleNow), so each timeline point is one the test made
    options: { pollMs: 3_600_000 },
  });
  const source = new AutoscalerQueueSource({ driver, cluster: 'prod' });
  const changes: QueueChange[] = [];
  source.onDidChange((c) => {
    const parsed = parseQueueChange(c);
    assert.ok(parsed.ok, `a change the webview accepts: ${parsed.ok ? '' : parsed.reason}`);
    changes.push(c);
  });
  t.after(async () => {
    source.dispose();
    await driver.stop();
  });
  return { jenkins, scheduler, driver, source, changes };
}

const lastOf = <K extends QueueChange['kind']>(changes: readonly QueueChange[], kind: K) =>
  changes.filter((c): c is Extract<QueueChange, { kind: K }> => c.kind === kind).at(-1);

describe('AutoscalerQueueSource', () => {
  it('lists the queue with where each build stands, the agents with their tasks, and a point per poll', async (t) => {
    const { jenkins, scheduler, driver, source, changes } = await setup(t);
    assert.equal(source.snapshot().scheduler.where, 'stopped', 'not started yet');
    jenkins.items = [
      job(1, 'linux'),
      job(2, 'linux'),
      job(3, 'windows'),
      job(4, 'linux', {
        _class: 'hudson.model.Queue$BlockedItem',
        buildable: false,
        blocked: true,
        why: 'Build #1 is already in progress',
      }),
    ];
    await driver.start();
    await driver.whenIdle();

    const first = source.snapshot();
    assert.ok(parseQueueSnapshot(first).ok);
    assert.deepEqual(first.scheduler, { where: 'here', paused: false, dryRun: false });
    assert.deepEqual(
      first.queue.map((r) => [r.id, r.job, r.labelExpression, r.template, r.state, r.blockedBy ?? '']),
      [
        [1, 'job-1', 'linux', 'linux', 'agent-launching', ''],
        [2, 'job-2', 'linux', 'linux', 'blocked-by-limit', 'max agents (1) of template linux'],
        [3, 'job-3', 'windows', null, 'waiting', ''],
        [4, 'job-4', 'linux', 'linux', 'waiting', ''],
      ],
    );
    assert.deepEqual(first.agents, [
      { name: A, labels: ['linux'], state: 'launching', idleSince: null, taskId: null, host: null, template: 'linux' },
    ]);
    assert.deepEqual(
      first.decisions.map((d) => d.kind),
      ['skip', 'reconcile', 'launch', 'skip'],
    );
    assert.deepEqual(
      first.timeline.map((p) => [p.queued, p.launching, p.online, p.busy]),
      [[3, 1, 0, 0]],
    );

    // its task gets an offer and runs; the agent connects and job 1 is handed to it
    scheduler.input(offers(Date.now(), offer(1, 4, 4096), offer(2, 4, 4096)));
    scheduler.input(update(Date.now(), `${A}.1`, 'TASK_RUNNING', { uuid: 'AQ==' }));
    jenkins.connect(A);
    jenkins.setBusy(A, true);
    jenkins.items = [job(1, 'linux', { pending: true }), job(2, 'linux'), job(3, 'windows')];
    await driver.scaleNow();

    const second = source.snapshot();
    assert.ok(parseQueueSnapshot(second).ok);
    assert.deepEqual(
      second.queue.map((r) => [r.id, r.state]),
      [
        [1, 'agent-online'],
        [2, 'blocked-by-limit'],
        [3, 'waiting'],
      ],
    );
    assert.deepEqual(second.agents, [
      {
        name: A,
        labels: ['linux'],
        state: 'busy',
        idleSince: null,
        taskId: `${A}.1`,
        host: 'agent-1',
        template: 'linux',
      },
    ]);
    const point = second.timeline.at(-1)!;
    assert.deepEqual([point.queued, point.launching, point.online, point.busy, point.offers], [2, 0, 1, 1, 2]);
    const rows = second.decisions.slice(first.decisions.length);
    assert.deepEqual(
      rows.map((d) => [d.kind, d.agent ?? '', d.taskId ?? '']),
      [
        // the scheduler's own records come as they happen; the autoscaler hears of both updates at once
        ['launched', A, `${A}.1`],
        ['status', A, `${A}.1`],
        ['placed', A, ''],
        ['connected', A, ''],
      ],
    );
    assert.equal(rows[1]!.reason, 'TASK_RUNNING');

    // only what changed was sent, in order, and the decisions as they came
    assert.deepEqual(lastOf(changes, 'agents')?.agents, second.agents);
    assert.deepEqual(lastOf(changes, 'queue')?.queue, second.queue);
    assert.deepEqual(
      changes.filter((c) => c.kind === 'timeline').flatMap((c) => (c.kind === 'timeline' ? c.points : [])),
      second.timeline,
    );
    assert.deepEqual(
      changes.flatMap((c) => (c.kind === 'decisions' ? c.decisions : [])),
      second.decisions,
    );

    // the next point counts only the offers since the last one
    await driver.scaleNow();
    assert.equal(source.snapshot().timeline.at(-1)!.offers, 0);
  });

  it('passes the controls to the driver and says where the scheduler runs', async (t) => {
    const { driver, source, changes } = await setup(t);
    await driver.start();
    await source.pause();
    assert.deepEqual(lastOf(changes, 'status')?.scheduler, { where: 'here', paused: true, dryRun: false });
    await source.setDryRun(true);
    assert.deepEqual(source.snapshot().scheduler, { where: 'here', paused: true, dryRun: true });
    await source.resume();
    assert.deepEqual(await source.scaleNow(), {
      summary:
        'Nothing to do: no waiting build needs another agent (0 agent(s) running); in dry run, decisions already reported are not repeated.',
    });
    source.setWhere('here', 'headless daemon on ci-01, pid 4242');
    assert.equal(source.snapshot().scheduler.detail, 'headless daemon on ci-01, pid 4242');
    await driver.stop();
    assert.equal(lastOf(changes, 'status')?.scheduler.where, 'stopped');
    assert.throws(() => source.pause(), /The autoscaler is stopped/);
  });
});
