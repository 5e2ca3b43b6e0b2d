/**
 * Reads a large JSON body (a GET_STATE of 100,000 tasks is over 100 MB) in slices, so that no step
 * blocks the event loop for long, at close to the speed of one JSON.parse of the whole.
 *
 * Why not one JSON.parse: at ~1 ms per MB it blocks for a second or more. Why not a streaming parser
 * in JavaScript (stream-json, @streamparser/json): they tokenise every value in JavaScript, several
 * times slower than the native parser. So the structure is walked here only as far as a `JsonShape`
 * says (the big arrays: tasks, agents, frameworks), each array's elements are found by a byte scan that
 * only counts brackets and skips strings, and consecutive elements up to `batchBytes` are handed to the
 * native JSON.parse in one piece (`[` + their text + `]`). The scan costs about a tenth of the parse.
 *
 * The walker is a generator: it yields after each batch, and the caller decides when to give the event
 * loop a turn (runInSlices.ts). Only the parts of the body the shape names are parsed; the rest is
 * skipped without building anything.
 */

export type JsonShape =
  /** Not parsed. */
  | { readonly kind: 'skip' }
  /** Parsed in one piece (small values only). */
  | { readonly kind: 'value'; readonly take: (value: unknown) => void }
  /** An array whose elements are parsed in batches and handed over batch by batch. */
  | {
      readonly kind: 'elements';
      readonly take: (elements: readonly unknown[]) => void;
      /** Quote `"nanoseconds":` integers so they stay exact (they exceed 2^53); see mesosJsonText.ts. */
      readonly exactNanoseconds?: boolean;
      /** How an element usually starts, to find batch boundaries without scanning (see ElementStart). */
      readonly elementStart?: ElementStart;
    }
  /** An object walked member by member; members not named are skipped, or parsed into `end`'s argument. */
  | {
      readonly kind: 'object';
      readonly members: Readonly<Record<string, JsonShape>>;
      readonly others?: 'skip' | 'collect';
      /** Called with each key, before its value is read. */
      readonly seen?: (key: string) => void;
      readonly end?: (collected: Record<string, unknown>) => void;
    }
  /** An array whose elements are each walked with `element` (for elements too large to parse at once). */
  | { readonly kind: 'each'; readonly element: JsonShape };

/**
 * How the elements of an array usually begin, as Mesos writes them (fields in field-number order): an
 * `anchor` found soon after the start, and the `start` itself, e.g. a Task is `{"name":"…","task_id":…`.
 * The walker looks for the anchor past the batch size, steps back to the start before it, and cuts
 * there. A wrong guess cannot go unnoticed: a cut inside an element leaves a bracket or a string open,
 * so JSON.parse of the batch fails, and the walker falls back to scanning (and stops guessing in that
 * array after a few misses).
 */
export interface ElementStart {
  readonly anchor: string;
  readonly start: string;
}

export type JsonSliceErrorKind = 'not-json' | 'truncated' | 'unexpected';

/** The body is not JSON, ends early, or does not have the structure the shape expects. */
export class JsonSliceError extends Error {
  override readonly name = 'JsonSliceError';
  constructor(
    readonly kind: JsonSliceErrorKind,
    readonly reason: string,
    /** Byte offset in the body. */
    readonly offset: number,
    options?: { cause?: unknown },
  ) {
    super(`${reason} (at byte ${offset})`, options);
  }
}

export interface SlicedJsonOptions {
  /**
   * Bytes of elements parsed in one JSON.parse (default 64 KiB, well under a millisecond). Below V8's
   * large-object size (128 KiB), so each batch's text dies young in the nursery instead of piling up
   * in the large-object space until a full collection.
   */
  readonly batchBytes?: number;
}

const DEFAULT_BATCH_BYTES = 64 * 1024;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Walks `bytes` (UTF-8 JSON) following `shape`; yields after every parsed batch. */
export function* readJsonInSlices(
  bytes: Uint8Array,
  shape: JsonShape,
  options: SlicedJsonOptions = {},
): Generator<void, void, void> {
  const walker = new Walker(bytes, options.batchBytes ?? DEFAULT_BATCH_BYTES);
  walker.space();
  yield* walker.walk(shape);
  walker.space();
  if (walker.pos < bytes.length)
    throw new JsonSliceError('not-json', 'unexpected text after the JSON value', walker.pos);
}

