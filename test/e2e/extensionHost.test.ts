import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runExtensionHostTests } from '../harness/extensionHostTests';
import { REPO_ROOT } from '../harness/paths';

// Runs the mocha suites of test/exthost inside a real VS Code extension host (code-server 1.100) and
// reports each as a test here, so the counts show in this runner's summary.
test('extension-host suites (real VS Code)', { timeout: 240_000 }, async (t) => {
  const testsPath = join(REPO_ROOT, 'out', 'test', 'exthost', 'index.js');
  assert.ok(existsSync(testsPath), `${testsPath} is missing: run 'node scripts/build.mjs --tests' first`);
  const run = await runExtensionHostTests({ extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: testsPath });
  assert.notEqual(run.exitCode, 'timeout', `the extension host never reported an exit code:\n${run.console}`);
  assert.ok(run.results.length > 0, `no extension-host test ran:\n${run.console}`);
  for (const result of run.results) {
    await t.test(result.title, () => {
      if (result.state === 'failed') assert.fail(result.error ?? 'failed');
    });
  }
  assert.equal(run.exitCode, 0, `extension host exited with ${run.exitCode}:\n${run.console}`);
});
