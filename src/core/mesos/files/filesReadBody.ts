/**
 * Reads the body of the legacy `/files/read` (`{"data":"…","offset":N}`) without losing a byte.
 *
 * The agent copies the file's raw bytes into the JSON string: it escapes `"`, `\` and control
 * characters, and copies every other byte as it is, so a file that is not valid UTF-8 (binary output, a
 * multi-byte character cut at the 64 KiB read boundary) gives a body that is not valid UTF-8 either.
 * Decoding the body as text first would turn those bytes into U+FFFD and shift every later offset, so
 * this scanner works on the bytes: raw bytes are copied, escapes decoded (`\uXXXX` into the UTF-8 of
 * that code point, which is what a writer that escapes non-ASCII meant), and `data` comes back as
 * the exact bytes of the file. Decode them with a streaming TextDecoder to show text.
 */
export interface FilesReadBody {
  /** The file's bytes from `offset` (empty when only the size was asked for, or at the end). */
  readonly data: Uint8Array;
  /** Where `data` starts; the file size when only the size was asked for. */
  readonly offset: number;
}

/** The body is not the `/files/read` object; `reason` says what was found instead. */
export class FilesReadBodyError extends Error {
  override readonly name = 'FilesReadBodyError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const REPLACEMENT = [0xef, 0xbf, 0xbd];
const SIMPLE_ESCAPES: ReadonlyMap<number, number> = new Map([
  [0x22, 0x22], // \"
  [0x5c, 0x5c], // \\
  [0x2f, 0x2f], // \/
  [0x62, 0x08], // \b
  [0x66, 0x0c], // \f
  [0x6e, 0x0a], // \n
  [0x72, 0x0d], // \r
  [0x74, 0x09], // \t
]);

export function parseFilesReadBody(body: Uint8Array): FilesReadBody {
  const scanner = new ByteScanner(body);
  scanner.skipBom();
  scanner.whitespace();
  scanner.expect(0x7b, 'the body does not start with a JSON object');
  let data: Uint8Array | undefined;
  let offset: number | undefined;
  scanner.whitespace();
  if (scanner.peek() === 0x7d) scanner.advance();
  else {
    for (;;) {
      scanner.whitespace();
      const key = Buffer.from(scanner.string()).toString('utf8');
      scanner.whitespace();
      scanner.expect(0x3a, `expected ':' after the key ${JSON.stringify(key)}`);
      scanner.whitespace();
      if (key === 'data') {
        if (scanner.peek() !== QUOTE) throw new FilesReadBodyError('"data" is not a string');
        data = scanner.string();
      } else if (key === 'offset') {
        offset = scanner.number();
      } else {
        scanner.skipValue();
      }
      scanner.whitespace();
      const next = scanner.next('the object is not closed');
      if (next === 0x7d) break;
      if (next !== 0x2c) throw new FilesReadBodyError(`expected ',' or '}' at byte ${scanner.position - 1}`);
    }
  }
  scanner.whitespace();
  if (!scanner.atEnd()) throw new FilesReadBodyError(`unexpected bytes after the object at byte ${scanner.position}`);
  if (data === undefined) throw new FilesReadBodyError('the object has no "data"');
  if (offset === undefined) throw new FilesReadBodyError('the object has no "offset"');
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new FilesReadBodyError(`"offset" is ${offset}, not a byte position`);
  }
  return { data, offset };
}

