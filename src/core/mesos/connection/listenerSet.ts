import type { Logger } from '../../log/logSink';
import type { Disposable } from '../leader/leaderDetector';

/**
 * Listeners of one kind of notification. A listener that throws, or returns a promise that rejects, is
 * logged and the others still run: a bug in a view must not stop a Mesos stream. Listeners are never
 * awaited, so a slow async listener cannot hold up the caller.
 */
export class ListenerSet<T> {
  private readonly listeners = new Set<(value: T) => unknown>();

  constructor(
    private readonly log: Logger,
    /** What the listeners hear about, for the log line when one fails ("event", "status"). */
    private readonly what: string,
  ) {}

  get size(): number {
    return this.listeners.size;
  }

  add(listener: (value: T) => unknown): Disposable {
    // A wrapper per registration, so the same function added twice is also disposed twice.
    const entry = (value: T) => listener(value);
    this.listeners.add(entry);
    return { dispose: () => void this.listeners.delete(entry) };
  }

  emit(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        const result = listener(value);
        if (isPromiseLike(result)) {
          result.then(undefined, (error: unknown) => this.log.error(`A ${this.what} listener failed`, error));
        }
      } catch (error) {
        this.log.error(`A ${this.what} listener threw`, error);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
