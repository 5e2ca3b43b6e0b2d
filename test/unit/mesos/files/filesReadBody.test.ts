import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FilesReadBodyError, parseFilesReadBody } from '../../../../src/core/mesos/files/filesReadBody';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../fixtures/mesos-1.12', name));
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

test('reads the captured /files/read bodies of a real agent', () => {
  const read = parseFilesReadBody(fixture('agent-files-read.json'));
  assert.equal(read.offset, 0);
  assert.equal(Buffer.from(read.data).toString('utf8'), 'long-running\n');
  for (const name of ['agent-files-read-size.json', 'agent-files-read-nooffset.json']) {
    const size = parseFilesReadBody(fixture(name));
    assert.equal(size.offset, 13, name);
    assert.equal(size.data.length, 0, name);
  }
});

test('raw bytes that are not UTF-8 come back exactly, not as U+FFFD', () => {
  // A lone continuation byte, a cut 3-byte sequence and 0xFF, as a binary file or a read boundary gives.
  const body = bytes('{"data":"a', [0x80, 0xe2, 0x82, 0xff], 'z","offset":7}');
  const read = parseFilesReadBody(body);
  assert.deepEqual([...read.data], [0x61, 0x80, 0xe2, 0x82, 0xff, 0x7a]);
  assert.equal(read.offset, 7);
  // What decoding the body as text first would have done: the bytes are lost.
  const viaText = Buffer.from(JSON.parse(body.toString('utf8')).data as string, 'utf8');
  assert.notDeepEqual([...viaText], [...read.data]);
});

test('valid UTF-8 passes through byte for byte', () => {
  const text = 'grün ✓ 𝄞 日本';
  const read = parseFilesReadBody(Buffer.from(JSON.stringify({ data: text, offset: 3 })));
  assert.equal(Buffer.from(read.data).toString('utf8'), text);
});

test('escapes decode to their bytes; \\u escapes to the UTF-8 of the code point', () => {
  const read = parseFilesReadBody(
    Buffer.from('{"offset":0,"data":"q\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u0000\\u001F\\u00e9\\u20AC\\ud834\\udd1e"}'),
  );
  const expected = Buffer.concat([Buffer.from('q"b\\s/\b\f\n\r\t\u0000\u001f', 'latin1'), Buffer.from('é€𝄞', 'utf8')]);
  assert.deepEqual(Buffer.from(read.data), expected);
});

test('a lone surrogate escape becomes U+FFFD and the next escape still decodes', () => {
  const read = parseFilesReadBody(Buffer.from('{"data":"\\ud800\\u0041","offset":0}'));
  assert.deepEqual([...read.data], [0xef, 0xbf, 0xbd, 0x41]);
});

test('key order, whitespace, a BOM and keys it does not use do not matter', () => {
  const body = bytes(
    [0xef, 0xbb, 0xbf],
    ' {\n "extra": {"a": [1, "x\\"}", {"b": null}], "c": true},\n "offset" : 42 ,\n "data" : "hi" \n}\n',
  );
  const read = parseFilesReadBody(body);
  assert.equal(read.offset, 42);
  assert.equal(Buffer.from(read.data).toString(), 'hi');
});

test('a body that is not the read object is refused with what was wrong', () => {
  const cases: [string, RegExp][] = [
    ['', /does not start with a JSON object/],
    ['Failed to open file', /does not start with a JSON object/],
    ['{"data":"abc","offset":1', /not closed/],
    ['{"data":"abc', /not closed/],
    ['{"offset":1}', /no "data"/],
    ['{"data":""}', /no "offset"/],
    ['{"data":5,"offset":1}', /"data" is not a string/],
    ['{"data":"","offset":-3}', /not a byte position/],
    ['{"data":"","offset":1.5}', /not a byte position/],
    ['{"data":"\\q","offset":1}', /unknown escape/],
    ['{"data":"\\u12G4","offset":1}', /non-hex/],
    ['{"data":"","offset":1} trailing', /after the object/],
  ];
  for (const [body, pattern] of cases) {
    assert.throws(
      () => parseFilesReadBody(Buffer.from(body)),
      (err: unknown) => err instanceof FilesReadBodyError && pattern.test(err.message),
      body,
    );
  }
});