class Walker {
  pos = 0;
  private readonly buffer: Buffer;
  private scratch = Buffer.alloc(0);

  constructor(
    private readonly bytes: Uint8Array,
    private readonly batchBytes: number,
  ) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  space(): void {
    const b = this.bytes;
    while (isSpace(b[this.pos])) this.pos++;
  }

  *walk(shape: JsonShape): Generator<void, void, void> {
    this.space();
    if (this.bytes[this.pos] === 0x6e && this.text(this.pos, this.pos + 4) === 'null') {
      this.pos += 4; // Mesos's converter reads null as "not set"
      return;
    }
    switch (shape.kind) {
      case 'skip':
        this.pos = this.skipValue(this.pos);
        return;
      case 'value': {
        const start = this.pos;
        this.pos = this.skipValue(start);
        shape.take(this.parse(start, this.pos));
        return;
      }
      case 'elements':
        yield* this.elements(shape);
        return;
      case 'object':
        yield* this.object(shape);
        return;
      case 'each':
        yield* this.each(shape);
        return;
    }
  }

  private *object(shape: Extract<JsonShape, { kind: 'object' }>): Generator<void, void, void> {
    this.expect(OPEN_BRACE, 'an object');
    const collected: Record<string, unknown> = {};
    this.space();
    if (this.bytes[this.pos] === CLOSE_BRACE) {
      this.pos++;
    } else {
      for (;;) {
        this.space();
        const key = this.key();
        this.space();
        this.expect(COLON, "':' after a key");
        this.space();
        shape.seen?.(key);
        const member = Object.prototype.hasOwnProperty.call(shape.members, key) ? shape.members[key] : undefined;
        if (member !== undefined) {
          yield* this.walk(member);
        } else if (shape.others === 'collect') {
          const start = this.pos;
          this.pos = this.skipValue(start);
          collected[key] = this.parse(start, this.pos);
        } else {
          this.pos = this.skipValue(this.pos);
        }
        this.space();
        const c = this.bytes[this.pos];
        this.pos++;
        if (c === COMMA) continue;
        if (c === CLOSE_BRACE) break;
        throw this.unexpected(this.pos - 1, "',' or '}' in an object");
      }
    }
    shape.end?.(collected);
  }

