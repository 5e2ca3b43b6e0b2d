#!/usr/bin/env node
// `npm test`: every check, in the order that fails fastest. Stages:
//   static       typecheck and lint
//   build        the bundles and the extension-host test suite
//   fast         unit and integration tests (Node's test runner, files in parallel)
//   vscode       tests inside a real VS Code extension host and UI tests in a real browser (one at a time:
//                each starts a code-server and a Chromium, and this machine has two cores)
// `node scripts/test.mjs fast` (or any list of stage names, or file paths) runs just those.
// Ends with one line "N passed, N failed" over every test that ran.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const requested = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };

function findTests(dir, suffix) {
  let out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(findTests(path, suffix));
    else if (name.endsWith(suffix)) out.push(relative(root, path));
  }
  return out;
}

function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

// Runs files under Node's test runner with the spec reporter on the terminal and a JSON-lines count
// reporter into a file, so the final summary adds up every stage.
async function nodeTests(label, files, concurrency) {
  if (files.length === 0) {
    console.log(`\n== ${label}: no test files`);
    return 0;
  }
  mkdirSync(join(root, 'out'), { recursive: true });
  const counts = join(root, 'out', `test-counts-${label}.json`);
  rmSync(counts, { force: true });
  console.log(`\n== ${label}: ${files.length} file(s)`);
  const code = await run(process.execPath, [
    '--import', 'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/countReporter.mjs', `--test-reporter-destination=${counts}`,
    ...files,
  ]);
  try {
    const c = JSON.parse(readFileSync(counts, 'utf8'));
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
    if (code !== 0 && c.failed === 0) totals.failed += 1; // a file that crashed before its tests ran
  } catch {
    totals.failed += 1;
  }
  return code;
}

const stages = {
  static: async () => {
    console.log('\n== typecheck');
    const tsc = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']);
    console.log('\n== lint');
    const lint = await run(process.execPath, ['node_modules/eslint/bin/eslint.js', '.', '--max-warnings=0']);
    if (tsc || lint) totals.failed += (tsc ? 1 : 0) + (lint ? 1 : 0);
    return tsc || lint;
  },
  build: async () => {
    console.log('\n== build');
    const code = await run(process.execPath, ['scripts/build.mjs', '--tests']);
    if (code) totals.failed += 1;
    return code;
  },
  fast: () => nodeTests('fast', [...findTests('test/unit', '.test.ts'), ...findTests('test/integration', '.test.ts')], 2),
  vscode: () => nodeTests('vscode', findTests('test/e2e', '.test.ts'), 1),
};

let failed = 0;
const files = requested.filter((r) => !(r in stages));
const stageNames = requested.filter((r) => r in stages);
if (files.length) {
  failed |= await nodeTests('selected', files, 2);
} else {
  for (const name of stageNames.length ? stageNames : Object.keys(stages)) {
    const code = await stages[name]();
    failed |= code;
    // without a build the later stages can only fail for that reason: stop here
    if (code && (name === 'static' || name === 'build') && stageNames.length === 0) break;
  }
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exitCode = failed ? 1 : 0;
