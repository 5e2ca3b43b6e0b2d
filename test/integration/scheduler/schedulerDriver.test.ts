import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { request } from 'undici';
import type { TaskState, WireEncoding } from '../../../src/core/mesos/codec';
import { MasterConnection } from '../../../src/core/mesos/connection/masterConnection';
import type { DecisionRecord } from '../../../src/core/scheduler/decisionRecord';
import { FileSchedulerStore } from '../../../src/core/scheduler/fileSchedulerStore';
import { frameworkInfoFor } from '../../../src/core/scheduler/frameworkInfoFor';
import type { OutgoingCall } from '../../../src/core/scheduler/outgoingCall';
import { SchedulerDriver, type AppliedUpdate } from '../../../src/core/scheduler/schedulerDriver';
import type { SchedulerStore } from '../../../src/core/scheduler/schedulerStore';
import type { TaskRequest } from '../../../src/core/scheduler/taskRequest';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { startTestSandbox } from '../../support/sandboxFixture';
import { until, untilValue } from '../../support/until';

// The driver (reducer + scheduler client) as a real framework against the sandbox over loopback: launch,
// kill, failover of the master and of the scheduler itself, a cut stream, a rescind racing an ACCEPT and
// an agent removed under a running task.

interface Run {
  driver: SchedulerDriver;
  decisions: DecisionRecord[];
  updates: AppliedUpdate[];
  calls: OutgoingCall[];
}

const sh = (id: string, script: string, more: Partial<TaskRequest> = {}): TaskRequest => ({
  id,
  cpus: 0.1,
  mem: 32,
  command: { value: script, shell: true },
  ...more,
});

function states(run: Run, taskId: string): TaskState[] {
  return run.updates.filter((u) => u.status.task_id.value === taskId).map((u) => u.status.state);
}

