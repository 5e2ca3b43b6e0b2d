import fs from 'node:fs';
import path from 'node:path';

/**
 * The responses captured from a real Mesos 1.12 master and agent (test/fixtures/mesos-1.12, copied
 * byte for byte from the reference; see its README), read the way the tests need them.
 */
export const capturesDir = path.resolve(__dirname, '../../../fixtures/mesos-1.12');

export function readCapture(name: string): Buffer {
  return fs.readFileSync(path.join(capturesDir, name));
}

/** The `.recordio.txt` captures hold one JSON record per line (the RecordIO size lines were dropped). */
export function jsonLines(name: string): Buffer[] {
  return readCapture(name)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => Buffer.from(line, 'utf8'));
}

/**
 * Splits raw RecordIO bytes (`<decimal size>\n<size bytes>`, repeated). A few lines on purpose: the
 * real, streaming decoder lives in src/core/mesos/recordio and is tested there.
 */
export function recordIoRecords(bytes: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const newline = bytes.indexOf(0x0a, at);
    if (newline < 0) throw new Error(`RecordIO: no size line at byte ${at}`);
    const size = Number(bytes.subarray(at, newline).toString('ascii'));
    if (!Number.isSafeInteger(size) || size <= 0) throw new Error(`RecordIO: bad size at byte ${at}`);
    const end = newline + 1 + size;
    if (end > bytes.length) throw new Error(`RecordIO: record at byte ${at} is cut short`);
    records.push(bytes.subarray(newline + 1, end));
    at = end;
  }
  return records;
}

/**
 * What Mesos put in a JSON capture, read independently of the codec: integer literals of 16 or more
 * digits after a key are kept as strings (none of these captures has such a pattern inside a string),
 * and integers that fit a double are numbers again. The codec's result must equal this, less the keys
 * it documents dropping.
 */
export function referenceJson(bytes: Buffer): unknown {
  const exact = JSON.parse(bytes.toString('utf8').replace(/":(-?\d{16,})([,}\]])/g, '":"$1"$2'));
  return reviveSafeIntegers(exact);
}

function reviveSafeIntegers(value: unknown): unknown {
  if (typeof value === 'string' && /^-?\d{16,}$/.test(value)) {
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  }
  if (Array.isArray(value)) return value.map(reviveSafeIntegers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, reviveSafeIntegers(item)]));
  }
  return value;
}

/**
 * Removes from a reference object what the codec drops on purpose: empty arrays (Mesos omits them in
 * its protobuf-to-JSON conversion, and the protobuf decoder cannot see them) and the keys listed by
 * path (e.g. `agent_info.checkpoint`, a v0 field the v1 AgentInfo does not have).
 */
export function withoutDropped(value: unknown, droppedPaths: readonly string[], at = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutDropped(item, droppedPaths, at));
  if (value !== null && typeof value === 'object') {
    const kept: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      const here = at === '' ? key : `${at}.${key}`;
      if (Array.isArray(item) && item.length === 0) continue;
      if (droppedPaths.some((dropped) => here.endsWith(dropped))) continue;
      kept.push([key, withoutDropped(item, droppedPaths, here)]);
    }
    return Object.fromEntries(kept);
  }
  return value;
}
