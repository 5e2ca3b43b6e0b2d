import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isTerminalTaskState } from '../../../src/core/cluster/taskStates';
import { main } from '../../../src/cli/main';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { CliProcesses, cliStreams, runCli } from '../../support/cliRunner';
import { launchRunning } from '../../support/launchRunning';
import { rawSubscribe } from '../../support/rawScheduler';
import { frameworkInfo, startTestSandbox } from '../../support/sandboxFixture';
import { commandTask } from '../../support/taskInfoBuilder';
import { until } from '../../support/until';

// mesos-ops execute, kill and logs against the local sandbox over real HTTP: the scheduler core as a
// command-line framework, its exit codes, its output, and what it leaves behind (nothing).

describe('mesos-ops execute, kill and logs against the sandbox', () => {
  let cluster: SandboxCluster;
  let master: string;
  let dir: string;
  const processes = new CliProcesses();

  before(async () => {
    ({ cluster } = await startTestSandbox({ agents: 1 }));
    master = cluster.leaderUrl;
    dir = await mkdtemp(join(tmpdir(), 'mesos-ops-cli-'));
  });
  after(async () => {
    await processes.killAll();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const execute = (...args: string[]) => ['execute', '--master', master, ...args];
  const registered = (name: string) => [...cluster.master.frameworks.values()].filter((f) => f.info.name === name);
  const liveTasksOf = (frameworkId: string) =>
    [...cluster.master.tasks.values()].filter(
      (t) => t.frameworkId === frameworkId && !isTerminalTaskState(t.task.state),
    );

  test('execute of `echo hi` prints its progress, exits 0 and tears its framework down', async () => {
    const run = await runCli(execute('--name', 'hi', '--command', 'echo hi', '--framework-name', 'cli-hi'));
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0]!, /^framework \S+ subscribed$/);
    assert.ok(lines.includes('task hi queued: waiting for an offer'), run.stdout);
    assert.ok(
      lines.some((l) => /^task hi\.1 launched on 127\.0\.0\.1 \(agent \S+\)$/.test(l)),
      run.stdout,
    );
    assert.ok(lines.includes('task hi.1 TASK_RUNNING'), run.stdout);
    assert.ok(
      lines.some((l) => /^task hi\.1 TASK_FINISHED: Command exited with status 0/.test(l)),
      run.stdout,
    );
    assert.match(lines.at(-1)!, /^framework \S+ torn down$/);
    assert.ok(lines.indexOf('task hi.1 TASK_RUNNING') < lines.findIndex((l) => l.includes('TASK_FINISHED')));
    assert.deepEqual(registered('cli-hi'), [], 'no framework left registered');
    assert.equal(run.stderr, '');
  });

  test('execute of `exit 3` exits 1 and prints TASK_FAILED with the message', async () => {
    const run = await runCli(execute('--name', 'three', '--command', 'exit 3', '--framework-name', 'cli-three'));
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^task three\.1 TASK_FAILED: Command exited with status 3/m);
    assert.doesNotMatch(run.stdout, /TASK_FINISHED/);
    assert.deepEqual(registered('cli-three'), []);
  });

  test('a request larger than any agent fails after --timeout, naming cpus', async () => {
    const run = await runCli(
      execute(
        '--name',
        'huge',
        '--command',
        'true',
        '--cpus',
        '1000',
        '--timeout',
        '1',
        '--framework-name',
        'cli-huge',
      ),
    );
    assert.equal(run.code, 1);
    assert.match(run.stderr, /no offer fitted within 1 s: 127\.0\.0\.1: cpus: needs 1000, offer has 4/);
    assert.match(run.stdout, /^task huge unmatched: 127\.0\.0\.1: cpus: needs 1000, offer has 4$/m);
    assert.doesNotMatch(run.stdout, /launched/);
    assert.deepEqual(registered('cli-huge'), []);
  });

  test('--json prints one JSON object per line, ending with the exit record', async () => {
    const run = await runCli(
      execute('--name', 'json', '--command', 'echo hi', '--json', '--framework-name', 'cli-json'),
    );
    assert.equal(run.code, 0, run.stderr);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const states = events.filter((e) => e.event === 'status').map((e) => e.state);
    assert.ok(states.includes('TASK_RUNNING'));
    assert.equal(states.at(-1), 'TASK_FINISHED');
    const launched = events.find((e) => e.event === 'decision' && e.kind === 'launched');
    assert.equal(launched?.hostname, '127.0.0.1');
    assert.equal(launched?.taskId, 'json.1');
    const exit = events.at(-1)!;
    assert.equal(exit.event, 'exit');
    assert.equal(exit.code, 0);
    assert.equal(exit.state, 'TASK_FINISHED');
    assert.equal(typeof exit.frameworkId, 'string');
  });

  test('--kill-after kills the running task: TASK_KILLED and exit 1', async () => {
    const run = await runCli(
      execute('--name', 'sleepy', '--command', 'sleep 30', '--kill-after', '0.3', '--framework-name', 'cli-sleepy'),
    );
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^kill-after: killing task sleepy\.1 after 0\.3 s of TASK_RUNNING$/m);
    assert.match(run.stdout, /^task sleepy\.1 TASK_KILLED/m);
    assert.deepEqual(registered('cli-sleepy'), []);
  });

  test('the words after -- run without a shell, with --env set; logs prints their stdout', async () => {
    const run = await runCli([
      ...execute('--name', 'argv', '--env', 'GREETING=hello', '--json'),
      '--',
      'sh',
      '-c',
      'echo "$GREETING, $0"',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const exit = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { frameworkId: string };
    const logs = await runCli(['logs', '--master', master, '--framework', exit.frameworkId, 'argv.1']);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, 'hello, sh\n');
    const info = cluster.master.completedTasks.find((t) => t.task.task_id.value === 'argv.1')!.info;
    assert.equal(info.command?.shell, false);
    assert.deepEqual(info.command?.arguments, ['sh', '-c', 'echo "$GREETING, $0"']);
  });

  test('--docker-image puts a MESOS container with that docker image into the TaskInfo', async () => {
    // an invalid reference: a docker that works refuses it locally, without reaching for a registry
    const run = await runCli(
      execute('--name', 'img', '--command', 'true', '--docker-image', 'Not-A-Valid-Reference', '--timeout', '10'),
    );
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^task img\.1 TASK_FAILED/m);
    const info = cluster.master.completedTasks.find((t) => t.task.task_id.value === 'img.1')!.info;
    assert.equal(info.container?.type, 'MESOS');
    assert.equal(info.container?.mesos?.image?.type, 'DOCKER');
    assert.equal(info.container?.mesos?.image?.docker?.name, 'Not-A-Valid-Reference');
  });

  test('logs -f prints the stdout as it grows, until stopped', async () => {
    const marker = join(dir, 'go');
    const running = runCli(
      execute('--name', 'chatty', '--command', `echo one; while [ ! -f '${marker}' ]; do sleep 0.05; done; echo two`),
    );
    const controller = new AbortController();
    await until(
      () =>
        cluster.master.tasks.size > 0 &&
        [...cluster.master.tasks.values()].some(
          (t) => t.task.task_id.value === 'chatty.1' && t.task.state === 'TASK_RUNNING',
        ),
    );
    const { out, io: streams } = cliStreams(controller.signal);
    const following = main(['logs', '-f', '--interval', '50', '--master', master, 'chatty.1'], streams);
    await until(() => out.stdout === 'one\n', 'the first line');
    await writeFile(marker, '');
    await until(() => out.stdout === 'one\ntwo\n', 'the line written later');
    controller.abort();
    assert.equal(await following, 0, out.stderr);
    assert.equal((await running).code, 0);
  });

  test('kill refuses a task of another framework and says who can kill it; --teardown-framework --yes does', async () => {
    const sub = await rawSubscribe(master, frameworkInfo({ name: 'cli-other' }));
    try {
      // running, not just launched: the sandbox agent cannot yet kill a process it is still starting
      await launchRunning(sub, (offer) => [commandTask(offer, 'foreign', 'sleep 60', { cpus: 0.1, mem: 32 })]);
      const refused = await runCli(['kill', '--master', master, 'foreign']);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        new RegExp(
          `task foreign belongs to framework ${sub.frameworkId} \\('cli-other'\\)\\. Mesos lets only that framework's scheduler kill it`,
        ),
      );
      assert.match(refused.stderr, /--teardown-framework --yes/);
      assert.equal(liveTasksOf(sub.frameworkId!).length, 1, 'nothing was killed');

      const unconfirmed = await runCli(['kill', '--master', master, 'foreign', '--teardown-framework']);
      assert.equal(unconfirmed.code, 2);
      assert.match(unconfirmed.stderr, /kills every task of framework .*, 1 active, .*Add --yes/);

      const torn = await runCli(['kill', '--master', master, 'foreign', '--teardown-framework', '--yes']);
      assert.equal(torn.code, 0, torn.stderr);
      assert.match(torn.stdout, /framework \S+ \('cli-other'\) torn down/);
      assert.deepEqual(registered('cli-other'), []);
      assert.deepEqual(liveTasksOf(sub.frameworkId!), []);

      const again = await runCli(['kill', '--master', master, 'foreign']);
      assert.equal(again.code, 0);
      assert.match(again.stdout, /task foreign already ended \(TASK_KILLED\); nothing to kill/);
    } finally {
      sub.close();
    }
  });

  test('Ctrl-C kills the task, waits for its end and tears the framework down', async () => {
    const run = processes.spawn(
      execute('--name', 'interrupted', '--command', 'sleep 60', '--framework-name', 'cli-sigint'),
    );
    await until(() => run.out.stdout.includes('task interrupted.1 TASK_RUNNING'), 'the task running', 30_000);
    const frameworkId = registered('cli-sigint')[0]!.id;
    run.child.kill('SIGINT');
    const exit = await run.exited;
    assert.equal(exit.code, 1, run.out.stderr);
    assert.match(run.out.stdout, /^interrupted: killing task interrupted\.1, then tearing the framework down/m);
    assert.match(run.out.stdout, /^task interrupted\.1 TASK_KILLED/m);
    assert.match(run.out.stdout, /^framework \S+ torn down$/m);
    assert.deepEqual(registered('cli-sigint'), [], 'no framework registered');
    assert.deepEqual(liveTasksOf(frameworkId), [], 'no task running');
  });

  test('--state-file: after the execute process died, kill fails over to its framework, kills the task and tears it down', async () => {
    const stateFile = join(dir, 'orphan.json');
    const run = processes.spawn(
      execute('--name', 'orphan', '--command', 'sleep 60', '--state-file', stateFile, '--framework-name', 'cli-orphan'),
    );
    await until(() => run.out.stdout.includes('task orphan.1 TASK_RUNNING'), 'the task running', 30_000);
    run.child.kill('SIGKILL');
    await run.exited;
    const [framework] = registered('cli-orphan');
    assert.ok(framework, 'the framework outlives its process for its failover timeout');
    await until(() => !framework.connected, 'the master to notice the closed stream');
    assert.equal(liveTasksOf(framework.id).length, 1);

    const reuse = await runCli(execute('--name', 'other', '--command', 'true', '--state-file', stateFile));
    assert.equal(reuse.code, 1);
    assert.match(
      reuse.stderr,
      /still tracks orphan\.1 of framework .* 'mesos-ops kill --state-file .*orphan\.json orphan\.1'/,
    );

    const killed = await runCli(['kill', '--master', master, '--state-file', stateFile, 'orphan']);
    assert.equal(killed.code, 0, killed.stderr);
    assert.match(killed.stdout, /^task orphan\.1 TASK_KILLED/m);
    assert.match(killed.stdout, new RegExp(`^framework ${framework.id} torn down: it has nothing else to run$`, 'm'));
    assert.deepEqual(registered('cli-orphan'), []);
    assert.deepEqual(liveTasksOf(framework.id), []);
    assert.equal((JSON.parse(await readFile(stateFile, 'utf8')) as { frameworkId?: string }).frameworkId, undefined);

    const stale = await runCli(['kill', '--master', master, '--state-file', stateFile, 'orphan']);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /names no framework/);
  });

  test('--state-file while execute still runs: kill refuses, --force takes the framework over and kills the task', async () => {
    const stateFile = join(dir, 'held.json');
    const running = runCli(
      execute('--name', 'held', '--command', 'sleep 60', '--state-file', stateFile, '--framework-name', 'cli-held'),
    );
    await until(() =>
      [...cluster.master.tasks.values()].some(
        (t) => t.task.task_id.value === 'held.1' && t.task.state === 'TASK_RUNNING',
      ),
    );
    const refused = await runCli(['kill', '--master', master, '--state-file', stateFile, 'held.1']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /is held by a running scheduler right now.*--force/);

    const forced = await runCli(['kill', '--master', master, '--state-file', stateFile, '--force', 'held.1']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^task held\.1 TASK_KILLED/m);
    const displaced = await running;
    assert.equal(displaced.code, 1);
    assert.match(displaced.stderr, /another scheduler took framework \S+ over/);
    assert.deepEqual(registered('cli-held'), []);
  });

  test('usage errors exit 2 with the reason; an unreachable master exits 1', async () => {
    const cases: [string[], RegExp][] = [
      [['execute', '--command', 'true'], /--name is required/],
      [['execute', '--name', 'x'], /give the task's command/],
      [['execute', '--name', 'x', '--command', 'true', '--argv', 'true'], /not both/],
      [['execute', '--name', 'x', '--argv', 'true', '--', 'true'], /not both/],
      [
        ['execute', '--name', 'x', '--command', 'true', '--cpus', 'lots'],
        /--cpus takes a number more than 0, got 'lots'/,
      ],
      [['execute', '--name', 'x', '--command', 'true', '--env', 'NOVALUE'], /--env takes NAME=value/],
      [['execute', '--name', 'a/b', '--command', 'true'], /cannot be a Mesos task id/],
      [['kill'], /give one TASK/],
      [['kill', 'x', '--force'], /--force goes with --state-file/],
      [['logs'], /give one TASK/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
    const unreachable = await runCli([
      'execute',
      '--master',
      'http://127.0.0.1:1',
      '--name',
      'x',
      '--command',
      'true',
      '--timeout',
      '1',
    ]);
    assert.equal(unreachable.code, 1);
    assert.match(unreachable.stderr, /did not accept the framework within 1 s/);
    const refused = await runCli(execute('--name', 'x', '--command', 'true', '--role', 'a b'));
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /the master refused the framework: .*a b/);
  });
});
