import type { Endpoint } from '../../http/endpoint';
import { HttpStatusError, MesosHttpError } from '../../http/errors';
import { resolveRedirect } from '../../http/resolveRedirect';
import { createLogger, silentSink, type Logger, type LogSink } from '../../log/logSink';
import { Backoff } from '../../util/backoff';
import { EndpointPool, type MasterEndpointOptions } from '../connection/endpointPool';
import {
  type Disposable,
  type LeaderDetector,
  type LeaderDetectorStatus,
  type MasterLocation,
} from './leaderDetector';
import { LeaderDetectionError } from './leaderDetectionError';
import { LeaderTracker } from './leaderTracker';
import { parseMasterUrl, type HttpMasterList } from './parseMasterUrl';
import { waitForLeader } from './waitForLeader';

export interface HttpLeaderDetectorOptions {
  readonly sink?: LogSink;
  /** Endpoints shared with the rest of the cluster's clients; the detector does not close them. */
  readonly endpoints?: EndpointPool;
  /** TLS, proxy and timeouts for the detector's own endpoints, used when `endpoints` is absent. */
  readonly endpoint?: MasterEndpointOptions;
  /** Pause between checks while a leader is known (default 30 s): leadership rarely moves. */
  readonly recheckIntervalMs?: number;
  /** Longest wait for one master's answer (default 5 s), so one dead master does not hold up the others. */
  readonly probeTimeoutMs?: number;
  /** Shortest pause between two checks asked for by suspect() (default 1 s). */
  readonly minRecheckMs?: number;
  /** Backoff between checks while no leader is known (default 500 ms doubling up to 15 s). */
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** Injectable for deterministic tests. */
  readonly random?: () => number;
}

type ProbeResult = { kind: 'leader'; leader: MasterLocation } | { kind: 'no-leader' };

interface ProbeFailure {
  readonly master: string;
  readonly error: unknown;
}

/**
 * Finds the leading master of a cluster configured as a list of master URLs, with no ZooKeeper: every
 * master answers `GET /master/redirect` with a 307 whose `Location: //host:port` names the leader (the
 * leader names itself), or 503 when it knows none (reference §8.3). Masters are asked one after the
 * other, the last known leader first. Checks again every `recheckIntervalMs`, with backoff while no
 * leader is known, and at once when a client reports trouble with the leader through suspect().
 */
export class HttpLeaderDetector implements LeaderDetector {
  /** The configured masters (normalised base URLs). */
  readonly masters: readonly string[];
  readonly display: string;
  private readonly log: Logger;
  private readonly tracker: LeaderTracker;
  private readonly pool: EndpointPool;
  private readonly ownsPool: boolean;
  private readonly recheckIntervalMs: number;
  private readonly probeTimeoutMs: number;
  private readonly minRecheckMs: number;
  private readonly backoff: Backoff;
  private readonly origins: ReadonlyMap<string, string>;

  private started = false;
  private closing: Promise<void> | undefined;
  private readonly closeController = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timerDue = 0;
  private checking: Promise<void> | undefined;
  private checkAgain = false;
  private lastCheckStarted = -Infinity;

  constructor(masters: string | readonly string[] | HttpMasterList, options: HttpLeaderDetectorOptions = {}) {
    const parsed =
      typeof masters === 'string'
        ? parseMasterUrl(masters)
        : isList(masters)
          ? masters
          : parseMasterUrl(masters.join(','));
    if (parsed.kind !== 'http') {
      throw new LeaderDetectionError(
        'invalidMasterUrl',
        `"${parsed.display}" is a zk:// URL, which the HTTP master-list detector cannot follow.`,
        'Use the ZooKeeper leader detector (createLeaderDetector picks the right one).',
      );
    }
    this.masters = parsed.masters;
    this.display = parsed.display;
    this.log = createLogger(options.sink ?? silentSink, 'mesos.leader.http');
    this.tracker = new LeaderTracker(this.log);
    this.ownsPool = options.endpoints === undefined;
    this.pool = options.endpoints ?? new EndpointPool(options.endpoint);
    this.recheckIntervalMs = options.recheckIntervalMs ?? 30_000;
    this.probeTimeoutMs = options.probeTimeoutMs ?? 5_000;
    this.minRecheckMs = options.minRecheckMs ?? 1_000;
    this.backoff = new Backoff({
      initialMs: options.retryInitialMs ?? 500,
      maxMs: Math.max(options.retryMaxMs ?? 15_000, options.retryInitialMs ?? 500),
      random: options.random,
    });
    this.origins = new Map(this.masters.map((master) => [new URL(master).origin, master]));
  }

