import type { Endpoint } from '../../http/endpoint';
import type { ResponseStream } from '../../http/responseStream';
import { type AgentResponse, MesosDecodeError, type WireEncoding } from '../codec';
import { postAgentCall } from './agentApiCall';
import { type AgentState, parseAgentState } from './agentState';
import { FilesReadBodyError, parseFilesReadBody } from './filesReadBody';
import { SandboxFileError, sandboxFileErrorFromHttp } from './sandboxFileError';
import {
  FileEntryShapeError,
  fileEntryFromBrowse,
  fileEntryFromFileInfo,
  type SandboxFileEntry,
} from './sandboxFileEntry';

/**
 * The most a read asks for. An agent caps every read at 16 pages (64 KiB with 4 KiB pages, more on
 * machines with bigger pages); asking for at most this keeps each answer small whatever the agent's
 * page size. A read may return less: page through with increasing offsets.
 */
export const MAX_READ_LENGTH = 64 * 1024;

/**
 * Which agent API serves files: `files` = the legacy `/files/*` endpoints (what the Mesos web UI uses,
 * and all that agents before 1.1 have); `operator` = `LIST_FILES` / `READ_FILE` on the v1 operator API
 * (`POST /api/v1`), whose Base64 data is binary-safe. Downloads always use `/files/download`.
 */
export type AgentFilesApi = 'files' | 'operator';

export interface AgentFilesClientOptions {
  /** Default `files`. */
  readonly api?: AgentFilesApi;
  /** Body encoding of operator calls (default JSON). */
  readonly encoding?: WireEncoding;
}

export interface FileChunk {
  /** Where `data` starts in the file: the offset asked for. */
  readonly offset: number;
  /**
   * The file's bytes, exactly (not text: a read can end inside a multi-byte character, and files need not
   * be UTF-8). Empty at or past the end of the file. Show text with a streaming
   * `TextDecoder('utf-8')` (`decode(data, { stream: true })`) so a character split across reads survives.
   */
  readonly data: Uint8Array;
}

export interface FileDownload {
  /** The file's bytes as they arrive; iterate once, or `cancel()` to stop. */
  readonly body: ResponseStream;
  /** Chosen by the agent from the file's extension (default `application/octet-stream`). */
  readonly contentType: string | undefined;
  /** From `Content-Disposition: attachment; filename=…`. */
  readonly fileName: string | undefined;
  /** From `Content-Length`, when the agent sent one. */
  readonly size: number | undefined;
}

export interface FilesCallOptions {
  readonly signal: AbortSignal;
}

/**
 * Reads an agent's sandbox files: one instance per agent, over that agent's Endpoint. Paths are the
 * agent's virtual paths (see taskSandbox.ts). Failures the user can act on (404 file gone, 400 a
 * directory or a path out of the sandbox, 401, 403, an unreadable body) arrive as SandboxFileError;
 * connection failures, timeouts and 5xx stay the HTTP layer's errors (MesosHttpError).
 */
export class AgentFilesClient {
  readonly api: AgentFilesApi;
  readonly encoding: WireEncoding;

  constructor(
    readonly endpoint: Endpoint,
    options: AgentFilesClientOptions = {},
  ) {
    this.api = options.api ?? 'files';
    this.encoding = options.encoding ?? 'json';
  }

  /** The file's size in bytes, without reading it (the start of a tail-follow). */
  size(path: string, options: FilesCallOptions): Promise<number> {
    return this.guard('size', path, async () => {
      if (this.api === 'operator') {
        const response = await this.call({ type: 'READ_FILE', read_file: { path, offset: 0, length: 0 } }, options);
        return toByteCount(this.payload(response, 'READ_FILE', 'read_file', path, 'size').size, 'size');
      }
      // offset=-1 (or none) reads nothing and answers the size in `offset` (reference §7.5).
      const body = await this.getJson('/files/read', { path, offset: -1 }, options);
      return parseFilesReadBody(body).offset;
    });
  }

