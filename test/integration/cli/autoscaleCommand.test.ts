import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isTerminalTaskState } from '../../../src/core/cluster/taskStates';
import type { AutoscaleDecision } from '../../../src/core/scheduler/autoscaler/autoscaleDecision';
import { leaseKey } from '../../../src/core/scheduler/lease/leaseKey';
import { sandboxAgentCommand } from '../../../src/sandbox/jenkins/sandboxAgentCommand';
import { startSandboxJenkins, type SandboxJenkins } from '../../../src/sandbox/jenkins/sandboxJenkins';
import type { SandboxCluster } from '../../../src/sandbox/mesos/sandboxCluster';
import { CliProcesses, runCli, startCli } from '../../support/cliRunner';
import { rawSubscribe } from '../../support/rawScheduler';
import { bundleSandboxAgent } from '../../support/sandboxAgentBundle';
import { startTestSandbox } from '../../support/sandboxFixture';
import { until } from '../../support/until';

// mesos-ops autoscale against the sandbox master (with authentication) and the sandbox Jenkins (with an
// API token): the daemon scales agents up and down, writes its decisions as JSON lines, keeps every secret
// out of what it prints and writes, refuses to run a cluster twice, and on SIGINT leaves its framework
// registered with its agents for the next start to take over.

const PRINCIPAL = 'autoscaler-principal';
const MESOS_SECRET = 'mesos-secret-5f1c9e2a7b';
const JENKINS_USER = 'autoscaler';
const JENKINS_TOKEN = 'jenkins-token-0d8e4b6a13';

function decisionsOf(jsonLines: string): AutoscaleDecision[] {
  return jsonLines
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as AutoscaleDecision);
}

