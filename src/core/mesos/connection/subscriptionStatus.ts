/**
 * Where an event subscription (scheduler or operator SUBSCRIBE) stands, for a status bar or a tree's
 * error node. `message` is a sentence for people; `error` carries the cause and a next step.
 */
export type SubscriptionStatus =
  /** Constructed; subscribe() not called yet. */
  | { readonly state: 'idle'; readonly message: string }
  /** Finding the leader and opening the stream; `attempt` counts tries since the last subscription. */
  | { readonly state: 'connecting'; readonly attempt: number; readonly message: string }
  /** The master answered SUBSCRIBED on a stream from `master` (base URL) at `since` (epoch ms). */
  | { readonly state: 'subscribed'; readonly master: string; readonly since: number; readonly message: string }
  /** The stream is gone; the next attempt starts at `nextAttemptAt` (epoch ms). */
  | {
      readonly state: 'reconnecting';
      readonly attempt: number;
      readonly delayMs: number;
      readonly nextAttemptAt: number;
      readonly error: Error;
      readonly message: string;
    }
  /** Ended for a reason retrying cannot fix (an ERROR event, a refused subscription); see `error`. */
  | { readonly state: 'failed'; readonly error: Error; readonly message: string }
  /** close() was called. */
  | { readonly state: 'closed'; readonly message: string };

export type SubscriptionState = SubscriptionStatus['state'];
