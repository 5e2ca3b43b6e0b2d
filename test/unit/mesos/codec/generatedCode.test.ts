import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';

const repoRoot = path.resolve(__dirname, '../../../..');
const committedDir = path.join(repoRoot, 'src/core/mesos/proto/generated');

describe('generated protobuf code', () => {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesos-genproto-test-'));
  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('is up to date with the .proto files (run `npm run proto` after editing them)', async () => {
    await promisify(execFile)(process.execPath, [path.join(repoRoot, 'scripts/genProto.mjs'), '--out', outDir], {
      cwd: repoRoot,
      timeout: 120_000,
    });
    const regenerated = fs.readdirSync(outDir).sort();
    assert.deepEqual(regenerated, ['mesos.d.ts', 'mesos.js', 'wireSchema.ts', 'wireTypes.ts']);
    assert.deepEqual(
      fs.readdirSync(committedDir).sort(),
      regenerated,
      'the committed folder holds exactly the generated files',
    );
    for (const name of regenerated) {
      const fresh = fs.readFileSync(path.join(outDir, name), 'utf8');
      const committed = fs.readFileSync(path.join(committedDir, name), 'utf8');
      assert.ok(fresh === committed, `${name} is stale: run \`npm run proto\` and commit the result`);
    }
  });
});
