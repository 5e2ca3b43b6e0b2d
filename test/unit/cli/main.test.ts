import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli/main';
import { cliStreams } from '../../support/cliRunner';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };

test('--version prints the package version and exits 0', async () => {
  const { out, io } = cliStreams();
  assert.equal(await main(['--version'], io), 0);
  assert.equal(out.stdout, `${pkg.version}\n`);
});

test('--help prints usage and exits 0; no arguments prints usage and exits 2', async () => {
  const a = cliStreams();
  assert.equal(await main(['--help'], a.io), 0);
  assert.match(a.out.stdout, /Usage: mesos-ops <command>/);
  const b = cliStreams();
  assert.equal(await main([], b.io), 2);
  assert.match(b.out.stdout, /Usage: mesos-ops <command>/);
});

test('an unknown command is a usage error that names it and says where to look', async () => {
  const { out, io } = cliStreams();
  assert.equal(await main(['frobnicate'], io), 2);
  assert.match(out.stderr, /unknown command 'frobnicate'.*mesos-ops --help/);
});
