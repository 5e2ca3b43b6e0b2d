import type { WorkloadEntry } from './workload';

/** A steady stream of builds, reproducible from its seed. */
export interface RandomWorkloadOptions {
  readonly seed: number;
  /** Mean seconds between arrivals (exponentially distributed, i.e. a Poisson process). */
  readonly meanIntervalSeconds: number;
  /** Label expressions to draw from, uniformly; null or "" = unlabeled builds. */
  readonly labels: readonly (string | null)[];
  readonly durationSeconds: { readonly min: number; readonly max: number };
  /** Distinct job names (`job-1` … `job-N`); default 10. */
  readonly jobs?: number;
  /** Share of arrivals that are Pipeline `node()` blocks rather than freestyle builds; default 0. */
  readonly pipelineShare?: number;
  /** Stop after this many builds; default unlimited. */
  readonly maxBuilds?: number;
}

/** mulberry32: tiny, fast and good enough to make test workloads reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Yields entries with increasing `at`; infinite unless maxBuilds is set. */
export function* randomWorkload(options: RandomWorkloadOptions): Generator<WorkloadEntry> {
  if (!(options.meanIntervalSeconds > 0)) throw new RangeError('meanIntervalSeconds must be > 0');
  if (options.labels.length === 0) throw new RangeError('labels must list at least one label (null = unlabeled)');
  const { min, max } = options.durationSeconds;
  if (!(min >= 0 && max >= min)) throw new RangeError('durationSeconds needs 0 <= min <= max');
  const random = seededRandom(options.seed);
  const jobs = Math.max(1, Math.floor(options.jobs ?? 10));
  let at = 0;
  for (let n = 0; options.maxBuilds === undefined || n < options.maxBuilds; n++) {
    at += -Math.log(1 - random()) * options.meanIntervalSeconds;
    const label = options.labels[Math.floor(random() * options.labels.length)] ?? null;
    const durationSeconds = Math.round((min + random() * (max - min)) * 1000) / 1000;
    const job = `job-${1 + Math.floor(random() * jobs)}`;
    const pipeline = random() < (options.pipelineShare ?? 0);
    yield { job, label, durationSeconds, at: Math.round(at * 1000) / 1000, kind: pipeline ? 'pipeline' : 'freestyle' };
  }
}
