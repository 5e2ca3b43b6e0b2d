import type { Benchmark } from './benchmark';
import { b2EventStreamDecode } from './b2EventStreamDecode';

/** The suite, in the order it runs. Each benchmark is one file in this folder. */
export const benchmarks: readonly Benchmark[] = [b2EventStreamDecode];
