import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SandboxFileEntry } from '../../../src/core/mesos/files/sandboxFileEntry';
import { formatByteSize, formatModified, listingRows } from '../../../src/ui/sandboxFiles/sandboxListing';

function entry(name: string, isDirectory: boolean, size: number, mtime: number): SandboxFileEntry {
  return {
    path: `/sandbox/${name}`,
    name,
    isDirectory,
    size,
    mtime,
    mode: isDirectory ? 'drwxr-xr-x' : '-rw-r--r--',
    nlink: 1,
    uid: 'root',
    gid: 'root',
  };
}

test('byte sizes read in binary units, one decimal below 10', () => {
  assert.equal(formatByteSize(0), '0 B');
  assert.equal(formatByteSize(1023), '1023 B');
  assert.equal(formatByteSize(1024), '1 KiB');
  assert.equal(formatByteSize(1536), '1.5 KiB');
  assert.equal(formatByteSize(12 * 1024 + 300), '12 KiB');
  assert.equal(formatByteSize(1024 * 1024 - 1), '1 MiB');
  assert.equal(formatByteSize(50 * 1024 * 1024), '50 MiB');
  assert.equal(formatByteSize(3.25 * 1024 ** 3), '3.3 GiB');
  assert.equal(formatByteSize(2 * 1024 ** 5), '2048 TiB');
  assert.equal(formatByteSize(Number.NaN), '0 B');
});

test('a modification time reads as local date and minute; none reads as nothing', () => {
  const at = new Date(2024, 4, 1, 9, 5, 59).getTime() / 1000;
  assert.equal(formatModified(at), '2024-05-01 09:05');
  assert.equal(formatModified(0), '');
});

test('rows: .. unless at the sandbox itself, then directories, then files, each by name, sizes only on files', () => {
  const at = new Date(2024, 0, 2, 3, 4).getTime() / 1000;
  const entries = [
    entry('stdout', false, 2048, at),
    entry('logs', true, 4096, at),
    entry('a.txt', false, 10, 0),
    entry('cache', true, 4096, 0),
  ];
  const rows = listingRows(entries, { atRoot: false });
  assert.deepEqual(
    rows.map((r) => [r.kind, r.name, r.label, r.description]),
    [
      ['parent', '..', '$(arrow-up) ..', 'up one directory'],
      ['directory', 'cache', '$(folder) cache', ''],
      ['directory', 'logs', '$(folder) logs', '2024-01-02 03:04'],
      ['file', 'a.txt', '$(file) a.txt', '10 B'],
      ['file', 'stdout', '$(file) stdout', '2 KiB · 2024-01-02 03:04'],
    ],
  );
  assert.equal(listingRows(entries, { atRoot: true })[0]?.kind, 'directory');
  assert.deepEqual(listingRows([], { atRoot: true }), []);
});
