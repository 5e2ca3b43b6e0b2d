export type AutoscaleDecisionKind =
  /** An agent is being created for waiting builds. */
  | 'launch'
  /** Its Mesos task got an offer. */
  | 'placed'
  /** Its node came online in Jenkins. */
  | 'connected'
  /** An idle agent was taken offline to be removed. */
  | 'remove'
  /** An agent's node was deleted and its task killed (or they were already gone). */
  | 'removed'
  /** Builds wait, or something else was not done, and why (see `skip`). */
  | 'skip'
  | 'failure'
  /** After a failure: when the next launch for the template may happen. */
  | 'retry'
  /** A node without a task, or a task without a node, found while reconciling. */
  | 'orphan'
  /** A node with a live task, left by an earlier run, taken over. */
  | 'adopt'
  /** The summary of a reconciliation after a start or an outage. */
  | 'reconcile'
  /** Paused, resumed, dry run on or off. */
  | 'mode'
  /** Jenkins or Mesos cannot be seen: nothing is decided that needs them. */
  | 'outage';

export type AutoscaleSkipReason =
  /** The template's or the global agent limit is reached. */
  | 'limit'
  /** No template's labels satisfy the label. */
  | 'no-template'
  /** The build's label cannot be learnt (see the reason). */
  | 'unknown-label'
  /** The build waits for one node by name (a resumed Pipeline's own agent, or a node not ours). */
  | 'node'
  /** The agent's task waits for an offer that fits. */
  | 'unplaced'
  /** Launches of the template wait out a backoff after failures. */
  | 'backoff'
  | 'paused'
  /** The scheduler has not (re)connected and reconciled, so agents cannot be counted. */
  | 'waiting-for-mesos'
  /** An agent to remove still runs a build. */
  | 'build-running';

/** Why the autoscaler did (or did not do) something; plain data for the webview, the log and tests. */
export interface AutoscaleDecision {
  /** Milliseconds since the epoch, from the input that caused it. */
  readonly at: number;
  readonly kind: AutoscaleDecisionKind;
  readonly skip?: AutoscaleSkipReason;
  /** The label(s) the builds need, canonical (`mesos&&linux`); `(none)` for unlabeled builds. */
  readonly label?: string;
  readonly template?: string;
  /** Queue item ids the decision serves or concerns. */
  readonly items?: readonly number[];
  /** The Jenkins agent (node name, also the Mesos task name). */
  readonly agent?: string;
  readonly offerId?: string;
  readonly mesosAgentId?: string;
  readonly hostname?: string;
  readonly resources?: { readonly cpus: number; readonly mem: number; readonly disk: number };
  /** 1 for a first launch, n for the (n-1)th retry after failures in a row. */
  readonly attempt?: number;
  /** Made in dry-run mode: nothing was done. */
  readonly dryRun?: true;
  readonly reason: string;
}
