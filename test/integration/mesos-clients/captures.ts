import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordIODecoder } from '../../../src/core/mesos/recordio/recordIoDecoder';

/** The responses a real Mesos 1.12 master gave (copied from the shared reference into test/fixtures). */
export const CAPTURES = join(__dirname, '..', '..', 'fixtures', 'mesos-1.12');

export function capture(name: string): Buffer {
  return readFileSync(join(CAPTURES, name));
}

/** A `*.recordio.txt` capture: one JSON record per line, as the README describes (no size prefixes). */
export function jsonRecords(name: string): Buffer[] {
  return capture(name)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => Buffer.from(line, 'utf8'));
}

/** A raw RecordIO capture, split into its records. */
export function recordIoRecords(name: string): Uint8Array[] {
  const decoder = new RecordIODecoder();
  const records = decoder.push(capture(name));
  decoder.finish();
  return records;
}
