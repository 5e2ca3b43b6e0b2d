import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileModeString } from '../../../../src/core/mesos/files/fileModeString';
import {
  fileEntryFromBrowse,
  fileEntryFromFileInfo,
  FileEntryShapeError,
} from '../../../../src/core/mesos/files/sandboxFileEntry';

test('file modes read as ls -l writes them', () => {
  assert.equal(fileModeString(0o100644), '-rw-r--r--');
  assert.equal(fileModeString(0o040755), 'drwxr-xr-x');
  assert.equal(fileModeString(0o120777), 'lrwxrwxrwx');
  assert.equal(fileModeString(0o104755), '-rwsr-xr-x');
  assert.equal(fileModeString(0o102644), '-rw-r-Sr--');
  assert.equal(fileModeString(0o041777), 'drwxrwxrwt');
  assert.equal(fileModeString(0o041776), 'drwxrwxrwT');
  assert.equal(fileModeString(0o010600), 'prw-------');
  assert.equal(fileModeString(0o140700), 'srwx------');
});

test('the captured /files/browse listing reads into entries', () => {
  const listing = JSON.parse(
    readFileSync(join(__dirname, '../../../fixtures/mesos-1.12/agent-files-browse.json'), 'utf8'),
  ) as unknown[];
  const entries = listing.map(fileEntryFromBrowse);
  assert.deepEqual(
    entries.map((e) => [e.name, e.size, e.isDirectory, e.mode, e.uid, e.gid, e.mtime, e.nlink]),
    [
      ['stderr', 531, false, '-rw-r--r--', 'root', 'root', 1795566364, 1],
      ['stdout', 13, false, '-rw-r--r--', 'root', 'root', 1795566364, 1],
    ],
  );
  assert.match(entries[1]!.path, /\/runs\/70bbd3e4-cb8d-45b9-b440-473b1131a99c\/stdout$/);
});

test('a v1 FileInfo reads into the same entry, mtime from nanoseconds', () => {
  const entry = fileEntryFromFileInfo({
    path: '/frameworks/f/executors/e/runs/latest/logs',
    nlink: 2,
    size: 4096,
    mtime: { nanoseconds: '1795566364000000000' },
    mode: 0o040755,
    uid: 'mesos',
    gid: 'mesos',
  });
  assert.deepEqual(entry, {
    path: '/frameworks/f/executors/e/runs/latest/logs',
    name: 'logs',
    isDirectory: true,
    size: 4096,
    mtime: 1795566364,
    mode: 'drwxr-xr-x',
    nlink: 2,
    uid: 'mesos',
    gid: 'mesos',
  });
});

test('a listing entry without a path is refused', () => {
  assert.throws(() => fileEntryFromBrowse({ size: 1 }), FileEntryShapeError);
  assert.throws(() => fileEntryFromBrowse('stdout'), FileEntryShapeError);
  assert.throws(() => fileEntryFromBrowse(null), FileEntryShapeError);
});
