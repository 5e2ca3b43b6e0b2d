import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { MemorySink } from '../../../src/core/log/logSink';
import { agentTaskRequest } from '../../../src/core/scheduler/autoscaler/agentTaskRequest';
import type { AgentTemplate } from '../../../src/core/scheduler/autoscaler/agentTemplate';
import type { AutoscaleDecision } from '../../../src/core/scheduler/autoscaler/autoscaleDecision';
import {
  AutoscalerDriver,
  type AutoscalerDriverOptions,
} from '../../../src/core/scheduler/autoscaler/autoscalerDriver';
import { offer, offers, subscribed, update } from '../../support/schedulerInputs';
import { until } from '../../support/until';
import { job, templates } from './autoscalerFixtures';
import { FakeJenkins, ReducerScheduler } from './driverFakes';

const URL = 'http://jenkins.example/';
const linux = (more: Record<string, unknown> = {}): AgentTemplate[] =>
  templates({ name: 'linux', labels: ['linux'], idleMinutes: 0, ...more });

function setup(t: TestContext, more: Partial<AutoscalerDriverOptions> = {}) {
  const jenkins = new FakeJenkins();
  const scheduler = new ReducerScheduler();
  scheduler.input(subscribed(Date.now()));
  const logs = new MemorySink();
  const driver = new AutoscalerDriver({
    jenkins,
    scheduler,
    jenkinsUrl: URL,
    templates: linux(),
    owner: 'prod',
    instance: 't1',
    sink: logs,
    record: true,
    ...more,
    options: { pollMs: 10, pollBackoffMaxMs: 40, ...more.options },
  });
  const decisions: AutoscaleDecision[] = [];
  driver.onDecision((d) => decisions.push(d));
  t.after(() => driver.stop());
  const kinds = () => decisions.map((d) => (d.skip ? `skip:${d.skip}` : d.kind));
  return { jenkins, scheduler, logs, driver, decisions, kinds };
}

/** Places `name`'s pending task on an offer and reports it running. */
function runTask(scheduler: ReducerScheduler, name: string): void {
  scheduler.input(offers(Date.now(), offer(1, 4, 4096)));
  scheduler.input(update(Date.now(), `${name}.1`, 'TASK_RUNNING', { uuid: 'AQ==' }));
}

const writes = (jenkins: FakeJenkins) => jenkins.calls.filter((c) => c !== 'queue');

