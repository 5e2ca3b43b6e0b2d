import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { fetch } from 'undici';
import type { FetchUri } from './commandSpec';

const run = promisify(execFile);

// Archive suffixes the Mesos fetcher unpacks (reference §3.10), longest first so `.tar.gz` wins over `.gz`.
const ARCHIVES: readonly [string, readonly string[]][] = [
  ['.tar.gz', ['tar', '-xzf']],
  ['.tar.bz2', ['tar', '-xjf']],
  ['.tar.xz', ['tar', '-xJf']],
  ['.tgz', ['tar', '-xzf']],
  ['.tbz2', ['tar', '-xjf']],
  ['.txz', ['tar', '-xJf']],
  ['.tar', ['tar', '-xf']],
  ['.zip', ['unzip', '-o', '-q']],
  ['.gz', ['gunzip', '-f']],
];

/** A fetch failure: the agent turns it into TASK_FAILED with this message (as the real fetcher does). */
export class FetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FetchError';
  }
}

function localName(uri: FetchUri): string {
  if (uri.outputFile) return uri.outputFile;
  const path = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri.value) ? new URL(uri.value).pathname : uri.value;
  const name = basename(path);
  if (!name) throw new FetchError(`Cannot tell a file name for URI '${uri.value}': set output_file`);
  return name;
}

async function download(url: string, target: string, signal?: AbortSignal): Promise<void> {
  // fetch follows redirects, as the Mesos fetcher (curl -L) does
  const response = await fetch(url, { signal: signal ?? null, redirect: 'follow' });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new FetchError(`Failed to fetch '${url}': HTTP ${response.status}`);
  }
  await writeFile(target, Buffer.from(await response.arrayBuffer()));
}

/**
 * Fetches each URI into the sandbox like the Mesos fetcher: http(s) downloads, local paths and file://
 * copies, archives unpacked unless `extract` is false or `executable` is set. Fails on the first URI that
 * cannot be had, naming it.
 */
export async function fetchUris(uris: readonly FetchUri[], sandbox: string, signal?: AbortSignal): Promise<string[]> {
  const fetched: string[] = [];
  for (const uri of uris) {
    signal?.throwIfAborted();
    const name = localName(uri);
    const target = resolve(sandbox, name);
    if (!target.startsWith(resolve(sandbox) + sep)) throw new FetchError(`output_file '${name}' leaves the sandbox`);
    await mkdir(dirname(target), { recursive: true });
    try {
      if (/^https?:\/\//i.test(uri.value)) await download(uri.value, target, signal);
      else if (/^file:\/\//i.test(uri.value)) await copyFile(new URL(uri.value), target);
      else if (uri.value.startsWith('/')) await copyFile(uri.value, target);
      else throw new FetchError(`Unsupported URI scheme in '${uri.value}' (the sandbox fetches http, https, file and absolute paths)`);
    } catch (err) {
      if (err instanceof FetchError) throw err;
      throw new FetchError(`Failed to fetch '${uri.value}': ${(err as Error).message}`, { cause: err });
    }
    if (uri.executable) {
      await chmod(target, 0o755);
    } else if (uri.extract) {
      const archive = ARCHIVES.find(([suffix]) => target.toLowerCase().endsWith(suffix));
      if (archive) await extract(target, archive[1], sandbox, signal);
    }
    fetched.push(target);
  }
  return fetched;
}

async function extract(file: string, command: readonly string[], sandbox: string, signal?: AbortSignal): Promise<void> {
  const [bin, ...args] = command;
  const options = { cwd: sandbox, ...(signal ? { signal } : {}) };
  try {
    if (bin === 'gunzip') {
      // gunzip unpacks in place next to the file, which is what the Mesos fetcher does for a bare .gz
      await run(bin, [...args, file], options);
    } else if (bin === 'unzip') {
      await run(bin!, [...args, file, '-d', sandbox], options);
    } else {
      await run(bin!, [...args, file, '-C', sandbox], options);
    }
  } catch (err) {
    throw new FetchError(`Failed to extract '${basename(file)}': ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}