describe('mesos-ops autoscale against the sandbox master and Jenkins', () => {
  let cluster: SandboxCluster;
  let dir: string;
  let agentJar: string;
  let tokenFile: string;
  const jenkinses: SandboxJenkins[] = [];
  const processes = new CliProcesses();
  const savedSecret = process.env.MESOS_SECRET;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mesos-ops-autoscale-'));
    agentJar = join(dir, 'sandbox-agent.js');
    await bundleSandboxAgent(agentJar);
    tokenFile = join(dir, 'jenkins-token');
    await writeFile(tokenFile, `${JENKINS_TOKEN}\n`, { mode: 0o600 });
    ({ cluster } = await startTestSandbox({
      agents: 1,
      agentResources: 'cpus:4;mem:4096;disk:10000;ports:[31000-32000]',
      credentials: new Map([[PRINCIPAL, MESOS_SECRET]]),
    }));
    process.env.MESOS_SECRET = MESOS_SECRET;
  });

  after(async () => {
    if (savedSecret === undefined) delete process.env.MESOS_SECRET;
    else process.env.MESOS_SECRET = savedSecret;
    await processes.killAll();
    for (const fw of [...cluster.master.frameworks.values()]) cluster.master.removeFramework(fw, 'operator');
    for (const j of jenkinses) await j.close();
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function jenkins(): Promise<SandboxJenkins> {
    const j = await startSandboxJenkins({
      agentJar: { path: agentJar },
      agentPingIntervalMs: 500,
      security: { users: [{ id: JENKINS_USER, apiTokens: [JENKINS_TOKEN] }] },
    });
    jenkinses.push(j);
    return j;
  }

  /** Writes a config for cluster `name` (its own state directory and framework name) and returns its path. */
  async function config(
    name: string,
    jenkinsUrl: string,
    more: {
      template?: Record<string, unknown>;
      autoscaler?: Record<string, unknown>;
      jenkins?: Record<string, unknown>;
    } = {},
  ): Promise<string> {
    const file = join(dir, `${name}-${Math.random().toString(36).slice(2, 8)}.json`);
    const value = {
      cluster: { name, masters: cluster.leaderUrl, principal: PRINCIPAL },
      jenkins: { url: jenkinsUrl, user: JENKINS_USER, tokenFile, ...more.jenkins },
      templates: [
        {
          name: 'linux',
          labels: ['linux'],
          cpus: 0.5,
          mem: 128,
          maxAgents: 3,
          idleMinutes: 0.005,
          command: sandboxAgentCommand(process.execPath),
          ...more.template,
        },
      ],
      autoscaler: { pollIntervalSeconds: 0.2, agentConnectTimeoutSeconds: 30, ...more.autoscaler },
      // relative: taken from the config file's folder
      scheduler: { frameworkName: `autoscale-${name}`, failoverTimeoutSeconds: 60, stateDir: `state-${name}` },
    };
    await writeFile(file, JSON.stringify(value, null, 2));
    return file;
  }

  const registered = (frameworkName: string) =>
    [...cluster.master.frameworks.values()].filter((f) => f.info.name === frameworkName);
  const liveTasksOf = (frameworkId: string) =>
    [...cluster.master.tasks.values()].filter(
      (t) => t.frameworkId === frameworkId && !isTerminalTaskState(t.task.state),
    );
  const agentNodes = (j: SandboxJenkins) =>
    j.model
      .agentNodes()
      .map((n) => n.name)
      .filter((n) => n.startsWith('mesos-'));

  test('scales agents up for labelled builds and down once idle; decisions as JSON lines; no secret shown', async () => {
    const j = await jenkins();
    const agentSecrets = new Map<string, string>();
    j.onEvent((e) => {
      if (e.type === 'nodeCreated') agentSecrets.set(e.node, j.agentSecret(e.node));
    });
    const file = await config('scale', j.url);
    const decisionsFile = join(dir, 'scale-decisions.jsonl');
    j.enqueue({ job: 'compile', label: 'linux', durationSeconds: 0.5 });
    j.enqueue({ job: 'test', label: 'linux', durationSeconds: 0.5 });
    j.enqueue({ job: 'elsewhere', label: 'windows', durationSeconds: 0.5 });

    const run = startCli(['autoscale', '--config', file, '--decisions', decisionsFile, '--verbose']);
    await until(() => j.finishedBuilds().length === 2, 'both linux builds to finish', 25_000);

    // a second daemon for the same cluster and state directory refuses while this one runs
    const second = await runCli(['autoscale', '--config', file]);
    assert.equal(second.code, 1, second.stderr);
    assert.match(
      second.stderr,
      /^mesos-ops autoscale: the scheduler of cluster "scale" already runs in another 'mesos-ops autoscale' \(pid \d+ on .*\) \(lease .*lease\.json\)/m,
    );
    assert.equal(second.stdout, '');

    await until(() => agentNodes(j).length === 0, 'the idle agents to be removed', 15_000);
    const [framework] = registered('autoscale-scale');
    assert.ok(framework, 'the framework is registered');
    await until(() => liveTasksOf(framework.id).length === 0, 'the agents’ tasks to end');
    run.stop();
    assert.equal(await run.exited, 0, run.out.stderr);

    const text = await readFile(decisionsFile, 'utf8');
    const decisions = decisionsOf(text);
    const launched = decisions.filter((d) => d.kind === 'launch').map((d) => d.agent);
    assert.equal(launched.length, 2, text);
    for (const name of launched) {
      assert.deepEqual(
        decisions.filter((d) => d.agent === name && d.kind !== 'skip').map((d) => d.kind),
        ['launch', 'placed', 'connected', 'remove', 'removed'],
        `${name}'s life`,
      );
    }
    assert.ok(decisions.some((d) => d.kind === 'skip' && d.skip === 'no-template' && d.label === 'windows'));
    assert.deepEqual(
      j
        .finishedBuilds()
        .map((b) => [b.job, b.result, launched.includes(b.node)])
        .sort(),
      [
        ['compile', 'SUCCESS', true],
        ['test', 'SUCCESS', true],
      ],
    );
    assert.equal(run.out.stdout, '', 'decisions went to the file, not stdout');
    assert.match(
      run.out.stderr,
      new RegExp(`registered framework ${framework.id} on http://127\\.0\\.0\\.1:\\d+ for cluster "scale"`),
    );
    assert.match(run.out.stderr, /stopping \(received SIGINT\): the agents keep running/);
    assert.match(
      run.out.stderr,
      new RegExp(`stopped; framework ${framework.id} stays registered for its failover timeout \\(60 s\\)`),
    );
    assert.ok(registered('autoscale-scale')[0], 'no TEARDOWN on stop: the framework stays registered');

    const stateFile = join(dir, 'state-scale', leaseKey('scale'), 'scheduler-state.json');
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as { frameworkId?: string };
    assert.equal(state.frameworkId, framework.id, 'the framework id is kept in the state directory');

    assert.equal(agentSecrets.size, 2);
    const everything = [run.out.stdout, run.out.stderr, second.stderr, text, JSON.stringify(state)].join('\n');
    for (const secret of [MESOS_SECRET, JENKINS_TOKEN, ...agentSecrets.values()]) {
      assert.equal(everything.includes(secret), false, 'a secret was printed or written');
    }
    cluster.master.removeFramework(framework, 'operator');
  });

  test('--once checks the config: subscribes, polls once as a dry run, exits 0 and leaves nothing behind', async () => {
    const j = await jenkins();
    const file = await config('once', j.url);
    j.enqueue({ job: 'compile', label: 'linux', durationSeconds: 0.5 });
    const run = await runCli(['autoscale', '--config', file, '--once']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /^mesos-ops autoscale: --once: Dry run: Would launch 1 agent\(s\) of template linux\. The config works\.$/m,
    );
    assert.match(run.stderr, /framework \S+ was new and had nothing to run, so it is torn down again/);
    const decisions = decisionsOf(run.stdout);
    const launch = decisions.find((d) => d.kind === 'launch');
    assert.equal(launch?.dryRun, true, run.stdout);
    assert.deepEqual(agentNodes(j), [], 'nothing was created in Jenkins');
    assert.deepEqual(registered('autoscale-once'), [], 'the framework registered for the check is gone');
    assert.equal(j.model.queueItems().length, 1, 'the build still waits');
    for (const secret of [MESOS_SECRET, JENKINS_TOKEN])
      assert.equal(run.stdout.includes(secret) || run.stderr.includes(secret), false);
  });

  test('--dry-run decides to launch but launches nothing', async () => {
    const j = await jenkins();
    const file = await config('dry', j.url);
    j.enqueue({ job: 'compile', label: 'linux', durationSeconds: 0.5 });
    const run = startCli(['autoscale', '--config', file, '--dry-run']);
    await until(() => decisionsOf(run.out.stdout).some((d) => d.kind === 'launch'), 'a launch decision');
    await until(() => run.out.stderr.includes('autoscaler running'), 'the first round to end');
    run.stop();
    assert.equal(await run.exited, 0, run.out.stderr);
    assert.match(run.out.stderr, /autoscaler running in dry run \(nothing is launched or removed\)/);
    const made = decisionsOf(run.out.stdout);
    assert.equal(made[0]?.kind, 'mode', 'the dry run is said first');
    assert.ok(
      made.slice(1).every((d) => d.dryRun === true),
      run.out.stdout,
    );
    assert.deepEqual(agentNodes(j), []);
    assert.equal(j.model.queueItems().length, 1, 'the build still waits');
    const [framework] = registered('autoscale-dry');
    assert.ok(framework);
    assert.deepEqual(liveTasksOf(framework.id), []);
    cluster.master.removeFramework(framework, 'operator');
  });

  test('a bad config exits 2 naming the file and each path; a missing secret exits 2 naming where it was looked for', async () => {
    const j = await jenkins();
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        cluster: { name: 'bad' },
        jenkins: { url: j.url, token: JENKINS_TOKEN },
        templates: [{ name: 'linux', labels: ['linux'], maxAgent: 3 }],
        autoscaler: { onExit: 'never' },
      }),
    );
    const run = await runCli(['autoscale', '--config', file]);
    assert.equal(run.code, 2);
    const line = run.stderr.trim();
    assert.equal(line.split('\n').length, 1, 'one line');
    assert.ok(line.startsWith(`mesos-ops autoscale: the config file ${file} has 4 problems: `), line);
    assert.match(line, /cluster\.masters: is missing/);
    assert.match(line, /jenkins\.token: secrets do not go in the config file/);
    assert.match(line, /templates\[0\]: Template "linux": unknown key "maxAgent" \(did you mean "maxAgents"\?\)/);
    assert.match(line, /autoscaler\.onExit: must be "keepAgents" or "drainIdleAgents"/);
    assert.equal(line.includes(JENKINS_TOKEN), false, 'the misplaced token is not echoed');

    const notJson = join(dir, 'not.json');
    await writeFile(notJson, '{ "cluster": ');
    const syntax = await runCli(['autoscale', '--config', notJson]);
    assert.equal(syntax.code, 2);
    assert.match(syntax.stderr, new RegExp(`the config file ${notJson} is not JSON`));

    const missing = await runCli(['autoscale']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--config FILE is required/);

    const noToken = await config('no-token', j.url, {
      jenkins: { tokenFile: undefined, tokenEnv: 'MESOS_OPS_TEST_NO_SUCH_VAR' },
    });
    const unset = await runCli(['autoscale', '--config', noToken, '--once']);
    assert.equal(unset.code, 2);
    assert.match(
      unset.stderr,
      /jenkins\.user is "autoscaler" but there is no API token: set the variable MESOS_OPS_TEST_NO_SUCH_VAR \(jenkins\.tokenEnv\)/,
    );
  });

  test('a framework taken over by another scheduler ends the daemon with exit 1 and releases the lease', async () => {
    const j = await jenkins();
    const file = await config('taken', j.url);
    const run = startCli(['autoscale', '--config', file]);
    await until(() => run.out.stderr.includes('autoscaler running'), 'the daemon running');
    const [framework] = registered('autoscale-taken');
    assert.ok(framework);
    const other = await rawSubscribe(
      cluster.leaderUrl,
      { user: userInfo().username, name: 'autoscale-taken', principal: PRINCIPAL, failover_timeout: 60 },
      'json',
      {
        frameworkId: framework.id,
        authorization: `Basic ${Buffer.from(`${PRINCIPAL}:${MESOS_SECRET}`).toString('base64')}`,
      },
    );
    try {
      assert.equal(other.status, 200);
      assert.equal(await run.exited, 1, run.out.stderr);
      assert.match(
        run.out.stderr,
        /^mesos-ops autoscale: The scheduler subscription ended: Another scheduler subscribed with the framework id \S+ and took over/m,
      );
      assert.match(
        run.out.stderr,
        new RegExp(`stopped; framework ${framework.id} and its agents are left as they are`),
      );
      await assert.rejects(readFile(join(dir, 'state-taken', leaseKey('taken'), 'lease.json')), { code: 'ENOENT' });
    } finally {
      other.close();
    }
    cluster.master.removeFramework(registered('autoscale-taken')[0]!, 'operator');
  });

  test('SIGINT exits 0 leaving the framework and its agent; the next start takes them over and drains on exit', async () => {
    const j = await jenkins();
    // idle agents stay (idleMinutes), so the stop is what decides their fate
    const keep = await config('sigint', j.url, {
      template: { idleMinutes: 10 },
      jenkins: { tokenFile: undefined, tokenEnv: 'CI_TOKEN' },
    });
    j.enqueue({ job: 'compile', label: 'linux', durationSeconds: 0.3 });
    const { child, out, exited } = processes.spawn(['autoscale', '--config', keep], {
      ...process.env,
      MESOS_SECRET,
      CI_TOKEN: JENKINS_TOKEN,
    });
    await until(() => j.finishedBuilds().length === 1, 'the build to run on an agent', 30_000);
    await until(() => decisionsOf(out.stdout).some((d) => d.kind === 'connected'), 'the connected decision');
    const [agent] = agentNodes(j);
    assert.ok(agent);
    const [framework] = registered('autoscale-sigint');
    assert.ok(framework);

    child.kill('SIGINT');
    assert.deepEqual(await exited, { code: 0, signal: null }, out.stderr);
    assert.match(out.stderr, /stopping \(received SIGINT\): the agents keep running/);
    assert.ok(registered('autoscale-sigint')[0], 'the framework stays registered');
    assert.equal(liveTasksOf(framework.id).length, 1, 'its agent keeps running');
    assert.deepEqual(agentNodes(j), [agent], 'and stays in Jenkins');
    const agentSecret = j.agentSecret(agent);
    for (const secret of [MESOS_SECRET, JENKINS_TOKEN, agentSecret]) {
      assert.equal(out.stdout.includes(secret) || out.stderr.includes(secret), false);
    }

    // the next daemon fails over to the same framework, adopts the agent, and drains it when stopped
    const drain = await config('sigint', j.url, {
      template: { idleMinutes: 10 },
      autoscaler: { onExit: 'drainIdleAgents' },
    });
    const next = startCli(['autoscale', '--config', drain, '--verbose']);
    await until(
      () => decisionsOf(next.out.stdout).some((d) => d.kind === 'adopt' && d.agent === agent),
      'the agent adopted',
    );
    assert.match(next.out.stderr, new RegExp(`failed over to framework ${framework.id} `));
    next.stop();
    assert.equal(await next.exited, 0, next.out.stderr);
    assert.match(next.out.stderr, /stopping \(received SIGINT\): removing idle agents first/);
    const removed = decisionsOf(next.out.stdout).find((d) => d.kind === 'removed' && d.agent === agent);
    assert.ok(removed, next.out.stdout);
    assert.match(removed.reason, /stopping: idle, so taken offline, its node deleted and its task killed/);
    assert.deepEqual(agentNodes(j), []);
    // the daemon waited for the killed agent's end before it let go of the framework
    assert.deepEqual(liveTasksOf(framework.id), [], 'the drained agent’s task has ended');
    assert.ok(registered('autoscale-sigint')[0], 'still no TEARDOWN: the framework stays for the next start');
    for (const secret of [MESOS_SECRET, JENKINS_TOKEN, agentSecret]) {
      assert.equal(next.out.stdout.includes(secret) || next.out.stderr.includes(secret), false);
    }
    cluster.master.removeFramework(registered('autoscale-sigint')[0]!, 'operator');
  });
});
