// Entry point the extension host loads (extensionTestsPath): runs every *.test.js beside it with mocha
// and writes a JSON summary where the harness asked (MESOS_OPS_TEST_RESULTS).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000 });
  // MESOS_OPS_EXTHOST_GREP runs only the suites whose titles match (for working on one suite)
  const grep = process.env.MESOS_OPS_EXTHOST_GREP;
  if (grep) mocha.grep(grep);
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  const results: { title: string; state: 'passed' | 'failed'; error?: string }[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.MESOS_OPS_TEST_RESULTS;
      if (out) writeFileSync(out, JSON.stringify({ failures, results }, null, 2));
      if (failures) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, err: unknown) =>
      results.push({ title: t.fullTitle(), state: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
  });
}
