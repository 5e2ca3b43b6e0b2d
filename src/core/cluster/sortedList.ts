/**
 * A list kept in a stable order for paging, built for lists of up to 100,000 entries that arrive in
 * bulk and unsorted (a snapshot lists tasks in the master's hash-map order) and then change one entry
 * at a time (events).
 *
 * Additions wait in `pending` and removals in a set; both are applied when the list is read. A large
 * batch of additions can instead be sorted in the background (`settleInSlices`, a merge sort that
 * yields every few thousand comparisons): sorting 50,000 task names at once blocks the event loop for
 * about 50 ms. Reading a list while that runs finishes the sort at once. While events come in between
 * reads, pending additions are merged once they reach a quarter of the list, so the pending part never
 * grows unbounded, and removals cost one pass per read instead of one array shift per update.
 */
export class SortedList<T> {
  private items: T[] = [];
  private pending: T[] = [];
  /** Entries still in `items`, `pending` or the batch being sorted, but no longer in the list. */
  private removed = new Set<T>();
  /** A batch of former pending additions being sorted in the background. */
  private sorting: { readonly steps: Generator<void, T[], void>; readonly members: readonly T[] } | undefined;
  /** Bumped on every change of membership, so cached views of the list know they are stale. */
  version = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length + this.pending.length + (this.sorting?.members.length ?? 0) - this.removed.size;
  }

  /** Whether pending additions are worth merging now rather than at the next read. */
  get needsSettling(): boolean {
    return this.pending.length > 0 && this.pending.length >= Math.max(SMALL_MERGE, this.items.length >> 2);
  }

  /** Whether a read would have to sort or merge first. */
  get isSettled(): boolean {
    return this.pending.length === 0 && this.removed.size === 0 && this.sorting === undefined;
  }

  /** Adds an item that is not in the list. */
  add(item: T): void {
    this.version++;
    // Taken out since the last read and back again: it never left its place.
    if (this.removed.size > 0 && this.removed.delete(item)) return;
    this.pending.push(item);
  }

  /**
   * Removes an item that is in the list, under the sort key it was added with. Lazily: an item whose
   * sort key changes must go through removeNow, or it would come back at its old place.
   */
  remove(item: T): void {
    this.version++;
    this.removed.add(item);
  }

  /** Removes an item at once (before its sort key changes); false when it is not in the list. */
  removeNow(item: T): boolean {
    this.settle();
    const at = this.lowerBound(item);
    for (let i = at; i < this.items.length && this.compare(this.items[i]!, item) === 0; i++) {
      if (this.items[i] === item) {
        this.items.splice(i, 1);
        this.version++;
        return true;
      }
    }
    return false;
  }

  /** Calls `visit` for each entry, in no particular order, without sorting first. */
  forEachUnordered(visit: (item: T) => void): void {
    const removed = this.removed;
    const parts = [this.items, this.pending, this.sorting?.members ?? []];
    for (const part of parts) {
      for (const item of part) if (removed.size === 0 || !removed.has(item)) visit(item);
    }
  }

  /** The entries in order (settles pending changes first). Do not modify the array. */
  values(): readonly T[] {
    this.settle();
    return this.items;
  }

  settle(): void {
    if (this.sorting !== undefined) {
      const { steps } = this.sorting;
      let step = steps.next();
      while (step.done !== true) step = steps.next();
      this.sorting = undefined;
      this.items = merge(this.items, step.value, this.compare);
    }
    if (this.removed.size > 0) {
      const removed = this.removed;
      this.items = this.items.filter((item) => !removed.has(item));
      this.pending = this.pending.filter((item) => !removed.has(item));
      this.removed = new Set();
    }
    const pending = this.pending;
    if (pending.length === 0) return;
    this.pending = [];
    if (pending.length <= SMALL_MERGE) {
      for (const item of pending) this.items.splice(this.lowerBound(item), 0, item);
      return;
    }
    pending.sort(this.compare);
    this.items = merge(this.items, pending, this.compare);
  }

  /** Sorts the pending additions a few thousand comparisons at a time, yielding in between. */
  *settleInSlices(): Generator<void, void, void> {
    if (this.sorting !== undefined || this.pending.length <= SMALL_MERGE) {
      this.settle();
      return;
    }
    const batch = this.pending;
    this.pending = [];
    // The sort reuses the batch's array, so forEachUnordered reads a copy.
    const sorting = { steps: sortInSteps(batch, this.compare), members: batch.slice() };
    this.sorting = sorting;
    for (;;) {
      // A read may have finished the sort in the meantime.
      if (this.sorting !== sorting) return;
      const step = sorting.steps.next();
      if (step.done === true) {
        this.sorting = undefined;
        this.items = merge(this.items, step.value, this.compare);
        return;
      }
      yield;
    }
  }

  private lowerBound(item: T): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.items[mid]!, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Below this many pending additions, binary insertion beats sort-and-merge. */
const SMALL_MERGE = 16;
/** Runs sorted natively before merging: well under a millisecond each. */
const RUN = 1024;
/** Comparisons between two yields while merging (a few milliseconds). */
const MERGE_STEP = 8192;

/** Bottom-up merge sort that yields after each run and every MERGE_STEP merged elements. */
function* sortInSteps<T>(items: T[], compare: (a: T, b: T) => number): Generator<void, T[], void> {
  const n = items.length;
  let source = items;
  for (let lo = 0; lo < n; lo += RUN) {
    const run = source.slice(lo, lo + RUN).sort(compare);
    for (let i = 0; i < run.length; i++) source[lo + i] = run[i]!;
    yield;
  }
  let target = new Array<T>(n);
  for (let width = RUN; width < n; width *= 2) {
    let sinceYield = 0;
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        target[k++] = compare(source[j]!, source[i]!) < 0 ? source[j++]! : source[i++]!;
        if (++sinceYield === MERGE_STEP) {
          sinceYield = 0;
          yield;
        }
      }
      while (i < mid) target[k++] = source[i++]!;
      while (j < hi) target[k++] = source[j++]!;
    }
    [source, target] = [target, source];
  }
  return source;
}

function merge<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): T[] {
  if (a.length === 0) return b as T[];
  const out = new Array<T>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    out[k++] = compare(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!;
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

/** Code-unit order of two strings, then of two more: the order every list in the model uses. */
export function compareKeys(a1: string, b1: string, a2: string, b2: string): number {
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  if (a2 !== b2) return a2 < b2 ? -1 : 1;
  return 0;
}
