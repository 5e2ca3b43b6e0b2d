import { RecordIOError } from './recordIoError';

/**
 * Streaming decoder for Mesos RecordIO (`size LF data`, size in ASCII decimal bytes; reference §1.4).
 *
 * Chunk boundaries are unrelated to record boundaries, so the decoder is a small state machine that
 * resumes anywhere: inside the digits of a size line or inside a record's data. Costs are linear: a
 * record that lies wholly inside one chunk is returned as a zero-copy view of that chunk, and a record
 * split across chunks is copied exactly once, when its last byte arrives. Views keep their chunk alive
 * and assume it is not written to afterwards, which holds for Node stream chunks.
 */

export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** uint64 has 20 decimal digits; anything longer is not a size (or the line feed never comes). */
const MAX_SIZE_DIGITS = 20;
/** Past this many digits a JS number loses precision, so the (error-path only) size is kept as a bigint. */
const EXACT_NUMBER_DIGITS = 15;
const LF = 0x0a;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

export interface RecordIODecoderOptions {
  /** Largest record accepted, in bytes (default 64 MiB). Protects the extension host from a bogus size. */
  maxRecordBytes?: number;
}

export class RecordIODecoder {
  private readonly maxRecordBytes: number;
  /** Size of the record whose data is being read; 0 while reading a size line. */
  private recordSize = 0;
  /** Pieces of the current record that arrived in earlier chunks (views, not copies). */
  private pieces: Uint8Array[] = [];
  private received = 0;
  private size = 0;
  private sizeDigits = 0;
  private sizeBig: bigint | undefined;
  /** Stream offset of the first byte of the chunk being decoded: for error messages. */
  private consumed = 0;
  private failure: RecordIOError | undefined;

  constructor(options: RecordIODecoderOptions = {}) {
    const max = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    if (!Number.isSafeInteger(max) || max <= 0) {
      throw new RangeError(`maxRecordBytes must be a positive integer, got ${String(max)}`);
    }
    this.maxRecordBytes = max;
  }

  /** Bytes held for a record that is not complete yet. */
  get bufferedBytes(): number {
    return this.received;
  }

  /**
   * Decodes one chunk and returns the records it completed, in order (often none, often several).
   * After an error the stream position is lost, so every later call throws the same error.
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.failure) throw this.failure;
    const records: Uint8Array[] = [];
    const end = chunk.length;
    let pos = 0;
    while (pos < end) {
      if (this.recordSize === 0) {
        pos = this.readSizeLine(chunk, pos);
        continue;
      }
      const need = this.recordSize - this.received;
      const available = end - pos;
      if (available < need) {
        this.pieces.push(pos === 0 ? chunk : chunk.subarray(pos));
        this.received += available;
        pos = end;
        break;
      }
      if (this.received === 0) {
        records.push(chunk.subarray(pos, pos + need));
      } else {
        this.pieces.push(chunk.subarray(pos, pos + need));
        records.push(joinPieces(this.pieces, this.recordSize));
        this.pieces = [];
        this.received = 0;
      }
      pos += need;
      this.recordSize = 0;
    }
    this.consumed += end;
    return records;
  }

  /** Declares the end of the stream: throws a `truncated` error if it ended inside a size line or record. */
  finish(): void {
    if (this.failure) throw this.failure;
    if (this.recordSize > 0) {
      const missing = this.recordSize - this.received;
      this.fail(
        new RecordIOError(
          'truncated',
          `The RecordIO stream ended in the middle of a record: ${missing} of its ${this.recordSize} bytes never ` +
            `arrived (the connection was cut). Reconnect and resubscribe.`,
          { offset: this.consumed, announcedSize: String(this.recordSize), missingBytes: missing },
        ),
      );
    }
    if (this.sizeDigits > 0) {
      this.fail(
        new RecordIOError(
          'truncated',
          `The RecordIO stream ended in the middle of a size line (after ${this.sizeDigits} digits, before the ` +
            `line feed): the connection was cut. Reconnect and resubscribe.`,
          { offset: this.consumed },
        ),
      );
    }
  }

