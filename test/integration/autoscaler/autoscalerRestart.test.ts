import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { FileSchedulerStore } from '../../../src/core/scheduler/fileSchedulerStore';
import { until } from '../../support/until';
import { agentNodes, AutoscalerRig, RecordingStore, sandboxTemplate } from './autoscalerRig';

// The editor closes (or the daemon restarts) in the middle of a scale-up: the autoscaler and its scheduler
// stop, and new ones start with the scheduler's saved state. Once they are back, every node of ours has its
// task and every task its node, the waiting build runs, and in the end nothing is left behind.

describe('an autoscaler and scheduler restarted in the middle of a scale-up', () => {
  let rig: AutoscalerRig;
  before(async () => {
    rig = await AutoscalerRig.start();
  });
  afterEach(() => rig.reset());
  after(() => rig.close());

  async function restartAt(
    moment: 'node created' | 'task placed',
    framework: string,
  ): Promise<{ oldAgent: string; kinds: string[] }> {
    const { jenkins, client } = await rig.jenkins();
    const store = new RecordingStore(new FileSchedulerStore(join(rig.dir, `${framework}.json`)));
    const template = sandboxTemplate({ idleMinutes: 0.005 });
    const first = await rig.scheduler(store, framework);
    const before = rig.autoscaler({
      jenkins: client,
      scheduler: first.scheduler,
      jenkinsUrl: jenkins.url,
      templates: [template],
    });
    const created = jenkins.waitForEvent((e) => e.type === 'nodeCreated');
    jenkins.enqueue({ job: 'compile', label: 'linux', durationSeconds: 0.3 });
    await before.driver.start();
    const event = await created;
    const oldAgent = event.type === 'nodeCreated' ? event.node : '';
    const secret = jenkins.agentSecret(oldAgent);
    if (moment === 'task placed') {
      await until(
        () => first.decisions.some((d) => d.kind === 'launched' && d.requestId === oldAgent),
        'its task to be placed',
      );
    }
    await before.driver.stop();
    await first.scheduler.stop();
    assert.deepEqual(agentNodes(jenkins), [oldAgent], 'the node outlives the autoscaler');
    assert.equal(
      store.saved.some((json) => json.includes(secret)),
      false,
      "the agent's secret is in no saved scheduler state",
    );

    const second = await rig.scheduler(store, framework);
    assert.equal(
      second.scheduler.frameworkId,
      first.scheduler.frameworkId,
      'the scheduler failed over to its framework',
    );
    const after = rig.autoscaler({
      jenkins: client,
      scheduler: second.scheduler,
      jenkinsUrl: jenkins.url,
      templates: [template],
    });
    assert.notEqual(after.driver.instance, before.driver.instance);
    await after.driver.start();

    await until(() => jenkins.finishedBuilds().length === 1, 'the waiting build to run', 15_000);
    assert.equal(jenkins.finishedBuilds()[0]!.result, 'SUCCESS');
    await until(
      () =>
        agentNodes(jenkins).length === 0 &&
        Object.keys(after.driver.state.agents).length === 0 &&
        Object.keys(second.scheduler.state.tasks).length === 0 &&
        second.scheduler.state.pending.length === 0,
      'every node and task of ours to be gone',
      15_000,
    );
    assert.deepEqual(await rig.liveTasks(), []);
    assert.equal(
      store.saved.some((json) => json.includes(secret)),
      false,
    );
    return { oldAgent, kinds: after.decisions.filter((d) => d.agent === oldAgent).map((d) => d.kind) };
  }

  it(
    'right after its node was created: the node without a task is deleted, a new agent runs the build',
    { timeout: 40_000 },
    async () => {
      const { kinds } = await restartAt('node created', 'autoscaler-restart-node');
      assert.deepEqual(kinds, ['orphan']);
    },
  );

  it(
    'right after its task was placed: the node and its task are taken over, then removed once idle',
    { timeout: 40_000 },
    async () => {
      const { kinds } = await restartAt('task placed', 'autoscaler-restart-task');
      // taken over online, or still connecting (then it connects under the new autoscaler)
      assert.deepEqual(
        kinds.filter((k) => k !== 'skip' && k !== 'connected'),
        ['adopt', 'remove', 'removed'],
      );
    },
  );
});
