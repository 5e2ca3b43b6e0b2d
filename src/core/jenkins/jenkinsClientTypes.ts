/**
 * What the JenkinsClient answers: the parts of Jenkins' JSON (jenkinsTypes.ts, reference §2–§4) its
 * `tree=` queries select, checked on arrival. Keys and nesting stay Jenkins' own, so the reference explains
 * each and any reader of Jenkins JSON (queueDemand, computerSnapshot) takes these values as they are.
 * Times are epoch milliseconds.
 */

/** `queue/api/json` as the client reads it. */
export interface JenkinsQueueSnapshot {
  /** Jenkins' order: waiting, blocked, buildable (most likely to start soonest last), pending. */
  readonly items: readonly JenkinsQueueEntry[];
}

/** `computer/api/json` as the client reads it. */
export interface JenkinsComputerSetSnapshot {
  readonly computer: readonly JenkinsComputerEntry[];
}

/** A queue item (`queue/api/json`); which optional keys exist depends on `_class` (reference §2.2). */
export interface JenkinsQueueEntry {
  /** `hudson.model.Queue$WaitingItem` | `$BlockedItem` | `$BuildableItem` | `$LeftItem`. */
  readonly _class: string;
  /** Stable across stages; becomes the run's queue id. */
  readonly id: number;
  readonly inQueueSince: number;
  readonly blocked: boolean;
  readonly buildable: boolean;
  /** "Needs capacity": true at once when every node of the item's label is offline or there is none. */
  readonly stuck: boolean;
  /** Buildable items only: already handed to an executor, so not demand. False when absent. */
  readonly pending: boolean;
  /** English text (the client sends `Accept-Language: en`); null for left items. */
  readonly why: string | null;
  /** `"\nNAME=value…"`, `""` if none. */
  readonly params: string;
  /** `queue/item/<id>/`, relative to the root URL. */
  readonly url: string;
  /** Blocked and buildable items: when the item left the waiting stage. */
  readonly buildableStartMilliseconds?: number;
  /** Waiting items: when the quiet period ends (for optional pre-provisioning). */
  readonly timestamp?: number;
  readonly task: JenkinsQueueEntryTask;
}

export interface JenkinsQueueEntryTask {
  /** `hudson.model.FreeStyleProject`, `…ExecutorStepExecution$PlaceholderTask` (a Pipeline `node` block), … */
  readonly _class: string;
  readonly name?: string;
  /** Jobs: absolute URL; Pipeline placeholders: the run's URL relative to the root. */
  readonly url?: string;
  readonly fullName?: string;
  /**
   * Jobs only: the label expression as typed, null when the job may roam. Undefined for Pipeline
   * placeholders, which export no label: take it from `why` (reference §2.4).
   */
  readonly labelExpression?: string | null;
}

/** A node as `computer/api/json` shows it (reference §3.1). */
export interface JenkinsComputerEntry {
  /** `hudson.slaves.SlaveComputer` for agents, `hudson.model.Hudson$MasterComputer` for the built-in node. */
  readonly _class: string;
  /** The node name (the built-in node shows `Built-In Node`); Jenkins exports no `name`. */
  readonly displayName: string;
  readonly description: string | null;
  readonly numExecutors: number;
  /** Temporarily offline, or not connected. A created inbound node is offline until its agent connects. */
  readonly offline: boolean;
  /** Marked offline by someone (setOffline); not the same as disconnected. */
  readonly temporarilyOffline: boolean;
  /** All executors idle and no one-off executor busy. */
  readonly idle: boolean;
  /** `""` when online. */
  readonly offlineCauseReason: string;
  /** Why and since when the node is offline (`_class` e.g. `hudson.slaves.OfflineCause$UserCause`). */
  readonly offlineCause: { readonly _class: string; readonly timestamp?: number; readonly description?: string } | null;
  readonly jnlpAgent: boolean;
  /** False for inbound agents (the controller cannot start them). */
  readonly launchSupported: boolean;
  readonly manualLaunchAllowed: boolean;
  /** Label atoms, including the self label (the node name). */
  readonly assignedLabels: readonly { readonly name: string }[];
  readonly executors: readonly JenkinsExecutorEntry[];
  /** Flyweight executors (Pipeline's own); a node running one is not idle. */
  readonly oneOffExecutors: readonly JenkinsExecutorEntry[];
  /** Agents only; null while offline or without Agent/Connect. */
  readonly absoluteRemotePath?: string | null;
}

export interface JenkinsExecutorEntry {
  readonly number: number;
  readonly idle: boolean;
  /** Percent of the estimated duration; -1 when idle. */
  readonly progress: number;
  readonly likelyStuck: boolean;
  /** The running build (`number`, `url`), or null. */
  readonly currentExecutable: { readonly _class?: string; readonly number?: number; readonly url?: string } | null;
}

/** `label/<expr>/api/json` (reference §3.2); `tiedJobs` is left out on purpose (expensive). */
export interface JenkinsLabelEntry {
  /** `hudson.model.labels.LabelAtom` or `…LabelExpression$And` etc. */
  readonly _class: string;
  /** Canonical name: atoms raw, expressions re-printed without spaces. */
  readonly name: string;
  readonly description: string | null;
  /** All nodes offline; true when there is none. */
  readonly offline: boolean;
  /** Online nodes only. */
  readonly busyExecutors: number;
  readonly totalExecutors: number;
  /** Online or connecting nodes that accept tasks. */
  readonly idleExecutors: number;
  /** The nodes the expression matches. */
  readonly nodes: readonly { readonly nodeName: string }[];
}

/** `whoAmI/api/json`. */
export interface JenkinsIdentity {
  readonly name: string;
  readonly anonymous: boolean;
  readonly authenticated: boolean;
  readonly authorities: readonly string[];
}

/** The answer of `ping()`: who we are on that Jenkins and what it is. */
export interface JenkinsPing {
  readonly identity: JenkinsIdentity;
  /** `X-Jenkins` (e.g. `2.578`); undefined when a proxy removed it. */
  readonly version: string | undefined;
  /** `X-Jenkins-Session`: changes with every controller restart. */
  readonly session: string | undefined;
  /** The configured root URL (what agents are told to connect to); null when unset. */
  readonly rootUrl: string | null;
  readonly useSecurity: boolean;
  readonly useCrumbs: boolean;
  readonly quietingDown: boolean;
  /** TCP agent port: 0 random, -1 disabled (then agents must use WebSocket). */
  readonly slaveAgentPort: number;
}

/** What `computer/<name>/jenkins-agent.jnlp` tells an inbound agent (reference §4.5). */
export interface AgentJnlp {
  /** 64 hex characters. A credential: never log it. */
  readonly secret: string;
  readonly name: string;
  /** The `-url` Jenkins gives agents: its configured root URL (or `jenkins.agent.inboundUrl`). */
  readonly url: string | undefined;
  readonly webSocket: boolean;
  readonly workDir: string | undefined;
  readonly internalDir: string | undefined;
  /** Every argument after the name, in order (`-webSocket`, `-workDir`, DIR, …, `-url`, URL). */
  readonly options: readonly string[];
}
