import type { QueueRequest, ResponseMessage, ScaleNowResult, WebviewToHost } from './protocol';

/** Sends requests to the host and matches each response to its request by id. */
export class HostConnection {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve(result: ScaleNowResult | undefined): void; reject(error: Error): void }
  >();

  constructor(private readonly post: (message: WebviewToHost) => void) {}

  /** Resolves with the host's result, or rejects with the host's sentence about what went wrong. */
  request(request: QueueRequest): Promise<ScaleNowResult | undefined> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'request', id, ...request });
    });
  }

  /** Settles the request the response answers; false when no request of ours has that id. */
  settle(response: ResponseMessage): boolean {
    const waiting = this.pending.get(response.id);
    if (!waiting) return false;
    this.pending.delete(response.id);
    if (response.ok) waiting.resolve(response.result);
    else waiting.reject(new Error(response.error));
    return true;
  }

  get waiting(): number {
    return this.pending.size;
  }
}
