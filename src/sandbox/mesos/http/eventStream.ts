import type { ServerResponse } from 'node:http';
import { encodeRecord } from '../../../core/mesos/recordio/recordIoEncoder';
import type { WireEncoding } from '../../../core/mesos/codec/wireEncoding';
import { MEDIA_TYPE } from '../../../core/mesos/codec/wireEncoding';

/** Encodes one event of a stream in the subscriber's encoding. */
export type EventEncoder<E> = (event: E, encoding: WireEncoding) => Uint8Array;

/** Switches the fault-injection admin endpoint flips for live streams. */
export interface StreamFaults {
  /** Heartbeats are not sent while true (a stalled master). */
  stallHeartbeats: boolean;
}

/**
 * A master's streaming response (scheduler or operator SUBSCRIBE): 200, chunked, Content-Type of each
 * record's encoding, RecordIO records, a heartbeat at once and then every interval. Knows how to
 * misbehave on purpose for the fault-injection endpoint: cut the connection in the middle of a record, or
 * send a record whose bytes do not decode.
 */
export class EventStream<E> {
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  private headWritten = false;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly res: ServerResponse,
    private readonly encode: EventEncoder<E>,
    readonly encoding: WireEncoding,
    private readonly heartbeatEvent: E,
    private readonly heartbeatMs: number,
    private readonly faults: StreamFaults,
    private readonly headers: Record<string, string> = {},
  ) {
    res.on('close', () => this.markClosed());
  }

  /** The 200 head goes out with the first record, so a request refused before that can still get a 4xx. */
  private ensureHead(): void {
    if (this.headWritten) return;
    this.headWritten = true;
    this.res.writeHead(200, { 'Content-Type': MEDIA_TYPE[this.encoding], 'Cache-Control': 'no-cache', ...this.headers });
    this.res.flushHeaders();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts the heartbeat: one now, then one every interval. */
  startHeartbeats(): void {
    this.sendHeartbeat();
    this.heartbeat = setInterval(() => this.sendHeartbeat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  send(event: E): void {
    if (this.closed) return;
    this.ensureHead();
    this.res.write(encodeRecord(this.encode(event, this.encoding)));
  }

  /** Ends the stream cleanly (the subscriber sees end-of-response). */
  close(): void {
    if (this.closed) return;
    this.ensureHead();
    this.res.end();
    this.markClosed();
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  /** Fault: sends the first half of a record, then drops the connection. */
  cutMidRecord(event: E): void {
    if (this.closed) return;
    this.ensureHead();
    const record = encodeRecord(this.encode(event, this.encoding));
    this.res.write(record.subarray(0, Math.max(1, Math.floor(record.length / 2))), () => this.res.destroy());
    this.markClosed();
  }

  /** Fault: a well-framed record whose payload decodes in neither encoding. */
  sendMalformed(): void {
    if (this.closed) return;
    this.ensureHead();
    const garbage = this.encoding === 'json' ? Buffer.from('{"type":"UPDATE","update":') : Uint8Array.from([0xff, 0xff, 0xff, 0x0f]);
    this.res.write(encodeRecord(garbage));
  }

  private sendHeartbeat(): void {
    if (!this.faults.stallHeartbeats) this.send(this.heartbeatEvent);
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
