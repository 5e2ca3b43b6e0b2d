import type { SchedulerEvent } from '../mesos/codec';
import type { OutgoingCall } from './outgoingCall';
import type { TaskRequest } from './taskRequest';

/**
 * Everything the reducer reacts to. Each input carries `at` (ms since the epoch) so time comes only from
 * inputs and a recorded list replays identically.
 *
 * `call-failed` reports a call the driver could not deliver. `definite` means Mesos certainly did not act
 * on it (refused with 4xx, or never sent because the stream was down); otherwise (a timeout, a reset
 * connection) it may or may not have taken effect.
 *
 * `disconnected` means the subscription stream is gone (the driver reconnects; offers are void meanwhile).
 *
 * `framework-removed` means Mesos forgot the framework (failover timeout passed, or a teardown): its tasks
 * are gone and the id can never be used again.
 */
export type SchedulerInput =
  | { readonly kind: 'event'; readonly at: number; readonly event: SchedulerEvent }
  | { readonly kind: 'launch'; readonly at: number; readonly requests: readonly TaskRequest[] }
  | { readonly kind: 'kill'; readonly at: number; readonly taskId: string }
  | { readonly kind: 'tick'; readonly at: number }
  | {
      readonly kind: 'call-failed';
      readonly at: number;
      readonly call: OutgoingCall;
      readonly definite: boolean;
      readonly reason: string;
    }
  | { readonly kind: 'disconnected'; readonly at: number; readonly reason: string }
  | { readonly kind: 'framework-removed'; readonly at: number; readonly reason: string };
