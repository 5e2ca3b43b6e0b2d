import { type Stats } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileOwners } from './fileOwners';

/** Bytes per read at most: 16 pages of 4 KiB, the agent's cap (src/files/files.cpp). */
export const READ_CAP = 16 * 4096;

/** A failure with the status the agent's files process maps it to (FilesError INVALID / NOT_FOUND / UNKNOWN). */
export interface FilesFailure {
  readonly ok: false;
  readonly status: 400 | 404 | 500;
  /** Mesos's text for it (often empty for 404). */
  readonly message: string;
}

export type FilesResult<T> = { readonly ok: true; readonly value: T } | FilesFailure;

/** A stat of one entry, as the agent's FileInfo carries it. */
export interface SandboxFileInfo {
  /** The virtual path (the browsed path joined with the entry name). */
  readonly path: string;
  readonly nlink: number;
  readonly size: number;
  /** Whole seconds, as st_mtime. */
  readonly mtime: number;
  /** st_mode. */
  readonly mode: number;
  readonly uid: string;
  readonly gid: string;
}

const invalid = (message: string): FilesFailure => ({ ok: false, status: 400, message });
const NOT_FOUND: FilesFailure = { ok: false, status: 404, message: '' };

/**
 * The agent's files process (Apache Mesos, src/files/files.cpp) over a live set of attachments (virtual
 * path -> real directory or file): the longest attached prefix of a path wins, the rest is joined onto its
 * real directory, and the result, symbolic links followed, must stay inside that directory.
 */
export class SandboxFiles {
  private readonly realpaths = new Map<string, string>();

  constructor(
    /** Current attachments, read on every request (runs come and go). */
    private readonly attachments: () => ReadonlyMap<string, string>,
    private readonly owners = new FileOwners(),
  ) {}

  /** The attachments, each resolved to its real path (what `/files/debug` shows). */
  async debug(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [virtualPath, target] of this.attachments()) {
      const real = await this.attachedRealPath(target);
      if (real !== undefined) out[virtualPath.replace(/\/+$/, '')] = real;
    }
    return out;
  }

  /** The real path of a virtual one: `undefined` when nothing is there, a failure when it leaves its attachment. */
  async resolve(virtualPath: string): Promise<FilesResult<string | undefined>> {
    const path = fromUri(virtualPath);
    const tokens = path.replace(/\/$/, '').split('/');
    const suffix: string[] = [];
    const attachments = this.attachments();
    while (tokens.length > 0) {
      const prefix = tokens.join('/');
      const target = attachments.get(prefix);
      const root = target === undefined ? undefined : await this.attachedRealPath(target);
      if (root === undefined) {
        suffix.unshift(tokens.pop()!);
        continue;
      }
      const rootStat = await statOrUndefined(root);
      if (rootStat === undefined) return { ok: true, value: undefined };
      if (!rootStat.isDirectory()) return { ok: true, value: suffix.length > 0 ? undefined : root };
      const joined = join(root, ...suffix);
      let real: string;
      try {
        real = await realpath(joined);
      } catch (error) {
        if (isMissing(error)) return { ok: true, value: undefined };
        return invalid(`Failed to determine canonical path of '${joined}': ${(error as Error).message}.\n`);
      }
      if (real !== root && !real.startsWith(root.endsWith('/') ? root : `${root}/`)) {
        return invalid(`'${joined}' is inaccessible.\n`);
      }
      return { ok: true, value: real };
    }
    return { ok: true, value: undefined };
  }

  /** A directory's entries sorted by path; a file gives an empty list, as `os::ls` failing does. */
  async browse(virtualPath: string): Promise<FilesResult<SandboxFileInfo[]>> {
    const resolved = await this.resolve(virtualPath);
    if (!resolved.ok) return resolved;
    if (resolved.value === undefined) return NOT_FOUND;
    const real = resolved.value;
    let names: string[] = [];
    try {
      names = await readdir(real);
    } catch {
      names = [];
    }
    const base = fromUri(virtualPath);
    const entries: { key: Buffer; info: SandboxFileInfo }[] = [];
    for (const name of names) {
      const full = join(real, name);
      const stats = await statOrUndefined(full);
      if (stats === undefined) continue; // listed but gone, or a dangling link: the agent skips it too
      entries.push({ key: Buffer.from(full), info: await this.info(joinVirtual(base, name), stats) });
    }
    entries.sort((a, b) => Buffer.compare(a.key, b.key));
    return { ok: true, value: entries.map((e) => e.info) };
  }

  /**
   * Up to `length` bytes (all, when undefined) from `offset`, capped at READ_CAP, with the file's size.
   * At or past the end, or with length 0, no bytes.
   */
  async read(
    virtualPath: string,
    offset: number,
    length: number | undefined,
  ): Promise<FilesResult<{ size: number; data: Buffer }>> {
    const located = await this.locateFile(virtualPath, 'read');
    if (!located.ok) return located;
    let handle;
    try {
      handle = await open(located.value, 'r');
    } catch (error) {
      if (isMissing(error)) return NOT_FOUND;
      return {
        ok: false,
        status: 500,
        message: `Failed to open file at '${located.value}': ${(error as Error).message}.\n`,
      };
    }
    try {
      const { size } = await handle.stat();
      if (offset >= size) return { ok: true, value: { size, data: Buffer.alloc(0) } };
      const wanted = Math.min(length ?? size - offset, READ_CAP);
      if (wanted === 0) return { ok: true, value: { size, data: Buffer.alloc(0) } };
      const buffer = Buffer.alloc(wanted);
      const { bytesRead } = await handle.read(buffer, 0, wanted, offset);
      return { ok: true, value: { size, data: buffer.subarray(0, bytesRead) } };
    } finally {
      await handle.close();
    }
  }

  /** The real path of a file to download or read; a directory is a 400 with the agent's text. */
  async locateFile(virtualPath: string, action: 'read' | 'download'): Promise<FilesResult<string>> {
    const resolved = await this.resolve(virtualPath);
    if (!resolved.ok) return resolved;
    if (resolved.value === undefined) return NOT_FOUND;
    const stats = await statOrUndefined(resolved.value);
    if (stats === undefined) return NOT_FOUND;
    if (stats.isDirectory()) return invalid(`Cannot ${action} a directory.\n`);
    return { ok: true, value: resolved.value };
  }

  private async info(path: string, stats: Stats): Promise<SandboxFileInfo> {
    const { uid, gid } = await this.owners.names(stats.uid, stats.gid);
    return {
      path,
      nlink: stats.nlink,
      size: stats.size,
      mtime: Math.floor(stats.mtimeMs / 1000),
      mode: stats.mode,
      uid,
      gid,
    };
  }

  // Mesos resolves an attachment once, when it attaches it; a run directory that does not exist yet is
  // not attached, so it is looked up again until it exists.
  private async attachedRealPath(target: string): Promise<string | undefined> {
    const cached = this.realpaths.get(target);
    if (cached !== undefined) return cached;
    try {
      const real = await realpath(target);
      this.realpaths.set(target, real);
      return real;
    } catch {
      return undefined;
    }
  }
}

/** `file:///x` names the same path as `/x` (stout's path::from_uri). */
function fromUri(path: string): string {
  return path.startsWith('file://') ? path.slice('file://'.length) : path;
}

function joinVirtual(base: string, name: string): string {
  return `${base.replace(/\/+$/, '')}/${name}`;
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
