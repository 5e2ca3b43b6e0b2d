import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  MEDIA_TYPE,
  schedulerCallCodec,
  schedulerEventCodec,
  type SchedulerCall,
  type SchedulerEvent,
  type WireEncoding,
} from '../../../src/core/mesos/codec/index';
import { encodeRecord } from '../../../src/core/mesos/recordio/recordIoEncoder';
import { type LoopbackServer, startLoopbackServer } from '../../support/loopbackServer';

/** One SUBSCRIBE response the fake master holds open. */
export interface FakeStream {
  /** 1 for the first SUBSCRIBE this master saw. */
  readonly attempt: number;
  readonly streamId: string;
  readonly encoding: WireEncoding;
  readonly call: SchedulerCall;
  readonly headers: IncomingMessage['headers'];
  readonly frameworkId: string;
  /** Sends one event, framed, in the stream's encoding. */
  send(event: SchedulerEvent): void;
  /** Sends bytes as they are (a part of a record, a malformed one). */
  sendRaw(bytes: Uint8Array | string): void;
  /** Ends the response cleanly. */
  end(): void;
  /** Breaks the connection (as a crashing master or a network failure does). */
  destroy(): void;
  readonly closed: boolean;
}

export interface RecordedCall {
  readonly call: SchedulerCall;
  readonly headers: IncomingMessage['headers'];
  readonly status: number;
}

/**
 * A scheduler endpoint that checks requests the way a Mesos 1.12 master does (reference §1.2, §2.5,
 * §2.6: exact Content-Type, no Mesos-Stream-Id on SUBSCRIBE, matching framework ids, the live stream's
 * id on every other call) and lets each test script what every subscription stream carries.
 */
export class FakeSchedulerMaster {
  readonly streams: FakeStream[] = [];
  readonly calls: RecordedCall[] = [];
  /** What a new subscription carries; by default SUBSCRIBED and a HEARTBEAT, as a master sends. */
  onSubscribe: (stream: FakeStream) => void = (stream) => {
    stream.send({
      type: 'SUBSCRIBED',
      subscribed: { framework_id: { value: stream.frameworkId }, heartbeat_interval_seconds: this.heartbeatSeconds },
    });
    stream.send({ type: 'HEARTBEAT' });
  };
  /** Overrides the answer to a non-SUBSCRIBE call that passed validation. */
  answerCall: ((call: SchedulerCall) => { status: number; body?: string } | undefined) | undefined;
  /** Answers a SUBSCRIBE before any validation (a 503 while recovering, a 307 to another master). */
  beforeSubscribe: ((res: ServerResponse, attempt: number) => boolean) | undefined;
  /**
   * Base URL of the leading master when it is not this one: /master/redirect and the scheduler endpoint
   * then answer 307 with a scheme-less Location, as a standby master does (reference §2.7, §7.3).
   */
  redirectTo: string | undefined;
  /** Answer 503, as a master that knows no leader does. */
  noLeader = false;
  heartbeatSeconds = 15;
  /** The id a first SUBSCRIBE is given. */
  assignFrameworkId = 'fw-0001';
  private knownFrameworks = new Set<string>();
  private subscribeAttempts = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  private constructor(readonly server: LoopbackServer) {}

  static async start(): Promise<FakeSchedulerMaster> {
    const ref: { master?: FakeSchedulerMaster } = {};
    const server = await startLoopbackServer((req, res, body) => ref.master?.handle(req, res, body));
    ref.master = new FakeSchedulerMaster(server);
    return ref.master;
  }

  get url(): string {
    return this.server.url;
  }

  /** SUBSCRIBE requests seen (answered or not). */
  get subscribeRequests(): number {
    return this.subscribeAttempts;
  }