  get leader(): MasterLocation | undefined {
    return this.tracker.leader;
  }

  get status(): LeaderDetectorStatus {
    return this.tracker.status;
  }

  start(signal?: AbortSignal): Promise<MasterLocation> {
    if (!this.started && this.closing === undefined) {
      this.started = true;
      this.log.info(`Looking for the leading master among ${this.display}`);
      this.tracker.setStatus({ state: 'connecting', message: `Asking the masters ${this.display} which one leads…` });
      this.runCheck();
    }
    return waitForLeader(this, signal);
  }

  /**
   * A client had trouble with the leader (connection refused, 503, a redirect to another master): check
   * again soon instead of at the next periodic check. Calls close together cause one check.
   */
  suspect(reason?: string): void {
    if (!this.started || this.closing !== undefined) return;
    if (reason) this.log.debug(`Checking the leader again: ${reason}`);
    const due = this.lastCheckStarted + this.minRecheckMs;
    const now = Date.now();
    if (due <= now) {
      this.runCheck();
      return;
    }
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    if (this.timer === undefined || this.timerDue > due) this.scheduleCheck(due - now);
  }

  onLeaderChange(listener: (leader: MasterLocation | undefined) => void): Disposable {
    return this.tracker.onLeaderChange(listener);
  }

  onStatusChange(listener: (status: LeaderDetectorStatus) => void): Disposable {
    return this.tracker.onStatusChange(listener);
  }

