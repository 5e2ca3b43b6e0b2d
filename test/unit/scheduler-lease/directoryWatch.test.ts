import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { watchDirectory } from '../../../src/core/scheduler/lease/directoryWatch';
import { until } from '../../support/until';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'watch-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('watchDirectory', () => {
  it('reports a new file through fs.watch without waiting for the poll', async () => {
    let calls = 0;
    const watch = watchDirectory(dir, () => calls++, { pollMs: 3_600_000 });
    try {
      await writeFile(join(dir, 'request.json'), '{}');
      await until(() => calls > 0, 'a change report');
    } finally {
      watch.close();
    }
  });

  it('polls even when fs.watch reports nothing (network file systems), and stops when closed', async () => {
    let calls = 0;
    const watch = watchDirectory(dir, () => calls++, { pollMs: 10 });
    await until(() => calls >= 3, 'three polls');
    watch.close();
    const after = calls;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(calls, after);
  });

  it('falls back to polling when the directory cannot be watched', async () => {
    let calls = 0;
    const watch = watchDirectory(join(dir, 'missing'), () => calls++, { pollMs: 10 });
    await until(() => calls >= 2, 'polls');
    watch.close();
  });
});
