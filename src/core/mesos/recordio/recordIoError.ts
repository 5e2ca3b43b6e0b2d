/**
 * What went wrong in a RecordIO stream. `kind` lets a caller decide without parsing the message: every kind
 * except `truncated` means the bytes are not RecordIO at all (reconnecting to the same URL will not help);
 * `truncated` means the connection ended mid-record (reconnecting usually will).
 */
export type RecordIOErrorKind =
  | 'invalid-size' // the size line holds something other than ASCII digits (or is empty)
  | 'zero-size' // a size of 0, which Mesos never sends
  | 'size-line-too-long' // more than 20 digits without a line feed: not a uint64, or no line feed at all
  | 'record-too-large' // the announced size is over the configured limit
  | 'truncated'; // the stream ended inside a size line or a record

export interface RecordIOErrorDetails {
  /** Byte offset in the whole stream where the problem was found. */
  offset: number;
  /** The size the stream announced, as text (it may not fit a JS number). */
  announcedSize?: string;
  /** The configured maximum record size in bytes. */
  limit?: number;
  /** For `truncated`: how many bytes of the record never arrived. */
  missingBytes?: number;
}

export class RecordIOError extends Error {
  override readonly name = 'RecordIOError';
  readonly offset: number;
  readonly announcedSize: string | undefined;
  readonly limit: number | undefined;
  readonly missingBytes: number | undefined;

  constructor(
    readonly kind: RecordIOErrorKind,
    message: string,
    details: RecordIOErrorDetails,
  ) {
    super(message);
    this.offset = details.offset;
    this.announcedSize = details.announcedSize;
    this.limit = details.limit;
    this.missingBytes = details.missingBytes;
  }
}
