import type { SchedulerEvent } from '../mesos/codec';
import type { TaskRequest } from './taskRequest';

/**
 * Everything the reducer reacts to. Each input carries `at` (ms since the epoch) so time comes only from
 * inputs and a recorded list replays identically.
 */
export type SchedulerInput =
  | { readonly kind: 'event'; readonly at: number; readonly event: SchedulerEvent }
  | { readonly kind: 'launch'; readonly at: number; readonly requests: readonly TaskRequest[] }
  | { readonly kind: 'kill'; readonly at: number; readonly taskId: string }
  | { readonly kind: 'tick'; readonly at: number };
