import type { HttpStatusError } from '../../http/errors';
import type { SchedulerCallType } from '../codec/index';

export type SchedulerCallErrorKind =
  | 'not-subscribed' // no live subscription to send the call on (connecting, reconnecting, closed)
  | 'refused' // the master answered with an error status; `status` and `reason` say which and why
  | 'unexpected-status'; // a success status other than the one the call type gets (202, or 200 for UPDATE_FRAMEWORK)

export interface SchedulerCallErrorInit {
  readonly kind: SchedulerCallErrorKind;
  readonly callType: SchedulerCallType;
  /** Base URL of the master the call went to, when it went anywhere. */
  readonly master?: string;
  readonly status?: number;
  /** Mesos's explanation (its text/plain error body), or ours when there was no answer. */
  readonly reason: string;
  readonly nextStep: string;
  /** Whether sending the same call again later may work. */
  readonly retryable: boolean;
  readonly cause?: HttpStatusError;
}

/**
 * A scheduler call (ACCEPT, KILL, ACKNOWLEDGE, …) that Mesos did not take. Failures to reach the master
 * at all arrive as the HTTP layer's own errors (ConnectionError, TimeoutError, RequestAbortedError).
 */
export class SchedulerCallError extends Error {
  override readonly name = 'SchedulerCallError';
  readonly kind: SchedulerCallErrorKind;
  readonly callType: SchedulerCallType;
  readonly master: string | undefined;
  readonly status: number | undefined;
  readonly reason: string;
  readonly nextStep: string;
  readonly retryable: boolean;

  constructor(init: SchedulerCallErrorInit) {
    const where = init.master ? ` to ${init.master}` : '';
    const status = init.status === undefined ? '' : ` with ${init.status}`;
    const summary =
      init.kind === 'not-subscribed'
        ? `The ${init.callType} call was not sent${where}: ${init.reason}.`
        : `Mesos ${init.kind === 'refused' ? 'refused' : 'answered'} the ${init.callType} call${where}${status}: ${init.reason}.`;
    super(`${summary} ${init.nextStep}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.callType = init.callType;
    this.master = init.master;
    this.status = init.status;
    this.reason = init.reason;
    this.nextStep = init.nextStep;
    this.retryable = init.retryable;
  }
}
