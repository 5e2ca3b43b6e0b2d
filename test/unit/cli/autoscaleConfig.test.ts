import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readAutoscaleConfig, type AutoscaleConfig } from '../../../src/cli/autoscaleConfig';
import { AutoscaleConfigError } from '../../../src/cli/autoscaleConfigError';
import { CliUsageError } from '../../../src/cli/cliCommand';
import { DecisionLineWriter } from '../../../src/cli/decisionLineWriter';
import { defaultStateDir } from '../../../src/cli/defaultStateDir';
import { loadAutoscaleConfig } from '../../../src/cli/loadAutoscaleConfig';
import { readAutoscaleSecrets } from '../../../src/cli/readAutoscaleSecrets';
import { roundSummary } from '../../../src/cli/roundSummary';
import { DecisionRing } from '../../../src/core/scheduler/autoscaler/decisionRing';
import type { AutoscaleDecision } from '../../../src/core/scheduler/autoscaler/autoscaleDecision';

// The config file of `mesos-ops autoscale`: what it accepts (with defaults), what it refuses (each problem
// with its path), where secrets come from, and the small pieces around it.

const minimal = () => ({
  cluster: { name: 'prod', masters: 'http://m1:5050,http://m2:5050' },
  jenkins: { url: 'https://ci.example.com/' },
  templates: [{ name: 'linux', labels: ['linux'] }],
});

function problemsOf(value: unknown): string[] {
  const { config, problems } = readAutoscaleConfig(value);
  assert.equal(config, undefined, 'a config with problems is not returned');
  return problems.map((p) => `${p.path}: ${p.message}`);
}

function configOf(value: unknown): AutoscaleConfig {
  const { config, problems } = readAutoscaleConfig(value);
  assert.deepEqual(problems, []);
  return config!;
}