class ByteScanner {
  private pos = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get position(): number {
    return this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  peek(): number | undefined {
    return this.bytes[this.pos];
  }

  advance(): void {
    this.pos++;
  }

  next(endMessage: string): number {
    const byte = this.bytes[this.pos];
    if (byte === undefined) throw new FilesReadBodyError(`${endMessage}: the body ends early`);
    this.pos++;
    return byte;
  }

  skipBom(): void {
    if (this.bytes[0] === 0xef && this.bytes[1] === 0xbb && this.bytes[2] === 0xbf) this.pos = 3;
  }

  whitespace(): void {
    for (;;) {
      const byte = this.bytes[this.pos];
      if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return;
      this.pos++;
    }
  }

  expect(byte: number, message: string): void {
    if (this.bytes[this.pos] !== byte) throw new FilesReadBodyError(message);
    this.pos++;
  }

  /** A JSON string as bytes: raw bytes copied, escapes decoded. */
  string(): Uint8Array {
    this.expect(QUOTE, `expected a string at byte ${this.pos}`);
    // Escapes only ever shrink, so the string's length in the body bounds the result.
    const out = Buffer.allocUnsafe(this.stringExtent());
    let length = 0;
    for (;;) {
      const byte = this.next('a string is not closed');
      if (byte === QUOTE) return out.subarray(0, length);
      if (byte !== BACKSLASH) {
        out[length++] = byte;
        continue;
      }
      const escape = this.next('a string ends inside an escape');
      const simple = SIMPLE_ESCAPES.get(escape);
      if (simple !== undefined) {
        out[length++] = simple;
        continue;
      }
      if (escape !== 0x75) throw new FilesReadBodyError(`unknown escape \\${String.fromCharCode(escape)} in a string`);
      let code = this.hex4();
      if (code >= 0xd800 && code <= 0xdbff && this.bytes[this.pos] === BACKSLASH && this.bytes[this.pos + 1] === 0x75) {
        const save = this.pos;
        this.pos += 2;
        const low = this.hex4();
        if (low >= 0xdc00 && low <= 0xdfff) code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        else this.pos = save;
      }
      length = writeUtf8(out, length, code);
    }
  }

  /** Bytes from here to the closing quote (or the end of the body, which then fails while decoding). */
  private stringExtent(): number {
    let i = this.pos;
    while (i < this.bytes.length && this.bytes[i] !== QUOTE) i += this.bytes[i] === BACKSLASH ? 2 : 1;
    return Math.min(i, this.bytes.length) - this.pos;
  }

  number(): number {
    const start = this.pos;
    while (this.pos < this.bytes.length && isNumberByte(this.bytes[this.pos]!)) this.pos++;
    const text = Buffer.from(this.bytes.subarray(start, this.pos)).toString('latin1');
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isFinite(value)) throw new FilesReadBodyError(`expected a number at byte ${start}`);
    return value;
  }

  /** Skips any JSON value (keys this reader does not use). */
  skipValue(): void {
    const byte = this.peek();
    if (byte === QUOTE) {
      this.string();
      return;
    }
    if (byte === 0x7b || byte === 0x5b) {
      const close = byte === 0x7b ? 0x7d : 0x5d;
      this.advance();
      this.whitespace();
      if (this.peek() === close) {
        this.advance();
        return;
      }
      for (;;) {
        this.whitespace();
        if (close === 0x7d) {
          this.string();
          this.whitespace();
          this.expect(0x3a, `expected ':' at byte ${this.pos}`);
          this.whitespace();
        }
        this.skipValue();
        this.whitespace();
        const next = this.next('a nested value is not closed');
        if (next === close) return;
        if (next !== 0x2c) throw new FilesReadBodyError(`expected ',' at byte ${this.pos - 1}`);
      }
    }
    const start = this.pos;
    while (this.pos < this.bytes.length && /[A-Za-z0-9+\-.]/.test(String.fromCharCode(this.bytes[this.pos]!)))
      this.pos++;
    if (this.pos === start) throw new FilesReadBodyError(`expected a value at byte ${start}`);
  }

  private hex4(): number {
    let code = 0;
    for (let i = 0; i < 4; i++) {
      const digit = Number.parseInt(String.fromCharCode(this.next('a \\u escape is cut short')), 16);
      if (Number.isNaN(digit))
        throw new FilesReadBodyError(`a \\u escape has a non-hex digit near byte ${this.pos - 1}`);
      code = code * 16 + digit;
    }
    return code;
  }
}

function isNumberByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) || byte === 0x2d || byte === 0x2b || byte === 0x2e || byte === 0x65 || byte === 0x45
  );
}

// A lone surrogate has no UTF-8 form; it becomes U+FFFD, as a text decoder would show it.
function writeUtf8(out: Buffer, at: number, code: number): number {
  let i = at;
  if (code < 0x80) out[i++] = code;
  else if (code < 0x800) {
    out[i++] = 0xc0 | (code >> 6);
    out[i++] = 0x80 | (code & 0x3f);
  } else if (code >= 0xd800 && code <= 0xdfff) {
    for (const byte of REPLACEMENT) out[i++] = byte;
  } else if (code < 0x10000) {
    out[i++] = 0xe0 | (code >> 12);
    out[i++] = 0x80 | ((code >> 6) & 0x3f);
    out[i++] = 0x80 | (code & 0x3f);
  } else {
    out[i++] = 0xf0 | (code >> 18);
    out[i++] = 0x80 | ((code >> 12) & 0x3f);
    out[i++] = 0x80 | ((code >> 6) & 0x3f);
    out[i++] = 0x80 | (code & 0x3f);
  }
  return i;
}
