import type { FileInfo } from '../codec';
import { fileModeString } from './fileModeString';

/** One entry of a sandbox directory listing, the same whichever agent API produced it. */
export interface SandboxFileEntry {
  /** The virtual path to pass back to read, browse or download (the browsed path joined with the name). */
  readonly path: string;
  /** The last path segment. */
  readonly name: string;
  readonly isDirectory: boolean;
  /** Bytes. */
  readonly size: number;
  /** Modification time in seconds since the epoch (whole seconds on a real agent). */
  readonly mtime: number;
  /** `ls -l` style, e.g. `-rw-r--r--`. */
  readonly mode: string;
  readonly nlink: number;
  /** Owner and group names (numeric ids when the agent could not name them). */
  readonly uid: string;
  readonly gid: string;
}

/** Why a listing entry could not be read; the caller wraps it with the agent and path. */
export class FileEntryShapeError extends Error {
  override readonly name = 'FileEntryShapeError';
}

function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

const num = (value: unknown): number => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : 0;
};

const str = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : String(value));

/** An element of the legacy `/files/browse` array (`{path, nlink, size, mtime, mode, uid, gid}`). */
export function fileEntryFromBrowse(value: unknown): SandboxFileEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FileEntryShapeError(
      `a listing entry is ${Array.isArray(value) ? 'an array' : typeof value}, not an object`,
    );
  }
  const entry = value as Record<string, unknown>;
  if (typeof entry.path !== 'string' || entry.path === '') {
    throw new FileEntryShapeError('a listing entry has no "path"');
  }
  const mode = typeof entry.mode === 'number' ? fileModeString(entry.mode) : str(entry.mode);
  return {
    path: entry.path,
    name: baseName(entry.path),
    isDirectory: mode.startsWith('d'),
    size: num(entry.size),
    mtime: num(entry.mtime),
    mode,
    nlink: num(entry.nlink),
    uid: str(entry.uid),
    gid: str(entry.gid),
  };
}

/** A v1 `FileInfo` (numeric `mode`, `mtime` as nanoseconds). */
export function fileEntryFromFileInfo(info: FileInfo): SandboxFileEntry {
  const mode = fileModeString(info.mode ?? 0);
  const nanos = info.mtime?.nanoseconds;
  return {
    path: info.path,
    name: baseName(info.path),
    isDirectory: mode.startsWith('d'),
    size: num(info.size),
    mtime: secondsOf(nanos),
    mode,
    nlink: info.nlink ?? 0,
    uid: info.uid ?? '',
    gid: info.gid ?? '',
  };
}

// A nanosecond count beyond 2^53 arrives as a decimal string; milliseconds of it fit a double exactly.
function secondsOf(nanos: number | string | undefined): number {
  if (nanos === undefined) return 0;
  if (typeof nanos === 'number') return Number.isFinite(nanos) ? nanos / 1e9 : 0;
  try {
    return Number(BigInt(nanos) / 1_000_000n) / 1000;
  } catch {
    return 0;
  }
}
