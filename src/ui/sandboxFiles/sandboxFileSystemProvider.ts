import * as vscode from 'vscode';
import type { Logger } from '../../core/log/logSink';
import type { SandboxFileEntry } from '../../core/mesos/files/sandboxFileEntry';
import {
  parseSandboxUri,
  sandboxBaseName,
  sandboxParent,
  type SandboxFileAddress,
} from '../../core/mesos/files/sandboxFileUri';
import { loadClusterRuntime } from '../clusters/loadClusterRuntime';
import { fileErrorCategory } from './fileErrorCategory';
import { SandboxAccessError } from './sandboxAccessError';
import { formatByteSize } from './sandboxListing';
import type { LocatedSandbox, SandboxLocator } from './sandboxLocator';

export interface SandboxFileSystemOptions {
  /** The most bytes read into an editor; read on every open, so a changed setting applies at once. */
  readonly maxOpenBytes: () => number;
  readonly log: Logger;
}

const READ_ONLY_REASON =
  "Sandbox files are read-only: a task's sandbox is read through its Mesos agent, which offers no way to change it. " +
  'Download the file (Mesos: Download Sandbox File…) to work on a copy';

/**
 * The `mesos-sandbox:` file system (URI form in core/mesos/files/sandboxFileUri.ts): stat and
 * readDirectory over the agent's `/files/browse`, readFile over `/files/download` (binary-safe, one
 * request, capped at `maxOpenBytes`), no writes. `watch` does nothing: an open file is a snapshot (Revert
 * File reads it again; Mesos: Follow Task Logs follows a growing stdout). Every failure becomes a
 * FileSystemError whose message says what happened and what to do.
 */
export class SandboxFileSystemProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly controller = new AbortController();

  constructor(
    private readonly locator: SandboxLocator,
    private readonly options: SandboxFileSystemOptions,
  ) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.run(uri, 'stat', async (address, located) => {
      if (address.path === '') {
        // the sandbox itself: listing it proves that it is still there
        await located.client.browse(located.root, { signal: this.controller.signal });
        return {
          type: vscode.FileType.Directory,
          ctime: 0,
          mtime: 0,
          size: 0,
          permissions: vscode.FilePermission.Readonly,
        };
      }
      const entry = await this.entry(address, located);
      const mtime = Math.round(entry.mtime * 1000);
      return {
        type: entry.isDirectory ? vscode.FileType.Directory : vscode.FileType.File,
        ctime: mtime,
        mtime,
        size: entry.size,
        permissions: vscode.FilePermission.Readonly,
      };
    });
  }

  readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.run(uri, 'list', async (address, located) =>
      (await this.browse(address, located)).map((e): [string, vscode.FileType] => [
        e.name,
        e.isDirectory ? vscode.FileType.Directory : vscode.FileType.File,
      ]),
    );
  }

  /** A directory's entries with sizes, times and modes (what the file browser shows). */
  list(address: SandboxFileAddress): Promise<SandboxFileEntry[]> {
    return this.runAt(address, (located) => this.browse(address, located));
  }

  readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.run(uri, 'read', async (address, located) => {
      const limit = this.options.maxOpenBytes();
      const download = await located.client.download(this.pathOf(address, located), { signal: this.controller.signal });
      const tooLarge = (size: number | undefined) => {
        download.body.cancel();
        const name = sandboxBaseName(address) || 'the sandbox';
        const cap = `the ${formatByteSize(limit)} that Open Sandbox File reads into an editor (setting mesos.sandboxFiles.maxOpenMiB)`;
        return new SandboxAccessError(
          'too-large',
          size === undefined ? `${name} is larger than ${cap}` : `${name} is ${formatByteSize(size)}, more than ${cap}`,
          'Download it instead (Mesos: Download Sandbox File…), or raise the setting',
        );
      };
      if (download.size !== undefined && download.size > limit) throw tooLarge(download.size);
      const chunks: Uint8Array[] = [];
      let total = 0;
      // the file may have grown since its size was sent, or the agent sent none
      for await (const chunk of download.body) {
        total += chunk.length;
        if (total > limit) throw tooLarge(undefined);
        chunks.push(chunk);
      }
      return Buffer.concat(chunks, total);
    });
  }

  /** Where the address is on its agent. */
  pathOf(address: SandboxFileAddress, located: LocatedSandbox): string {
    return address.path === '' ? located.root : loadClusterRuntime().sandboxFilePath(located.root, address.path);
  }

  /** The address's sandbox, found (for the download command, which streams to disk itself). */
  locate(address: SandboxFileAddress): Promise<LocatedSandbox> {
    return this.locator.locate(address);
  }

  createDirectory(): never {
    throw vscode.FileSystemError.NoPermissions(READ_ONLY_REASON);
  }

  writeFile(): never {
    throw vscode.FileSystemError.NoPermissions(READ_ONLY_REASON);
  }

  delete(): never {
    throw vscode.FileSystemError.NoPermissions(READ_ONLY_REASON);
  }

  rename(): never {
    throw vscode.FileSystemError.NoPermissions(READ_ONLY_REASON);
  }

  private async browse(address: SandboxFileAddress, located: LocatedSandbox): Promise<SandboxFileEntry[]> {
    return located.client.browse(this.pathOf(address, located), { signal: this.controller.signal });
  }

  // The agent lists a file's path as an empty directory, so a file is found in its parent's listing.
  private async entry(address: SandboxFileAddress, located: LocatedSandbox): Promise<SandboxFileEntry> {
    const parent = sandboxParent(address) ?? address;
    const name = sandboxBaseName(address);
    const found = (await this.browse(parent, located)).find((e) => e.name === name);
    if (found) return found;
    throw new SandboxAccessError(
      'not-found',
      `There is no ${address.path} in the sandbox of task ${address.taskId} on the Mesos agent at ${located.agent}`,
      'Browse the sandbox (Mesos: Open Sandbox File…) to see what is there',
    );
  }

  private async run<T>(
    uri: vscode.Uri,
    action: string,
    work: (address: SandboxFileAddress, located: LocatedSandbox) => Promise<T>,
  ): Promise<T> {
    let address: SandboxFileAddress;
    try {
      address = parseSandboxUri(uri);
    } catch (err) {
      throw toFileSystemError(err);
    }
    try {
      return await this.runAt(address, (located) => work(address, located));
    } catch (err) {
      this.options.log.debug(`${action} ${uri.toString(true)} failed: ${(err as Error).message}`);
      throw err;
    }
  }

  private async runAt<T>(address: SandboxFileAddress, work: (located: LocatedSandbox) => Promise<T>): Promise<T> {
    try {
      return await work(await this.locator.locate(address));
    } catch (err) {
      // a missing entry inside a sandbox that answered needs no new look; anything else may (the run moved, the agent came back)
      if (!(err instanceof SandboxAccessError && err.kind !== 'unavailable')) this.locator.forget(address);
      throw toFileSystemError(err);
    }
  }

  dispose(): void {
    this.controller.abort();
    this.changed.dispose();
  }
}

/** The FileSystemError for a failure, keeping its message (the cause and a next step). */
export function toFileSystemError(err: unknown): vscode.FileSystemError {
  if (err instanceof vscode.FileSystemError) return err;
  const message = err instanceof Error ? err.message : String(err);
  switch (fileErrorCategory(err)) {
    case 'not-found':
      return vscode.FileSystemError.FileNotFound(message);
    case 'is-directory':
      return vscode.FileSystemError.FileIsADirectory(message);
    case 'no-permissions':
      return vscode.FileSystemError.NoPermissions(message);
    case 'unavailable':
      return vscode.FileSystemError.Unavailable(message);
  }
}
