import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as vscode from 'vscode';
import { sandboxBaseName, type SandboxFileAddress } from '../../core/mesos/files/sandboxFileUri';
import type { SandboxFileSystemProvider } from './sandboxFileSystemProvider';
import { toFileSystemError } from './sandboxFileSystemProvider';
import { formatByteSize } from './sandboxListing';

export interface DownloadProgress {
  /** Bytes written so far, and the file's size when the agent sent one. */
  (written: number, size: number | undefined): void;
}

/**
 * Streams a sandbox file from its agent's `/files/download` to `target`, any size. On a local disk the
 * bytes go to a hidden `.part` file beside the target, renamed over it at the end, so a cancelled or
 * failed download leaves neither a partial file nor a damaged earlier copy. Other file systems (a remote
 * workspace's) get the whole file in one write at the end. Resolves with the bytes written.
 */
export async function downloadSandboxFile(
  provider: SandboxFileSystemProvider,
  address: SandboxFileAddress,
  target: vscode.Uri,
  options: { readonly signal: AbortSignal; readonly onProgress?: DownloadProgress },
): Promise<number> {
  let download;
  try {
    const located = await provider.locate(address);
    download = await located.client.download(provider.pathOf(address, located), { signal: options.signal });
  } catch (err) {
    throw toFileSystemError(err);
  }
  const { body, size } = download;
  let written = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      written += chunk.length;
      options.onProgress?.(written, size);
      yield chunk;
    }
  }
  if (target.scheme !== 'file') {
    const chunks: Uint8Array[] = [];
    for await (const chunk of counted()) {
      if (options.signal.aborted) break;
      chunks.push(chunk);
    }
    options.signal.throwIfAborted();
    await vscode.workspace.fs.writeFile(target, Buffer.concat(chunks, written));
    return written;
  }
  const part = join(dirname(target.fsPath), `.${basename(target.fsPath)}.${randomBytes(4).toString('hex')}.part`);
  try {
    await pipeline(counted(), createWriteStream(part, { flags: 'wx' }), { signal: options.signal });
    await rename(part, target.fsPath);
  } catch (err) {
    body.cancel();
    await rm(part, { force: true });
    throw err;
  }
  return written;
}

/** `Downloading stdout: 1.2 MiB of 5 MiB` as progress lines say it. */
export function downloadMessage(address: SandboxFileAddress, written: number, size: number | undefined): string {
  const name = sandboxBaseName(address);
  return size === undefined
    ? `${name}: ${formatByteSize(written)}`
    : `${name}: ${formatByteSize(written)} of ${formatByteSize(size)}`;
}