describe('readAutoscaleConfig', () => {
  test('a minimal config gets every default', () => {
    const config = configOf(minimal());
    assert.equal(config.cluster.name, 'prod');
    assert.equal(config.cluster.masters, 'http://m1:5050,http://m2:5050');
    assert.equal(config.cluster.encoding, 'protobuf');
    assert.equal(config.cluster.insecure, false);
    assert.deepEqual(config.jenkins, {
      url: 'https://ci.example.com/',
      tokenEnv: 'JENKINS_API_TOKEN',
      tokenEnvGiven: false,
    });
    assert.equal(config.templates.length, 1);
    assert.equal(config.templates[0]!.cpus, 1, 'templates get their own defaults');
    assert.deepEqual(config.autoscaler, {
      pollIntervalSeconds: 2,
      maxAgents: 50,
      agentConnectTimeoutSeconds: 300,
      onExit: 'keepAgents',
      dryRun: false,
    });
    assert.deepEqual(config.scheduler, {
      frameworkName: 'mesos-ops-autoscaler',
      failoverTimeoutSeconds: 7 * 24 * 3600,
    });
  });

  test('every documented key is read', () => {
    const config = configOf({
      cluster: {
        name: 'prod',
        masters: 'zk://zk1:2181/mesos',
        principal: 'jenkins',
        role: 'ci',
        caFile: 'ca.pem',
        insecure: true,
        encoding: 'json',
      },
      jenkins: { url: 'http://ci:8080/jenkins/', user: 'bot', tokenEnv: 'CI_TOKEN' },
      templates: [{ name: 'linux', labels: 'linux docker', cpus: 2 }],
      autoscaler: {
        pollIntervalSeconds: 0.5,
        maxAgents: 0,
        agentConnectTimeoutSeconds: 60,
        onExit: 'drainIdleAgents',
        dryRun: true,
      },
      scheduler: { frameworkName: 'ci-agents', failoverTimeoutSeconds: 3600, stateDir: '/var/lib/mesos-ops' },
    });
    assert.equal(config.cluster.principal, 'jenkins');
    assert.equal(config.cluster.role, 'ci');
    assert.equal(config.cluster.caFile, 'ca.pem');
    assert.equal(config.cluster.insecure, true);
    assert.equal(config.cluster.encoding, 'json');
    assert.deepEqual(config.jenkins, {
      url: 'http://ci:8080/jenkins/',
      user: 'bot',
      tokenEnv: 'CI_TOKEN',
      tokenEnvGiven: true,
    });
    assert.deepEqual(config.templates[0]!.labels, ['linux', 'docker']);
    assert.deepEqual(config.autoscaler, {
      pollIntervalSeconds: 0.5,
      maxAgents: 0,
      agentConnectTimeoutSeconds: 60,
      onExit: 'drainIdleAgents',
      dryRun: true,
    });
    assert.deepEqual(config.scheduler, {
      frameworkName: 'ci-agents',
      failoverTimeoutSeconds: 3600,
      stateDir: '/var/lib/mesos-ops',
    });
  });

  test('missing sections and keys are named by their path', () => {
    assert.deepEqual(problemsOf({}), [
      'cluster: the "cluster" section is missing',
      'jenkins: the "jenkins" section is missing',
      'templates: is missing: add at least one agent template ([{"name": "linux", "labels": ["linux"]}])',
    ]);
    assert.deepEqual(problemsOf({ ...minimal(), cluster: { masters: 'http://m:5050' }, jenkins: {} }), [
      'cluster.name: is missing: name the cluster (it names the lease and the state kept for it)',
      'jenkins.url: is missing: give the Jenkins root URL, e.g. https://ci.example.com/',
    ]);
    assert.deepEqual(problemsOf([minimal()]), [
      '(top level): must be an object with "cluster", "jenkins" and "templates", got a list',
    ]);
  });

  test('unknown keys are refused at every level, typos included', () => {
    const problems = problemsOf({
      ...minimal(),
      autoscaler: { pollInterval: 5 },
      scheduler: { framework: 'x' },
      extra: 1,
    });
    assert.deepEqual(problems, [
      'extra: unknown section; known sections: cluster, jenkins, templates, autoscaler, scheduler',
      'autoscaler.pollInterval: unknown key; known keys here: pollIntervalSeconds, maxAgents, agentConnectTimeoutSeconds, onExit, dryRun',
      'scheduler.framework: unknown key; known keys here: frameworkName, failoverTimeoutSeconds, stateDir',
    ]);
  });

  test('a secret put in the file is refused without being repeated', () => {
    const problems = problemsOf({
      ...minimal(),
      cluster: { ...minimal().cluster, secret: 's3cret-value' },
      jenkins: { url: 'https://ci/', user: 'bot', apiToken: 's3cret-value' },
    });
    assert.deepEqual(problems, [
      "cluster.secret: secrets do not go in the config file: the principal's secret is read from $MESOS_SECRET",
      'jenkins.apiToken: secrets do not go in the config file: the API token is read from the variable named by "tokenEnv" or from "tokenFile"',
    ]);
    const urlWithCredentials = problemsOf({ ...minimal(), jenkins: { url: 'https://bot:s3cret-value@ci/' } });
    assert.deepEqual(urlWithCredentials, [
      'jenkins.url: holds credentials: put the user in "user" and the API token in its variable or file',
    ]);
    const tokenAsEnvName = problemsOf({ ...minimal(), jenkins: { url: 'https://ci/', tokenEnv: '11a2b3c4-token' } });
    assert.match(tokenAsEnvName[0]!, /^jenkins\.tokenEnv: must be the name of an environment variable/);
    assert.equal([...problems, ...urlWithCredentials, ...tokenAsEnvName].join().includes('s3cret-value'), false);
    assert.equal(tokenAsEnvName.join().includes('11a2b3c4'), false);
  });

  test('wrong values say what is wanted', () => {
    assert.deepEqual(
      problemsOf({
        ...minimal(),
        cluster: { name: 'prod', masters: 'ftp://m1', insecure: 'yes' },
        jenkins: { url: 'ci.example.com', tokenEnv: 'A', tokenFile: '/t' },
        autoscaler: {
          pollIntervalSeconds: 0,
          maxAgents: 2.5,
          agentConnectTimeoutSeconds: -1,
          onExit: 'kill',
          dryRun: 1,
        },
        scheduler: { failoverTimeoutSeconds: 0, stateDir: '' },
      }),
      [
        'cluster.insecure: must be true or false, got text',
        'jenkins.url: is not an http(s) URL',
        'jenkins: give "tokenEnv" or "tokenFile", not both',
        'autoscaler.pollIntervalSeconds: must be a number above 0 up to 3600, got 0',
        'autoscaler.maxAgents: must be a whole number from 0 up to 10000, got 2.5',
        'autoscaler.agentConnectTimeoutSeconds: must be a number above 0 up to 86400, got -1',
        'autoscaler.onExit: must be "keepAgents" or "drainIdleAgents"',
        'autoscaler.dryRun: must be true or false, got 1',
        'scheduler.failoverTimeoutSeconds: must be a number above 0 up to 31536000, got 0',
        'scheduler.stateDir: must be non-empty text, got empty text',
      ],
    );
  });

  test('the cluster is checked as mesos.clusters checks it', () => {
    const [problem, ...rest] = problemsOf({ ...minimal(), cluster: { name: 'prod', masters: 'ftp://m1:5050' } });
    assert.deepEqual(rest, []);
    assert.match(
      problem!,
      /^cluster: Cluster "prod": The masters value "ftp:\/\/m1:5050" has "ftp:\/\/m1:5050" with the unsupported scheme ftp/,
    );
    assert.match(
      problemsOf({ ...minimal(), cluster: { name: 'bad/name', masters: 'http://m:5050' } })[0]!,
      /^cluster: Cluster name "bad\/name" may hold/,
    );
    assert.deepEqual(
      problemsOf({ ...minimal(), cluster: { name: 'prod', masters: 'http://m:5050', encoding: 'xml' } }),
      ['cluster: Cluster "prod": encoding must be "protobuf" or "json".'],
    );
  });

  test('templates are checked as mesos.jenkins.agentTemplates checks them, each named by its index', () => {
    assert.deepEqual(problemsOf({ ...minimal(), templates: [] }), [
      'templates: is empty: add at least one agent template ([{"name": "linux", "labels": ["linux"]}])',
    ]);
    assert.deepEqual(problemsOf({ ...minimal(), templates: { name: 'linux' } }), [
      'templates: must be a list of agent templates, got a object',
    ]);
    const problems = problemsOf({
      ...minimal(),
      templates: [
        { name: 'linux', labels: ['linux'] },
        'docker',
        { name: 'linux', labels: ['x'] },
        { name: 'big', labels: ['b'], cpus: -1 },
      ],
    });
    assert.deepEqual(problems, [
      'templates[1]: Entry 2 of "templates" is not an object with "name" and "labels".',
      'templates[2]: Template "linux": the name is used twice in "templates"; names must be unique. Rename one.',
      'templates[3]: Template "big": "cpus" must be a number above 0, got -1. The template is not used until this is fixed.',
    ]);
  });
});

