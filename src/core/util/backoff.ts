/**
 * Exponential backoff with full jitter, for reconnect loops: spreading retries randomly keeps many
 * editors (or many clusters in one editor) from hammering a recovering master in lockstep.
 */
export interface BackoffOptions {
  /** First delay's upper bound. */
  readonly initialMs: number;
  /** Cap on any delay. */
  readonly maxMs: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
  /** Share of each delay that is randomised, 0..1 (default 0.5: delays fall in [d/2, d]). */
  readonly jitter?: number;
  /** Injectable for deterministic tests. */
  readonly random?: () => number;
}

export class Backoff {
  private attempts = 0;

  constructor(private readonly options: BackoffOptions) {
    if (!(options.initialMs > 0) || !(options.maxMs >= options.initialMs)) {
      throw new RangeError(`backoff needs 0 < initialMs <= maxMs (got ${options.initialMs}, ${options.maxMs})`);
    }
  }

  /** How many delays were handed out since the last reset. */
  get attempt(): number {
    return this.attempts;
  }

  /** The next delay in milliseconds. */
  next(): number {
    const { initialMs, maxMs, factor = 2, jitter = 0.5, random = Math.random } = this.options;
    const ceiling = Math.min(maxMs, initialMs * factor ** Math.min(this.attempts, 64));
    this.attempts++;
    return Math.round(ceiling * (1 - jitter) + ceiling * jitter * random());
  }

  /** Call after a success: the next failure starts from the initial delay again. */
  reset(): void {
    this.attempts = 0;
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. Leaves no timer behind. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
