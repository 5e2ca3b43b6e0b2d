import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  decodeRecordIO,
  DEFAULT_MAX_RECORD_BYTES,
  RecordIODecoder,
} from '../../../../src/core/mesos/recordio/recordIoDecoder';
import { encodeRecord, encodeRecords } from '../../../../src/core/mesos/recordio/recordIoEncoder';
import { RecordIOError } from '../../../../src/core/mesos/recordio/recordIoError';
import { seededRandom, type SeededRandom } from '../../../support/seededRandom';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'mesos-1.12');
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const ascii = (s: string) => Buffer.from(s, 'latin1');

function decodeAll(chunks: Uint8Array[], maxRecordBytes?: number): Uint8Array[] {
  const decoder = new RecordIODecoder({ maxRecordBytes });
  const out: Uint8Array[] = [];
  for (const chunk of chunks) out.push(...decoder.push(chunk));
  decoder.finish();
  return out;
}

function splitAt(bytes: Uint8Array, random: SeededRandom, mode: 'single' | 'small' | 'large'): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const size = mode === 'single' ? 1 : mode === 'small' ? random.int(1, 7) : random.int(1, 4096);
    // Copy each chunk so nothing can pass by sharing the encoder's buffer.
    chunks.push(Uint8Array.from(bytes.subarray(pos, pos + size)));
    pos += size;
  }
  return chunks;
}

function randomRecord(random: SeededRandom): Uint8Array {
  const roll = random.next();
  // Mostly small records, some around the 64 KiB HTTP chunk size, and payloads full of digits and line
  // feeds, which a decoder that looks for LF in the wrong place would split on.
  const length = roll < 0.7 ? random.int(1, 300) : roll < 0.95 ? random.int(301, 5000) : random.int(60_000, 70_000);
  const record = random.bytes(length);
  if (random.next() < 0.3)
    for (let i = 0; i < length; i += random.int(1, 5)) record[i] = random.next() < 0.5 ? 0x0a : 0x35;
  return record;
}

function rejectsWith(fn: () => unknown, kind: RecordIOError['kind'], message: RegExp): RecordIOError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof RecordIOError, `expected a RecordIOError, got ${String(caught)}`);
  assert.equal(caught.kind, kind);
  assert.match(caught.message, message);
  return caught;
}