describe('loadAutoscaleConfig', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoscale-config-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('relative paths are taken from the config file’s folder', async () => {
    const file = join(dir, 'daemon.json');
    await writeFile(
      file,
      JSON.stringify({
        ...minimal(),
        cluster: { ...minimal().cluster, caFile: 'tls/ca.pem' },
        jenkins: { url: 'https://ci/', user: 'bot', tokenFile: '../secrets/token' },
        scheduler: { stateDir: 'state' },
      }),
    );
    const config = await loadAutoscaleConfig(file);
    assert.equal(config.cluster.caFile, join(dir, 'tls', 'ca.pem'));
    assert.equal(config.jenkins.tokenFile, join(dir, '..', 'secrets', 'token'));
    assert.equal(config.scheduler.stateDir, join(dir, 'state'));
  });

  test('a missing file, bad JSON and a bad config are usage errors (exit 2) naming the file', async () => {
    const missing = join(dir, 'missing.json');
    await assert.rejects(loadAutoscaleConfig(missing), (e: unknown) => {
      assert.ok(e instanceof CliUsageError);
      assert.equal(e.exitCode, 2);
      assert.equal(
        e.message,
        `cannot read the config file ${missing} (ENOENT): check the path given to --config and its permissions`,
      );
      return true;
    });
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"cluster": {},}');
    await assert.rejects(loadAutoscaleConfig(broken), (e: unknown) => {
      assert.ok(e instanceof CliUsageError);
      assert.match(e.message, new RegExp(`^the config file ${broken} is not JSON \\(.+\\): fix its syntax`));
      return true;
    });
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...minimal(), jenkins: {} }));
    await assert.rejects(loadAutoscaleConfig(bad), (e: unknown) => {
      assert.ok(e instanceof AutoscaleConfigError);
      assert.equal(e.exitCode, 2);
      assert.deepEqual(e.problems, [
        { path: 'jenkins.url', message: 'is missing: give the Jenkins root URL, e.g. https://ci.example.com/' },
      ]);
      assert.equal(
        e.message,
        `the config file ${bad} has a problem: jenkins.url: is missing: give the Jenkins root URL, e.g. https://ci.example.com/. ` +
          `Fix it and check again with 'mesos-ops autoscale --config ${bad} --once'.`,
      );
      return true;
    });
  });
});

