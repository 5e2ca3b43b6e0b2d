import { createHash, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { createLogger, silentSink, type Logger } from '../../log/logSink';
import {
  createExclusive,
  readSnapshot,
  removeIfPresent,
  renameRetrying,
  scratchPathFor,
  sweepScratchFiles,
  writeFileAtomic,
  type FileSnapshot,
} from './atomicFile';
import { LeaseStorageError } from './leaseStorageError';
import { leaseInfoText, parseLeaseInfo, type LeaseInfo, type SchedulerWhere } from './leaseInfo';
import { processAlive } from './processAlive';
import { schedulerLeasePaths, type SchedulerLeasePaths } from './schedulerLeasePaths';

/**
 * - `held`: this process runs the cluster's scheduler.
 * - `lost`: it did, and no longer does (taken over, file removed, could not renew): stop the scheduler now.
 * - `free`: nobody live holds it (no lease, or a stale one).
 * - `other`: another window or the daemon holds it; show its status read-only and forward commands.
 */
export type LeaseState = 'held' | 'lost' | 'free' | 'other';

/** `holder` is the lease in the file when known: the other holder, our own, or the stale one for `free`. */
export type LeaseListener = (state: LeaseState, holder: LeaseInfo | undefined) => void;

export interface SchedulerLeaseOptions {
  /** The directory every window shares: the extension's global storage, or the daemon's state directory. */
  readonly dir: string;
  /** leaseKey(clusterName). */
  readonly key: string;
  readonly ownerId: string;
  readonly where: SchedulerWhere;
  /** How often the holder proves it is alive (default 2000). */
  readonly heartbeatMs?: number;
  /** How old a heartbeat makes a lease free to take over (default 10000; at least 3 heartbeats). */
  readonly staleMs?: number;
  /** Epoch milliseconds; tests move it to make leases old. */
  readonly clock?: () => number;
  readonly log?: Logger;
}

export interface LeaseWatchOptions {
  /** How often a non-holder looks at the lease (default: heartbeatMs). */
  readonly pollMs?: number;
  /**
   * Asked each time the lease is found free; true takes it (exactly one of several watchers wins).
   * `previous` is the stale holder, if there was one; `reason` says why it counts as gone.
   */
  readonly takeOver?: (previous: LeaseInfo | undefined, reason: string) => boolean | Promise<boolean>;
}

interface Holding {
  /** Changes when the holder renews after a pause. */
  token: string;
  readonly since: number;
  /** The heartbeatAt last written (our clock). */
  lastBeatAt: number;
}

interface Observed extends FileSnapshot {
  readonly info: LeaseInfo | undefined;
}

/**
 * One scheduler per cluster across processes: a lease file `<dir>/<key>/lease.json`, created exclusively,
 * renewed by a heartbeat, taken over when stale.
 *
 * Why two processes never both win:
 * - Creating a lease is exclusive (hard link of a finished file): of any number of contenders for a
 *   missing lease exactly one succeeds.
 * - A lease that exists is only ever replaced or deleted by the process that first creates its claim
 *   file (`.claim-<hash of its token>.1`, again exclusively). Every contender that judged it stale, and
 *   its own holder when it renews after a pause or releases, must win that claim first, so exactly one
 *   of them acts on it; the winner checks the lease is still the one it judged before replacing it
 *   (write + rename, so the file is never missing during a takeover). A claim whose claimant died or
 *   stalled for staleMs gives way to the next level.
 * - The holder's routine heartbeat skips the claim: it only rewrites its own lease while its last
 *   heartbeat is younger than `staleMs - heartbeatMs` (so nobody can yet judge it stale) and no claim on
 *   it exists. After a longer pause (a suspended laptop, a blocked event loop) it renews through a claim
 *   and reports `lost` if someone else got there first.
 * Staleness compares heartbeatAt with our clock (windows on one host share it; across hosts clocks must
 * agree within a heartbeat or two), and on the same host also asks whether the holder's pid still lives.
 * Claims are left as tombstones and swept after a minute.
 */
export class SchedulerLease {
  readonly paths: SchedulerLeasePaths;
  readonly ownerId: string;
  readonly where: SchedulerWhere;
  readonly heartbeatMs: number;
  readonly staleMs: number;
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly hostname = osHostname();
  private holding: Holding | undefined;
  private watching: { pollMs: number; takeOver?: LeaseWatchOptions['takeOver'] } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<LeaseListener>();
  private last: { state: LeaseState; token: string | undefined } | undefined;
  private disposed = false;

  static open(options: SchedulerLeaseOptions): SchedulerLease {
    return new SchedulerLease(options);
  }

  private constructor(options: SchedulerLeaseOptions) {
    this.paths = schedulerLeasePaths(options.dir, options.key);
    this.ownerId = options.ownerId;
    this.where = options.where;
    this.heartbeatMs = options.heartbeatMs ?? 2000;
    this.staleMs = options.staleMs ?? 10_000;
    if (!(this.heartbeatMs > 0) || !(this.staleMs >= 3 * this.heartbeatMs)) {
      throw new RangeError(
        `A scheduler lease needs heartbeatMs > 0 and staleMs >= 3 * heartbeatMs (got ${this.heartbeatMs} and ` +
          `${this.staleMs}), so that a late heartbeat is not taken for a dead holder. Raise staleMs.`,
      );
    }
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? createLogger(silentSink, 'scheduler.lease');
  }

  /** The last state reported to listeners (undefined before the first look). */
  get state(): LeaseState | undefined {
    return this.last?.state;
  }

  get isHeld(): boolean {
    return this.holding !== undefined;
  }

  /**
   * Takes the lease if it is free or stale; true if this process holds it now. Rejects with a
   * LeaseStorageError when the shared directory cannot be used.
   */
  tryAcquire(): Promise<boolean> {
    if (this.disposed) return Promise.resolve(false);
    return this.serialize(() => this.acquire())
      .catch((error: unknown) => {
        throw new LeaseStorageError(this.paths.root, 'take the scheduler lease', error);
      })
      .finally(() => this.schedule());
  }

  /** The live holder (possibly this process), or undefined when nobody holds it or the file is unreadable. */
  async holder(): Promise<LeaseInfo | undefined> {
    const seen = await this.read();
    if (seen?.info === undefined) return undefined;
    return (await this.staleReason(seen)) === undefined ? seen.info : undefined;
  }

  onChange(listener: LeaseListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Keeps looking at the lease while this process does not hold it: reports `other`/`free`, and offers a
   * free lease to `takeOver`. Looks once at once.
   */
  watch(options: LeaseWatchOptions = {}): { dispose(): void } {
    const watching = { pollMs: options.pollMs ?? this.heartbeatMs, takeOver: options.takeOver };
    this.watching = watching;
    if (!this.disposed) this.runTimed();
    return {
      dispose: () => {
        if (this.watching === watching) this.watching = undefined;
        this.schedule();
      },
    };
  }

  /** Gives the lease up (if held) and keeps watching if asked to. */
  async release(): Promise<void> {
    await this.serialize(async () => {
      const holding = this.holding;
      if (holding === undefined) return;
      this.holding = undefined;
      await this.removeOwn(holding);
      this.emit('free', undefined);
    });
    this.schedule();
  }

  /** Stops every timer and releases the lease if held. Listeners hear nothing more. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.watching = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.serialize(async () => {
      const holding = this.holding;
      this.holding = undefined;
      if (holding !== undefined) {
        await this.removeOwn(holding).catch((error: unknown) =>
          this.log.warn('could not release the scheduler lease', error),
        );
      }
    });
    this.listeners.clear();
  }

  private async acquire(): Promise<boolean> {
    if (this.disposed) return false;
    if (this.holding !== undefined) return true;
    await mkdir(this.paths.root, { recursive: true });
    await sweepScratchFiles(this.paths.root, Math.max(2 * this.staleMs, 60_000));
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.clock();
      const info = this.infoFor(randomUUID(), now, now);
      if (await createExclusive(this.paths.lease, leaseInfoText(info))) {
        this.hold(info, undefined);
        return true;
      }
      const seen = await this.read();
      if (seen === undefined) continue;
      const stale = await this.staleReason(seen);
      if (stale === undefined) {
        this.emit('other', seen.info);
        return false;
      }
      const claim = await this.claim(seen, info);
      if (!claim.claimed) {
        this.emit('other', claim.by);
        return false;
      }
      // Ours to replace, unless it changed after we judged it (renewed, released).
      const current = await this.read();
      if (current?.text === seen.text) {
        await writeFileAtomic(this.paths.lease, leaseInfoText(info));
        this.hold(info, `the previous holder ${describeHolder(seen.info)} was stale: ${stale}`);
        return true;
      }
      await removeIfPresent(claim.path);
    }
    this.log.warn(`the scheduler lease ${this.paths.lease} kept changing hands; not taking it this time`);
    return false;
  }

  private hold(info: LeaseInfo, previous: string | undefined): void {
    this.holding = { token: info.token, since: info.since, lastBeatAt: info.heartbeatAt };
    this.log.info(`this ${this.where} now runs the scheduler (${this.paths.root})${previous ? `; ${previous}` : ''}`);
    this.emit('held', info);
  }

  /**
   * The right to replace or remove the lease `seen`: an exclusive claim file named after its token, so of
   * all the processes that judged it stale (its own holder included) exactly one acts on it. A claim
   * whose claimant died or stalled for staleMs gives way to the next level.
   */
  private async claim(
    seen: Observed,
    claimant: LeaseInfo,
  ): Promise<{ claimed: true; path: string } | { claimed: false; by: LeaseInfo | undefined }> {
    let by: LeaseInfo | undefined;
    for (let level = 1; level <= 4; level++) {
      const path = this.claimPath(seen, level);
      if (await createExclusive(path, leaseInfoText(claimant))) return { claimed: true, path };
      const other = await readSnapshot(path);
      if (other === undefined) continue; // swept just now: the next level is as good
      by = parseLeaseInfo(other.text);
      if ((await this.staleReason({ ...other, info: by })) === undefined) return { claimed: false, by };
    }
    return { claimed: false, by };
  }

  private claimPath(seen: Observed, level: number): string {
    const identity = seen.info !== undefined ? `token:${seen.info.token}` : `text:${seen.text}`;
    const digest = createHash('sha256').update(identity).digest('hex').slice(0, 24);
    return join(this.paths.root, `.claim-${digest}.${level}`);
  }

  private async beat(): Promise<void> {
    const holding = this.holding;
    if (holding === undefined) return;
    try {
      if (this.clock() - holding.lastBeatAt >= this.renewAfterMs) {
        await this.renewAfterPause(holding);
        return;
      }
      const now = this.clock();
      const scratch = scratchPathFor(this.paths.lease);
      await writeFile(scratch, leaseInfoText(this.infoFor(holding.token, holding.since, now)), { mode: 0o600 });
      try {
        const current = await this.read();
        if (current?.info?.token !== holding.token) {
          this.lose(current?.info, current ? 'another holder replaced its lease' : 'its lease file was removed');
          return;
        }
        // A claim on our token means someone judged us stale (their clock disagrees): settle it the safe way.
        const claimed = await readSnapshot(this.claimPath(current, 1));
        // Checked right before replacing: younger than renewAfterMs means nobody can have judged it stale.
        if (claimed !== undefined || this.clock() - holding.lastBeatAt >= this.renewAfterMs) {
          await this.renewAfterPause(holding);
          return;
        }
        await renameRetrying(scratch, this.paths.lease);
        holding.lastBeatAt = now;
      } finally {
        await removeIfPresent(scratch).catch(() => undefined);
      }
    } catch (error) {
      if (this.holding !== holding) return;
      if (this.clock() - holding.lastBeatAt >= this.renewAfterMs) {
        this.lose(undefined, `its lease could not be renewed (${(error as Error).message})`);
      } else {
        this.log.warn('could not renew the scheduler lease; trying again at the next heartbeat', error);
      }
    }
  }

  /**
   * After a pause long enough that someone may be taking the lease over, renew only the way a breaker
   * would: claim our own lease first (so a breaker and we cannot both act on it), then replace it with
   * a new token.
   */
  private async renewAfterPause(holding: Holding): Promise<void> {
    const pausedMs = this.clock() - holding.lastBeatAt;
    const current = await this.read();
    if (current?.info?.token !== holding.token) {
      this.lose(current?.info, current ? 'another holder took it over' : 'its lease file was removed');
      return;
    }
    const now = this.clock();
    const next = this.infoFor(randomUUID(), holding.since, now);
    const claim = await this.claim(current, next);
    if (!claim.claimed) {
      this.lose(claim.by, 'another holder was taking it over');
      return;
    }
    const after = await this.read();
    if (after?.text !== current.text) {
      this.lose(after?.info, 'another holder took it over');
      return;
    }
    await writeFileAtomic(this.paths.lease, leaseInfoText(next));
    holding.token = next.token;
    holding.lastBeatAt = now;
    this.log.info(`renewed the scheduler lease after a pause of ${seconds(pausedMs)} s`);
  }

  private lose(holder: LeaseInfo | undefined, why: string): void {
    this.holding = undefined;
    this.log.warn(
      `this ${this.where} no longer runs the scheduler: ${why}${holder ? ` (now ${describeHolder(holder)})` : ''}`,
    );
    this.emit('lost', holder);
  }

  /** Deletes our lease, after claiming it so that it cannot be a lease someone just took over. */
  private async removeOwn(holding: Holding): Promise<void> {
    const current = await this.read();
    if (current?.info?.token !== holding.token) return;
    const claim = await this.claim(current, this.infoFor(holding.token, holding.since, this.clock()));
    if (!claim.claimed) return; // being taken over: it is no longer ours to delete
    if ((await this.read())?.text === current.text) await removeIfPresent(this.paths.lease);
  }

  private async poll(): Promise<void> {
    const watching = this.watching;
    if (this.holding !== undefined || watching === undefined || this.disposed) return;
    const seen = await this.read();
    const stale = seen === undefined ? 'nobody holds it' : await this.staleReason(seen);
    if (stale === undefined) {
      this.emit('other', seen?.info);
      return;
    }
    this.emit('free', seen?.info);
    if (watching.takeOver === undefined) return;
    let wanted = false;
    try {
      wanted = await watching.takeOver(seen?.info, stale);
    } catch (error) {
      this.log.warn('deciding whether to take the scheduler over failed', error);
    }
    if (wanted && this.watching === watching) await this.acquire();
  }

  /** Why `seen` no longer holds the lease, or undefined while it does. */
  private async staleReason(seen: Observed): Promise<string | undefined> {
    const now = this.clock();
    const info = seen.info;
    if (info === undefined) {
      const age = now - seen.mtimeMs;
      return age >= this.staleMs ? `its lease file is unreadable and has not changed for ${seconds(age)} s` : undefined;
    }
    if (info.hostname === this.hostname && !(await processAlive(info.pid))) {
      return `its process ${info.pid} has ended`;
    }
    const age = now - info.heartbeatAt;
    if (age >= this.staleMs) return `its last heartbeat was ${seconds(age)} s ago`;
    // A heartbeat from the future (a clock far ahead) would otherwise keep a dead lease forever.
    if (age < -this.staleMs && now - seen.mtimeMs >= this.staleMs) {
      return `its heartbeat is dated ahead of this clock and the file has not changed for ${seconds(now - seen.mtimeMs)} s`;
    }
    return undefined;
  }

  private async read(): Promise<Observed | undefined> {
    const snapshot = await readSnapshot(this.paths.lease);
    return snapshot && { ...snapshot, info: parseLeaseInfo(snapshot.text) };
  }

  private get renewAfterMs(): number {
    return this.staleMs - this.heartbeatMs;
  }

  private infoFor(token: string, since: number, heartbeatAt: number): LeaseInfo {
    return {
      ownerId: this.ownerId,
      pid: process.pid,
      hostname: this.hostname,
      where: this.where,
      since,
      heartbeatAt,
      token,
    };
  }

  private emit(state: LeaseState, holder: LeaseInfo | undefined): void {
    const token = holder?.token;
    const last = this.last;
    if (last !== undefined && last.state === state && (state !== 'other' || last.token === token)) return;
    this.last = { state, token };
    for (const listener of [...this.listeners]) {
      try {
        listener(state, holder);
      } catch (error) {
        this.log.error('a scheduler lease listener failed', error);
      }
    }
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** One timer at a time: the heartbeat while held, else the watcher's poll. */
  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed) return;
    const delay = this.holding !== undefined ? this.heartbeatMs : this.watching?.pollMs;
    if (delay === undefined) return;
    this.timer = setTimeout(() => this.runTimed(), delay);
    this.timer.unref();
  }

  private runTimed(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.serialize(() => (this.holding !== undefined ? this.beat() : this.poll()))
      .catch((error: unknown) => this.log.warn('checking the scheduler lease failed; trying again', error))
      .finally(() => this.schedule());
  }
}

function describeHolder(info: LeaseInfo | undefined): string {
  return info === undefined
    ? '(unreadable lease)'
    : `${info.where} ${info.ownerId} (pid ${info.pid} on ${info.hostname})`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
