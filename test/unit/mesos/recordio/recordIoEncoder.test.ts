import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRecord, encodeRecords } from '../../../../src/core/mesos/recordio/recordIoEncoder';
import { RecordIOError } from '../../../../src/core/mesos/recordio/recordIoError';

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

test('encodeRecord writes the byte length, a line feed, then the bytes', () => {
  assert.equal(latin1(encodeRecord(Buffer.from('{"type":"HEARTBEAT"}'))), '20\n{"type":"HEARTBEAT"}');
});

test('a string is framed by its UTF-8 byte count, not its character count', () => {
  const framed = encodeRecord('é');
  assert.deepEqual(Array.from(framed), [0x32, 0x0a, 0xc3, 0xa9]);
});

test('encodeRecords concatenates framed records with nothing between them', () => {
  assert.equal(latin1(encodeRecords(['ab', Uint8Array.of(0x0a), 'cde'])), '2\nab1\n\n3\ncde');
  assert.equal(encodeRecords([]).length, 0);
});

test('an empty record cannot be framed', () => {
  assert.throws(
    () => encodeRecord(new Uint8Array(0)),
    (err) => err instanceof RecordIOError && err.kind === 'zero-size',
  );
  assert.throws(() => encodeRecords(['a', '']), RecordIOError);
});
