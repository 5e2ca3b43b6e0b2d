import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileModeString } from '../../../core/mesos/files/fileModeString';
import { sendText } from '../master/sendText';
import { mimeTypeOf } from './mimeTypeOf';
import { rawJsonString } from './rawJsonString';
import type { FilesFailure, SandboxFiles } from './sandboxFiles';

/** A JSON body, wrapped for `jsonp=<fn>` as libprocess does. */
export function sendJsonBytes(res: ServerResponse, json: Uint8Array, jsonp: string | null): void {
  const body = jsonp ? Buffer.concat([Buffer.from(`${jsonp}(`), json, Buffer.from(');')]) : Buffer.from(json);
  res.writeHead(200, {
    'Content-Type': jsonp ? 'text/javascript' : 'application/json',
    'Content-Length': String(body.length),
  });
  res.end(body);
}

export function sendJsonValue(res: ServerResponse, value: unknown, jsonp: string | null): void {
  sendJsonBytes(res, Buffer.from(JSON.stringify(value)), jsonp);
}

function sendFailure(res: ServerResponse, failure: FilesFailure | { status: 403; message: string }): void {
  sendText(res, failure.status, failure.message);
}

// stout's numify<off_t>: a whole decimal number, or a failure the agent reports in these words.
function parseInteger(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text.trim())) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * `/files/browse`, `/files/read`, `/files/download` and `/files/debug` (reference §7.5), with the
 * agent's status codes and texts (Apache Mesos, src/files/files.cpp).
 */
export async function handleFilesRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  files: SandboxFiles,
  mayRead: (path: string) => boolean,
): Promise<boolean> {
  const route = url.pathname.replace(/\.json$/, '');
  const jsonp = url.searchParams.get('jsonp');
  if (route === '/files/debug') {
    sendJsonValue(res, await files.debug(), jsonp);
    return true;
  }
  if (route !== '/files/browse' && route !== '/files/read' && route !== '/files/download') return false;
  const path = url.searchParams.get('path');
  if (path === null || path === '') {
    sendText(res, 400, "Expecting 'path=value' in query.\n");
    return true;
  }

  if (route === '/files/browse') {
    if (!mayRead(path)) return forbidden(res);
    const listing = await files.browse(path);
    if (!listing.ok) return failed(res, listing);
    // Keys in the order the agent writes them (a JSON object kept sorted by key).
    const json = listing.value.map((f) => ({
      gid: f.gid,
      mode: fileModeString(f.mode),
      mtime: f.mtime,
      nlink: f.nlink,
      path: f.path,
      size: f.size,
      uid: f.uid,
    }));
    sendJsonValue(res, json, jsonp);
    return true;
  }

  if (route === '/files/read') {
    let offset = -1;
    const offsetText = url.searchParams.get('offset');
    if (offsetText !== null) {
      const parsed = parseInteger(offsetText);
      if (parsed === undefined)
        return badRequest(res, `Failed to parse offset: Failed to convert '${offsetText}' to number.\n`);
      if (parsed < -1) return badRequest(res, `Negative offset provided: ${parsed}.\n`);
      offset = parsed;
    }
    let length: number | undefined;
    const lengthText = url.searchParams.get('length');
    if (lengthText !== null) {
      const parsed = parseInteger(lengthText);
      if (parsed === undefined)
        return badRequest(res, `Failed to parse length: Failed to convert '${lengthText}' to number.\n`);
      if (parsed < -1) return badRequest(res, `Negative length provided: ${parsed}.\n`);
      // -1 is what the web UI's pailer sends to mean "to the end", the same as no length.
      if (parsed > -1) length = parsed;
    }
    if (!mayRead(path)) return forbidden(res);
    // offset -1 (or none) asks for the size only: a read of nothing, answered with the size as offset.
    const sizeOnly = offset === -1;
    const read = await files.read(path, sizeOnly ? 0 : offset, sizeOnly ? 0 : length);
    if (!read.ok) return failed(res, read);
    const answerOffset = sizeOnly ? read.value.size : offset;
    const body = Buffer.concat([
      Buffer.from('{"data":'),
      rawJsonString(read.value.data),
      Buffer.from(`,"offset":${answerOffset}}`),
    ]);
    sendJsonBytes(res, body, jsonp);
    return true;
  }

  if (!mayRead(path)) return forbidden(res);
  const located = await files.locateFile(path, 'download');
  if (!located.ok) return failed(res, located);
  let size: number;
  try {
    size = (await stat(located.value)).size;
  } catch {
    sendText(res, 404, '');
    return true;
  }
  const name = basename(located.value);
  res.writeHead(200, {
    'Content-Type': mimeTypeOf(name),
    'Content-Disposition': `attachment; filename=${name}`,
    'Content-Length': String(size),
  });
  if (size === 0) {
    res.end();
    return true;
  }
  // The length announced is the size now; a file still growing is sent up to there.
  const stream = createReadStream(located.value, { start: 0, end: size - 1 });
  let sent = 0;
  stream.on('data', (chunk) => (sent += chunk.length));
  // A file truncated meanwhile ends short of Content-Length: drop the connection so the client sees it.
  stream.on('end', () => {
    if (sent < size) res.destroy();
  });
  await pipeline(stream, res).catch(() => res.destroy());
  return true;
}

function forbidden(res: ServerResponse): true {
  sendFailure(res, { status: 403, message: '' });
  return true;
}

function badRequest(res: ServerResponse, message: string): true {
  sendText(res, 400, message);
  return true;
}

function failed(res: ServerResponse, failure: FilesFailure): true {
  sendFailure(res, failure);
  return true;
}
