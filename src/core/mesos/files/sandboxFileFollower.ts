import { createLogger, silentSink, type LogSink } from '../../log/logSink';
import { Backoff, sleep } from '../../util/backoff';
import { MAX_READ_LENGTH, type AgentFilesClient } from './agentFilesClient';
import { SandboxFileError } from './sandboxFileError';

export interface SandboxFileFollowerOptions {
  readonly client: AgentFilesClient;
  /** The file's sandbox path (e.g. `/frameworks/<fid>/executors/<eid>/runs/latest/stdout`). */
  readonly path: string;
  /** Start with the last this-many bytes of the file (default 0: only what is written from now on). */
  readonly tailBytes?: number;
  /** Start at this offset instead (0 = the whole file); wins over tailBytes. */
  readonly fromOffset?: number;
  /** Pause between reads that found nothing new (default 1000 ms, like the Mesos web UI). */
  readonly pollMs?: number;
  /** Called with each piece of the file, in order. */
  readonly onData: (data: Uint8Array) => void;
  /** Called when the file shrank (rotated or truncated): following restarts at its beginning. */
  readonly onTruncated?: (previousOffset: number, newSize: number) => void;
  /** Called when a read failed and will be retried (agent hiccup). */
  readonly onRetry?: (error: unknown, delayMs: number) => void;
  readonly sink?: LogSink;
  /** Injectable for tests. */
  readonly random?: () => number;
}

// Errors after which retrying cannot help: the file or sandbox is gone, or access is refused.
const FINAL_KINDS = new Set(['not-found', 'is-directory', 'outside-sandbox', 'unauthorized', 'forbidden', 'bad-request']);

/**
 * Follows a sandbox file as it grows, like `tail -f` over the agent's `/files/read` (reference §7.5): reads
 * again at once while full 64 KiB pages come back, otherwise waits `pollMs`; notices truncation (the size
 * fell below the offset) and starts over; rides out agent hiccups with backoff. `follow()` runs until the
 * signal aborts or a final error (the file is gone); `drain()` reads what is there now and returns, for
 * the last read after a task ended.
 */
export class SandboxFileFollower {
  private offset: number | undefined;
  private readonly log;

  constructor(private readonly options: SandboxFileFollowerOptions) {
    this.log = createLogger(options.sink ?? silentSink, 'files.follow');
  }

  /** Where the next read starts (undefined before the first read). */
  get position(): number | undefined {
    return this.offset;
  }

  private async start(signal: AbortSignal): Promise<number> {
    if (this.offset !== undefined) return this.offset;
    const { client, path, fromOffset, tailBytes = 0 } = this.options;
    if (fromOffset !== undefined) return (this.offset = fromOffset);
    const size = await client.size(path, { signal });
    return (this.offset = Math.max(0, size - tailBytes));
  }

  /** Reads until a read returns less than a full page; returns the bytes delivered. */
  async drain(signal: AbortSignal): Promise<number> {
    let offset = await this.start(signal);
    let delivered = 0;
    for (;;) {
      const chunk = await this.options.client.read(this.options.path, offset, { signal });
      if (chunk.data.length === 0 && chunk.offset === offset) {
        // nothing new: either the end, or the file shrank below our offset
        const size = await this.options.client.size(this.options.path, { signal });
        if (size < offset) {
          this.options.onTruncated?.(offset, size);
          this.log.info(`${this.options.path} shrank from ${offset} to ${size} bytes: following from its start`);
          offset = this.offset = 0;
          continue;
        }
        return delivered;
      }
      this.options.onData(chunk.data);
      delivered += chunk.data.length;
      offset = this.offset = chunk.offset + chunk.data.length;
      if (chunk.data.length < MAX_READ_LENGTH) return delivered;
    }
  }

  /** Follows until `signal` aborts (resolves) or the file cannot be read any more (rejects). */
  async follow(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff({ initialMs: 500, maxMs: 15_000, ...(this.options.random ? { random: this.options.random } : {}) });
    const pollMs = this.options.pollMs ?? 1000;
    while (!signal.aborted) {
      try {
        // drain() reads on at once while full pages come back, so afterwards the file is read to its end
        await this.drain(signal);
        backoff.reset();
        await sleep(pollMs, signal);
      } catch (err) {
        if (signal.aborted) return;
        if (err instanceof SandboxFileError && FINAL_KINDS.has(err.kind)) throw err;
        const delay = backoff.next();
        this.options.onRetry?.(err, delay);
        this.log.warn(`reading ${this.options.path} failed; retrying in ${delay} ms`, err);
        try {
          await sleep(delay, signal);
        } catch {
          return;
        }
      }
    }
  }
}
