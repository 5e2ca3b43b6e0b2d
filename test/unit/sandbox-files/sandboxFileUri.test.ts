import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatSandboxUri,
  parseSandboxUri,
  SANDBOX_FILE_SCHEME,
  sandboxBaseName,
  sandboxChild,
  sandboxKey,
  sandboxParent,
  SandboxUriError,
  type SandboxFileAddress,
} from '../../../src/core/mesos/files/sandboxFileUri';

const AGENT = '9b5d8929-2afc-4fa6-a716-69ba2145bf88-S0';
const FW = '9b5d8929-2afc-4fa6-a716-69ba2145bf88-0011';
const stdout: SandboxFileAddress = {
  clusterName: 'Prod East',
  agentId: AGENT,
  frameworkId: FW,
  taskId: 'web 1+2',
  path: 'stdout',
};

test('an address is written as cluster authority and agent/framework/task/path, and read back the same', () => {
  const parts = formatSandboxUri(stdout);
  assert.deepEqual(parts, {
    scheme: SANDBOX_FILE_SCHEME,
    authority: 'Prod East',
    path: `/${AGENT}/${FW}/web 1+2/stdout`,
  });
  assert.deepEqual(parseSandboxUri(parts), stdout);
  const nested = { ...stdout, path: 'logs/app/app.log' };
  assert.deepEqual(parseSandboxUri(formatSandboxUri(nested)), nested);
});

test("the sandbox itself is the task's path with nothing after it, with or without a trailing slash", () => {
  const root = { ...stdout, path: '' };
  assert.equal(formatSandboxUri(root).path, `/${AGENT}/${FW}/web 1+2`);
  assert.deepEqual(
    parseSandboxUri({ scheme: SANDBOX_FILE_SCHEME, authority: 'Prod East', path: `/${AGENT}/${FW}/web 1+2/` }),
    root,
  );
  // doubled slashes are one
  assert.deepEqual(
    parseSandboxUri({ scheme: SANDBOX_FILE_SCHEME, authority: 'x', path: `//${AGENT}//${FW}/t//a//b` }),
    {
      clusterName: 'x',
      agentId: AGENT,
      frameworkId: FW,
      taskId: 't',
      path: 'a/b',
    },
  );
});

test('a URI of another scheme, without a cluster or with fewer than three ids is refused with the reason', () => {
  const cases: [Parameters<typeof parseSandboxUri>[0], RegExp][] = [
    [{ scheme: 'file', authority: '', path: '/tmp/stdout' }, /scheme is "file"/],
    [{ scheme: SANDBOX_FILE_SCHEME, authority: '', path: `/${AGENT}/${FW}/t/stdout` }, /names no cluster/],
    [{ scheme: SANDBOX_FILE_SCHEME, authority: 'prod', path: `/${AGENT}/${FW}` }, /has 2 of the 3 ids/],
    [{ scheme: SANDBOX_FILE_SCHEME, authority: 'prod', path: '' }, /has 0 of the 3 ids/],
  ];
  for (const [parts, reason] of cases) {
    assert.throws(
      () => parseSandboxUri(parts),
      (e: unknown) => e instanceof SandboxUriError && reason.test(e.message) && /Open Sandbox File/.test(e.nextStep),
    );
  }
});

test('. and .. segments are refused: they would leave the task sandbox', () => {
  for (const path of [`/${AGENT}/${FW}/t/../other-task/stdout`, `/${AGENT}/${FW}/t/./stdout`, `/${AGENT}/${FW}/..`]) {
    assert.throws(
      () => parseSandboxUri({ scheme: SANDBOX_FILE_SCHEME, authority: 'prod', path }),
      (e: unknown) => e instanceof SandboxUriError && /would leave the sandbox/.test(e.message),
    );
  }
  assert.throws(() => sandboxChild(stdout, '..'), SandboxUriError);
  assert.throws(() => formatSandboxUri({ ...stdout, path: 'a/../../b' }), SandboxUriError);
});

test('ids that cannot name a directory are refused when writing an address', () => {
  for (const [address, what] of [
    [{ ...stdout, taskId: 'a/b' }, /task id "a\/b" contains "\/"/],
    [{ ...stdout, frameworkId: '' }, /framework id "" is empty/],
    [{ ...stdout, agentId: '..' }, /agent id "\.\." is "\.\."/],
    [{ ...stdout, clusterName: ' ' }, /cluster name is empty/],
  ] as const) {
    assert.throws(
      () => formatSandboxUri(address),
      (e: unknown) => e instanceof SandboxUriError && what.test(e.message),
    );
  }
});

test('child, parent and base name walk the path inside the sandbox', () => {
  const root = { ...stdout, path: '' };
  const logs = sandboxChild(root, 'logs');
  assert.equal(logs.path, 'logs');
  const app = sandboxChild(logs, 'app.log');
  assert.equal(app.path, 'logs/app.log');
  assert.equal(sandboxChild(root, 'a/b/').path, 'a/b');
  assert.equal(sandboxBaseName(app), 'app.log');
  assert.equal(sandboxBaseName(root), '');
  assert.deepEqual(sandboxParent(app), logs);
  assert.deepEqual(sandboxParent(logs), root);
  assert.equal(sandboxParent(root), undefined);
});

test("every file of one task's sandbox has the same key, whatever the case of the cluster name", () => {
  const a = sandboxKey(stdout);
  assert.equal(sandboxKey({ ...stdout, path: 'logs/x' }), a);
  assert.equal(sandboxKey({ ...stdout, clusterName: 'prod east' }), a);
  assert.notEqual(sandboxKey({ ...stdout, taskId: 'web 1+3' }), a);
  assert.notEqual(sandboxKey({ ...stdout, agentId: 'other' }), a);
});
