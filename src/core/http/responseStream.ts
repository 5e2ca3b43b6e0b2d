import type { MesosHttpError } from './errors';

/** What undici hands us as a response body: a Node Readable. */
export interface BodySource extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * Drops a body we will not read. undici's body emits an 'error' when destroyed unread, which would be an
 * uncaught exception without a listener, so one swallows it: the caller has already decided the outcome.
 */
export function discardBody(source: BodySource): void {
  source.on('error', () => undefined);
  source.destroy();
}

/**
 * A streaming response body. Iterate it with `for await`; leaving the loop early, `cancel()`, the
 * request's AbortSignal or the endpoint's `close()` all end it and release the connection. Failures
 * while reading arrive as classified MesosHttpErrors (a body timeout, a reset, a cancellation).
 */
export class ResponseStream implements AsyncIterable<Uint8Array> {
  private cancelled = false;
  private started = false;

  constructor(
    private readonly source: BodySource,
    private readonly classify: (err: unknown) => MesosHttpError,
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.started) throw new Error('A response stream can be read only once');
    this.started = true;
    try {
      for await (const chunk of this.source) yield chunk;
    } catch (err) {
      if (this.cancelled) return;
      throw this.classify(err);
    }
  }

  /** Stops reading and drops the connection (it cannot be reused mid-body). Safe to call more than once. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    discardBody(this.source);
  }
}
