import { performance } from 'node:perf_hooks';

export interface SliceOptions {
  /** Work done between two turns of the event loop, in milliseconds (default 5). */
  readonly sliceMs?: number;
  readonly signal?: AbortSignal;
  /** How to give the event loop a turn (default: setImmediate, so timers and I/O run in between). */
  readonly yieldToLoop?: () => Promise<void>;
}

export interface SliceStats {
  readonly slices: number;
  /** The longest stretch of work without a turn of the event loop (a step's own length can exceed sliceMs). */
  readonly longestSliceMs: number;
  /** From start to end, turns of the event loop included. */
  readonly durationMs: number;
  /** Work alone, turns excluded. */
  readonly busyMs: number;
}

// Well under the 50 ms a block may last: a step can overrun the budget, and a collection can fall in it.
const DEFAULT_SLICE_MS = 5;

export const yieldWithSetImmediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `work` (a generator that yields between small steps) in slices of about `sliceMs`, giving the
 * event loop a turn between slices: the extension host is shared with every other extension, so no
 * single block may last long. Throws the signal's reason when it is aborted between two slices.
 */
export async function runInSlices(work: Iterator<unknown>, options: SliceOptions = {}): Promise<SliceStats> {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const yieldToLoop = options.yieldToLoop ?? yieldWithSetImmediate;
  const started = performance.now();
  let slices = 0;
  let longest = 0;
  let busy = 0;
  let done = false;
  try {
    options.signal?.throwIfAborted();
    for (;;) {
      const sliceStart = performance.now();
      // At least one step per slice, whatever the budget.
      do done = work.next().done === true;
      while (!done && performance.now() - sliceStart < sliceMs);
      const length = performance.now() - sliceStart;
      busy += length;
      longest = Math.max(longest, length);
      slices++;
      if (done) break;
      await yieldToLoop();
      options.signal?.throwIfAborted();
    }
  } finally {
    // Stopped early (abort, or a step threw): let the work run its finally blocks.
    if (!done) work.return?.();
  }
  return { slices, longestSliceMs: longest, durationMs: performance.now() - started, busyMs: busy };
}
