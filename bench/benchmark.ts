import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * One row of the performance table. Machines here are shared and noisy, so every figure is reported
 * beside a baseline measured in the same run, as a ratio (../shared/performance.md).
 */
export interface BenchResult {
  readonly id: string; // B1…B6, with a suffix per case (B2.json, B2.protobuf…)
  readonly what: string;
  readonly figure: string; // the measured value with its unit
  readonly baseline: string; // the same-run baseline with its unit
  readonly ratio: number; // figure ÷ baseline, oriented so that bigger means better unless `lowerIsBetter`
  readonly target: string; // what the ratio (or figure) must reach
  readonly pass: boolean;
  readonly longestBlockMs: number; // the event loop's longest block while it ran
}

export interface Benchmark {
  readonly id: string;
  readonly title: string;
  run(): Promise<BenchResult[]>;
}

/** Runs fn while sampling the event loop's delay; returns fn's result and the longest block seen. */
export async function withEventLoopMonitor<T>(fn: () => Promise<T>): Promise<{ result: T; longestBlockMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    const result = await fn();
    return { result, longestBlockMs: histogram.max / 1e6 };
  } finally {
    histogram.disable();
  }
}
