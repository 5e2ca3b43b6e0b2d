import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { installVsix } from '../harness/installVsix';
import { REPO_ROOT } from '../harness/paths';
import { openUiSession } from '../harness/uiSession';
import { openViewContainer, runCommand, screenshot, waitOutput } from '../harness/workbench';

// `npm run package` must give a .vsix that a real VS Code installs and activates: this is what users get.
test('npm run package makes a .vsix that code-server installs and that activates', { timeout: 240_000 }, async () => {
  const vsix = join(REPO_ROOT, 'dist', 'mesos-ops.vsix');
  await promisify(execFile)('npm', ['run', '-s', 'package'], { cwd: REPO_ROOT, timeout: 180_000 });
  assert.ok(existsSync(vsix), 'npm run package did not write dist/mesos-ops.vsix');

  const { extensionsDir, output, remove } = await installVsix(vsix);
  assert.match(output, /was successfully installed/);
  const installed = readdirSync(extensionsDir).filter((d) => statSync(join(extensionsDir, d)).isDirectory());
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  assert.deepEqual(installed, [`${pkg.publisher}.${pkg.name}-${pkg.version}`]);
  // only what runs ships: bundles, media, manifest and docs; no sources, tests or node_modules
  const root = join(extensionsDir, installed[0]!);
  assert.ok(existsSync(join(root, 'dist', 'extension.js')));
  for (const absent of ['src', 'test', 'node_modules', 'tsconfig.json']) {
    assert.equal(existsSync(join(root, absent)), false, `${absent} should not be in the .vsix`);
  }

  const session = await openUiSession({ extensionsDir });
  let failed: string | undefined = 'vsix';
  try {
    await openViewContainer(session.page, 'Mesos');
    await runCommand(session.page, 'Mesos: Show Log');
    await waitOutput(session.page, /Mesos Ops \d+\.\d+\.\d+ activated/);
    await screenshot(session.page, 'vsix-installed-activated');
    failed = undefined;
  } finally {
    await session.close(failed);
    remove();
  }
});
