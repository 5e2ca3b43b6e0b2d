import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInboundAgentCli } from '../../../src/sandbox/jenkins/inboundAgentCli';
import {
  AgentUsageError,
  parseAgentDuration,
  parseInboundAgentArgs,
} from '../../../src/sandbox/jenkins/inboundAgentArgs';
import { decryptJnlp, encryptJnlp, parseJnlpArguments, renderJnlp } from '../../../src/sandbox/jenkins/jnlpFile';
import { joinRefusals, timeSpan, whyMessages } from '../../../src/sandbox/jenkins/whyMessages';

const noFiles = (path: string): string => {
  throw new Error(`ENOENT: ${path}`);
};
const secret = 'a'.repeat(64);

test('agent.jar-style flags parse into agent options', () => {
  const parsed = parseInboundAgentArgs(
    [
      '-url',
      'http://j/',
      '-url',
      'http://k/',
      '-name',
      'n',
      '-secret',
      secret,
      '-workDir',
      '/w',
      '-internalDir',
      'int',
      '-failIfWorkDirIsMissing',
      '-noreconnect',
      '-noReconnectAfter',
      '10m',
      '-tunnel',
      'h:1',
      '-noKeepAlive',
    ],
    noFiles,
  );
  assert.equal(parsed.kind, 'run');
  if (parsed.kind !== 'run') return;
  assert.deepEqual(parsed.options.urls, ['http://j/', 'http://k/']);
  assert.equal(parsed.options.name, 'n');
  assert.equal(parsed.options.secret, secret);
  assert.equal(parsed.options.workDir, '/w');
  assert.equal(parsed.options.internalDir, 'int');
  assert.equal(parsed.options.failIfWorkDirIsMissing, true);
  assert.equal(parsed.options.noReconnect, true);
  assert.equal(parsed.options.noReconnectAfterMs, 600_000);
});

test('@file arguments expand to the file lines (how -secret @file works)', () => {
  const files: Record<string, string> = { '/s': `${secret}\n`, '/args': '-url\nhttp://j/\n-name\nn\n' };
  const parsed = parseInboundAgentArgs(['@/args', '-secret', '@/s'], (p) => files[p] ?? noFiles(p));
  assert.equal(parsed.kind, 'run');
  if (parsed.kind === 'run') {
    assert.equal(parsed.options.secret, secret);
    assert.deepEqual(parsed.options.urls, ['http://j/']);
  }
  assert.throws(
    () => parseInboundAgentArgs(['-secret', '@/missing'], noFiles),
    /cannot read the argument file \/missing/,
  );
});

test('positional <secret> <name> still work, with a deprecation warning', () => {
  const parsed = parseInboundAgentArgs(['-url', 'http://j/', secret, 'n'], noFiles);
  assert.equal(parsed.kind, 'run');
  if (parsed.kind === 'run') {
    assert.equal(parsed.options.name, 'n');
    assert.match(parsed.warnings[0] ?? '', /deprecated/);
  }
});

test('invalid command lines are usage errors that say what to fix', () => {
  const cases: [string[], RegExp][] = [
    [['-name', 'n', '-secret', secret], /-url is required/],
    [['-url', 'u', '-secret', secret], /-name is required/],
    [['-url', 'u', '-name', 'n'], /-secret is required/],
    [['-url', 'u', '-url', 'v', '-name', 'n', '-secret', secret, '-webSocket'], /exactly one -url/],
    [['-jnlpUrl', 'u', '-name', 'n', '-secret', secret], /cannot be combined/],
    [['-jnlpUrl', 'u'], /needs -secret/],
    [['-url', 'u', '-name', 'n', '-secret', secret, '-bogus'], /unknown option -bogus/],
    [['-url'], /-url needs a value/],
    [['-direct', 'h:1'], /not available/],
    [['-url', 'u', '-name', 'n', '-secret', secret, '-noReconnectAfter', 'soon'], /cannot read the duration "soon"/],
    [['-url', 'u', 'x'], /unexpected arguments: x/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseInboundAgentArgs(argv, noFiles),
      (e: unknown) => e instanceof AgentUsageError && message.test(e.message),
      argv.join(' '),
    );
  }
});

