/** The timer and time source of an AppendCoalescer; tests pass a fake one. */
export interface CoalescerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: CoalescerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface AppendCoalescerOptions {
  /** Receives the text gathered since the last call; never called with an empty string. */
  readonly write: (text: string) => void;
  /** Shortest time between two writes (default 100 ms: at most about 10 a second). */
  readonly intervalMs?: number;
  readonly clock?: CoalescerClock;
}

/**
 * Gathers appended text and hands it on at most once per interval. An output channel redraws on every
 * append, so a log growing by many small pieces would otherwise keep the editor busy; the first append
 * after a quiet spell still goes out at once, so a slow log shows each line without delay.
 */
export class AppendCoalescer {
  private pending = '';
  private timer: unknown;
  private lastWrite = Number.NEGATIVE_INFINITY;
  private readonly intervalMs: number;
  private readonly clock: CoalescerClock;
  private disposed = false;

  constructor(private readonly options: AppendCoalescerOptions) {
    this.intervalMs = options.intervalMs ?? 100;
    this.clock = options.clock ?? systemClock;
  }

  /** How many writes went out so far. */
  writes = 0;

  append(text: string): void {
    if (this.disposed || text === '') return;
    this.pending += text;
    if (this.timer !== undefined) return;
    const wait = this.lastWrite + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  /** Writes what is pending now (before a closing line, or at the end). */
  flush(): void {
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.lastWrite = this.clock.now();
    this.writes++;
    this.options.write(text);
  }

  /** Writes what is pending and accepts nothing more; leaves no timer behind. */
  dispose(): void {
    if (this.disposed) return;
    this.flush();
    this.disposed = true;
  }
}
