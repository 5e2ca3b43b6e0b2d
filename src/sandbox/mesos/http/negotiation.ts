import type { IncomingMessage } from 'node:http';
import { MEDIA_TYPE, type WireEncoding } from '../../../core/mesos/codec/wireEncoding';

/**
 * The content negotiation of Mesos's v1 endpoints, rule for rule (reference §1.2): POST only, a
 * Content-Type compared by exact string equality, Accept preferring JSON, then protobuf, with a missing
 * header or `*\/*` meaning JSON. Failures carry the status and text the real master answers with.
 */
export class NegotiationError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'NegotiationError';
  }
}

export function requestEncoding(req: IncomingMessage): WireEncoding {
  if (req.method !== 'POST') throw new NegotiationError(405, `Expecting one of { 'POST' }, but received '${req.method}'`, { Allow: 'POST' });
  const contentType = req.headers['content-type'];
  if (contentType === undefined) throw new NegotiationError(400, 'Expecting \'Content-Type\' to be present');
  if (contentType === MEDIA_TYPE.json) return 'json';
  if (contentType === MEDIA_TYPE.protobuf) return 'protobuf';
  throw new NegotiationError(415, `Expecting 'Content-Type' of ${MEDIA_TYPE.json} or ${MEDIA_TYPE.protobuf}`);
}

/** The response encoding from Accept; `fallback` is what a missing header means (JSON for Mesos). */
export function responseEncoding(req: IncomingMessage): WireEncoding {
  const accept = req.headers.accept;
  if (accept === undefined) return 'json';
  const types = accept.split(',').map((t) => t.split(';', 1)[0]!.trim().toLowerCase());
  if (types.includes(MEDIA_TYPE.json) || types.includes('*/*') || types.includes('application/*')) return 'json';
  if (types.includes(MEDIA_TYPE.protobuf)) return 'protobuf';
  throw new NegotiationError(406, `Expecting 'Accept' to allow '${MEDIA_TYPE.protobuf}' or '${MEDIA_TYPE.json}'`);
}

/** Reads a request body, refusing bodies over `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new NegotiationError(413, `Request body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
