import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemorySchedulerStore } from '../../../src/core/scheduler/schedulerStore';
import { until } from '../../support/until';
import { agentNodes, AutoscalerRig, sandboxTemplate } from './autoscalerRig';

// Jenkins answers every request with HTTP 500 while an agent sits idle past its idle time: the autoscaler
// records the failed polls, backs off, removes nothing it cannot see, and removes the agent once Jenkins
// answers again.

describe('a Jenkins outage', () => {
  let rig: AutoscalerRig;
  before(async () => {
    rig = await AutoscalerRig.start();
  });
  after(() => rig.close());

  it(
    'fails polls, removes nothing meanwhile, and removes the idle agent after recovery',
    { timeout: 30_000 },
    async () => {
      const idleMs = 1200;
      const { jenkins, client } = await rig.jenkins();
      const { scheduler } = await rig.scheduler(new MemorySchedulerStore(), 'autoscaler-outage');
      const { driver, decisions } = rig.autoscaler({
        jenkins: client,
        scheduler,
        jenkinsUrl: jenkins.url,
        templates: [sandboxTemplate({ idleMinutes: idleMs / 60_000 })],
      });
      const finished = jenkins.waitForEvent((e) => e.type === 'buildFinished');
      jenkins.enqueue({ job: 'compile', label: 'linux', durationSeconds: 0.2 });
      await driver.start();
      const event = await finished;
      assert.equal(event.type === 'buildFinished' && event.build.result, 'SUCCESS');
      jenkins.setFailAllRequests(true);
      const outageFrom = decisions.length;
      const [agent] = agentNodes(jenkins);
      assert.ok(agent !== undefined);

      // the agent has now been idle well past its idle time, and several polls failed
      const idleFrom = Date.now();
      await until(
        () =>
          driver.recording.filter((i) => i.kind === 'poll-failed').length >= 3 && Date.now() - idleFrom > idleMs + 500,
        'three failed polls past the idle time',
      );
      const during = decisions.slice(outageFrom);
      assert.deepEqual(
        during.map((d) => d.kind),
        ['outage'],
        'one outage decision while it lasts, nothing else',
      );
      assert.match(
        during[0]!.reason,
        /^Jenkins could not be polled: Jenkins at .* failed to (read the build queue|list the nodes) \(500/,
      );
      assert.ok(driver.health.pollFailures >= 3);
      assert.deepEqual(agentNodes(jenkins), [agent], 'the node is still there');
      assert.equal(driver.state.agents[agent]?.phase, 'online');
      assert.deepEqual(
        Object.values(scheduler.state.tasks).map((t) => [t.taskId, t.state]),
        [[`${agent}.1`, 'TASK_RUNNING']],
        'its task still runs',
      );

      jenkins.setFailAllRequests(false);
      await until(() => agentNodes(jenkins).length === 0, 'the idle agent to be removed after the outage', 15_000);
      await until(() => Object.keys(scheduler.state.tasks).length === 0, 'its task to end');
      assert.equal(driver.health.pollFailures, 0);
      const afterwards = decisions
        .slice(outageFrom + 1)
        .filter((d) => d.agent === agent)
        .map((d) => d.kind);
      assert.deepEqual(afterwards, ['remove', 'removed']);
      assert.deepEqual(await rig.liveTasks(), []);
      await driver.stop();
      await scheduler.stop({ teardown: true });
    },
  );
});