test('-help and -version', () => {
  assert.deepEqual(parseInboundAgentArgs(['-help'], noFiles), { kind: 'help' });
  assert.deepEqual(parseInboundAgentArgs(['-version'], noFiles), { kind: 'version' });
});

test('durations: 30s, 10m, 1h, 2d and ISO-8601', () => {
  assert.equal(parseAgentDuration('30s'), 30_000);
  assert.equal(parseAgentDuration('10m'), 600_000);
  assert.equal(parseAgentDuration('1h'), 3_600_000);
  assert.equal(parseAgentDuration('2d'), 172_800_000);
  assert.equal(parseAgentDuration('PT10M'), 600_000);
  assert.equal(parseAgentDuration('P1DT2H'), 93_600_000);
  assert.equal(parseAgentDuration('PT1.5S'), 1500);
  assert.throws(() => parseAgentDuration('P'), AgentUsageError);
  assert.throws(() => parseAgentDuration('PT'), AgentUsageError);
});

test('the agent CLI exits 2 on a usage error and prints the usage', async () => {
  let err = '';
  const code = await runInboundAgentCli(['-bogus'], {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (err += s) },
  });
  assert.equal(code, 2);
  assert.match(err, /unknown option -bogus/);
  assert.match(err, /Usage: node sandbox-agent\.js/);
});

test('a JNLP file carries secret, name, options and url; the encrypted form needs the secret', () => {
  const xml = renderJnlp({ secret, name: 'a&b', options: ['-workDir', '/w'], url: 'http://j/' });
  assert.deepEqual(parseJnlpArguments(xml), [secret, 'a&b', '-workDir', '/w', '-url', 'http://j/']);
  const encrypted = encryptJnlp(xml, secret);
  assert.equal(decryptJnlp(encrypted, secret), xml);
  assert.notEqual(decryptJnlp(encrypted, 'b'.repeat(64)), xml);
  assert.notDeepEqual(encryptJnlp(xml, secret).subarray(0, 16), encrypted.subarray(0, 16), 'a fresh IV each time');
  assert.throws(() => decryptJnlp(encrypted, 'not-hex'), /hexadecimal/);
});

test('why texts use the curly quotes and apostrophe of Messages.properties', () => {
  assert.equal(whyMessages.labelMissing('agent-3', 'L'), '\u2018agent-3\u2019 doesn\u2019t have label \u2018L\u2019');
  assert.equal(
    whyMessages.waitingForNextAvailableExecutorOn('mesos&&linux'),
    'Waiting for next available executor on \u2018mesos&&linux\u2019',
  );
  assert.equal(whyMessages.labelHasNoNodes('x'), 'There are no nodes with the label \u2018x\u2019');
  assert.equal(whyMessages.allNodesOffline('x'), 'All nodes of label \u2018x\u2019 are offline');
  assert.equal(whyMessages.nodeOffline('n'), '\u2018n\u2019 is offline');
  assert.equal(joinRefusals(['b', 'a', 'b']), 'a; b');
});

test('time spans read like Jenkins prints them', () => {
  assert.equal(timeSpan(4200), '4.2 sec');
  assert.equal(timeSpan(4000), '4 sec');
  assert.equal(timeSpan(12_345), '12 sec');
  assert.equal(timeSpan(250), '0.25 sec');
  assert.equal(timeSpan(42), '42 ms');
  assert.equal(timeSpan(65_000), '1 min 5 sec');
  assert.equal(timeSpan(11 * 60_000), '11 min');
  assert.equal(timeSpan(26 * 3600_000), '1 day 2 hr');
  assert.equal(timeSpan(3 * 86_400_000), '3 days 0 hr');
});