for (const encoding of ['protobuf', 'json'] as WireEncoding[]) {
  describe(`SchedulerDriver against the sandbox (${encoding})`, () => {
    let cluster: SandboxCluster;
    let connection: MasterConnection;
    let dir: string;
    const running: SchedulerDriver[] = [];

    before(async () => {
      ({ cluster } = await startTestSandbox({ agents: 2, masters: 2 }));
      connection = new MasterConnection({ masters: cluster.masters.map((m) => m.url), encoding, retry: { initialMs: 50, maxMs: 200 } });
      dir = await mkdtemp(join(tmpdir(), 'driver-'));
    });
    afterEach(async () => {
      // teardown kills whatever a test left running, so tests do not see each other's tasks
      for (const d of running.splice(0)) await d.stop({ teardown: true }).catch(() => d.stop());
    });
    after(async () => {
      await connection.close();
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    });

    async function startDriver(name: string, store?: SchedulerStore): Promise<Run> {
      const driver = new SchedulerDriver({
        connection,
        frameworkInfo: frameworkInfoFor({ name, failoverTimeoutSeconds: 60 }),
        encoding,
        ...(store && { store }),
        options: { suppressAfterMs: 200, refuseSeconds: 1, reconcileRetryMs: 300 },
        tickMs: 100,
        backoff: { initialMs: 50, maxMs: 200 },
      });
      const run: Run = { driver, decisions: [], updates: [], calls: [] };
      driver.onDecision((d) => run.decisions.push(d));
      driver.onUpdate((u) => run.updates.push(u));
      driver.onCall((c) => run.calls.push(c));
      running.push(driver);
      await driver.start();
      return run;
    }

    const decided = (run: Run, what: string, pick: (d: DecisionRecord) => boolean) =>
      untilValue(() => run.decisions.find(pick), what, 15_000);

    test('launch → RUNNING → FINISHED, every update acknowledged', async () => {
      const run = await startDriver(`finish-${encoding}`);
      run.driver.launch([sh('hello', 'echo hello; sleep 0.2')]);
      const done = await decided(run, 'hello finished', (d) => d.kind === 'finished' && d.requestId === 'hello');
      assert.equal(done.state, 'TASK_FINISHED');
      assert.equal(states(run, 'hello.1').at(-1), 'TASK_FINISHED');
      assert.ok(states(run, 'hello.1').includes('TASK_RUNNING'));
      // the ACCEPT handed to the client launched hello.1 on the offer its decision names
      const launched = run.decisions.find((d) => d.kind === 'launched' && d.taskId === 'hello.1');
      const accept = run.calls.find((c) => c.type === 'ACCEPT');
      assert.deepEqual(accept?.accept?.offer_ids, [{ value: launched?.offerId }]);
      assert.deepEqual(
        accept?.accept?.operations?.flatMap((o) => o.launch?.task_infos ?? []).map((t) => t.task_id.value),
        ['hello.1'],
      );
      assert.ok(run.calls.some((c) => c.type === 'ACKNOWLEDGE'), 'acknowledgements are handed over too');
      // the master keeps a terminal task active until its update is acknowledged (reference §2.8)
      await until(
        () => ![...cluster.master.tasks.values()].some((t) => t.task.task_id.value === 'hello.1'),
        'hello.1 acknowledged and completed',
        5000,
      );
      await run.driver.whenIdle();
      assert.deepEqual(run.driver.state.tasks, {});
      assert.deepEqual(run.driver.state.pending, []);
      // with nothing pending the framework stops asking for offers
      await decided(run, 'suppressed', (d) => d.kind === 'suppressed');
    });

    test('kill honours TASK_KILLING and is idempotent', async () => {
      const run = await startDriver(`kill-${encoding}`);
      run.driver.launch([sh('sleeper', 'sleep 60', { killPolicy: { grace_period: { nanoseconds: 200_000_000 } } })]);
      await until(() => states(run, 'sleeper.1').includes('TASK_RUNNING'), 'sleeper running', 15_000);
      run.driver.kill('sleeper.1');
      run.driver.kill('sleeper.1');
      const end = await decided(run, 'sleeper killed', (d) => d.kind === 'finished' && d.taskId === 'sleeper.1');
      assert.equal(end.state, 'TASK_KILLED');
      assert.equal(run.decisions.filter((d) => d.kind === 'kill-sent').length, 1);
      assert.equal(run.decisions.filter((d) => d.kind === 'kill-ignored').length, 1);
      assert.deepEqual(run.driver.state.pending, [], 'a killed task is not restarted');
    });

    test('a master failover mid-run keeps the framework id and reconciles the running task', async () => {
      const run = await startDriver(`failover-${encoding}`);
      const frameworkId = run.driver.frameworkId;
      run.driver.launch([sh('long', 'sleep 60')]);
      await until(() => states(run, 'long.1').includes('TASK_RUNNING'), 'long running', 15_000);
      const before = run.decisions.filter((d) => d.kind === 'subscribed').length;
      const mark = run.updates.length;
      await cluster.switchLeader();
      await decided(run, 'subscribed again', (d) => d.kind === 'subscribed' && run.decisions.filter((x) => x.kind === 'subscribed').length > before);
      assert.equal(run.driver.frameworkId, frameworkId, 'failed over, not a new framework');
      assert.match(run.decisions.filter((d) => d.kind === 'subscribed').at(-1)!.reason, /reconciling 1 known task/);
      await until(() => run.updates.slice(mark).some((u) => u.status.task_id.value === 'long.1' && u.status.state === 'TASK_RUNNING'), 'reconciled as running', 15_000);
      assert.equal(run.driver.state.tasks['long.1']?.state, 'TASK_RUNNING');
      run.driver.kill('long.1');
      await decided(run, 'long killed', (d) => d.kind === 'finished' && d.taskId === 'long.1');
    });

    test('a stream cut mid-record: resubscribed as the same framework, nothing launched twice', async () => {
      const run = await startDriver(`cut-${encoding}`);
      const frameworkId = run.driver.frameworkId;
      run.driver.launch([sh('steady', 'sleep 60')]);
      await until(() => states(run, 'steady.1').includes('TASK_RUNNING'), 'steady running', 15_000);
      const before = run.decisions.filter((d) => d.kind === 'subscribed').length;
      await request(`${cluster.leaderUrl}/__sandbox/streams/cut?kind=scheduler`, { method: 'POST' }).then((r) => r.body.dump());
      await decided(run, 'disconnected', (d) => d.kind === 'disconnected');
      await until(() => run.decisions.filter((d) => d.kind === 'subscribed').length > before, 'subscribed again', 15_000);
      assert.equal(run.driver.frameworkId, frameworkId);
      await run.driver.whenIdle();
      assert.equal(run.decisions.filter((d) => d.kind === 'launched').length, 1);
      assert.deepEqual(Object.keys(run.driver.state.tasks), ['steady.1']);
    });

    test('an offer rescinded while its ACCEPT is on the way: dropped, placed again once, runs once', async () => {
      const run = await startDriver(`rescind-${encoding}`);
      let rescinded = false;
      // the decision is made before the ACCEPT is sent: take the offer back in that gap
      run.driver.onDecision((d) => {
        if (d.kind !== 'launched' || rescinded || d.offerId === undefined) return;
        const offer = cluster.master.offers.get(d.offerId);
        assert.ok(offer, 'the offer is still outstanding when the decision is made');
        cluster.master.rescind(offer);
        rescinded = true;
      });
      run.driver.launch([sh('racer', 'sleep 60')]);
      const requeued = await decided(run, 'requeued', (d) => d.kind === 'requeued' && d.requestId === 'racer');
      assert.match(requeued.reason, /never started/);
      await until(() => states(run, 'racer.2').includes('TASK_RUNNING'), 'racer.2 running', 15_000);
      assert.ok(!states(run, 'racer.1').includes('TASK_RUNNING'), 'the first launch never ran');
      assert.equal(run.decisions.filter((d) => d.kind === 'launched').length, 2);
      assert.deepEqual(Object.keys(run.driver.state.tasks), ['racer.2']);
    });

    test('an agent removed under a running task: placed again on another agent, once', async () => {
      const run = await startDriver(`agent-${encoding}`);
      run.driver.launch([sh('mover', 'sleep 60', { restart: 'on-failure' })]);
      await until(() => states(run, 'mover.1').includes('TASK_RUNNING'), 'mover running', 15_000);
      const first = run.driver.state.tasks['mover.1']!.agentId;
      await cluster.removeAgent(first, 'gone');
      await until(() => states(run, 'mover.2').includes('TASK_RUNNING'), 'mover.2 running', 15_000);
      const second = run.driver.state.tasks['mover.2']!.agentId;
      assert.notEqual(second, first);
      await run.driver.whenIdle();
      assert.equal(run.decisions.filter((d) => d.kind === 'launched' && d.requestId === 'mover').length, 2);
      assert.deepEqual(run.driver.state.pending, []);
      await cluster.addAgent();
    });

    test('a scheduler restart fails over to the saved framework id and can still kill its task', async () => {
      const store = new FileSchedulerStore(join(dir, `state-${encoding}.json`));
      const first = await startDriver(`restart-${encoding}`, store);
      const frameworkId = first.driver.frameworkId;
      first.driver.launch([sh('survivor', 'sleep 60')]);
      await until(() => states(first, 'survivor.1').includes('TASK_RUNNING'), 'survivor running', 15_000);
      await first.driver.stop();
      running.splice(running.indexOf(first.driver), 1);

      const second = await startDriver(`restart-${encoding}`, store);
      assert.equal(second.driver.frameworkId, frameworkId);
      assert.ok(second.driver.state.tasks['survivor.1'], 'the task is known from the saved state');
      await until(() => states(second, 'survivor.1').includes('TASK_RUNNING'), 'reconciled', 15_000);
      second.driver.kill('survivor.1');
      const end = await decided(second, 'survivor killed', (d) => d.kind === 'finished' && d.taskId === 'survivor.1');
      assert.equal(end.state, 'TASK_KILLED');
    });

    test('a framework Mesos removed is registered anew instead of failing forever', async () => {
      const store = new FileSchedulerStore(join(dir, `removed-${encoding}.json`));
      const first = await startDriver(`removed-${encoding}`, store);
      const oldId = first.driver.frameworkId!;
      await first.driver.stop({ teardown: true });
      running.splice(running.indexOf(first.driver), 1);
      // a stale state file that still names the torn-down framework
      await store.save({ version: 1, frameworkId: oldId, pending: [], tasks: [], attempts: {} });
      const second = await startDriver(`removed-${encoding}`, store);
      assert.notEqual(second.driver.frameworkId, oldId);
      assert.ok(second.decisions.some((d) => d.kind === 'framework-removed'));
      const saved = (await store.load()) as { frameworkId?: string };
      await second.driver.whenIdle();
      assert.equal(((await store.load()) as { frameworkId?: string }).frameworkId ?? saved.frameworkId, second.driver.frameworkId);
    });
  });
}
