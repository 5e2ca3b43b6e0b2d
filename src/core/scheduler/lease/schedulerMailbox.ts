import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, silentSink, type Logger } from '../../log/logSink';
import type { TaskRequest } from '../taskRequest';
import { removeIfPresent, renameRetrying, sweepScratchFiles, writeFileAtomic } from './atomicFile';
import { watchDirectory } from './directoryWatch';
import type { SchedulerWhere } from './leaseInfo';
import {
  parseMailboxEnvelope,
  type MailboxAnswer,
  type MailboxEnvelope,
  type MailboxReply,
  type MailboxRequest,
} from './mailboxRequest';
import { LeaseStorageError } from './leaseStorageError';
import { MailboxTimeoutError } from './mailboxTimeoutError';
import { schedulerLeasePaths, type SchedulerLeasePaths } from './schedulerLeasePaths';

export interface SchedulerMailboxOptions {
  readonly dir: string;
  /** leaseKey(clusterName): the mailbox sits beside that cluster's lease. */
  readonly key: string;
  /** This process's lease ownerId, written into requests for the holder's log. */
  readonly ownerId: string;
  /** How often the holder looks at its inbox when fs.watch stays silent (default 1000). */
  readonly pollMs?: number;
  /** How often a sender looks for its reply when fs.watch stays silent (default 200). */
  readonly replyPollMs?: number;
  /** Replies nobody collected (the sender timed out or closed) are deleted after this long (default 10 min). */
  readonly replyTtlMs?: number;
  /** Epoch ms for sentAt/repliedAt. */
  readonly clock?: () => number;
  readonly log?: Logger;
}

export interface MailboxSendOptions {
  /** Default 15000. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Who holds the lease, for the wording of a timeout. */
  readonly where?: SchedulerWhere;
}

export type MailboxHandler = (
  request: MailboxRequest,
  envelope: MailboxEnvelope,
) => MailboxAnswer | Promise<MailboxAnswer>;

/** Bigger inbox files are not read: no real request comes near it. */
const MAX_REQUEST_BYTES = 1024 * 1024;
/** How many rejected files are kept for someone to look at. */
const KEEP_REJECTED = 100;
const SWEEP_EVERY_MS = 60_000;

interface Serving {
  readonly handler: MailboxHandler;
  watcher?: { close(): void };
  running?: Promise<void>;
  again: boolean;
  stopped: boolean;
  /** Files that could neither be processed nor moved away: skipped instead of failing every poll. */
  readonly stuck: Set<string>;
  lastSweepAt: number;
}

let sequence = 0;

/**
 * Launch and kill requests from windows that do not run the scheduler to the one that does, through
 * files: one file per request in `<dir>/<key>/inbox/` (named by send time, so the holder takes them in
 * order), one reply per request in `<dir>/<key>/outbox/<requestId>.json`.
 *
 * The holder claims a request by deleting it before acting on it, so a request is carried out at most
 * once even when two holders overlap for a moment during a handover, and a sender that gives up can
 * withdraw a request nobody has claimed (and then knows nothing happened).
 */
export class SchedulerMailbox {
  readonly paths: SchedulerLeasePaths;
  private readonly ownerId: string;
  private readonly pollMs: number;
  private readonly replyPollMs: number;
  private readonly replyTtlMs: number;
  private readonly clock: () => number;
  private readonly log: Logger;
  private serving: Serving | undefined;
  private readonly pendingSends = new Set<(error: Error) => void>();
  private disposed = false;

  static open(options: SchedulerMailboxOptions): SchedulerMailbox {
    return new SchedulerMailbox(options);
  }

  private constructor(options: SchedulerMailboxOptions) {
    this.paths = schedulerLeasePaths(options.dir, options.key);
    this.ownerId = options.ownerId;
    this.pollMs = options.pollMs ?? 1000;
    this.replyPollMs = options.replyPollMs ?? 200;
    this.replyTtlMs = options.replyTtlMs ?? 10 * 60_000;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? createLogger(silentSink, 'scheduler.mailbox');
  }

  launch(requests: readonly TaskRequest[], options?: MailboxSendOptions): Promise<MailboxReply> {
    return this.send({ kind: 'launch', requests }, options);
  }

  kill(taskId: string, options?: MailboxSendOptions): Promise<MailboxReply> {
    return this.send({ kind: 'kill', taskId }, options);
  }