  /** Consumes size-line bytes from `pos`; returns the position after what it consumed. */
  private readSizeLine(chunk: Uint8Array, pos: number): number {
    const end = chunk.length;
    let size = this.size;
    let digits = this.sizeDigits;
    while (pos < end) {
      const byte = chunk[pos] as number;
      if (byte >= DIGIT_0 && byte <= DIGIT_9) {
        digits++;
        if (digits > MAX_SIZE_DIGITS) this.failSizeLineTooLong(this.consumed + pos);
        if (digits > EXACT_NUMBER_DIGITS) {
          this.sizeBig = (this.sizeBig ?? BigInt(size)) * 10n + BigInt(byte - DIGIT_0);
        }
        size = size * 10 + (byte - DIGIT_0);
        pos++;
        continue;
      }
      if (byte === LF && digits > 0) {
        this.startRecord(size, digits, this.consumed + pos);
        return pos + 1;
      }
      this.failInvalidSize(byte, digits, this.consumed + pos);
    }
    this.size = size;
    this.sizeDigits = digits;
    return pos;
  }

  private startRecord(size: number, digits: number, offset: number): void {
    this.size = 0;
    this.sizeDigits = 0;
    if (size > 0 && size <= this.maxRecordBytes && digits <= EXACT_NUMBER_DIGITS) {
      this.recordSize = size;
      return;
    }
    const announced = digits > EXACT_NUMBER_DIGITS ? String(this.sizeBig) : String(size);
    this.sizeBig = undefined;
    if (size === 0) {
      this.fail(
        new RecordIOError(
          'zero-size',
          `The RecordIO stream announced a record of 0 bytes at byte ${offset}, which Mesos never sends: the ` +
            `stream is corrupt or not RecordIO. Check that the URL points at a Mesos streaming endpoint.`,
          { offset, announcedSize: announced },
        ),
      );
    }
    if (digits > EXACT_NUMBER_DIGITS || size > this.maxRecordBytes) {
      this.fail(
        new RecordIOError(
          'record-too-large',
          `The RecordIO stream announced a record of ${announced} bytes at byte ${offset}, over the limit of ` +
            `${this.maxRecordBytes} bytes. Either the stream is corrupt, or the limit is too small for this ` +
            `cluster: raise maxRecordBytes.`,
          { offset, announcedSize: announced, limit: this.maxRecordBytes },
        ),
      );
    }
  }

  private failInvalidSize(byte: number, digits: number, offset: number): never {
    const found =
      byte === LF
        ? 'an empty size line'
        : byte === 0x2d && digits === 0
          ? 'a negative size'
          : `the byte ${describeByte(byte)} where a digit or line feed belongs`;
    const hint =
      offset === 0 && byte === 0x7b
        ? ' The body looks like plain JSON: the endpoint answered without RecordIO framing.'
        : offset === 0 && byte === 0x3c
          ? ' The body looks like HTML: a proxy or login page may be answering instead of Mesos.'
          : '';
    return this.fail(
      new RecordIOError(
        'invalid-size',
        `The RecordIO stream is not valid: found ${found} in a size line at byte ${offset}.${hint} Check that ` +
          `the URL points at a Mesos streaming endpoint and that nothing in between rewrites the body.`,
        { offset },
      ),
    );
  }

  private failSizeLineTooLong(offset: number): never {
    return this.fail(
      new RecordIOError(
        'size-line-too-long',
        `The RecordIO stream is not valid: a size line at byte ${offset} has more than ${MAX_SIZE_DIGITS} digits ` +
          `without a line feed. Check that the URL points at a Mesos streaming endpoint.`,
        { offset },
      ),
    );
  }

  private fail(error: RecordIOError): never {
    this.failure = error;
    this.pieces = [];
    throw error;
  }
}

/** Decodes a byte stream into records; a stream that ends mid-record throws a `truncated` RecordIOError. */
export async function* decodeRecordIO(
  source: AsyncIterable<Uint8Array>,
  options?: RecordIODecoderOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const decoder = new RecordIODecoder(options);
  for await (const chunk of source) {
    for (const record of decoder.push(chunk)) yield record;
  }
  decoder.finish();
}

function joinPieces(pieces: Uint8Array[], total: number): Uint8Array {
  const record = Buffer.allocUnsafe(total);
  let at = 0;
  for (const piece of pieces) {
    record.set(piece, at);
    at += piece.length;
  }
  return record;
}

function describeByte(byte: number): string {
  const hex = `0x${byte.toString(16).padStart(2, '0')}`;
  return byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}' (${hex})` : hex;
}
