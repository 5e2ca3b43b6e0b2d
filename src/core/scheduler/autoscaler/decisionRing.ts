/**
 * The most recent decisions, at most `capacity` of them: a long-running autoscaler must not grow without
 * bound, and the webview and an exported log need only the recent past. Exported as JSON lines (one record
 * per line, oldest first), the form a test or a bug report can replay and compare.
 */
export class DecisionRing<T> {
  private readonly slots: (T | undefined)[];
  private start = 0;
  private count = 0;
  private evicted = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`a decision ring needs a whole capacity of 1 or more, got ${capacity}`);
    }
    this.slots = new Array<T | undefined>(capacity);
  }

  /** Records kept now. */
  get size(): number {
    return this.count;
  }

  /** Records pushed out to make room since the ring was made. */
  get dropped(): number {
    return this.evicted;
  }

  push(...records: readonly T[]): void {
    for (const record of records) {
      if (this.count < this.capacity) {
        this.slots[(this.start + this.count) % this.capacity] = record;
        this.count++;
      } else {
        this.slots[this.start] = record;
        this.start = (this.start + 1) % this.capacity;
        this.evicted++;
      }
    }
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.slots[(this.start + i) % this.capacity] as T);
    return out;
  }

  toJsonLines(): string {
    return this.toArray()
      .map((r) => `${JSON.stringify(r)}\n`)
      .join('');
  }

  clear(): void {
    this.slots.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /**
   * Reads JSON lines back (blank lines skipped). Throws a SyntaxError naming the line that is not JSON.
   * With a capacity smaller than the number of lines, the newest lines are kept.
   */
  static fromJsonLines<T>(text: string, capacity: number): DecisionRing<T> {
    const ring = new DecisionRing<T>(capacity);
    text.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        ring.push(JSON.parse(line) as T);
      } catch (err) {
        throw new SyntaxError(`line ${index + 1} of the decision log is not JSON: ${(err as Error).message}`);
      }
    });
    return ring;
  }
}