  private *each(shape: Extract<JsonShape, { kind: 'each' }>): Generator<void, void, void> {
    this.expect(OPEN_BRACKET, 'an array');
    this.space();
    if (this.bytes[this.pos] === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (;;) {
      yield* this.walk(shape.element);
      this.space();
      const c = this.bytes[this.pos];
      this.pos++;
      if (c === COMMA) continue;
      if (c === CLOSE_BRACKET) return;
      throw this.unexpected(this.pos - 1, "',' or ']' in an array");
    }
  }

  private *elements(shape: Extract<JsonShape, { kind: 'elements' }>): Generator<void, void, void> {
    this.expect(OPEN_BRACKET, 'an array');
    this.space();
    if (this.bytes[this.pos] === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    const guess = shape.elementStart === undefined ? undefined : new BoundaryGuess(this.buffer, shape.elementStart);
    const arrayStart = this.pos;
    let batchStart = arrayStart;
    for (;;) {
      // The first batch is scanned: a small array ends within it, and guessing past its end would
      // only find the next array's elements (a parse wasted on each of a legacy state's many arrays).
      if (guess !== undefined && guess.misses < MAX_MISSES && batchStart > arrayStart) {
        const cut = guess.find(batchStart + this.batchBytes, this.batchBytes * 4);
        if (cut !== undefined) {
          const elements = this.parseBatch(shape, batchStart, cut.end);
          if (elements !== undefined) {
            shape.take(elements);
            yield;
            batchStart = this.pos = cut.next;
            continue;
          }
          guess.misses++;
        }
      }
      // Scan element by element up to the batch size or the end of the array.
      for (;;) {
        const end = this.skipValue(this.pos);
        this.pos = end;
        this.space();
        const c = this.bytes[this.pos];
        this.pos++;
        if (c === COMMA) {
          this.space();
          if (end - batchStart < this.batchBytes) continue;
          this.flush(shape, batchStart, end);
          yield;
          batchStart = this.pos;
          break;
        }
        if (c === CLOSE_BRACKET) {
          this.flush(shape, batchStart, end);
          yield;
          return;
        }
        throw this.unexpected(this.pos - 1, "',' or ']' in an array");
      }
    }
  }

  /** Parses the elements between two offsets (separators included) and hands them over. */
  private flush(shape: Extract<JsonShape, { kind: 'elements' }>, start: number, end: number): void {
    const text = this.batchText(start, end, shape.exactNanoseconds === true);
    let elements: unknown;
    try {
      elements = JSON.parse(text);
    } catch (error) {
      elements = this.parseLeniently(text, start, error);
    }
    shape.take(elements as unknown[]);
  }

  /** Like flush's parse, but undefined instead of an error: for a guessed boundary. */
  private parseBatch(
    shape: Extract<JsonShape, { kind: 'elements' }>,
    start: number,
    end: number,
  ): unknown[] | undefined {
    try {
      return JSON.parse(this.batchText(start, end, shape.exactNanoseconds === true)) as unknown[];
    } catch {
      return undefined;
    }
  }

  /**
   * The batch's text between brackets. The bytes are copied into a scratch buffer and decoded from
   * there: concatenating strings instead would copy each batch once more on the JavaScript heap.
   */
  private batchText(start: number, end: number, exactNanoseconds: boolean): string {
    const length = end - start + 2;
    if (this.scratch.length < length) this.scratch = Buffer.allocUnsafe(Math.max(length, this.scratch.length * 2));
    const scratch = this.scratch;
    scratch[0] = OPEN_BRACKET;
    this.buffer.copy(scratch, 1, start, end);
    scratch[length - 1] = CLOSE_BRACKET;
    const text = scratch.toString('utf8', 0, length);
    return exactNanoseconds ? quoteNanoseconds(text) : text;
  }

  private parse(start: number, end: number): unknown {
    const text = this.text(start, end);
    try {
      return JSON.parse(text);
    } catch (error) {
      return this.parseLeniently(text, start, error);
    }
  }

  /**
   * Mesos writes non-finite doubles as bare Infinity and NaN (reference §1.3), which JSON.parse
   * rejects: mark them as strings, parse, and turn the marks back into numbers, as the codec reads them.
   */
  private parseLeniently(text: string, offset: number, error: unknown): unknown {
    if (/Infinity|NaN/.test(text)) {
      try {
        return JSON.parse(quoteNonFinite(text), (_key, value: unknown) =>
          typeof value === 'string' && value.startsWith(NON_FINITE_MARK)
            ? Number(value.slice(NON_FINITE_MARK.length))
            : value,
        );
      } catch {
        // Not that: report the first failure.
      }
    }
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw new JsonSliceError('not-json', `the body is not valid JSON${detail}`, offset, { cause: error });
  }

  private text(start: number, end: number): string {
    return this.buffer.toString('utf8', start, end);
  }

  private key(): string {
    const start = this.pos;
    if (this.bytes[start] !== QUOTE) throw this.unexpected(start, 'a key in quotes');
    const end = this.skipValue(start);
    this.pos = end;
    const raw = this.text(start + 1, end - 1);
    return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  private expect(byte: number, what: string): void {
    if (this.bytes[this.pos] !== byte) throw this.unexpected(this.pos, what);
    this.pos++;
  }

  private unexpected(at: number, what: string): JsonSliceError {
    if (at >= this.bytes.length) return new JsonSliceError('truncated', `the body ends where ${what} should be`, at);
    const found = this.text(at, Math.min(at + 24, this.bytes.length));
    return new JsonSliceError('unexpected', `expected ${what}, found ${JSON.stringify(found)}`, at);
  }

  /**
   * The offset just after the value that starts at `start`. Only brackets and string boundaries are
   * followed; whether the value is valid JSON is JSON.parse's business when the batch is parsed.
   */
  private skipValue(start: number): number {
    const b = this.bytes;
    const length = b.length;
    let p = start;
    const first = b[p];
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET && first !== QUOTE) {
      while (p < length) {
        const c = b[p]!;
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
        p++;
      }
      if (p === start) throw this.unexpected(start, 'a value');
      return p;
    }
    let depth = 0;
    while (p < length) {
      const c = b[p++];
      if (c === QUOTE) {
        for (;;) {
          const d = b[p++];
          if (d === QUOTE) break;
          if (d === BACKSLASH) p++;
          else if (d === undefined) throw new JsonSliceError('truncated', 'the body ends inside a string', length);
        }
        if (depth === 0) return p;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
      } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) {
        return p;
      }
    }
    throw new JsonSliceError('truncated', 'the body ends inside an object or array', length);
  }
}

const NANOSECONDS_KEY = '"nanoseconds":';

/** Guessed boundaries in one array that failed before the walker stops guessing there. */
const MAX_MISSES = 3;
/** How far back from the anchor the start may be (a task's name comes before its task_id). */
const START_WINDOW = 4096;

/** Finds where an element probably starts, by its ElementStart, without scanning the bytes in between. */
class BoundaryGuess {
  misses = 0;
  private readonly anchor: Buffer;
  private readonly start: Buffer;

