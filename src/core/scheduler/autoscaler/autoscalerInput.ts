import type { AgentTaskReport } from './agentTaskReport';
import type { AgentTemplate } from './agentTemplate';

/**
 * Everything the autoscaler reacts to. Each input carries `at` (ms since the epoch): time comes only from
 * inputs, so a recorded list replays to the same actions and decisions.
 */
export type AutoscalerInput =
  /**
   * One Jenkins poll: `queue/api/json` and `computer/api/json` as parsed JSON (reference §8.1; the
   * computers need `description` and `executors[idle]`), and the `X-Jenkins-Session` header, whose change
   * means the controller restarted.
   */
  | {
      readonly kind: 'poll';
      readonly at: number;
      readonly queue: unknown;
      readonly computers: unknown;
      readonly session?: string;
    }
  /** Jenkins could not be polled: nothing that needs a fresh view of it is decided until the next poll. */
  | { readonly kind: 'poll-failed'; readonly at: number; readonly message: string }
  /**
   * The Mesos side: every task of the framework that belongs to an agent, by agent name. `reconciled` is
   * true when the scheduler is subscribed and has reconciled its tasks since, so a name missing here has
   * no task; false during an outage (then nothing is judged from absence).
   */
  | {
      readonly kind: 'scheduler';
      readonly at: number;
      readonly reconciled: boolean;
      readonly tasks: Readonly<Record<string, AgentTaskReport>>;
    }
  /** Results of actions. */
  | { readonly kind: 'node-created'; readonly at: number; readonly name: string }
  | { readonly kind: 'node-create-failed'; readonly at: number; readonly name: string; readonly message: string }
  /** Reading the secret or handing the task to the scheduler failed (or the scheduler rejected it). */
  | { readonly kind: 'launch-failed'; readonly at: number; readonly name: string; readonly message: string }
  | { readonly kind: 'node-offline-failed'; readonly at: number; readonly name: string; readonly message: string }
  | { readonly kind: 'node-delete-failed'; readonly at: number; readonly name: string; readonly message: string }
  | { readonly kind: 'kill-failed'; readonly at: number; readonly name: string; readonly message: string }
  /** The settings changed. */
  | { readonly kind: 'templates'; readonly at: number; readonly templates: readonly AgentTemplate[] }
  | { readonly kind: 'pause'; readonly at: number }
  | { readonly kind: 'resume'; readonly at: number }
  | { readonly kind: 'dry-run'; readonly at: number; readonly enabled: boolean }
  /** Time passed: removals that did not finish are sent again. Deadlines wait for the next poll. */
  | { readonly kind: 'tick'; readonly at: number };
