import { RecordIOError } from './recordIoError';

/**
 * RecordIO framing for what we send or serve: the sandbox master's streams and test fixtures.
 * Strings are framed as their UTF-8 bytes, since the size counts bytes, not characters.
 */
export function encodeRecord(record: Uint8Array | string): Uint8Array {
  const data = typeof record === 'string' ? Buffer.from(record, 'utf8') : record;
  const header = sizeLine(data.length);
  const framed = Buffer.allocUnsafe(header.length + data.length);
  framed.set(header, 0);
  framed.set(data, header.length);
  return framed;
}

/** Frames several records into one contiguous buffer (one allocation). */
export function encodeRecords(records: Iterable<Uint8Array | string>): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const record of records) {
    const data = typeof record === 'string' ? Buffer.from(record, 'utf8') : record;
    const header = sizeLine(data.length);
    parts.push(header, data);
    total += header.length + data.length;
  }
  const framed = Buffer.allocUnsafe(total);
  let at = 0;
  for (const part of parts) {
    framed.set(part, at);
    at += part.length;
  }
  return framed;
}

function sizeLine(size: number): Uint8Array {
  if (size === 0) {
    // Mesos never sends an empty record and our decoder rejects one, so refuse to produce it.
    throw new RecordIOError('zero-size', 'Cannot frame an empty record: RecordIO records hold at least 1 byte.', {
      offset: 0,
      announcedSize: '0',
    });
  }
  return Buffer.from(`${size}\n`, 'latin1');
}
