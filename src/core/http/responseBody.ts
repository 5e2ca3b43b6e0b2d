import { type BodySource, discardBody } from './responseStream';

/** Reads a whole body, failing once it passes `limit` bytes (the caller turns that into BodyTooLargeError). */
export async function readBoundedBody(
  source: BodySource,
  limit: number,
): Promise<{ bytes: Uint8Array } | { tooLarge: true }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limit) {
      discardBody(source);
      return { tooLarge: true };
    }
    chunks.push(chunk);
  }
  if (chunks.length === 1) return { bytes: chunks[0] as Uint8Array };
  return { bytes: Buffer.concat(chunks, total) };
}

/**
 * The first `limit` bytes of a body, for error reasons and content sniffing; the rest is dropped with the
 * connection. Never throws: a broken error body still leaves the status to report.
 */
export async function readBodyPrefix(source: BodySource, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of source) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= limit) break;
    }
  } catch {
    // What arrived before the failure is still worth showing.
  } finally {
    discardBody(source);
  }
  return Buffer.concat(chunks, total).subarray(0, limit);
}
