import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli/main';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
    },
  };
}

test('--version prints the package version and exits 0', async () => {
  const { out, io } = capture();
  assert.equal(await main(['--version'], io), 0);
  assert.equal(out.stdout, `${pkg.version}\n`);
});

test('--help prints usage and exits 0; no arguments prints usage and exits 2', async () => {
  const a = capture();
  assert.equal(await main(['--help'], a.io), 0);
  assert.match(a.out.stdout, /Usage: mesos-ops <command>/);
  const b = capture();
  assert.equal(await main([], b.io), 2);
  assert.match(b.out.stdout, /Usage: mesos-ops <command>/);
});

test('an unknown command is a usage error that names it and says where to look', async () => {
  const { out, io } = capture();
  assert.equal(await main(['frobnicate'], io), 2);
  assert.match(out.stderr, /unknown command 'frobnicate'.*mesos-ops --help/);
});
