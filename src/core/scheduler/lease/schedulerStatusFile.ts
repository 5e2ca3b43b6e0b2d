import { mkdir, readFile } from 'node:fs/promises';
import type { SubscriptionState } from '../../mesos/connection/subscriptionStatus';
import { createLogger, silentSink, type Logger } from '../../log/logSink';
import type { DecisionKind, DecisionRecord } from '../decisionRecord';
import type { SchedulerState } from '../schedulerState';
import { writeFileAtomic } from './atomicFile';
import type { SchedulerWhere } from './leaseInfo';
import { schedulerLeasePaths, type SchedulerLeasePaths } from './schedulerLeasePaths';

/** One task as other windows list it. `state` is a Mesos TaskState name (any string a newer master sends). */
export interface SchedulerTaskSummary {
  readonly taskId: string;
  readonly requestId: string;
  readonly state: string;
  readonly agentId: string;
  readonly hostname: string;
}

export interface SchedulerSubscriptionSummary {
  readonly state: SubscriptionState;
  /** SubscriptionStatus.message: a sentence for people. */
  readonly message: string;
}

/** What the lease holder publishes in `<dir>/<key>/status.json` for the other windows to show read-only. */
export interface SchedulerStatus {
  readonly version: 1;
  /** Epoch ms of this write. The status is only rewritten on change, so age says nothing about liveness: ask the lease. */
  readonly publishedAt: number;
  readonly where: SchedulerWhere;
  /** The lease holder's ownerId: a status whose ownerId is not the live holder's is left over from an earlier one. */
  readonly ownerId: string;
  readonly frameworkId?: string;
  /** The leading master's base URL while subscribed. */
  readonly master?: string;
  readonly subscription: SchedulerSubscriptionSummary;
  readonly tasks: readonly SchedulerTaskSummary[];
  /** Requests waiting for an offer. */
  readonly pending: number;
  /** The most recent decisions, oldest first. */
  readonly decisions: readonly DecisionRecord[];
}

export type SchedulerStatusContent = Omit<SchedulerStatus, 'version' | 'publishedAt'>;

/** The tasks of a scheduler state, in the status file's terms. */
export function summarizeTasks(tasks: SchedulerState['tasks']): SchedulerTaskSummary[] {
  return Object.values(tasks).map((task) => ({
    taskId: task.taskId,
    requestId: task.request.id,
    state: task.state,
    agentId: task.agentId,
    hostname: task.hostname,
  }));
}

export interface SchedulerStatusPublisherOptions {
  readonly dir: string;
  readonly key: string;
  /** At most one write per this many ms; later snapshots replace earlier unwritten ones (default 500). */
  readonly minIntervalMs?: number;
  /** How many of the latest decisions to keep (default 50). */
  readonly maxDecisions?: number;
  /** Epoch ms for publishedAt. */
  readonly clock?: () => number;
  readonly log?: Logger;
}

/**
 * Writes the holder's status snapshots, at most about twice a second however fast the scheduler changes:
 * the newest snapshot wins and the last one is always written. Each write replaces the file in one step.
 */
export class SchedulerStatusPublisher {
  readonly paths: SchedulerLeasePaths;
  private readonly minIntervalMs: number;
  private readonly maxDecisions: number;
  private readonly clock: () => number;
  private readonly log: Logger;
  private latest: SchedulerStatusContent | undefined;
  private dirty = false;
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastWriteStartedAt = Number.NEGATIVE_INFINITY;
  private failing = false;
  private disposed = false;

  static open(options: SchedulerStatusPublisherOptions): SchedulerStatusPublisher {
    return new SchedulerStatusPublisher(options);
  }

  private constructor(options: SchedulerStatusPublisherOptions) {
    this.paths = schedulerLeasePaths(options.dir, options.key);
    this.minIntervalMs = options.minIntervalMs ?? 500;
    this.maxDecisions = options.maxDecisions ?? 50;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? createLogger(silentSink, 'scheduler.status');
  }

  /** Never throws and never waits: a failed write is logged and the next snapshot tries again. */
  publish(content: SchedulerStatusContent): void {
    if (this.disposed) return;
    this.latest = content;
    this.dirty = true;
    this.pump();
  }

  /** Writes the newest snapshot now if it is not written yet, and waits for it. */
  async flush(): Promise<void> {
    for (;;) {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (this.writing !== undefined) {
        await this.writing;
        continue;
      }
      if (!this.dirty) return;
      this.startWrite();
    }
  }

