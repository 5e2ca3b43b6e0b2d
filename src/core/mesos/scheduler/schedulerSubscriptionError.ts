export type SchedulerSubscriptionErrorKind =
  | 'framework-removed' // ERROR "Framework has been removed": the id is dead for good
  | 'failed-over' // ERROR "Framework failed over": another scheduler subscribed with this id
  | 'refused' // any other ERROR: the subscription itself was invalid or not authorized
  | 'no-stream-id'; // SUBSCRIBED arrived on a response without a Mesos-Stream-Id header

/**
 * Why a scheduler subscription ended for good. An ERROR event from the master ends the stream, and
 * subscribing again would not help (or would fight another scheduler instance), so the client stops
 * and says why; `frameworkRemoved` tells the caller to forget a stored framework id.
 */
export class SchedulerSubscriptionError extends Error {
  override readonly name = 'SchedulerSubscriptionError';
  readonly kind: SchedulerSubscriptionErrorKind;
  /** The master's own words (the ERROR event's message), when there was one. */
  readonly mesosMessage: string | undefined;
  readonly frameworkId: string | undefined;
  readonly master: string | undefined;
  readonly reason: string;
  readonly nextStep: string;

  constructor(init: {
    kind: SchedulerSubscriptionErrorKind;
    mesosMessage?: string;
    frameworkId?: string;
    master?: string;
    reason: string;
    nextStep: string;
  }) {
    super(`${init.reason} ${init.nextStep}`);
    this.kind = init.kind;
    this.mesosMessage = init.mesosMessage;
    this.frameworkId = init.frameworkId;
    this.master = init.master;
    this.reason = init.reason;
    this.nextStep = init.nextStep;
  }

  get frameworkRemoved(): boolean {
    return this.kind === 'framework-removed';
  }

  /** Reads an ERROR event's message the way the master words it (Apache Mesos, src/master/master.cpp). */
  static fromErrorEvent(
    message: string,
    frameworkId: string | undefined,
    master: string | undefined,
  ): SchedulerSubscriptionError {
    const id = frameworkId ? ` ${frameworkId}` : '';
    if (/framework has been removed/i.test(message)) {
      return new SchedulerSubscriptionError({
        kind: 'framework-removed',
        mesosMessage: message,
        frameworkId,
        master,
        reason: `Mesos removed the framework${id} ("${message}"): it was torn down or stayed disconnected past its failover timeout, and its tasks were killed.`,
        nextStep: 'That framework id can never be used again: forget it and subscribe as a new framework.',
      });
    }
    if (/failed over/i.test(message)) {
      return new SchedulerSubscriptionError({
        kind: 'failed-over',
        mesosMessage: message,
        frameworkId,
        master,
        reason: `Another scheduler subscribed with the framework id${id} and took over ("${message}").`,
        nextStep:
          'This one stopped so the two do not fight: check for a second editor window or a headless autoscaler using the same cluster.',
      });
    }
    return new SchedulerSubscriptionError({
      kind: 'refused',
      mesosMessage: message,
      frameworkId,
      master,
      reason: `Mesos refused the framework subscription: ${message}.`,
      nextStep: 'Fix the framework settings it names (roles, user, principal, failover timeout) and subscribe again.',
    });
  }
}
