import { randomUUID } from 'node:crypto';
import { link, open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * File operations that other processes can never observe half done. Everything that several editor
 * windows share (lease, mailbox, status) goes through these, and so does the CLI's scheduler state file.
 */

/**
 * A scratch name beside `path`: the same directory keeps a rename on one file system, and the leading dot
 * makes directory readers (the mailbox) skip it.
 */
export function scratchPathFor(path: string, purpose = 'tmp'): string {
  return join(dirname(path), `.${basename(path)}.${purpose}-${process.pid}-${randomUUID()}`);
}

/** Replaces `path` with `text` in one step: readers see the old content or the new, never a mix. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const scratch = scratchPathFor(path);
  try {
    await writeFile(scratch, text, { mode: 0o600 });
    await renameRetrying(scratch, path);
  } catch (error) {
    await removeQuietly(scratch);
    throw error;
  }
}

/**
 * Creates `path` with `text` only if nothing is there, in one step, and says whether it did. A hard link
 * from a finished scratch file is atomic and exclusive (also on NFS, where O_EXCL was not always), and the
 * file appears complete. File systems without hard links get an exclusive open and a write, so a reader
 * may briefly see it empty: lease readers treat an unreadable lease by its age, never as free.
 */
export async function createExclusive(path: string, text: string): Promise<boolean> {
  const scratch = scratchPathFor(path);
  await writeFile(scratch, text, { mode: 0o600 });
  try {
    await link(scratch, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== undefined && LINK_UNSUPPORTED.has(code)) return createWithExclusiveOpen(path, text);
    throw error;
  } finally {
    await removeQuietly(scratch);
  }
}

const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

async function createWithExclusiveOpen(path: string, text: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** A file's text and modification time read through one handle, so both describe the same file. */
export interface FileSnapshot {
  readonly text: string;
  readonly mtimeMs: number;
}

/** undefined when there is no such file. */
export async function readSnapshot(path: string): Promise<FileSnapshot | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    const text = await handle.readFile('utf8');
    return { text, mtimeMs: info.mtimeMs };
  } finally {
    await handle.close();
  }
}

/**
 * rename(), retried briefly where Windows refuses to replace a file another process has open (a reader of
 * the status file, say); elsewhere a rename never waits for readers.
 */
export async function renameRetrying(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const busy = code === 'EPERM' || code === 'EACCES' || code === 'EBUSY';
      if (process.platform !== 'win32' || !busy || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1)));
    }
  }
}

/** Removes a file that may already be gone; says whether this call removed it. */
export async function removeIfPresent(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function removeQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => undefined);
}

/**
 * Deletes scratch files (dot-named) older than `olderThanMs` that a process left behind when it died
 * between writing and renaming. Best effort: a failure here changes nothing that matters.
 */
export async function sweepScratchFiles(dir: string, olderThanMs: number, now = Date.now()): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith('.')) continue;
    const path = join(dir, name);
    try {
      const info = await stat(path);
      if (info.isFile() && now - info.mtimeMs > olderThanMs) await removeQuietly(path);
    } catch {
      // gone meanwhile
    }
  }
}
