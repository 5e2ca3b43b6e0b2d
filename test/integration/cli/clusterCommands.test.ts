import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { main } from '../../../src/cli/main';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { cliStreams } from '../../support/cliRunner';
import { launchRunning } from '../../support/launchRunning';
import { rawSubscribe, type RawSubscription } from '../../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../../support/sandboxFixture';
import { commandTask } from '../../support/taskInfoBuilder';
import { until } from '../../support/until';

// The wire core's CLI (state, ps, watch, cat, tail -f) against the local sandbox over real HTTP.

describe('mesos-ops state, ps, watch, cat, tail against the sandbox', () => {
  let cluster: SandboxCluster;
  let sub: RawSubscription;
  let master: string;
  const taskId = 'cli-echo';

  before(async () => {
    ({ cluster } = await startTestSandbox({ agents: 1 }));
    master = cluster.leaderUrl;
    sub = await rawSubscribe(master, frameworkInfo({ name: 'cli-test' }));
    await launchRunning(sub, (offer) => [
      commandTask(offer, taskId, 'echo line1; echo err1 >&2; sleep 0.5; echo line2; exec sleep 60', { cpus: 0.5, mem: 64 }),
    ]);
  });
  after(async () => {
    await sub.call({ type: 'TEARDOWN' }).catch(() => undefined);
    sub.close();
    await cluster.stop();
  });

  for (const format of ['protobuf', 'json']) {
    test(`state (${format}) shows the leader, agents, frameworks, tasks and resources`, async () => {
      const { out, io: streams } = cliStreams();
      assert.equal(await main(['state', '--master', master, '--format', format], streams), 0, out.stderr);
      assert.match(out.stdout, new RegExp(`leader\\s+127\\.0\\.0\\.1:${new URL(master).port} \\(Mesos 1\\.12\\.0\\)`));
      assert.match(out.stdout, /agents\s+1 active of 1/);
      assert.match(out.stdout, /frameworks\s+1 active/);
      assert.match(out.stdout, /tasks\s+1 active/);
      assert.match(out.stdout, /cpus\s+0\.5 of 6/);
      const json = cliStreams();
      assert.equal(await main(['state', '--master', master, '--format', format, '--json'], json.io), 0);
      const summary = JSON.parse(json.out.stdout) as { resources: { mem: { used: number; total: number } }; api: string };
      assert.equal(summary.api, 'v1');
      assert.deepEqual(summary.resources.mem, { used: 64, total: 12288 });
    });
  }

  test('ps lists the running task with its framework, state and host', async () => {
    const { out, io: streams } = cliStreams();
    assert.equal(await main(['ps', '--master', master], streams), 0, out.stderr);
    const lines = out.stdout.trim().split('\n');
    assert.match(lines[0]!, /^FRAMEWORK\s+TASK\s+STATE\s+HOST\s+CPUS\s+MEM$/);
    assert.match(lines[1]!, /^cli-test\s+cli-echo\s+RUNNING\s+127\.0\.0\.1\s+0\.5\s+64$/);
  });

  test('cat prints the sandbox stdout, and stderr when asked', async () => {
    const stdout = cliStreams();
    assert.equal(await main(['cat', '--master', master, taskId], stdout.io), 0, stdout.out.stderr);
    assert.match(stdout.out.stdout, /^line1\n/);
    const stderr = cliStreams();
    assert.equal(await main(['cat', '--master', master, 'cli-ec', 'stderr'], stderr.io), 0, stderr.out.stderr);
    assert.equal(stderr.out.stdout, 'err1\n');
  });

  test('tail -f prints the end and then what the task writes later, until stopped', async () => {
    const controller = new AbortController();
    const { out, io: streams } = cliStreams(controller.signal);
    const running = main(['tail', '-f', '--interval', '100', '--master', master, taskId], streams);
    await until(() => out.stdout.includes('line2'));
    controller.abort();
    assert.equal(await running, 0, out.stderr);
    assert.equal(out.stdout, 'line1\nline2\n');
  });

  test('watch prints SUBSCRIBED, then the task update a kill causes, as JSON lines', async () => {
    const controller = new AbortController();
    const { out, io: streams } = cliStreams(controller.signal);
    const running = main(['watch', '--master', master, '--no-heartbeats', '--format', 'json'], streams);
    await until(() => out.stdout.includes('"SUBSCRIBED"'));
    await sub.call({ type: 'KILL', kill: { task_id: { value: taskId } } });
    await until(() => /"TASK_KILLED"/.test(out.stdout));
    controller.abort();
    assert.equal(await running, 0, out.stderr);
    const events = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    assert.equal(events[0]!.type, 'SUBSCRIBED');
    assert.ok(events.some((e) => e.type === 'TASK_UPDATED'));
    assert.ok(!events.some((e) => e.type === 'HEARTBEAT'));
  });

  test('errors: an unknown task exits 1 naming it; a bad option exits 2', async () => {
    const missing = cliStreams();
    assert.equal(await main(['cat', '--master', master, 'no-such-task'], missing.io), 1);
    assert.match(missing.out.stderr, /No task 'no-such-task' is known to the master/);
    const bad = cliStreams();
    assert.equal(await main(['state', '--master', master, '--format', 'xml'], bad.io), 2);
    assert.match(bad.out.stderr, /--format takes json or protobuf/);
  });

  test('an unreachable master is a clear error with exit 1', async () => {
    const { out, io: streams } = cliStreams();
    assert.equal(await main(['state', '--master', 'http://127.0.0.1:1'], streams), 1);
    assert.match(out.stderr, /127\.0\.0\.1:1/);
  });
});
