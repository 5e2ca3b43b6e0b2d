import { SchedulerDriver, type SchedulerDriverOptions } from '../core/scheduler/schedulerDriver';
import type { CliLogSink } from './cliLogSink';
import { within } from './within';

/** How the first subscription of a command's framework went. */
export type SubscribeOutcome =
  | { readonly kind: 'subscribed' }
  /** The command was interrupted first. */
  | { readonly kind: 'aborted' }
  /** Why not, for the user. */
  | { readonly kind: 'failed'; readonly message: string };

/**
 * The scheduler driver of a command (execute, kill, autoscale): its log goes through the command's sink,
 * its subscription is awaited within a time limit, and stopping it (with or without a TEARDOWN) never
 * throws but says what went wrong.
 */
export class CliScheduler {
  readonly driver: SchedulerDriver;

  constructor(
    private readonly sink: CliLogSink,
    options: Omit<SchedulerDriverOptions, 'sink'>,
  ) {
    this.driver = new SchedulerDriver({ ...options, sink });
  }

  /**
   * Subscribes within `timeoutMs`, and only until `signal` aborts; anything but a subscription stops the
   * driver again. `hint` is the next step when the masters did not answer in time.
   */
  async subscribe(timeoutMs: number, signal: AbortSignal, hint: string): Promise<SubscribeOutcome> {
    const started = await within(this.driver.start(), timeoutMs, signal);
    if (started.kind === 'done') return { kind: 'subscribed' };
    await this.driver.stop().catch(() => undefined);
    if (started.kind === 'aborted') return { kind: 'aborted' };
    return {
      kind: 'failed',
      message:
        started.kind === 'timeout'
          ? `the master did not accept the framework within ${timeoutMs / 1000} s (${this.driver.status.message}). ${hint}`
          : `the master refused the framework: ${(started.error as Error).message}`,
    };
  }

  /**
   * Ends the subscription. With `teardown` Mesos kills whatever the framework still runs and forgets it;
   * without, the framework stays registered for its failover timeout. Resolves to what to tell the user
   * when the stop failed, else undefined.
   */
  async stop(teardown: boolean): Promise<string | undefined> {
    // the master ends the stream of a framework it tears down: that end is the one asked for
    if (teardown) this.sink.expectStreamEnd();
    try {
      await this.driver.stop({ teardown });
      return undefined;
    } catch (error) {
      return (
        `could not tear framework ${this.driver.frameworkId ?? '?'} down (${(error as Error).message}); ` +
        'Mesos removes it when its failover timeout runs out, or tear it down with an operator TEARDOWN'
      );
    }
  }
}
