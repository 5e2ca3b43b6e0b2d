/**
 * Bytes as a JSON string the way a Mesos agent writes `/files/read` data (RapidJSON without encoding
 * validation): `"`, `\` and control characters escaped, every other byte copied as it is. So the body
 * carries the file's exact bytes even when they are not UTF-8, as a real agent's does.
 */
export function rawJsonString(bytes: Uint8Array): Buffer {
  let size = 2;
  for (const byte of bytes) size += escapedLength(byte);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  out[at++] = 0x22;
  for (const byte of bytes) {
    const short = SHORT_ESCAPES.get(byte);
    if (short !== undefined) {
      out[at++] = 0x5c;
      out[at++] = short;
    } else if (byte < 0x20) {
      at += out.write(`\\u00${HEX[byte >> 4]}${HEX[byte & 0xf]}`, at, 'latin1');
    } else {
      out[at++] = byte;
    }
  }
  out[at++] = 0x22;
  return out;
}

const HEX = '0123456789ABCDEF';

const SHORT_ESCAPES: ReadonlyMap<number, number> = new Map([
  [0x22, 0x22], // "
  [0x5c, 0x5c], // \
  [0x08, 0x62], // b
  [0x0c, 0x66], // f
  [0x0a, 0x6e], // n
  [0x0d, 0x72], // r
  [0x09, 0x74], // t
]);

function escapedLength(byte: number): number {
  if (SHORT_ESCAPES.has(byte)) return 2;
  return byte < 0x20 ? 6 : 1;
}
