/** The bytes as a Node Buffer (for its native UTF-8 and Base64), without copying; a Buffer as it is. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