  /** Up to `length` bytes (at most MAX_READ_LENGTH, the default) from `offset`; a bad offset or length rejects with RangeError. */
  async read(
    path: string,
    offset: number,
    options: FilesCallOptions & { readonly length?: number },
  ): Promise<FileChunk> {
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new RangeError(
        `A read offset must be a whole number of bytes from 0 up, not ${offset} (use size() for the size)`,
      );
    }
    const asked = options.length ?? MAX_READ_LENGTH;
    if (!Number.isSafeInteger(asked) || asked < 0) {
      throw new RangeError(`A read length must be a whole number of bytes from 0 up, not ${asked}`);
    }
    const length = Math.min(asked, MAX_READ_LENGTH);
    return this.guard('read', path, async () => {
      if (this.api === 'operator') {
        const response = await this.call({ type: 'READ_FILE', read_file: { path, offset, length } }, options);
        const data = this.payload(response, 'READ_FILE', 'read_file', path, 'read').data;
        return { offset, data: Buffer.from(data ?? '', 'base64') };
      }
      const body = await this.getJson('/files/read', { path, offset, length }, options);
      return parseFilesReadBody(body);
    });
  }

  /** The entries of a directory, sorted by path. A file's path gives an empty list (as the agent answers). */
  browse(path: string, options: FilesCallOptions): Promise<SandboxFileEntry[]> {
    return this.guard('browse', path, async () => {
      if (this.api === 'operator') {
        const response = await this.call({ type: 'LIST_FILES', list_files: { path } }, options);
        const infos = this.payload(response, 'LIST_FILES', 'list_files', path, 'browse').file_infos ?? [];
        return infos.map(fileEntryFromFileInfo);
      }
      const body = await this.getJson('/files/browse', { path }, options);
      const listing: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
      if (!Array.isArray(listing)) throw new FileEntryShapeError('the listing is not a JSON array');
      return listing.map(fileEntryFromBrowse);
    });
  }

  /** The whole file as a stream (any size, binary-safe). */
  download(path: string, options: FilesCallOptions): Promise<FileDownload> {
    return this.guard('download', path, async () => {
      const response = await this.endpoint.request({
        path: '/files/download',
        query: { path },
        signal: options.signal,
        stream: true,
      });
      const length = Number(response.headers.get('content-length') ?? Number.NaN);
      return {
        body: response.body,
        contentType: response.headers.get('content-type') ?? undefined,
        fileName: fileNameOf(response.headers.get('content-disposition')),
        size: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
      };
    });
  }

  /** The agent's legacy `/state`: frameworks, executors with their sandbox `directory`, tasks. */
  async state(options: FilesCallOptions): Promise<AgentState> {
    const response = await this.endpoint.request({
      path: '/state',
      signal: options.signal,
      expectContentType: ['application/json'],
    });
    return parseAgentState(response.body);
  }

  private async getJson(
    path: string,
    query: Record<string, string | number>,
    options: FilesCallOptions,
  ): Promise<Uint8Array> {
    const response = await this.endpoint.request({
      path,
      query,
      signal: options.signal,
      expectContentType: ['application/json'],
    });
    return response.body;
  }

  private call(call: Parameters<typeof postAgentCall>[1], options: FilesCallOptions): Promise<AgentResponse> {
    return postAgentCall(this.endpoint, call, { encoding: this.encoding, signal: options.signal });
  }

  private payload<K extends 'read_file' | 'list_files'>(
    response: AgentResponse,
    type: AgentResponse['type'],
    field: K,
    path: string,
    action: string,
  ): NonNullable<AgentResponse[K]> {
    const payload = response[field];
    if (response.type !== type || payload === undefined) {
      throw new SandboxFileError({
        kind: 'bad-response',
        agent: this.endpoint.display,
        path,
        action,
        reason: `expected a ${type} response with '${field}', got ${response.type ?? 'no type'}`,
      });
    }
    return payload as NonNullable<AgentResponse[K]>;
  }

  private async guard<T>(action: string, path: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof SandboxFileError) throw error;
      const context = { agent: this.endpoint.display, path, action };
      const fromHttp = sandboxFileErrorFromHttp(error, context);
      if (fromHttp) throw fromHttp;
      if (
        error instanceof FilesReadBodyError ||
        error instanceof FileEntryShapeError ||
        error instanceof MesosDecodeError ||
        error instanceof SyntaxError
      ) {
        const reason = error instanceof MesosDecodeError ? error.reason : error.message;
        throw new SandboxFileError({ ...context, kind: 'bad-response', reason, cause: error });
      }
      throw error;
    }
  }
}

function toByteCount(value: number | string, what: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new FilesReadBodyError(`the ${what} ${String(value)} is not a byte count`);
  return n;
}

// `attachment; filename=stdout` as the agent writes it (unquoted), or quoted by something in between.
function fileNameOf(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const match = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(disposition);
  const name = match?.[1]?.replace(/\\(.)/g, '$1') ?? match?.[2]?.trim();
  return name || undefined;
}
