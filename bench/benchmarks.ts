import type { Benchmark } from './benchmark';

/** The suite, in the order it runs. Each benchmark is one file in this folder. */
export const benchmarks: readonly Benchmark[] = [];