async function* chunksOf(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

test('decodes the reference example: two 20-byte HEARTBEAT records back to back', () => {
  const records = decodeAll([ascii('20\n{"type":"HEARTBEAT"}20\n{"type":"HEARTBEAT"}')]);
  assert.deepEqual(records.map(text), ['{"type":"HEARTBEAT"}', '{"type":"HEARTBEAT"}']);
});

test('random records survive random chunkings, down to 1-byte chunks (seeded)', () => {
  for (let seed = 1; seed <= 150; seed++) {
    const random = seededRandom(seed);
    const records = Array.from({ length: random.int(0, 25) }, () => randomRecord(random));
    const wire = encodeRecords(records);
    for (const mode of ['single', 'small', 'large'] as const) {
      if (mode === 'single' && wire.length > 20_000) continue; // 1-byte chunks of 70 KiB records: slow, no new case
      const decoded = decodeAll(splitAt(wire, random, mode));
      assert.equal(decoded.length, records.length, `seed ${seed}, ${mode} chunks: record count`);
      decoded.forEach((record, i) =>
        assert.ok(Buffer.from(record).equals(Buffer.from(records[i]!)), `seed ${seed}, ${mode} chunks: record ${i}`),
      );
    }
  }
});

test('many records in one chunk come back as zero-copy views of that chunk', () => {
  const payloads = Array.from({ length: 1000 }, (_, i) => `{"type":"UPDATE","n":${i}}`);
  const chunk = encodeRecords(payloads);
  const decoder = new RecordIODecoder();
  const records = decoder.push(chunk);
  assert.deepEqual(records.map(text), payloads);
  for (const record of records) assert.equal(record.buffer, chunk.buffer);
  assert.equal(decoder.bufferedBytes, 0);
});

test('a record split across chunks is assembled once and the decoder holds nothing afterwards', () => {
  const wire = encodeRecord('{"type":"OFFERS","offers":{}}');
  const decoder = new RecordIODecoder();
  assert.deepEqual(decoder.push(wire.subarray(0, 10)), []);
  assert.equal(decoder.bufferedBytes, 7); // "29\n" is the size line; 7 data bytes held
  const [record] = decoder.push(wire.subarray(10));
  assert.equal(text(record!), '{"type":"OFFERS","offers":{}}');
  assert.equal(decoder.bufferedBytes, 0);
});

test('the real Mesos 1.12 protobuf SUBSCRIBE stream decodes whole and byte by byte, and re-encodes identically', () => {
  const wire = readFileSync(join(FIXTURES, 'scheduler-subscribe-protobuf.recordio'));
  const whole = decodeAll([wire]);
  const byteByByte = decodeAll(Array.from(wire, (b) => Uint8Array.of(b)));
  // SUBSCRIBED, HEARTBEAT, OFFERS, UPDATE x3, OFFERS (the capture's README).
  assert.equal(whole.length, 7);
  assert.deepEqual(
    byteByByte.map((r) => Buffer.from(r)),
    whole.map((r) => Buffer.from(r)),
  );
  // Field 1 (type) varint: SUBSCRIBED = 1, HEARTBEAT = 8 in mesos.v1.scheduler.Event.Type.
  assert.deepEqual(Array.from(whole[0]!.subarray(0, 2)), [0x08, 0x01]);
  assert.deepEqual(Array.from(whole[1]!.subarray(0, 2)), [0x08, 0x08]);
  assert.ok(Buffer.from(encodeRecords(whole)).equals(wire));
});

test('a non-numeric size line is rejected with the offending byte and offset', () => {
  const valid = encodeRecord('{"type":"HEARTBEAT"}'); // 23 bytes on the wire
  const decoder = new RecordIODecoder();
  const err = rejectsWith(
    () => decoder.push(Buffer.concat([valid, ascii('1x\n')])),
    'invalid-size',
    /found the byte 'x' \(0x78\).* at byte 24/,
  );
  assert.equal(err.offset, 24);
});

test('plain JSON and HTML bodies get a hint about what they look like', () => {
  rejectsWith(
    () => new RecordIODecoder().push(ascii('{"type":"SUBSCRIBED"}')),
    'invalid-size',
    /looks like plain JSON/,
  );
  rejectsWith(() => new RecordIODecoder().push(ascii('<!DOCTYPE html>')), 'invalid-size', /looks like HTML/);
});

test('negative, empty and zero sizes are rejected', () => {
  rejectsWith(() => new RecordIODecoder().push(ascii('-5\nhello')), 'invalid-size', /a negative size/);
  rejectsWith(() => new RecordIODecoder().push(ascii('\nhello')), 'invalid-size', /an empty size line/);
  rejectsWith(() => new RecordIODecoder().push(ascii('0\n')), 'zero-size', /record of 0 bytes/);
  rejectsWith(() => new RecordIODecoder().push(ascii('00\n')), 'zero-size', /record of 0 bytes/);
});

test('a size line with more than 20 digits and no line feed is rejected, even when split across chunks', () => {
  const decoder = new RecordIODecoder();
  assert.deepEqual(decoder.push(ascii('1234567890')), []);
  assert.deepEqual(decoder.push(ascii('1234567890')), []);
  rejectsWith(() => decoder.push(ascii('1')), 'size-line-too-long', /more than 20 digits without a line feed/);
});

test('an absurd 20-digit size is reported exactly, with the limit', () => {
  const err = rejectsWith(
    () => new RecordIODecoder().push(ascii('99999999999999999999\n')),
    'record-too-large',
    /announced a record of 99999999999999999999 bytes .* over the limit of 67108864 bytes/,
  );
  assert.equal(err.announcedSize, '99999999999999999999');
  assert.equal(err.limit, DEFAULT_MAX_RECORD_BYTES);
});

test('the maximum record size is a constructor option; a record of exactly that size passes', () => {
  assert.equal(decodeAll([encodeRecord(new Uint8Array(100).fill(7))], 100)[0]!.length, 100);
  const err = rejectsWith(
    () => new RecordIODecoder({ maxRecordBytes: 100 }).push(ascii('101\n')),
    'record-too-large',
    /record of 101 bytes .* over the limit of 100 bytes.*raise maxRecordBytes/,
  );
  assert.equal(err.announcedSize, '101');
  assert.throws(() => new RecordIODecoder({ maxRecordBytes: 0 }), RangeError);
});

test('after an error the decoder stays failed instead of resynchronising on garbage', () => {
  const decoder = new RecordIODecoder();
  const first = rejectsWith(() => decoder.push(ascii('x')), 'invalid-size', /'x'/);
  assert.throws(
    () => decoder.push(encodeRecord('{"type":"HEARTBEAT"}')),
    (err) => err === first,
  );
  assert.throws(
    () => decoder.finish(),
    (err) => err === first,
  );
});

test('decodeRecordIO yields records from an async source', async () => {
  const wire = encodeRecords(['{"type":"SUBSCRIBED"}', '{"type":"HEARTBEAT"}']);
  const records: string[] = [];
  for await (const record of decodeRecordIO(chunksOf([wire.subarray(0, 5), wire.subarray(5, 30), wire.subarray(30)]))) {
    records.push(text(record));
  }
  assert.deepEqual(records, ['{"type":"SUBSCRIBED"}', '{"type":"HEARTBEAT"}']);
});

test('a stream cut mid-record fails with the number of missing bytes, after yielding the complete records', async () => {
  const wire = encodeRecords(['{"type":"HEARTBEAT"}', '{"type":"OFFERS","offers":{"offers":[]}}']);
  const cut = wire.subarray(0, wire.length - 11);
  const records: string[] = [];
  await assert.rejects(
    async () => {
      for await (const record of decodeRecordIO(chunksOf([cut]))) records.push(text(record));
    },
    (err: unknown) => {
      assert.ok(err instanceof RecordIOError);
      assert.equal(err.kind, 'truncated');
      assert.equal(err.missingBytes, 11);
      assert.match(err.message, /11 of its 40 bytes never arrived/);
      return true;
    },
  );
  assert.deepEqual(records, ['{"type":"HEARTBEAT"}']);
});

test('a stream cut inside a size line is truncated too', async () => {
  await assert.rejects(
    async () => {
      for await (const _ of decodeRecordIO(chunksOf([ascii('20\n{"type":"HEARTBEAT"}2')]))) void _;
    },
    (err: unknown) => err instanceof RecordIOError && err.kind === 'truncated' && /size line/.test(err.message),
  );
});

test('leaving the loop early closes the source', async () => {
  let closed = false;
  async function* source(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) yield encodeRecord('{"type":"HEARTBEAT"}');
    } finally {
      closed = true;
    }
  }
  for await (const _ of decodeRecordIO(source())) break;
  assert.equal(closed, true);
});
