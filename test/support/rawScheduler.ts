import { request } from 'undici';
import { MEDIA_TYPE, schedulerCallCodec, schedulerEventCodec, type FrameworkInfo, type SchedulerCall, type SchedulerEvent, type WireEncoding } from '../../src/core/mesos/codec';
import { decodeRecordIO } from '../../src/core/mesos/recordio/recordIoDecoder';

/**
 * A deliberately bare scheduler-API client for conformance tests of the sandbox master: undici, RecordIO
 * and the codec, nothing of the product's SchedulerClient, so the sandbox is checked against the
 * reference on its own.
 */
export interface RawSubscription {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly streamId: string | undefined;
  readonly frameworkId: string | undefined;
  /** Every event received so far, in order. */
  readonly events: SchedulerEvent[];
  /** Waits for the next event matching the predicate (events already received count). */
  waitFor(predicate: (e: SchedulerEvent) => boolean, timeoutMs?: number): Promise<SchedulerEvent>;
  /** Sends a non-SUBSCRIBE call with this subscription's stream id and framework id. */
  call(call: Omit<SchedulerCall, 'framework_id'>, options?: { streamId?: string | null }): Promise<{ status: number; body: string }>;
  /** Resolves when the server ended the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export async function rawPost(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const res = await request(url, { method: 'POST', body, headers });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

export async function rawSubscribe(
  masterUrl: string,
  frameworkInfo: FrameworkInfo,
  encoding: WireEncoding = 'json',
  extra: { frameworkId?: string; authorization?: string } = {},
): Promise<RawSubscription> {
  const controller = new AbortController();
  const call: SchedulerCall = {
    type: 'SUBSCRIBE',
    ...(extra.frameworkId ? { framework_id: { value: extra.frameworkId } } : {}),
    subscribe: { framework_info: { ...frameworkInfo, ...(extra.frameworkId ? { id: { value: extra.frameworkId } } : {}) } },
  };
  const res = await request(`${masterUrl}/api/v1/scheduler`, {
    method: 'POST',
    body: schedulerCallCodec.encode(call, encoding),
    headers: {
      'Content-Type': MEDIA_TYPE[encoding],
      Accept: MEDIA_TYPE[encoding],
      ...(extra.authorization ? { Authorization: extra.authorization } : {}),
    },
    signal: controller.signal,
  });
  const events: SchedulerEvent[] = [];
  const waiters = new Set<() => void>();
  const streamIdHeader = res.headers['mesos-stream-id'];
  let frameworkId: string | undefined;
  let ended: Promise<void> = Promise.resolve();
  if (res.statusCode === 200) {
    ended = (async () => {
      try {
        for await (const record of decodeRecordIO(res.body)) {
          const event = schedulerEventCodec.decode(record, encoding);
          if (event.type === 'SUBSCRIBED') frameworkId = event.subscribed?.framework_id.value;
          events.push(event);
          for (const w of [...waiters]) w();
        }
      } catch {
        // aborted by close(), or cut by the server: the test looks at `events`
      } finally {
        for (const w of [...waiters]) w();
      }
    })();
  } else {
    await res.body.text();
  }
  const sub: RawSubscription = {
    status: res.statusCode,
    headers: res.headers,
    streamId: typeof streamIdHeader === 'string' ? streamIdHeader : undefined,
    get frameworkId() {
      return frameworkId;
    },
    events,
    ended,
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let seen = 0;
      for (;;) {
        for (; seen < events.length; seen++) if (predicate(events[seen]!)) return events[seen]!;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(', ')}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, left);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
          void ended.then(done);
        });
        if (seen === events.length && (await Promise.race([ended.then(() => true), Promise.resolve(false)]))) {
          for (; seen < events.length; seen++) if (predicate(events[seen]!)) return events[seen]!;
          throw new Error(`the stream ended without a matching event; got ${events.map((e) => e.type).join(', ')}`);
        }
      }
    },
    async call(c, options = {}) {
      const full: SchedulerCall = { ...c, framework_id: { value: frameworkId ?? extra.frameworkId ?? '' } } as SchedulerCall;
      const streamId = options.streamId === null ? undefined : (options.streamId ?? sub.streamId);
      const r = await rawPost(`${masterUrl}/api/v1/scheduler`, schedulerCallCodec.encode(full, encoding), {
        'Content-Type': MEDIA_TYPE[encoding],
        ...(streamId ? { 'Mesos-Stream-Id': streamId } : {}),
        ...(extra.authorization ? { Authorization: extra.authorization } : {}),
      });
      return { status: r.status, body: r.body };
    },
    close() {
      controller.abort();
    },
  };
  return sub;
}
