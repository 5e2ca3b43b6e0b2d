import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliUsageError } from '../../../src/cli/cliCommand';
import { executePlanOf, STATE_FILE_FAILOVER_SECONDS } from '../../../src/cli/executePlan';

test('defaults: 0.1 cpus, 32 MB, a shell command, no restart, failover timeout 0, 60 s timeout', () => {
  const plan = executePlanOf({ name: 'job', command: 'echo hi' });
  assert.deepEqual(plan.request, {
    id: 'job',
    name: 'job',
    cpus: 0.1,
    mem: 32,
    command: { shell: true, value: 'echo hi' },
    restart: 'never',
  });
  assert.equal(plan.framework.failoverTimeoutSeconds, 0);
  assert.equal(plan.framework.name, 'mesos-ops execute');
  assert.equal(plan.timeoutMs, 60_000);
  assert.equal(plan.killAfterMs, undefined);
  assert.equal(plan.json, false);
});

test('words after -- (or --argv) run without a shell; --env, --docker-image, --role, --disk reach the request', () => {
  const plan = executePlanOf(
    {
      name: 'job',
      env: ['A=1', 'B=x=y'],
      'docker-image': 'alpine:3.20',
      role: 'jenkins',
      disk: '0',
      cpus: '2',
      mem: '512',
      'kill-after': '1.5',
    },
    ['sh', '-c', 'echo $A'],
  );
  assert.deepEqual(plan.request.command, {
    shell: false,
    value: 'sh',
    arguments: ['sh', '-c', 'echo $A'],
    environment: {
      variables: [
        { name: 'A', type: 'VALUE', value: '1' },
        { name: 'B', type: 'VALUE', value: 'x=y' },
      ],
    },
  });
  assert.deepEqual(plan.request.container, {
    type: 'MESOS',
    mesos: { image: { type: 'DOCKER', docker: { name: 'alpine:3.20' } } },
  });
  assert.equal(plan.request.role, 'jenkins');
  assert.deepEqual(plan.framework.roles, ['jenkins']);
  assert.equal(plan.request.disk, 0);
  assert.equal(plan.request.cpus, 2);
  assert.equal(plan.request.mem, 512);
  assert.equal(plan.killAfterMs, 1500);
  assert.deepEqual(executePlanOf({ name: 'job', argv: ['true'] }).request.command, {
    shell: false,
    value: 'true',
    arguments: ['true'],
  });
});

test('a state file keeps the framework for an hour unless --failover-timeout says otherwise', () => {
  assert.equal(
    executePlanOf({ name: 'j', command: 'x', 'state-file': '/tmp/s.json' }).framework.failoverTimeoutSeconds,
    STATE_FILE_FAILOVER_SECONDS,
  );
  assert.equal(
    executePlanOf({ name: 'j', command: 'x', 'state-file': '/tmp/s.json', 'failover-timeout': '0' }).framework
      .failoverTimeoutSeconds,
    0,
  );
});

test('bad values are usage errors (exit 2) that name the option', () => {
  const bad: [Parameters<typeof executePlanOf>[0], RegExp][] = [
    [{ command: 'x' }, /--name is required/],
    [{ name: '..', command: 'x' }, /cannot be a Mesos task id/],
    [{ name: 'has space', command: 'x' }, /cannot be a Mesos task id/],
    [{ name: 'j', command: 'x', cpus: '0' }, /--cpus takes a number more than 0, got '0'/],
    [{ name: 'j', command: 'x', mem: '-1' }, /--mem takes a number more than 0/],
    [{ name: 'j', command: 'x', disk: 'lots' }, /--disk takes a number at least 0/],
    [{ name: 'j', command: 'x', env: ['=1'] }, /--env takes NAME=value/],
    [{ name: 'j', command: 'x', timeout: 'soon' }, /--timeout takes a number/],
    [{ name: 'j', command: '  ' }, /--command is empty/],
    [{ name: 'j', command: 'x', 'docker-image': '' }, /--docker-image needs an image name/],
  ];
  for (const [values, message] of bad) {
    assert.throws(
      () => executePlanOf(values),
      (err: unknown) => err instanceof CliUsageError && err.exitCode === 2 && message.test(err.message),
    );
  }
});
