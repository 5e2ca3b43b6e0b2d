/** What the Mesos side knows of one agent's task, keyed by agent (node) name in the `scheduler` input. */
export interface AgentTaskReport {
  /** pending: queued in the scheduler, waiting for an offer; terminal: ended (reported once, then dropped). */
  readonly state: 'pending' | 'staging' | 'running' | 'terminal';
  /** Terminal: Mesos' state, reason and message, e.g. `TASK_FAILED: Command exited with status 1`. */
  readonly reason?: string;
  /** Pending: why no offer fits, from the scheduler's `unmatched` decision. */
  readonly unmatched?: string;
  /** Once placed: the offer, the Mesos agent and its hostname. */
  readonly offerId?: string;
  readonly mesosAgentId?: string;
  readonly hostname?: string;
}