  /** Writes what is pending, then stops. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.flush();
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    if (this.writing !== undefined || this.timer !== undefined || !this.dirty || this.disposed) return;
    const wait = this.lastWriteStartedAt + this.minIntervalMs - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      this.timer.unref();
      return;
    }
    this.startWrite();
  }

  private startWrite(): void {
    const content = this.latest;
    this.dirty = false;
    if (content === undefined) return;
    this.lastWriteStartedAt = Date.now();
    this.writing = this.write(content).finally(() => {
      this.writing = undefined;
      this.pump();
    });
  }

  private async write(content: SchedulerStatusContent): Promise<void> {
    const status: SchedulerStatus = {
      version: 1,
      publishedAt: this.clock(),
      ...content,
      decisions: content.decisions.slice(-this.maxDecisions),
    };
    try {
      await mkdir(this.paths.root, { recursive: true });
      await writeFileAtomic(this.paths.status, JSON.stringify(status));
      if (this.failing) this.log.info('the scheduler status file is written again');
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.log.warn(
          `could not write the scheduler status to ${this.paths.status}; other windows show an old one`,
          error,
        );
      this.failing = true;
    }
  }
}

/**
 * What a reader got: `status` when anything usable was there, with defaults for what was missing;
 * `problems` says what was missing or unreadable, for the log (an empty list: all was well).
 */
export interface SchedulerStatusRead {
  readonly status?: SchedulerStatus;
  /** now - publishedAt, when known. */
  readonly ageMs?: number;
  readonly problems: readonly string[];
}

/** Reads the holder's status; never throws, whatever is (or is not) in the file. */
export async function readSchedulerStatus(
  dir: string,
  key: string,
  options: { readonly clock?: () => number } = {},
): Promise<SchedulerStatusRead> {
  const path = schedulerLeasePaths(dir, key).status;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      problems: [
        code === 'ENOENT'
          ? 'no status has been published'
          : `the status file cannot be read (${code ?? (error as Error).message})`,
      ],
    };
  }
  return parseSchedulerStatus(text, (options.clock ?? Date.now)());
}

const SUBSCRIPTION_STATES: readonly SubscriptionState[] = [
  'idle',
  'connecting',
  'subscribed',
  'reconnecting',
  'failed',
  'closed',
];

export function parseSchedulerStatus(text: string, now: number): SchedulerStatusRead {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problems: [`the status file is not JSON (${(error as Error).message})`] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: ['the status file does not hold a JSON object'] };
  }
  const v = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof v.version === 'number' && v.version > 1) {
    problems.push(`written by a newer version (${v.version}); showing what this version understands`);
  }
  const publishedAt = finite(v.publishedAt) ? v.publishedAt : undefined;
  if (publishedAt === undefined) problems.push('publishedAt is missing');
  const where: SchedulerWhere = v.where === 'headless' ? 'headless' : 'window';
  if (v.where !== 'window' && v.where !== 'headless') problems.push('where is missing');
  const ownerId = typeof v.ownerId === 'string' ? v.ownerId : '';
  if (ownerId === '') problems.push('ownerId is missing');
  const subscription = readSubscription(v.subscription);
  if (subscription === undefined) problems.push('subscription is missing');
  const tasks = readList(v.tasks, readTask, 'tasks', problems);
  const decisions = readList(v.decisions, readDecision, 'decisions', problems);
  const pending = finite(v.pending) && v.pending >= 0 ? Math.floor(v.pending) : 0;
  if (!finite(v.pending)) problems.push('pending is missing');
  const status: SchedulerStatus = {
    version: 1,
    publishedAt: publishedAt ?? 0,
    where,
    ownerId,
    ...(typeof v.frameworkId === 'string' ? { frameworkId: v.frameworkId } : {}),
    ...(typeof v.master === 'string' ? { master: v.master } : {}),
    subscription: subscription ?? { state: 'idle', message: 'The scheduler did not say how its subscription stands.' },
    tasks,
    pending,
    decisions,
  };
  return { status, ...(publishedAt === undefined ? {} : { ageMs: now - publishedAt }), problems };
}

function readSubscription(value: unknown): SchedulerSubscriptionSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Record<string, unknown>;
  const state = SUBSCRIPTION_STATES.find((known) => known === s.state);
  if (state === undefined) return undefined;
  return { state, message: typeof s.message === 'string' ? s.message : '' };
}

function readTask(value: unknown): SchedulerTaskSummary | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const t = value as Record<string, unknown>;
  if (typeof t.taskId !== 'string' || t.taskId === '') return undefined;
  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  return {
    taskId: t.taskId,
    requestId: text(t.requestId),
    state: text(t.state),
    agentId: text(t.agentId),
    hostname: text(t.hostname),
  };
}

/** A decision kind this version does not know is kept: the webview renders the kind as text. */
function readDecision(value: unknown): DecisionRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const d = value as Record<string, unknown>;
  if (!finite(d.at) || typeof d.kind !== 'string' || typeof d.reason !== 'string') return undefined;
  const optional = (name: 'requestId' | 'taskId' | 'offerId' | 'agentId' | 'state') =>
    typeof d[name] === 'string' ? { [name]: d[name] } : {};
  return {
    at: d.at,
    kind: d.kind as DecisionKind,
    reason: d.reason,
    ...optional('requestId'),
    ...optional('taskId'),
    ...optional('offerId'),
    ...optional('agentId'),
    ...optional('state'),
    ...(d.call === 'ACCEPT' || d.call === 'KILL' ? { call: d.call } : {}),
  };
}

function readList<T>(value: unknown, read: (item: unknown) => T | undefined, name: string, problems: string[]): T[] {
  if (!Array.isArray(value)) {
    problems.push(`${name} is missing`);
    return [];
  }
  const out: T[] = [];
  for (const item of value) {
    const read1 = read(item);
    if (read1 !== undefined) out.push(read1);
  }
  if (out.length < value.length)
    problems.push(`${value.length - out.length} of ${value.length} ${name} could not be read`);
  return out;
}

function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}