  /**
   * Hands `request` to the lease holder and waits for its reply. Resolves with the reply whether the
   * holder said ok or not; rejects with MailboxTimeoutError when no reply comes in time, with the
   * signal's reason when aborted, and with a LeaseStorageError when the request cannot be written.
   */
  async send(request: MailboxRequest, options: MailboxSendOptions = {}): Promise<MailboxReply> {
    if (this.disposed) throw new Error('The scheduler mailbox is closed; reopen the cluster to send requests.');
    options.signal?.throwIfAborted();
    const timeoutMs = options.timeoutMs ?? 15_000;
    const requestId = randomUUID();
    const sentAt = this.clock();
    const envelope: MailboxEnvelope = { version: 1, requestId, sentAt, from: this.ownerId, request };
    const order = `${String(Math.max(0, Math.floor(sentAt))).padStart(15, '0')}-${String(sequence++ % 1e6).padStart(6, '0')}`;
    const requestPath = join(this.paths.inbox, `${order}-${requestId}.json`);
    const replyPath = join(this.paths.outbox, `${requestId}.json`);
    try {
      await mkdir(this.paths.inbox, { recursive: true });
      await mkdir(this.paths.outbox, { recursive: true });
    } catch (error) {
      throw this.writeError(error);
    }

    return new Promise<MailboxReply>((resolve, reject) => {
      let settled = false;
      let checkAgain = false;
      let checking: Promise<void> | undefined;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        watcher.close();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.pendingSends.delete(giveUp);
        settle();
      };
      /** Looks for the reply; a call during a look makes that look go round once more and waits for it. */
      const check = (): Promise<void> => {
        if (settled) return Promise.resolve();
        if (checking !== undefined) {
          checkAgain = true;
          return checking;
        }
        checking = (async () => {
          do {
            checkAgain = false;
            try {
              const reply = await this.takeReply(replyPath, requestId);
              if (reply !== undefined) {
                finish(() => ('error' in reply ? reject(reply.error) : resolve(reply)));
                return;
              }
            } catch (error) {
              this.log.debug('looking for a mailbox reply failed; looking again', error);
            }
          } while (checkAgain && !settled);
        })().finally(() => {
          checking = undefined;
        });
        return checking;
      };
      const giveUp = (error?: Error): void => {
        if (settled) return;
        void (async () => {
          let withdrawn = false;
          try {
            withdrawn = await removeIfPresent(requestPath);
          } catch (removeError) {
            this.log.debug('withdrawing a mailbox request failed', removeError);
          }
          // The reply may have landed right at the deadline: a reply beats a timeout.
          if (!withdrawn) await check();
          finish(() => reject(error ?? new MailboxTimeoutError(requestId, timeoutMs, !withdrawn, options.where)));
        })();
      };
      const onAbort = () => giveUp(abortReason(options.signal));
      // Watch before writing, so that a fast reply is not missed.
      const watcher = watchDirectory(this.paths.outbox, () => void check(), {
        pollMs: this.replyPollMs,
        log: this.log,
      });
      const timer = setTimeout(() => giveUp(), timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pendingSends.add(giveUp);
      writeFileAtomic(requestPath, JSON.stringify(envelope)).then(
        () => check(),
        (error: unknown) => finish(() => reject(this.writeError(error))),
      );
    });
  }

  /**
   * Starts taking requests from the inbox (the lease holder does this while its lease is held). Requests
   * are handled one at a time, oldest first; the handler's answer (or its error's message) becomes the
   * reply. Rejects with a LeaseStorageError when the directories cannot be made.
   */
  async serve(handler: MailboxHandler): Promise<{ dispose(): Promise<void> }> {
    if (this.disposed) throw new Error('The scheduler mailbox is closed.');
    if (this.serving !== undefined) throw new Error('This scheduler mailbox already serves its inbox.');
    const serving: Serving = { handler, again: false, stopped: false, stuck: new Set(), lastSweepAt: 0 };
    this.serving = serving;
    try {
      await mkdir(this.paths.inbox, { recursive: true });
      await mkdir(this.paths.outbox, { recursive: true });
      await mkdir(this.paths.rejected, { recursive: true });
    } catch (error) {
      this.serving = undefined;
      throw new LeaseStorageError(this.paths.root, 'serve the scheduler inbox', error);
    }
    if (!serving.stopped) {
      serving.watcher = watchDirectory(this.paths.inbox, () => this.kick(serving), {
        pollMs: this.pollMs,
        log: this.log,
      });
      this.kick(serving);
    }
    return { dispose: () => this.stopServing(serving) };
  }

