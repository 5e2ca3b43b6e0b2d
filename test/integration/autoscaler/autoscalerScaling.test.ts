import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { MemorySchedulerStore } from '../../../src/core/scheduler/schedulerStore';
import { until } from '../../support/until';
import { agentNodes, AutoscalerRig, RecordingStore, sandboxTemplate } from './autoscalerRig';

// Builds queued with a label → agents launched as Mesos tasks → they connect → the builds run on them →
// the idle agents are removed (node deleted, task ended); and a dry run that launches nothing.

describe('the autoscaler against the sandbox Mesos master and the sandbox Jenkins', () => {
  let rig: AutoscalerRig;
  before(async () => {
    rig = await AutoscalerRig.start();
  });
  afterEach(() => rig.reset());
  after(() => rig.close());

  it(
    'launches agents for labelled builds, runs the builds on them, and removes them once idle',
    { timeout: 30_000 },
    async () => {
      const { jenkins, client } = await rig.jenkins();
      const store = new RecordingStore(new MemorySchedulerStore());
      const { scheduler, decisions: schedulerDecisions } = await rig.scheduler(store);
      const template = sandboxTemplate({ idleMinutes: 0.005 });
      const { driver, decisions } = rig.autoscaler({
        jenkins: client,
        scheduler,
        jenkinsUrl: jenkins.url,
        templates: [template],
      });
      const secrets = new Map<string, string>();
      jenkins.onEvent((e) => {
        if (e.type === 'nodeCreated') secrets.set(e.node, jenkins.agentSecret(e.node));
      });

      jenkins.enqueue({ job: 'compile', label: 'linux', durationSeconds: 0.5 });
      jenkins.enqueue({ job: 'test', label: 'linux', durationSeconds: 0.5 });
      jenkins.enqueue({ job: 'elsewhere', label: 'windows', durationSeconds: 0.5 });
      await driver.start();

      await until(() => jenkins.finishedBuilds().length === 2, 'both linux builds to finish', 20_000);
      const launched = decisions.filter((d) => d.kind === 'launch').map((d) => d.agent!);
      assert.equal(launched.length, 2, 'one agent per build (one executor each)');
      assert.deepEqual(
        jenkins
          .finishedBuilds()
          .map((b) => [b.job, b.result, launched.includes(b.node)])
          .sort(),
        [
          ['compile', 'SUCCESS', true],
          ['test', 'SUCCESS', true],
        ],
      );
      for (const name of launched) {
        assert.ok(
          schedulerDecisions.some((d) => d.kind === 'launched' && d.taskId === `${name}.1`),
          `${name} ran as the Mesos task ${name}.1`,
        );
      }
      assert.ok(
        decisions.some((d) => d.kind === 'skip' && d.skip === 'no-template' && d.label === 'windows'),
        'the build no template serves is reported, not served',
      );

      await until(
        () => agentNodes(jenkins).length === 0 && Object.keys(driver.state.agents).length === 0,
        'the idle agents to be removed',
        15_000,
      );
      await until(() => Object.keys(scheduler.state.tasks).length === 0, 'their tasks to end');
      assert.deepEqual(await rig.liveTasks(), []);
      for (const name of launched) {
        const about = decisions.filter((d) => d.agent === name).map((d) => d.kind);
        assert.deepEqual(
          about.filter((k) => k !== 'skip'),
          ['launch', 'placed', 'connected', 'remove', 'removed'],
          `${name}'s life`,
        );
        assert.ok(schedulerDecisions.some((d) => d.kind === 'finished' && d.requestId === name));
      }

      // the agents' secrets reached their tasks (they connected) and nothing else: not the log, the decisions,
      // the recorded inputs, nor any state the scheduler saved while the tasks waited and ran
      assert.equal(secrets.size, 2);
      assert.ok(
        store.saved.some((json) => launched.every((name) => json.includes(`"taskId":"${name}.1"`))),
        'the scheduler saved its state while both agent tasks were tracked',
      );
      const seen = [rig.logs.text(), driver.exportDecisions(), JSON.stringify(driver.recording), ...store.saved].join(
        '\n',
      );
      for (const [name, secret] of secrets) assert.equal(seen.includes(secret), false, `${name}'s secret leaked`);
      assert.match(driver.exportDecisions().split('\n')[0]!, /^\{"at":\d+,"kind":/);
    },
  );

  it('in dry run decides to launch but launches nothing', { timeout: 20_000 }, async () => {
    const { jenkins, client } = await rig.jenkins();
    const { scheduler, decisions: schedulerDecisions } = await rig.scheduler(
      new MemorySchedulerStore(),
      'autoscaler-dry-run',
    );
    const { driver, decisions } = rig.autoscaler({
      jenkins: client,
      scheduler,
      jenkinsUrl: jenkins.url,
      templates: [sandboxTemplate()],
      dryRun: true,
    });
    jenkins.enqueue({ job: 'compile', label: 'linux', durationSeconds: 1 });
    await driver.start();
    await until(() => decisions.some((d) => d.kind === 'launch'), 'a launch decision');
    const launch = decisions.find((d) => d.kind === 'launch')!;
    assert.equal(launch.dryRun, true);
    // several more polls, to give anything that would be done the time to show
    const polls = driver.recording.filter((i) => i.kind === 'poll').length;
    await until(() => driver.recording.filter((i) => i.kind === 'poll').length >= polls + 5, 'five more polls');
    await driver.whenIdle();
    assert.deepEqual(agentNodes(jenkins), []);
    assert.deepEqual(scheduler.state.pending, []);
    assert.deepEqual(scheduler.state.tasks, {});
    assert.equal(schedulerDecisions.filter((d) => d.kind === 'queued').length, 0);
    assert.equal(decisions.filter((d) => d.kind === 'launch').length, 1, 'the dry run reports its decision once');
    assert.equal(jenkins.model.queueItems().length, 1, 'the build still waits');

    // out of dry run the same autoscaler does launch
    driver.setDryRun(false);
    await until(() => jenkins.finishedBuilds().length === 1, 'the build to run once dry run is off', 15_000);
  });
});
