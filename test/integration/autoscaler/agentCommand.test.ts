import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { agentTaskRequest } from '../../../src/core/scheduler/autoscaler/agentTaskRequest';
import { readAgentTemplates } from '../../../src/core/scheduler/autoscaler/readAgentTemplates';

/*
 * Runs the agent command the way the Mesos command executor does (`sh -c <value>` with the task's
 * environment, in the sandbox), with a stand-in `java` on PATH that writes down its arguments, the content
 * of `@` argument files, and whether JENKINS_SECRET reached its environment.
 */
const SECRET = 'ab12'.repeat(16);
const dir = mkdtempSync(join(tmpdir(), 'agent-command-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const bin = join(dir, 'bin');
execFileSync('mkdir', ['-p', bin]);
writeFileSync(
  join(bin, 'java'),
  [
    '#!/bin/sh',
    'out="$PWD/java.out"',
    ': > "$out"',
    'for a in "$@"; do',
    '  echo "arg:$a" >> "$out"',
    '  case "$a" in @*) echo "file:$(cat "${a#@}")" >> "$out" ;; esac',
    'done',
    'echo "env-secret:${JENKINS_SECRET-unset}" >> "$out"',
    'echo "env-copy:${JENKINS_SECRET_-unset}" >> "$out"',
  ].join('\n'),
);
chmodSync(join(bin, 'java'), 0o755);

function run(shell: string, entry: Record<string, unknown>, sandboxVariable: boolean): string[] {
  const { templates } = readAgentTemplates([{ name: 'linux', labels: ['linux'], ...entry }]);
  const request = agentTaskRequest(templates[0]!, 'mesos-linux-t1-1', 'http://127.0.0.1:8080/', SECRET);
  const sandbox = mkdtempSync(join(dir, 'sandbox-'));
  const variables = Object.fromEntries(
    (request.command?.environment?.variables ?? []).map((v) => [v.name, v.value ?? '']),
  );
  execFileSync(shell, ['-c', request.command?.value ?? ''], {
    cwd: sandbox,
    env: { PATH: `${bin}:/usr/bin:/bin`, ...variables, ...(sandboxVariable ? { MESOS_SANDBOX: sandbox } : {}) },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 10_000,
  });
  const out = join(sandbox, 'java.out');
  assert.ok(existsSync(out), 'java was started');
  return readFileSync(out, 'utf8').trim().split('\n');
}

const shells = ['/bin/sh', '/usr/bin/dash', '/usr/bin/bash'].filter((s) => existsSync(s));

describe('the agent command under a real shell', () => {
  for (const shell of shells) {
    it(`${shell}: agent.jar gets -url, -name, the secret through fd 3, and nothing else sees it`, () => {
      const lines = run(shell, { jvmArgs: '-Xmx256m -Dfile.encoding=UTF-8' }, false);
      const args = lines.filter((l) => l.startsWith('arg:')).map((l) => l.slice(4));
      assert.deepEqual(args, [
        '-Xmx256m',
        '-Dfile.encoding=UTF-8',
        '-jar',
        './agent.jar',
        '-url',
        'http://127.0.0.1:8080/',
        '-name',
        'mesos-linux-t1-1',
        '-secret',
        '@/dev/fd/3',
        '-workDir',
        'jenkins',
        '-webSocket',
        '-noReconnect',
      ]);
      assert.ok(lines.includes(`file:${SECRET}`), 'the argument file holds the secret');
      assert.ok(lines.includes('env-secret:unset'), 'java does not inherit JENKINS_SECRET');
      assert.ok(lines.includes('env-copy:unset'), 'nor the temporary copy');
      assert.equal(
        args.some((a) => a.includes(SECRET)),
        false,
        "the secret is not in java's arguments",
      );
    });

    it(`${shell}: a custom command can use $JENKINS_SECRET, its children cannot`, () => {
      const lines = run(
        shell,
        { command: 'exec java -jar "$MESOS_SANDBOX/agent.jar" -secret @/dev/fd/3 3<<EOF\n$JENKINS_SECRET\nEOF' },
        true,
      );
      assert.ok(
        lines.some((l) => /^arg:.*\/sandbox-[^/]+\/agent\.jar$/.test(l)),
        'MESOS_SANDBOX is used',
      );
      assert.ok(lines.includes(`file:${SECRET}`));
      assert.ok(lines.includes('env-secret:unset'));
    });
  }
});