  constructor(
    private readonly buffer: Buffer,
    pattern: ElementStart,
  ) {
    this.anchor = Buffer.from(pattern.anchor, 'utf8');
    this.start = Buffer.from(pattern.start, 'utf8');
  }

  /** A probable element start at or after `from`: `end` is where the previous element ends, `next` where it starts. */
  find(from: number, within: number): { end: number; next: number } | undefined {
    const b = this.buffer;
    if (from >= b.length) return undefined;
    // Searched within the window only: past the end of the array the anchor may not occur for megabytes.
    const found = b.subarray(from, from + within).indexOf(this.anchor);
    if (found < 0) return undefined;
    const anchor = from + found;
    const windowStart = Math.max(from, anchor + this.anchor.length - START_WINDOW);
    const back = b.subarray(windowStart, anchor + this.anchor.length).lastIndexOf(this.start);
    if (back < 0) return undefined;
    const next = windowStart + back;
    let comma = next - 1;
    while (isSpace(b[comma])) comma--;
    if (b[comma] !== COMMA) return undefined;
    let end = comma;
    while (isSpace(b[end - 1])) end--;
    return { end, next };
  }
}

/**
 * Puts the integer after each `"nanoseconds":` in quotes, so JSON.parse hands it over as an exact
 * string (a 64-bit value, the codec's Int64). Inside a JSON string every quote is escaped, so the key
 * pattern only matches real keys.
 */
export function quoteNanoseconds(text: string): string {
  let at = text.indexOf(NANOSECONDS_KEY);
  if (at < 0) return text;
  const parts: string[] = [];
  let copied = 0;
  while (at >= 0) {
    const start = at + NANOSECONDS_KEY.length;
    let end = text.charCodeAt(start) === 0x2d ? start + 1 : start;
    while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
    // Up to 15 digits are exact as a double: leave those numbers, as the codec does.
    if (end - start >= 16) {
      parts.push(text.slice(copied, start), '"', text.slice(start, end), '"');
      copied = end;
    }
    at = text.indexOf(NANOSECONDS_KEY, end);
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Put before a quoted non-finite token; a control character, so no string Mesos writes starts with it. */
const NON_FINITE_MARK = '\u0001non-finite:';
/** The same, as JSON text (a raw control character is not allowed in a JSON string). */
const NON_FINITE_MARK_JSON = '\\u0001non-finite:';

/** Quotes bare Infinity, -Infinity and NaN outside strings, behind NON_FINITE_MARK. */
function quoteNonFinite(text: string): string {
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i++;
        else if (d === QUOTE) break;
      }
      continue;
    }
    if (c !== 0x49 && c !== 0x4e && c !== 0x2d) continue; // I, N, -
    const token = /^-?Infinity|^NaN/.exec(text.slice(i, i + 9));
    if (token !== null) {
      out += `${text.slice(copied, i)}"${NON_FINITE_MARK_JSON}${token[0]}"`;
      i += token[0].length - 1;
      copied = i + 1;
    }
  }
  return out + text.slice(copied);
}