  /** Resolves with the n-th stream (1-based) once it is open. */
  async stream(n: number): Promise<FakeStream> {
    if (this.streams.length < n) await new Promise<void>((resolve) => this.waiters.push({ count: n, resolve }));
    return this.streams[n - 1] as FakeStream;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const refuse = (status: number, reason: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(reason);
    };
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/master/redirect') {
      if (this.noLeader) return refuse(503, 'No leader elected');
      res.writeHead(307, { location: `//${new URL(this.redirectTo ?? this.url).host}` });
      return void res.end();
    }
    if (path !== '/api/v1/scheduler' && path !== '/master/api/v1/scheduler') return refuse(404, '');
    if (req.method !== 'POST') return refuse(405, 'Expecting a POST request');
    if (this.noLeader) return refuse(503, 'No leader elected');
    if (this.redirectTo !== undefined) {
      res.writeHead(307, { location: `//${new URL(this.redirectTo).host}/master/api/v1/scheduler` });
      return void res.end();
    }
    const contentType = req.headers['content-type'];
    if (contentType === undefined) return refuse(400, "Expecting 'Content-Type' to be present");
    const encoding: WireEncoding | undefined =
      contentType === MEDIA_TYPE.json ? 'json' : contentType === MEDIA_TYPE.protobuf ? 'protobuf' : undefined;
    if (encoding === undefined)
      return refuse(415, `Expecting 'Content-Type' of application/json or application/x-protobuf`);
    let call: SchedulerCall;
    try {
      call = schedulerCallCodec.decode(body, encoding);
    } catch (error) {
      return refuse(400, `Failed to parse body into Call: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (call.type === 'SUBSCRIBE') return this.subscribe(req, res, call, refuse);

    const reject = (status: number, reason: string) => {
      this.calls.push({ call, headers: req.headers, status });
      refuse(status, reason);
    };
    const frameworkId = call.framework_id?.value;
    if (frameworkId === undefined) return reject(400, "Expecting 'framework_id' to be present");
    if (!this.knownFrameworks.has(frameworkId)) return reject(400, 'Framework cannot be found');
    const live = [...this.streams].reverse().find((s) => s.frameworkId === frameworkId && !s.closed);
    if (live === undefined) return reject(403, 'Framework is not subscribed');
    const streamId = req.headers['mesos-stream-id'];
    if (streamId === undefined)
      return reject(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    if (streamId !== live.streamId) {
      return reject(
        400,
        `The stream ID '${String(streamId)}' included in this request didn't match the stream ID currently associated with framework ID ${frameworkId}`,
      );
    }
    const answer = this.answerCall?.(call) ?? { status: call.type === 'UPDATE_FRAMEWORK' ? 200 : 202 };
    this.calls.push({ call, headers: req.headers, status: answer.status });
    res.writeHead(answer.status, answer.body === undefined ? {} : { 'content-type': 'text/plain; charset=utf-8' });
    res.end(answer.body ?? '');
  }

  private subscribe(
    req: IncomingMessage,
    res: ServerResponse,
    call: SchedulerCall,
    refuse: (status: number, reason: string) => void,
  ): void {
    const attempt = ++this.subscribeAttempts;
    if (this.beforeSubscribe?.(res, attempt)) return;
    if (req.headers['mesos-stream-id'] !== undefined)
      return refuse(400, "Subscribe calls should not include the 'Mesos-Stream-Id' header");
    const accept = req.headers.accept;
    const encoding: WireEncoding | undefined =
      accept === undefined || accept === '*/*' || accept === MEDIA_TYPE.json
        ? 'json'
        : accept === MEDIA_TYPE.protobuf
          ? 'protobuf'
          : undefined;
    if (encoding === undefined)
      return refuse(406, `Expecting 'Accept' to allow application/json or application/x-protobuf`);
    const info = call.subscribe?.framework_info;
    if (info === undefined) return refuse(400, "Expecting 'subscribe' to be present");
    const topId = call.framework_id?.value;
    if (topId !== info.id?.value) return refuse(400, "'framework_id' differs from 'subscribe.framework_info.id'");
    const frameworkId = topId ?? this.assignFrameworkId;
    this.knownFrameworks.add(frameworkId);

    const streamId = `stream-${attempt}`;
    res.writeHead(200, { 'content-type': MEDIA_TYPE[encoding], 'mesos-stream-id': streamId });
    res.flushHeaders();
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    const stream: FakeStream = {
      attempt,
      streamId,
      encoding,
      call,
      headers: req.headers,
      frameworkId,
      send: (event) => void res.write(encodeRecord(schedulerEventCodec.encode(event, encoding))),
      sendRaw: (bytes) => void res.write(bytes),
      end: () => void res.end(),
      destroy: () => void res.socket?.destroy(),
      get closed() {
        return closed;
      },
    };
    // Another subscription for the same framework replaces this one, as on a real master.
    for (const older of this.streams) if (older.frameworkId === frameworkId && !older.closed) older.end();
    this.streams.push(stream);
    this.onSubscribe(stream);
    for (const waiter of this.waiters.filter((w) => this.streams.length >= w.count)) waiter.resolve();
    this.waiters = this.waiters.filter((w) => this.streams.length < w.count);
  }
}