describe('readAutoscaleSecrets', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoscale-secrets-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const withJenkins = (jenkins: Record<string, unknown>, cluster: Record<string, unknown> = {}) =>
    configOf({
      ...minimal(),
      cluster: { ...minimal().cluster, ...cluster },
      jenkins: { url: 'https://ci/', ...jenkins },
    });

  test('the principal’s secret comes from MESOS_SECRET, the token from the named variable', async () => {
    const secrets = await readAutoscaleSecrets(
      withJenkins({ user: 'bot', tokenEnv: 'CI_TOKEN' }, { principal: 'ops' }),
      {
        MESOS_SECRET: 'm-secret',
        CI_TOKEN: 'j-token',
        JENKINS_API_TOKEN: 'not-this-one',
      },
    );
    assert.deepEqual(secrets, { mesos: { principal: 'ops', secret: 'm-secret' }, jenkinsToken: 'j-token' });
    assert.deepEqual(await readAutoscaleSecrets(withJenkins({ user: 'bot' }), { JENKINS_API_TOKEN: 'default-var' }), {
      jenkinsToken: 'default-var',
    });
    assert.deepEqual(
      await readAutoscaleSecrets(withJenkins({}), { MESOS_SECRET: 'unused' }),
      {},
      'anonymous, no principal',
    );
  });

  test('the token file is read and trimmed', async () => {
    const file = join(dir, 'token');
    await writeFile(file, 'file-token\n');
    assert.deepEqual(await readAutoscaleSecrets(withJenkins({ user: 'bot', tokenFile: file }), {}), {
      jenkinsToken: 'file-token',
    });
  });

  test('a missing secret is a usage error naming where it was looked for, never a secret', async () => {
    const fails = async (config: AutoscaleConfig, env: NodeJS.ProcessEnv, message: string) =>
      assert.rejects(readAutoscaleSecrets(config, env), (e: unknown) => {
        assert.ok(e instanceof CliUsageError);
        assert.equal(e.exitCode, 2);
        assert.equal(e.message, message);
        return true;
      });
    await fails(
      withJenkins({}, { principal: 'ops' }),
      {},
      `cluster.principal is "ops" but MESOS_SECRET is not set: export the principal's secret as MESOS_SECRET (it is never read from the config file)`,
    );
    await fails(
      withJenkins({ user: 'bot' }),
      {},
      'jenkins.user is "bot" but there is no API token: set the variable JENKINS_API_TOKEN, or name another variable in jenkins.tokenEnv or a file in jenkins.tokenFile',
    );
    await fails(
      withJenkins({}),
      { JENKINS_API_TOKEN: 'stray-token' },
      'there is a Jenkins API token in the variable JENKINS_API_TOKEN but no jenkins.user: set jenkins.user to the user the token belongs to, or unset JENKINS_API_TOKEN to call Jenkins anonymously',
    );
    const missing = join(dir, 'nope');
    await fails(
      withJenkins({ user: 'bot', tokenFile: missing }),
      {},
      `cannot read the Jenkins API token from the file ${missing} (jenkins.tokenFile) (ENOENT): check the path and that this user may read it`,
    );
    const empty = join(dir, 'empty');
    await writeFile(empty, '\n');
    await fails(
      withJenkins({ user: 'bot', tokenFile: empty }),
      {},
      `the file ${empty} (jenkins.tokenFile) is empty: put the Jenkins API token in it`,
    );
  });
});