  /** Stops detecting: no timer, request or (own) socket is left when it resolves. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.clearTimer();
    this.closeController.abort(new Error('The leader detector was closed'));
    this.tracker.close({ state: 'closed', message: 'Leader detection stopped.' });
    const checking = this.checking ?? Promise.resolve();
    this.closing = checking.then(() => (this.ownsPool ? this.pool.close() : undefined));
    return this.closing;
  }

  private runCheck(): void {
    if (this.closing !== undefined) return;
    if (this.checking) {
      this.checkAgain = true;
      return;
    }
    this.clearTimer();
    this.lastCheckStarted = Date.now();
    this.checking = this.check()
      .catch((error: unknown) => this.log.error('Checking the leading master failed unexpectedly', error))
      .finally(() => {
        this.checking = undefined;
        if (this.closing !== undefined) return;
        if (this.checkAgain) {
          this.checkAgain = false;
          this.suspect();
          if (this.checking || this.timer) return;
        }
        this.scheduleCheck(this.tracker.status.state === 'leader' ? this.recheckIntervalMs : this.backoff.next());
      });
  }

  private scheduleCheck(delayMs: number): void {
    this.clearTimer();
    if (this.closing !== undefined) return;
    this.timerDue = Date.now() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runCheck();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    const failures: ProbeFailure[] = [];
    const withoutLeader: string[] = [];
    for (const master of this.probeOrder()) {
      if (this.closing !== undefined) return;
      let result: ProbeResult;
      try {
        result = await this.probe(master);
      } catch (error) {
        if (this.closing !== undefined) return;
        this.log.debug(`${master}/master/redirect failed: ${describe(error)}`);
        failures.push({ master, error });
        continue;
      }
      if (this.closing !== undefined) return;
      if (result.kind === 'no-leader') {
        withoutLeader.push(master);
        continue;
      }
      this.backoff.reset();
      this.tracker.setLeader(result.leader);
      const shown = this.tracker.leader ?? result.leader;
      this.tracker.setStatus({
        state: 'leader',
        message: `Leading master: ${shown.url} (named by ${master}).`,
        leader: shown,
      });
      return;
    }
    if (withoutLeader.length > 0) {
      this.tracker.setLeader(undefined);
      const unreachable = failures.length > 0 ? ` ${failures.map((f) => f.master).join(', ')} did not answer.` : '';
      this.tracker.setStatus({
        state: 'noLeader',
        message:
          `No master knows a leader right now (${withoutLeader.join(', ')} answered 503): an election is under way ` +
          `or the masters cannot reach ZooKeeper.${unreachable} Asking again with backoff.`,
      });
      return;
    }
    this.reportUnreachable(failures);
  }

  private reportUnreachable(failures: readonly ProbeFailure[]): void {
    const details = failures.map((f) => `${f.master}: ${describe(f.error)}`).join('; ');
    const kept = this.tracker.leader ? ` Keeping ${this.tracker.leader.url} as the leader until a master says otherwise.` : '';
    const permanent =
      failures.length > 0 && failures.every((f) => f.error instanceof MesosHttpError && !f.error.retryable);
    if (permanent) {
      // Every master answered, but not as a Mesos master does (TLS refused, HTML page, 404): settings, not luck.
      const first = failures[0]?.error;
      const error = new LeaderDetectionError(
        'invalidMasterUrl',
        `None of the masters ${this.display} answered /master/redirect as a Mesos master does (${details}).`,
        first instanceof MesosHttpError ? first.nextStep : 'Check the masters setting of the cluster.',
        { cause: first },
      );
      this.log.warn(error.reason);
      this.tracker.setStatus({ state: 'failed', message: error.message, ...this.tracker.leaderField(), error });
      return;
    }
    this.log.warn(`No master answered: ${details}`);
    this.tracker.setStatus({
      state: 'unreachable',
      message: `Cannot reach any master of ${this.display} (${details}).${kept} Still trying.`,
      ...this.tracker.leaderField(),
    });
  }

  /** The last known leader first (it answers for itself), then the others in configured order. */
  private probeOrder(): string[] {
    const leader = this.tracker.leader ? this.configuredMaster(new URL(this.tracker.leader.url)) : undefined;
    return leader && this.masters.includes(leader)
      ? [leader, ...this.masters.filter((m) => m !== leader)]
      : [...this.masters];
  }

  private async probe(master: string): Promise<ProbeResult> {
    const endpoint: Endpoint = this.pool.get(master);
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException(`No answer within ${this.probeTimeoutMs} ms`, 'TimeoutError')),
      this.probeTimeoutMs,
    );
    try {
      const response = await endpoint.request({
        path: '/master/redirect',
        signal: AbortSignal.any([this.closeController.signal, deadline.signal]),
        allowStatus: [307],
        headersTimeoutMs: this.probeTimeoutMs,
        maxBodyBytes: 64 * 1024,
      });
      const location = response.headers.get('location');
      if (response.status !== 307 || location === null) {
        throw new LeaderDetectionError(
          'invalidMasterUrl',
          `${master} answered /master/redirect with ${response.status}${location === null ? ' and no Location' : ''} ` +
            'instead of a 307 naming the leader, so it is not a Mesos master (or something in front of it answers).',
          'Check that the URL points at a Mesos master (port 5050 by default).',
        );
      }
      const target = resolveRedirect(location, response.url);
      const url = this.configuredMaster(target) ?? `${target.protocol}//${target.host}`;
      return { kind: 'leader', leader: { url, hostname: target.hostname } };
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 503) return { kind: 'no-leader' };
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A configured master with the same origin keeps its scheme and path prefix. */
  private configuredMaster(url: URL): string | undefined {
    return this.origins.get(url.origin);
  }



}

function isList(value: readonly string[] | HttpMasterList): value is HttpMasterList {
  return !Array.isArray(value) && (value as HttpMasterList).kind === 'http';
}

function describe(error: unknown): string {
  if (error instanceof LeaderDetectionError) return error.reason;
  if (error instanceof Error) return error.message;
  return String(error);
}
