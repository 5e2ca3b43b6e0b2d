/**
 * Builds the sandbox Jenkins puts in its queue: a workload file (JSON lines, or one JSON array) of entries
 * `{job, label, durationSeconds, at?}` plus a few optional fields.
 */
export interface WorkloadEntry {
  /** Full job name; `/` separates folders (`team/app`). */
  readonly job: string;
  /** The label expression as a user typed it; null, missing or blank = the job may roam (no label). */
  readonly label?: string | null;
  /** How long the build occupies its executor once started. */
  readonly durationSeconds: number;
  /** Seconds after the workload starts when the build enters the queue; default 0. */
  readonly at?: number;
  /** `freestyle` (default) exports `task.labelExpression`; `pipeline` is a `node(label)` placeholder task. */
  readonly kind?: 'freestyle' | 'pipeline';
  /** Pipeline only: the enclosing stage, which changes the placeholder's name to `<run> (<stage>)`. */
  readonly stage?: string;
  /** Seconds the item spends as a WaitingItem first; default 0. */
  readonly quietPeriodSeconds?: number;
  /** Default true. When false, the item is blocked while another build of the same job runs. */
  readonly concurrent?: boolean;
  /** String build parameters (shown in the item's `params`). */
  readonly params?: Readonly<Record<string, string>>;
}

/** A workload file that cannot be used: says where, what, and how to fix it. */
export class WorkloadFormatError extends Error {
  override readonly name = 'WorkloadFormatError';
  constructor(
    readonly source: string,
    /** 1-based line (JSON lines) or entry index (array); 0 when the whole file is at fault. */
    readonly location: number,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${source}${location > 0 ? `:${location}` : ''}: ${problem}. Each entry is a JSON object like ` +
        '{"job":"compile","label":"linux && docker","durationSeconds":30,"at":5}; ' +
        'give one per line (JSON lines) or a JSON array of them.',
      options,
    );
  }
}

const KNOWN_FIELDS = new Set([
  'job',
  'label',
  'durationSeconds',
  'at',
  'kind',
  'stage',
  'quietPeriodSeconds',
  'concurrent',
  'params',
]);

/** Parses a workload file's text; entries come back sorted by `at` (stable). */
export function parseWorkload(text: string, source = 'workload'): WorkloadEntry[] {
  const trimmed = text.trimStart();
  const entries: WorkloadEntry[] = [];
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new WorkloadFormatError(source, 0, `not valid JSON (${(err as Error).message})`, { cause: err });
    }
    if (!Array.isArray(parsed)) throw new WorkloadFormatError(source, 0, 'expected a JSON array');
    parsed.forEach((value, index) => entries.push(validateWorkloadEntry(value, source, index + 1)));
  } else {
    text.split(/\r?\n/).forEach((line, index) => {
      if (line.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (err) {
        throw new WorkloadFormatError(source, index + 1, `not valid JSON (${(err as Error).message})`, {
          cause: err,
        });
      }
      entries.push(validateWorkloadEntry(value, source, index + 1));
    });
  }
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => (a.entry.at ?? 0) - (b.entry.at ?? 0) || a.index - b.index)
    .map(({ entry }) => entry);
}

export function validateWorkloadEntry(value: unknown, source = 'workload', location = 0): WorkloadEntry {
  const fail = (problem: string): never => {
    throw new WorkloadFormatError(source, location, problem);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('an entry must be a JSON object');
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KNOWN_FIELDS.has(key)) fail(`unknown field "${key}"`);
  if (typeof o.job !== 'string' || o.job.trim() === '' || o.job.split('/').some((part) => part === '')) {
    fail('"job" must be a non-empty job name (folders separated by single "/")');
  }
  if (o.label !== undefined && o.label !== null && typeof o.label !== 'string') {
    fail('"label" must be a string or null');
  }
  const nonNegative = (key: string, required: boolean) => {
    const v = o[key];
    if (v === undefined && !required) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`"${key}" must be a number of seconds >= 0`);
  };
  nonNegative('durationSeconds', true);
  nonNegative('at', false);
  nonNegative('quietPeriodSeconds', false);
  if (o.kind !== undefined && o.kind !== 'freestyle' && o.kind !== 'pipeline') {
    fail('"kind" must be "freestyle" or "pipeline"');
  }
  if (o.stage !== undefined && typeof o.stage !== 'string') fail('"stage" must be a string');
  if (o.concurrent !== undefined && typeof o.concurrent !== 'boolean') fail('"concurrent" must be true or false');
  if (o.params !== undefined) {
    const p = o.params;
    if (
      typeof p !== 'object' ||
      p === null ||
      Array.isArray(p) ||
      Object.values(p).some((v) => typeof v !== 'string')
    ) {
      fail('"params" must be an object of string values');
    }
  }
  return o as unknown as WorkloadEntry;
}