describe('defaultStateDir', () => {
  test('XDG_STATE_HOME when absolute, else ~/.local/state', () => {
    assert.equal(defaultStateDir({ XDG_STATE_HOME: '/srv/state' }, '/home/ci'), join('/srv/state', 'mesos-ops'));
    assert.equal(
      defaultStateDir({ XDG_STATE_HOME: 'relative' }, '/home/ci'),
      join('/home/ci', '.local', 'state', 'mesos-ops'),
    );
    assert.equal(defaultStateDir({}, '/home/ci'), join('/home/ci', '.local', 'state', 'mesos-ops'));
  });
});

describe('roundSummary', () => {
  const d = (kind: AutoscaleDecision['kind'], more: Partial<AutoscaleDecision> = {}): AutoscaleDecision => ({
    at: 1,
    kind,
    reason: 'why',
    ...more,
  });

  test('counts what a dry round would do, and what keeps builds waiting', () => {
    assert.equal(
      roundSummary(
        [
          d('mode', { dryRun: true }),
          d('launch', { template: 'linux', dryRun: true }),
          d('launch', { template: 'linux', dryRun: true }),
          d('skip', { skip: 'no-template', items: [7, 8], dryRun: true }),
          d('skip', { skip: 'limit', items: [9], dryRun: true }),
        ],
        0,
      ),
      'Dry run: Would launch 2 agent(s) of template linux; build(s) left waiting: 2 (no-template), 1 (limit).',
    );
    assert.equal(
      roundSummary([d('adopt'), d('remove'), d('outage', { reason: 'Jenkins is down' })], 1),
      'Took 1 idle agent(s) offline for removal; took over 1 agent(s) of an earlier run; 1 problem(s), the first: Jenkins is down.',
    );
    assert.equal(roundSummary([], 3), 'Nothing to do: no waiting build needs another agent (3 agent(s) known).');
  });
});

describe('DecisionLineWriter', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'autoscale-decisions-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const launch: AutoscaleDecision = {
    at: 5,
    kind: 'launch',
    template: 'linux',
    agent: 'mesos-linux-a-1',
    reason: 'builds wait',
  };

  test('appends JSON lines to a file, which DecisionRing reads back', async () => {
    const file = join(dir, 'decisions.jsonl');
    await writeFile(file, `${JSON.stringify({ ...launch, at: 1 })}\n`);
    const writer = DecisionLineWriter.open(file, { write: () => assert.fail('not stdout') }, () =>
      assert.fail('no error'),
    );
    writer.write(launch);
    writer.close();
    const ring = DecisionRing.fromJsonLines<AutoscaleDecision>(await readFile(file, 'utf8'), 10);
    assert.deepEqual(ring.toArray(), [{ ...launch, at: 1 }, launch]);
  });

  test('writes to stdout without a file; an unopenable file is a usage error; a failing write is said once', () => {
    const lines: string[] = [];
    const toStdout = DecisionLineWriter.open(undefined, { write: (s: string) => lines.push(s) }, () => undefined);
    toStdout.write(launch);
    assert.deepEqual(lines, [`${JSON.stringify(launch)}\n`]);

    assert.throws(
      () => DecisionLineWriter.open(join(dir, 'no', 'such', 'dir.jsonl'), { write: () => true }, () => undefined),
      (e: unknown) =>
        e instanceof CliUsageError &&
        e.exitCode === 2 &&
        /cannot open the decisions file .* \(ENOENT\)/.test(e.message),
    );

    const errors: string[] = [];
    const broken = DecisionLineWriter.open(
      undefined,
      {
        write: () => {
          throw new Error('EPIPE');
        },
      },
      (m) => errors.push(m),
    );
    broken.write(launch);
    broken.write(launch);
    assert.deepEqual(errors, [
      'could not write a decision to stdout (EPIPE); later decisions may be missing there too',
    ]);
  });
});