describe('AutoscalerDriver', () => {
  it('launches an agent as: create its node, read its secret, hand its task to the scheduler', async (t) => {
    const { jenkins, scheduler, logs, driver, kinds } = setup(t);
    jenkins.items = [job(1, 'linux')];
    await driver.start();
    await until(() => scheduler.launched.length === 1, 'the launch');
    const name = 'mesos-linux-t1-1';
    assert.deepEqual(writes(jenkins), [`create ${name}`, `secret ${name}`]);
    const secret = FakeJenkins.secretOf(name);
    assert.deepEqual(scheduler.launched[0], agentTaskRequest(linux()[0]!, name, URL, secret));
    assert.deepEqual(jenkins.nodes.get(name)!.request.labels, ['linux']);

    runTask(scheduler, name);
    jenkins.connect(name);
    await until(() => kinds().includes('connected'), 'the agent to connect');
    assert.deepEqual(kinds().slice(0, 4), ['reconcile', 'launch', 'placed', 'connected']);
    for (const text of [logs.text(), driver.exportDecisions(), JSON.stringify(driver.recording)]) {
      assert.equal(text.includes(secret), false, 'the secret is only in the task request');
    }
  });

  it("removes an idle agent: offline, then delete its node and kill its task ids '<name>.*'", async (t) => {
    const { jenkins, scheduler, driver, kinds } = setup(t);
    jenkins.items = [job(1, 'linux')];
    await driver.start();
    const name = 'mesos-linux-t1-1';
    await until(() => scheduler.launched.length === 1, 'the launch');
    runTask(scheduler, name);
    jenkins.connect(name);
    jenkins.items = [];
    await until(() => kinds().includes('removed'), 'the removal');
    assert.deepEqual(writes(jenkins).slice(2), [`offline ${name}`, `delete ${name}`]);
    assert.deepEqual(scheduler.killed, [`${name}.1`]);
    scheduler.input(update(Date.now(), `${name}.1`, 'TASK_KILLED', { uuid: 'Ag==' }));
    await until(() => Object.keys(driver.state.agents).length === 0, 'the agent to be forgotten');
  });

  it('a task the scheduler refuses is a failed launch: the node is deleted and the template backs off', async (t) => {
    const { jenkins, scheduler, driver, decisions } = setup(t);
    scheduler.refuse = 'cpus must be a finite number >= 0';
    jenkins.items = [job(1, 'linux')];
    await driver.start();
    await until(() => writes(jenkins).includes('delete mesos-linux-t1-1'), 'the node to be deleted');
    const failure = decisions.find((d) => d.kind === 'failure')!;
    assert.match(failure.reason, /^its task could not be launched: the scheduler refused its task: cpus must be/);
    assert.ok(decisions.some((d) => d.kind === 'retry'));
  });

  it('runs actions concurrently up to the limit, and never two of one agent at once', async (t) => {
    const { jenkins, driver } = setup(t, { options: { actionConcurrency: 2 } });
    jenkins.hold.add('create');
    jenkins.items = [job(1, 'linux'), job(2, 'linux'), job(3, 'linux')];
    await driver.start();
    await until(() => jenkins.heldCount === 2, 'two creations under way');
    assert.deepEqual(writes(jenkins), ['create mesos-linux-t1-1', 'create mesos-linux-t1-2']);
    jenkins.hold.clear();
    jenkins.release();
    await until(() => writes(jenkins).filter((c) => c.startsWith('secret')).length === 3, 'every secret read');
    const order = writes(jenkins);
    for (const n of [1, 2, 3]) {
      assert.ok(order.indexOf(`create mesos-linux-t1-${n}`) < order.indexOf(`secret mesos-linux-t1-${n}`));
    }
  });

  it('feeds failed polls as poll-failed, backs off, and reports the outage once', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { jenkins, driver, decisions } = setup(t, { options: { pollMs: 100, pollBackoffMaxMs: 1000 } });
    const polls = () =>
      driver.recording.filter((i) => i.kind === 'poll' || i.kind === 'poll-failed').map((i) => i.kind);
    const settle = () => new Promise((r) => setImmediate(r));
    jenkins.down = true;
    await driver.start();
    assert.deepEqual(polls(), ['poll-failed']);
    t.mock.timers.tick(199);
    await settle();
    assert.equal(polls().length, 1, 'the next poll waits twice the interval');
    t.mock.timers.tick(1);
    await driver.whenIdle();
    assert.deepEqual(polls(), ['poll-failed', 'poll-failed']);
    t.mock.timers.tick(399);
    await settle();
    assert.equal(polls().length, 2, 'then four times');
    jenkins.down = false;
    t.mock.timers.tick(1);
    await driver.whenIdle();
    assert.deepEqual(polls(), ['poll-failed', 'poll-failed', 'poll']);
    assert.equal(driver.health.pollFailures, 0);
    t.mock.timers.tick(100);
    await driver.whenIdle();
    assert.equal(polls().length, 4, 'and back to the interval once Jenkins answers');
    assert.deepEqual(
      decisions.filter((d) => d.kind === 'outage').map((d) => d.reason),
      [
        'Jenkins could not be polled: Jenkins at http://jenkins/ failed to read the build queue (500 Server Error). Retry later; ' +
          'nothing that needs its view is decided until it answers',
      ],
    );
  });

  it('in dry run decides but neither writes to Jenkins nor launches', async (t) => {
    const { jenkins, scheduler, driver, decisions } = setup(t, { dryRun: true });
    jenkins.items = [job(1, 'linux')];
    await driver.start();
    await driver.scaleNow();
    await driver.whenIdle();
    assert.deepEqual(writes(jenkins), []);
    assert.deepEqual(scheduler.launched, []);
    const launch = decisions.find((d) => d.kind === 'launch')!;
    assert.equal(launch.dryRun, true);
  });

  it('scales now: one more poll, and a sentence on what it did', async (t) => {
    const { jenkins, driver } = setup(t, { options: { pollMs: 60_000 } });
    await driver.start();
    jenkins.items = [job(1, 'linux'), job(2, 'windows')];
    assert.deepEqual(await driver.scaleNow(), { summary: 'Launched 1 agent(s).' });
    assert.deepEqual(await driver.scaleNow(), {
      summary: 'Nothing to do: no waiting build needs another agent (1 agent(s) running).',
    });
    jenkins.down = true;
    await assert.rejects(driver.scaleNow(), /^Error: Could not scale now: Jenkins could not be polled: Jenkins at/);
    await driver.stop();
    await assert.rejects(driver.scaleNow(), /The autoscaler is not running/);
    assert.throws(() => driver.pause(), /The autoscaler is stopped/);
  });

  it('stopped right after creating a node, launches nothing for it (the next start cleans it up)', async (t) => {
    const { jenkins, scheduler, driver } = setup(t);
    jenkins.hold.add('create');
    jenkins.items = [job(1, 'linux')];
    await driver.start();
    await until(() => jenkins.heldCount === 1, 'the creation under way');
    const stopped = driver.stop();
    jenkins.release();
    await stopped;
    assert.deepEqual(writes(jenkins), ['create mesos-linux-t1-1']);
    assert.deepEqual(scheduler.launched, []);
    assert.ok(jenkins.nodes.has('mesos-linux-t1-1'));
  });

  it('stops with drain: idle agents go (offline, re-checked, deleted, killed), busy ones stay', async (t) => {
    const { jenkins, scheduler, driver, decisions } = setup(t, { templates: linux({ idleMinutes: 60 }) });
    jenkins.items = [job(1, 'linux'), job(2, 'linux')];
    await driver.start();
    await until(() => scheduler.launched.length === 2, 'two launches');
    scheduler.input(offers(Date.now(), offer(1, 4, 4096)));
    for (const n of [1, 2]) {
      scheduler.input(update(Date.now(), `mesos-linux-t1-${n}.1`, 'TASK_RUNNING', { uuid: 'AQ==' }));
      jenkins.connect(`mesos-linux-t1-${n}`);
    }
    jenkins.items = [];
    jenkins.setBusy('mesos-linux-t1-2', true);
    await until(() => Object.values(driver.state.agents).every((a) => a.phase === 'online'), 'both online');
    await driver.stop({ drain: true });
    assert.deepEqual(writes(jenkins).slice(4), ['offline mesos-linux-t1-1', 'delete mesos-linux-t1-1']);
    assert.deepEqual(scheduler.killed, ['mesos-linux-t1-1.1']);
    assert.deepEqual([...jenkins.nodes.keys()], ['mesos-linux-t1-2']);
    const drained = decisions.slice(decisions.findIndex((d) => d.kind === 'mode'));
    assert.match(drained[0]!.reason, /^stopping: draining idle agents/);
    assert.deepEqual(
      drained
        .slice(1)
        .map((d) => [d.agent ?? '', d.kind, d.skip ?? ''])
        .sort(),
      [
        ['mesos-linux-t1-1', 'removed', ''],
        ['mesos-linux-t1-2', 'skip', 'build-running'],
      ],
    );
  });
});
