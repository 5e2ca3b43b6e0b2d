import { mergeClusterChanges, type ClusterChange } from './clusterChange';

/** The timers the coalescer uses; tests pass a fake one. */
export interface CoalescerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemCoalescerClock: CoalescerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CoalescerOptions {
  /** Quiet time after the last change before delivering (default 200 ms). */
  readonly delayMs?: number;
  /** Longest a change waits while changes keep coming (default 1000 ms), so a busy stream still paints. */
  readonly maxDelayMs?: number;
  readonly clock?: CoalescerClock;
}

/**
 * Merges the model's change batches and delivers one after a quiet moment, at most `maxDelayMs` after
 * the first: a stream of thousands of task updates becomes a few tree refreshes per second.
 */
export class ClusterChangeCoalescer {
  private readonly delayMs: number;
  private readonly maxDelayMs: number;
  private readonly clock: CoalescerClock;
  private waiting: ClusterChange | undefined;
  private firstAt = 0;
  private timer: unknown;
  private disposed = false;

  constructor(
    private readonly deliver: (change: ClusterChange) => void,
    options: CoalescerOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 200;
    this.maxDelayMs = Math.max(this.delayMs, options.maxDelayMs ?? 1000);
    this.clock = options.clock ?? systemCoalescerClock;
  }

  push(change: ClusterChange): void {
    if (this.disposed) return;
    const now = this.clock.now();
    if (this.waiting === undefined) {
      this.waiting = change;
      this.firstAt = now;
    } else {
      this.waiting = mergeClusterChanges(this.waiting, change);
    }
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    const due = Math.min(now + this.delayMs, this.firstAt + this.maxDelayMs);
    this.timer = this.clock.setTimeout(() => this.flush(), Math.max(0, due - now));
  }

  /** Delivers what waits now, if anything. */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const change = this.waiting;
    this.waiting = undefined;
    if (change !== undefined && !this.disposed) this.deliver(change);
  }

  /** Drops what waits and stops the timer. */
  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = undefined;
  }
}