  /** Stops serving and fails pending sends; leaves files in place for whoever serves next. */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const giveUp of [...this.pendingSends]) {
      giveUp(new Error('The scheduler mailbox was closed before the other side answered.'));
    }
    if (this.serving !== undefined) await this.stopServing(this.serving);
  }

  private async stopServing(serving: Serving): Promise<void> {
    serving.stopped = true;
    serving.watcher?.close();
    if (this.serving === serving) this.serving = undefined;
    await serving.running;
  }

  private kick(serving: Serving): void {
    if (serving.stopped) return;
    if (serving.running !== undefined) {
      serving.again = true;
      return;
    }
    serving.running = (async () => {
      do {
        serving.again = false;
        await this.drain(serving);
      } while (serving.again && !serving.stopped);
    })()
      .catch((error: unknown) => this.log.warn('reading the scheduler inbox failed; trying again', error))
      .finally(() => {
        serving.running = undefined;
      });
  }

  private async drain(serving: Serving): Promise<void> {
    const entries = await readdir(this.paths.inbox, { withFileTypes: true });
    const names = entries
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && !serving.stuck.has(entry.name))
      .map((entry) => entry.name)
      .sort();
    for (const name of names) {
      if (serving.stopped) return;
      await this.take(serving, name);
    }
    if (Date.now() - serving.lastSweepAt >= SWEEP_EVERY_MS) {
      serving.lastSweepAt = Date.now();
      await this.sweep();
    }
  }

  private async take(serving: Serving, name: string): Promise<void> {
    const path = join(this.paths.inbox, name);
    let text: string;
    try {
      if ((await stat(path)).size > MAX_REQUEST_BYTES) {
        await this.reject(serving, name, `larger than ${MAX_REQUEST_BYTES} bytes`, undefined);
        return;
      }
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // withdrawn, or taken by another holder
      throw error;
    }
    const parsed = name.endsWith('.json') ? parseMailboxEnvelope(text) : { problem: 'its name does not end in .json' };
    if ('problem' in parsed) {
      await this.reject(serving, name, parsed.problem, parsed.requestId);
      return;
    }
    if (!(await removeIfPresent(path))) return;
    const { envelope } = parsed;
    this.log.info(
      `request ${envelope.requestId} from ${envelope.from || 'another window'}: ${describe(envelope.request)}`,
    );
    let answer: MailboxAnswer;
    try {
      answer = normalizeAnswer(await serving.handler(envelope.request, envelope));
    } catch (error) {
      answer = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    await this.reply(envelope.requestId, answer);
  }

  private async reject(serving: Serving, name: string, problem: string, requestId: string | undefined): Promise<void> {
    const path = join(this.paths.inbox, name);
    const target = join(this.paths.rejected, `${String(Date.now()).padStart(15, '0')}-${name}`);
    try {
      await renameRetrying(path, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      if (!(await removeIfPresent(path).catch(() => false))) {
        serving.stuck.add(name);
        this.log.error(`cannot move the malformed mailbox request ${path} away; ignoring it from now on`, error);
        return;
      }
    }
    this.log.warn(`rejected the mailbox request ${name}: ${problem}; kept as ${target}`);
    if (requestId !== undefined) {
      await this.reply(requestId, { ok: false, message: `The scheduler could not read the request: ${problem}.` });
    }
    await this.trimRejected();
  }

  private async reply(requestId: string, answer: MailboxAnswer): Promise<void> {
    const reply: MailboxReply = {
      version: 1,
      requestId,
      ok: answer.ok,
      message: answer.message,
      repliedAt: this.clock(),
    };
    try {
      await writeFileAtomic(join(this.paths.outbox, `${requestId}.json`), JSON.stringify(reply));
    } catch (error) {
      this.log.warn(`could not write the reply to request ${requestId}; its sender will time out`, error);
    }
  }

  /** The reply, removed from the outbox; undefined while there is none. */
  private async takeReply(path: string, requestId: string): Promise<MailboxReply | { error: Error } | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    await removeIfPresent(path);
    const reply = parseReply(text, requestId);
    if (reply !== undefined) return reply;
    return {
      error: new Error(
        `The scheduler's reply to request ${requestId} could not be read (another version of the extension?). ` +
          'Check its tasks to see whether the request was carried out.',
      ),
    };
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    await sweepScratchFiles(this.paths.inbox, 60_000, now);
    await sweepScratchFiles(this.paths.outbox, 60_000, now);
    try {
      for (const name of await readdir(this.paths.outbox)) {
        const path = join(this.paths.outbox, name);
        const info = await stat(path).catch(() => undefined);
        if (info?.isFile() && now - info.mtimeMs > this.replyTtlMs) await removeIfPresent(path).catch(() => false);
      }
    } catch (error) {
      this.log.debug('cleaning the scheduler outbox failed', error);
    }
  }

  private async trimRejected(): Promise<void> {
    try {
      const names = (await readdir(this.paths.rejected)).filter((name) => !name.startsWith('.')).sort();
      for (const name of names.slice(0, Math.max(0, names.length - KEEP_REJECTED))) {
        await removeIfPresent(join(this.paths.rejected, name));
      }
    } catch (error) {
      this.log.debug('trimming rejected mailbox requests failed', error);
    }
  }

  private writeError(error: unknown): Error {
    return new LeaseStorageError(this.paths.root, 'hand the request to the scheduler', error);
  }
}

function parseReply(text: string, requestId: string): MailboxReply | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (typeof value !== 'object' || value === null) return undefined;
    if (typeof value.ok !== 'boolean' || typeof value.message !== 'string') return undefined;
    const repliedAt = typeof value.repliedAt === 'number' ? value.repliedAt : 0;
    return { version: 1, requestId, ok: value.ok, message: value.message, repliedAt };
  } catch {
    return undefined;
  }
}

function normalizeAnswer(answer: unknown): MailboxAnswer {
  const a = answer as Partial<MailboxAnswer> | undefined;
  if (a !== undefined && a !== null && typeof a.ok === 'boolean') {
    return { ok: a.ok, message: typeof a.message === 'string' ? a.message : a.ok ? 'Done.' : 'Refused.' };
  }
  return { ok: false, message: 'The scheduler gave no answer to the request.' };
}

function describe(request: MailboxRequest): string {
  return request.kind === 'kill' ? `kill ${request.taskId}` : `launch ${request.requests.map((r) => r.id).join(', ')}`;
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('The request to the scheduler was cancelled.');
}
