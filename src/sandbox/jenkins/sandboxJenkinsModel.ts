import { createHmac, randomBytes } from 'node:crypto';
import { labelMatches, labelName, type LabelExpression } from '../../core/jenkins/labelExpression';
import { BUILT_IN_SELF_LABEL, nodeLabelAtoms } from '../../core/jenkins/labelExpressionNodeAtoms';
import { resolveLabel } from '../../core/jenkins/labelExpressionResolve';
import type { WorkloadEntry } from './workload';
import { joinRefusals, whyMessages } from './whyMessages';

/**
 * The state of the sandbox Jenkins: nodes with executors, the build queue, running and finished builds.
 * It follows Jenkins' own rules where an autoscaler can observe them: the queue stages, which node may take
 * which item (`Node.canTake`), the `why` decision table (`Queue.BuildableItem.getCauseOfBlockage`),
 * `stuck`, and the computer/label counts. Time comes from `now()`; nothing here sets timers: the owner calls
 * `maintain()` after every change and again at `nextWakeAt()`. That keeps the model testable step by step.
 */

export type NodeMode = 'NORMAL' | 'EXCLUSIVE';

export type SandboxLauncher =
  | {
      readonly kind: 'inbound';
      readonly webSocket: boolean;
      readonly tunnel: string;
      readonly workDirDisabled: boolean;
      readonly workDirPath: string;
      readonly internalDir: string;
      readonly failIfWorkDirIsMissing: boolean;
    }
  /** Any other launcher class: the node exists but no inbound agent can connect to it. */
  | { readonly kind: 'other'; readonly javaClass: string };

export const DEFAULT_INBOUND_LAUNCHER: SandboxLauncher = {
  kind: 'inbound',
  webSocket: false,
  tunnel: '',
  workDirDisabled: false,
  workDirPath: '',
  internalDir: 'remoting',
  failIfWorkDirIsMissing: false,
};

export interface SandboxNodeSpec {
  readonly name: string;
  /** Whitespace-separated atoms, quotes allowed (as in Jenkins' "Labels" field). */
  readonly labelString?: string;
  /** Default 1. */
  readonly numExecutors?: number;
  /** Default NORMAL. EXCLUSIVE nodes take only items whose label they satisfy. */
  readonly mode?: NodeMode;
  readonly description?: string;
  readonly remoteFS?: string;
  /** Default: an inbound (JNLP) launcher. */
  readonly launcher?: SandboxLauncher;
  /** Connect an in-process stand-in agent at once, so the node is online without any process. */
  readonly online?: boolean;
}

/** Messages from controller to a connected agent. */
export type AgentNotice =
  | { readonly type: 'build-start'; readonly build: BuildNotice }
  | { readonly type: 'build-end'; readonly build: BuildNotice; readonly result: BuildResult };

export interface BuildNotice {
  readonly queueId: number;
  readonly job: string;
  readonly number: number;
  readonly executor: number;
  readonly durationMs: number;
}

/** A live connection from an agent (or the in-process stand-in) that keeps a node online. */
export interface AgentChannel {
  readonly kind: 'fake' | 'agent';
  notify(notice: AgentNotice): void;
  /** Controller-side close (doDisconnect, delete, restart); the channel must not call back into the model. */
  close(reason: string): void;
}

export type BuildResult = 'SUCCESS' | 'ABORTED';

export interface OfflineCause {
  readonly javaClass: string;
  readonly timestamp: number;
  readonly description: string;
  /** What `offlineCauseReason` shows. */
  readonly reason: string;
}

export interface ModelNode {
  readonly name: string;
  readonly builtIn: boolean;
  readonly displayName: string;
  description: string;
  numExecutors: number;
  mode: NodeMode;
  labelString: string;
  remoteFS: string;
  launcher: SandboxLauncher;
  /** Retention strategy and node properties as submitted; kept for completeness only. */
  extra: Readonly<Record<string, unknown>>;
  temporarilyOffline: boolean;
  offlineCause: OfflineCause | null;
  channel: AgentChannel | null;
  connectedSince: number | null;
  /** One slot per executor: the run occupying it (pending or running) or null. */
  executors: (ModelRun | null)[];
}

export interface ModelTask {
  readonly kind: 'freestyle' | 'pipeline';
  /** Full job name, folders separated by `/`. */
  readonly job: string;
  /** Freestyle: the label text as typed (null when unrestricted). */
  readonly labelExpression: string | null;
  /** Pipeline: the run this node block belongs to. */
  readonly runNumber: number | null;
  readonly stage: string | null;
  readonly concurrent: boolean;
}

export type ItemStage = 'waiting' | 'blocked' | 'buildable' | 'left';

export interface ModelQueueItem {
  readonly id: number;
  readonly task: ModelTask;
  readonly label: LabelExpression | null;
  readonly inQueueSince: number;
  readonly durationMs: number;
  readonly params: Readonly<Record<string, string>>;
  stage: ItemStage;
  /** Waiting: when the quiet period ends. */
  timestamp: number;
  buildableStartMilliseconds: number | null;
  /** Buildable and already handed to an executor. */
  pending: boolean;
  /**
   * Refusals from idle executors at the last dispatch attempt (`transientCausesOfBlockage`). Items of one
   * label refused in the same pass share one list.
   */
  refusals: readonly string[] | null;
  leftAt: number | null;
  cancelled: boolean;
  executable: ModelRun | null;
}

export interface ModelRun {
  readonly queueId: number;
  readonly task: ModelTask;
  readonly number: number;
  readonly node: string;
  readonly executor: number;
  readonly label: string | null;
  readonly enqueuedAt: number;
  readonly durationMs: number;
  /** When a pending run starts (dispatch delay). */
  readonly dispatchedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  result: BuildResult | null;
}

/** A finished (or aborted) build, as kept in the history. */
export interface SandboxBuild {
  readonly queueId: number;
  readonly job: string;
  readonly kind: 'freestyle' | 'pipeline';
  readonly number: number;
  readonly label: string | null;
  readonly node: string;
  readonly executor: number;
  readonly enqueuedAt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly result: BuildResult;
}

export type SandboxJenkinsEvent =
  | { readonly type: 'queued'; readonly id: number; readonly job: string; readonly label: string | null }
  | {
      readonly type: 'buildStarted';
      readonly queueId: number;
      readonly job: string;
      readonly number: number;
      readonly node: string;
    }
  | { readonly type: 'buildFinished'; readonly build: SandboxBuild }
  | { readonly type: 'itemCancelled'; readonly id: number }
  | { readonly type: 'nodeCreated' | 'nodeDeleted' | 'nodeOnline' | 'nodeOffline'; readonly node: string };

export interface SandboxJobState {
  kind: 'freestyle' | 'pipeline';
  nextBuildNumber: number;
  lastSuccessDurationMs: number | null;
  lastResult: BuildResult | null;
}

export interface SandboxJenkinsModelOptions {
  readonly now?: () => number;
  /** Root URL with trailing slash; used for absolute job URLs. May change once the port is known. */
  readonly rootUrl?: () => string;
  readonly builtInExecutors?: number;
  readonly builtInLabels?: string;
  readonly builtInMode?: NodeMode;
  /** Milliseconds an item stays `pending` between being handed to an executor and starting; default 0. */
  readonly dispatchDelayMs?: number;
  /** How many finished builds to remember; default 1000. */
  readonly keepFinishedBuilds?: number;
  /** Key for agent secrets (HMAC-SHA256 of the node name); random by default. */
  readonly secretKey?: string | Uint8Array;
}

/** Left items stay visible under `queue/item/<id>/` this long (Jenkins: 5 minutes). */
export const LEFT_ITEM_RETENTION_MS = 5 * 60_000;

/** A node rule violation from the API layer, carrying the HTTP status Jenkins would answer. */
export class SandboxJenkinsError extends Error {
  override readonly name = 'SandboxJenkinsError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class SandboxJenkinsModel {
  readonly now: () => number;
  readonly rootUrl: () => string;
  private readonly nodeMap = new Map<string, ModelNode>();
  /** The agent nodes sorted by name; null after a node was added or deleted. */
  private sortedAgents: readonly ModelNode[] | null = null;
  /** Each node's atoms, parsed once per labelString (every dispatch matches every item against them). */
  private readonly atomsOf = new WeakMap<
    ModelNode,
    { readonly labelString: string; readonly atoms: ReadonlySet<string> }
  >();
  private readonly builtIn: ModelNode;
  private readonly items = new Map<number, ModelQueueItem>();
  private readonly jobs = new Map<string, SandboxJobState>();
  private readonly finished: SandboxBuild[] = [];
  private readonly listeners = new Set<(event: SandboxJenkinsEvent) => void>();
  private readonly secretKey: Uint8Array;
  private readonly dispatchDelayMs: number;
  private readonly keepFinished: number;
  private nextQueueId = 1;
  private maintaining = false;
  private maintainAgain = false;

  constructor(options: SandboxJenkinsModelOptions = {}) {
    this.now = options.now ?? Date.now;
    this.rootUrl = options.rootUrl ?? (() => 'http://127.0.0.1/');
    this.dispatchDelayMs = Math.max(0, options.dispatchDelayMs ?? 0);
    this.keepFinished = Math.max(0, options.keepFinishedBuilds ?? 1000);
    this.secretKey =
      typeof options.secretKey === 'string'
        ? Buffer.from(options.secretKey, 'utf8')
        : (options.secretKey ?? randomBytes(32));
    const builtInExecutors = Math.max(0, Math.floor(options.builtInExecutors ?? 0));
    this.builtIn = {
      name: '',
      builtIn: true,
      displayName: 'Built-In Node',
      description: "the Jenkins controller's built-in node",
      numExecutors: builtInExecutors,
      mode: options.builtInMode ?? 'NORMAL',
      labelString: options.builtInLabels ?? '',
      remoteFS: '',
      launcher: { kind: 'other', javaClass: 'hudson.model.Hudson' },
      extra: {},
      temporarilyOffline: false,
      offlineCause: null,
      channel: null,
      connectedSince: null,
      executors: Array.from({ length: builtInExecutors }, () => null),
    };
  }

  // ---- observation -------------------------------------------------------------------------------

  onEvent(listener: (event: SandboxJenkinsEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: SandboxJenkinsEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A faulty observer must not corrupt the queue.
      }
    }
  }

  /** The built-in node first, then agents by name (the order of `computer/api/json`). */
  computers(): ModelNode[] {
    return [this.builtIn, ...this.sortedAgentNodes()];
  }

  /** Agent nodes (not the built-in node), sorted by name. */
  agentNodes(): ModelNode[] {
    return [...this.sortedAgentNodes()];
  }

  private sortedAgentNodes(): readonly ModelNode[] {
    this.sortedAgents ??= [...this.nodeMap.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.sortedAgents;
  }

  /** An agent node by name; `(built-in)`, `(master)` and `` address the built-in node. */
  node(name: string): ModelNode | undefined {
    if (name === '' || name === '(built-in)' || name === '(master)') return this.builtIn;
    return this.nodeMap.get(name);
  }

  item(id: number): ModelQueueItem | undefined {
    return this.items.get(id);
  }

  /** Queue items in Jenkins' order: waiting, blocked, buildable (newest first), pending (newest first). */
  queueItems(): ModelQueueItem[] {
    const live = [...this.items.values()].filter((i) => i.stage !== 'left');
    const waiting = live.filter((i) => i.stage === 'waiting').sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
    const blocked = live.filter((i) => i.stage === 'blocked').sort((a, b) => a.id - b.id);
    const buildable = this.dispatchOrder(live.filter((i) => i.stage === 'buildable' && !i.pending)).reverse();
    const pending = this.dispatchOrder(live.filter((i) => i.stage === 'buildable' && i.pending)).reverse();
    return [...waiting, ...blocked, ...buildable, ...pending];
  }

  finishedBuilds(): readonly SandboxBuild[] {
    return this.finished;
  }

  runningBuilds(): ModelRun[] {
    return this.computers().flatMap((n) => n.executors.filter((r): r is ModelRun => r !== null));
  }

  /** Job names seen so far, with what the root API's `jobs` and the task objects need. */
  jobNames(): string[] {
    return [...this.jobs.keys()].sort();
  }

  jobState(job: string): Readonly<SandboxJobState> | undefined {
    return this.jobs.get(job);
  }

  /** The agent secret for a node name: HMAC-SHA256(instance key, name), 64 lowercase hex characters. */
  agentSecret(name: string): string {
    return createHmac('sha256', this.secretKey).update(name, 'utf8').digest('hex');
  }

  nodeAtoms(node: ModelNode): ReadonlySet<string> {
    const cached = this.atomsOf.get(node);
    if (cached?.labelString === node.labelString) return cached.atoms;
    const atoms = nodeLabelAtoms(node.builtIn ? BUILT_IN_SELF_LABEL : node.name, node.labelString);
    this.atomsOf.set(node, { labelString: node.labelString, atoms });
    return atoms;
  }

  /** `Computer.isOffline`: temporarily offline, or no channel. The built-in node is always connected. */
  isOffline(node: ModelNode): boolean {
    return node.temporarilyOffline || (!node.builtIn && node.channel === null);
  }

  /** Nodes (built-in included) whose atoms satisfy the label (`Label.getNodes`). */
  labelNodes(label: LabelExpression): ModelNode[] {
    return this.computers().filter((n) => labelMatches(label, this.nodeAtoms(n)));
  }

  /** `Label.isOffline`: every node of the label is offline; true when it has none. */
  labelIsOffline(label: LabelExpression): boolean {
    return this.labelNodes(label).every((n) => this.isOffline(n));
  }

  idleExecutors(node: ModelNode): number {
    return node.executors.filter((slot) => slot === null).length;
  }

  busyExecutors(node: ModelNode): number {
    return node.numExecutors - this.idleExecutors(node);
  }

  // ---- nodes -------------------------------------------------------------------------------------

  addNode(spec: SandboxNodeSpec, extra: Readonly<Record<string, unknown>> = {}): ModelNode {
    if (this.node(spec.name) && spec.name !== '') {
      throw new SandboxJenkinsError(400, `Agent called ‘${spec.name}’ already exists`);
    }
    const numExecutors = Math.floor(spec.numExecutors ?? 1);
    if (!(numExecutors >= 1)) {
      throw new SandboxJenkinsError(400, `Invalid agent configuration for ‘${spec.name}’: invalid number of executors`);
    }
    const node: ModelNode = {
      name: spec.name,
      builtIn: false,
      displayName: spec.name,
      description: spec.description ?? '',
      numExecutors,
      mode: spec.mode ?? 'NORMAL',
      labelString: spec.labelString ?? '',
      remoteFS: spec.remoteFS ?? '',
      launcher: spec.launcher ?? DEFAULT_INBOUND_LAUNCHER,
      extra,
      temporarilyOffline: false,
      offlineCause: null,
      channel: null,
      connectedSince: null,
      executors: Array.from({ length: numExecutors }, () => null),
    };
    this.nodeMap.set(node.name, node);
    this.sortedAgents = null;
    this.emit({ type: 'nodeCreated', node: node.name });
    if (spec.online) this.connect(node.name, fakeChannel());
    else this.maintain();
    return node;
  }

  /** Removes a node; its channel closes and builds on it are aborted. False when there is no such node. */
  deleteNode(name: string): boolean {
    const node = this.nodeMap.get(name);
    if (!node) return false;
    this.abortRunsOn(node);
    const channel = node.channel;
    node.channel = null;
    this.nodeMap.delete(name);
    this.sortedAgents = null;
    channel?.close('the node was deleted');
    this.emit({ type: 'nodeDeleted', node: name });
    this.maintain();
    return true;
  }

  /**
   * `toggleOffline`: marks an online-or-not node temporarily offline with a user cause, or clears the mark.
   * Running builds continue; the queue stops giving the node work.
   */
  toggleOffline(name: string, message: string, user: string): boolean {
    const node = this.node(name);
    if (!node) return false;
    if (node.temporarilyOffline) {
      node.temporarilyOffline = false;
      node.offlineCause = null;
      if (!this.isOffline(node)) this.emit({ type: 'nodeOnline', node: node.name });
    } else {
      const wasOnline = !this.isOffline(node);
      node.temporarilyOffline = true;
      node.offlineCause = userCause(this.now(), user, message);
      if (wasOnline) this.emit({ type: 'nodeOffline', node: node.name });
    }
    this.maintain();
    return true;
  }

  /** `changeOfflineCause`: sets the temporary-offline cause (marking the node temporarily offline). */
  changeOfflineCause(name: string, message: string, user: string): boolean {
    const node = this.node(name);
    if (!node) return false;
    const wasOnline = !this.isOffline(node);
    node.temporarilyOffline = true;
    node.offlineCause = userCause(this.now(), user, message);
    if (wasOnline) this.emit({ type: 'nodeOffline', node: node.name });
    this.maintain();
    return true;
  }

  /**
   * Attaches an agent channel; the node goes online. Refusals carry the texts Jenkins uses, with the HTTP
   * status the sandbox's agent listener answers.
   */
  connect(name: string, channel: AgentChannel): void {
    const node = this.nodeMap.get(name);
    if (!node || node.launcher.kind !== 'inbound') {
      throw new SandboxJenkinsError(400, `${name} is not an inbound agent`);
    }
    if (node.channel) {
      throw new SandboxJenkinsError(400, `${name} is already connected to this controller. Rejecting this connection.`);
    }
    node.channel = channel;
    node.connectedSince = this.now();
    if (!node.temporarilyOffline) node.offlineCause = null;
    if (!this.isOffline(node)) this.emit({ type: 'nodeOnline', node: name });
    this.maintain();
  }

  /**
   * The channel ended. Called by the channel's owner when the connection drops (agent killed, network),
   * and by doDisconnect. Builds on the node are aborted, as Jenkins does when the channel breaks.
   */
  disconnect(name: string, channel: AgentChannel | null, description: string): void {
    const node = this.nodeMap.get(name);
    if (!node || node.channel === null || (channel !== null && node.channel !== channel)) return;
    const wasOnline = !this.isOffline(node);
    const current = node.channel;
    node.channel = null;
    node.connectedSince = null;
    this.abortRunsOn(node);
    if (!node.temporarilyOffline) {
      node.offlineCause = {
        javaClass: 'hudson.slaves.OfflineCause$ChannelTermination',
        timestamp: this.now(),
        description: `Connection was broken: ${description}`,
        reason: `Connection was broken: ${description}`,
      };
    }
    if (channel === null) current.close(description);
    if (wasOnline) this.emit({ type: 'nodeOffline', node: name });
    this.maintain();
  }

  /** Connects or disconnects the in-process stand-in agent. */
  setFakeOnline(name: string, online: boolean): void {
    const node = this.nodeMap.get(name);
    if (!node) throw new SandboxJenkinsError(404, `No node named ‘${name}’`);
    if (online && !node.channel) this.connect(name, fakeChannel());
    if (!online && node.channel) this.disconnect(name, null, 'the sandbox took the node offline');
  }

  // ---- queue -------------------------------------------------------------------------------------

  /** Puts a build into the queue now; returns its queue item id. */
  enqueue(entry: WorkloadEntry): number {
    const now = this.now();
    const labelText = entry.label == null || entry.label.trim() === '' ? null : entry.label;
    const kind = entry.kind ?? 'freestyle';
    const job = this.jobFor(entry.job, kind);
    // A Pipeline run already exists (and has its number) when its node block asks for an executor.
    const runNumber = kind === 'pipeline' ? job.nextBuildNumber++ : null;
    const quietMs = Math.max(0, (entry.quietPeriodSeconds ?? 0) * 1000);
    const item: ModelQueueItem = {
      id: this.nextQueueId++,
      task: {
        kind,
        job: entry.job,
        labelExpression: kind === 'freestyle' ? labelText : null,
        runNumber,
        stage: entry.stage ?? null,
        concurrent: entry.concurrent ?? true,
      },
      label: labelText === null ? null : resolveLabel(labelText).expression,
      inQueueSince: now,
      durationMs: Math.max(0, Math.round(entry.durationSeconds * 1000)),
      params: entry.params ?? {},
      stage: quietMs > 0 ? 'waiting' : 'buildable',
      timestamp: now + quietMs,
      buildableStartMilliseconds: quietMs > 0 ? null : now,
      pending: false,
      refusals: null,
      leftAt: null,
      cancelled: false,
      executable: null,
    };
    this.items.set(item.id, item);
    this.emit({ type: 'queued', id: item.id, job: entry.job, label: item.label ? labelName(item.label) : null });
    this.maintain();
    return item.id;
  }

  /** `queue/cancelItem`: true when a waiting, blocked or not-yet-pending buildable item was cancelled. */
  cancel(id: number): boolean {
    const item = this.items.get(id);
    if (!item || item.stage === 'left' || item.pending) return false;
    this.leave(item, null, true);
    this.emit({ type: 'itemCancelled', id });
    this.maintain();
    return true;
  }

  /**
   * Brings the queue up to date with `now()`: finishes runs that are due, starts pending runs, moves items
   * out of the quiet period and out of blockage, hands buildable items to idle executors, and forgets left
   * items older than five minutes. Idempotent; call it after every change and at nextWakeAt().
   */
  maintain(): void {
    // Listeners may call back into the model (enqueue on buildFinished, say); a nested call just asks for
    // another pass, so one pass never works on a list another pass has changed under it.
    if (this.maintaining) {
      this.maintainAgain = true;
      return;
    }
    this.maintaining = true;
    try {
      do {
        this.maintainAgain = false;
        this.maintainOnce();
      } while (this.maintainAgain);
    } finally {
      this.maintaining = false;
    }
  }

  private maintainOnce(): void {
    const now = this.now();
    for (const run of this.runningBuilds()) {
      if (run.startedAt === null && run.dispatchedAt + this.dispatchDelayMs <= now) this.start(run);
    }
    // Finish in the order the builds ended, so a late timer does not reorder history.
    const due = this.runningBuilds()
      .filter((run) => run.startedAt !== null && run.startedAt + run.durationMs <= now)
      .sort((a, b) => (a.startedAt ?? 0) + a.durationMs - ((b.startedAt ?? 0) + b.durationMs) || a.queueId - b.queueId);
    for (const run of due) this.finish(run, 'SUCCESS');
    for (const item of this.items.values()) {
      if (item.stage === 'waiting' && item.timestamp <= now) {
        item.stage = 'buildable';
        item.buildableStartMilliseconds = now;
      }
      if (item.stage === 'left' && item.leftAt !== null && item.leftAt + LEFT_ITEM_RETENTION_MS <= now) {
        this.items.delete(item.id);
      }
    }
    for (const item of this.items.values()) {
      if (item.stage === 'blocked' && !this.isBlocked(item)) item.stage = 'buildable';
      else if (item.stage === 'buildable' && !item.pending && this.isBlocked(item)) item.stage = 'blocked';
    }
    this.dispatch();
  }

  /** The next time maintain() has something to do, or null when only an outside event can change things. */
  nextWakeAt(): number | null {
    const times: number[] = [];
    for (const run of this.runningBuilds()) {
      times.push(run.startedAt === null ? run.dispatchedAt + this.dispatchDelayMs : run.startedAt + run.durationMs);
    }
    for (const item of this.items.values()) {
      if (item.stage === 'waiting') times.push(item.timestamp);
      if (item.stage === 'left' && item.leftAt !== null) times.push(item.leftAt + LEFT_ITEM_RETENTION_MS);
    }
    return times.length === 0 ? null : Math.min(...times);
  }

  /**
   * The `why` text of a live item, computed the way Jenkins does for the item's stage (English texts).
   */
  why(item: ModelQueueItem): string | null {
    switch (item.stage) {
      case 'left':
        return null;
      case 'waiting':
        return whyMessages.inQuietPeriod(item.timestamp - this.now());
      case 'blocked':
        return whyMessages.inProgress();
      case 'buildable':
        return this.buildableWhy(item);
    }
  }

  private buildableWhy(item: ModelQueueItem): string {
    // With no agent nodes at all Jenkins never names the label (the built-in node does not count).
    const label = this.nodeMap.size === 0 ? null : item.label;
    if (label) {
      const nodes = this.labelNodes(label);
      const name = labelName(label);
      if (nodes.every((n) => this.isOffline(n))) {
        if (nodes.length === 1) return whyMessages.nodeOffline((nodes[0] as ModelNode).displayName);
        return nodes.length === 0 ? whyMessages.labelHasNoNodes(name) : whyMessages.allNodesOffline(name);
      }
      const idle = nodes.filter((n) => !this.isOffline(n)).reduce((sum, n) => sum + this.idleExecutors(n), 0);
      if (item.refusals && idle > 0) return joinRefusals(item.refusals);
      if (nodes.length === 1) return whyMessages.waitingForNextAvailableExecutorOn((nodes[0] as ModelNode).displayName);
      return whyMessages.waitingForNextAvailableExecutorOn(name);
    }
    const idle = this.computers()
      .filter((n) => !this.isOffline(n))
      .reduce((sum, n) => sum + this.idleExecutors(n), 0);
    if (item.refusals && idle > 0) return joinRefusals(item.refusals);
    return whyMessages.waitingForNextAvailableExecutor();
  }

  /**
   * `BuildableItem.isStuck`: at once when the item has a label whose nodes are all offline (or none);
   * otherwise after ten times the job's estimated duration (at least a minute), or a day without estimate.
   */
  isStuck(item: ModelQueueItem): boolean {
    if (item.stage !== 'buildable') return false;
    if (item.label && this.labelIsOffline(item.label)) return true;
    const estimate = this.jobs.get(item.task.job)?.lastSuccessDurationMs ?? null;
    const elapsed = this.now() - (item.buildableStartMilliseconds ?? item.inQueueSince);
    return estimate !== null ? elapsed > Math.max(estimate, 60_000) * 10 : elapsed > 24 * 3600_000;
  }

  /** `Node.canTake` plus the offline check of `JobOffer`: null when the node could take the item now. */
  refusal(node: ModelNode, item: ModelQueueItem): string | null {
    if (item.label && !labelMatches(item.label, this.nodeAtoms(node))) {
      return whyMessages.labelMissing(node.displayName, labelName(item.label));
    }
    if (!item.label && node.mode === 'EXCLUSIVE') return whyMessages.nodeReserved(node.displayName);
    if (this.isOffline(node)) return whyMessages.nodeOffline(node.displayName);
    return null;
  }

  // ---- internals ---------------------------------------------------------------------------------

  private jobFor(name: string, kind: SandboxJobState['kind'] = 'freestyle'): SandboxJobState {
    let job = this.jobs.get(name);
    if (!job) {
      job = { kind, nextBuildNumber: 1, lastSuccessDurationMs: null, lastResult: null };
      this.jobs.set(name, job);
    }
    return job;
  }

  private dispatchOrder(items: ModelQueueItem[]): ModelQueueItem[] {
    return items.sort(
      (a, b) => (a.buildableStartMilliseconds ?? 0) - (b.buildableStartMilliseconds ?? 0) || a.id - b.id,
    );
  }

  /** Non-concurrent jobs wait while a build of the same job is pending or running. */
  private isBlocked(item: ModelQueueItem): boolean {
    if (item.task.concurrent) return false;
    return this.runningBuilds().some((run) => run.task.job === item.task.job);
  }

  private dispatch(): void {
    const candidates = this.dispatchOrder(
      [...this.items.values()].filter((i) => i.stage === 'buildable' && !i.pending),
    );
    // What no node could take, by label: the nodes answer the next item of that label the same way until
    // an assignment changes them, so a queue of many items over many nodes is not matched pair by pair
    const refusedByLabel = new Map<string, readonly string[] | null>();
    for (const item of candidates) {
      if (item.stage !== 'buildable' || item.pending) continue;
      if (this.isBlocked(item)) {
        item.stage = 'blocked';
        continue;
      }
      const labelKey = item.label ? labelName(item.label) : '';
      const refused = refusedByLabel.get(labelKey);
      if (refused !== undefined) {
        item.refusals = refused;
        continue;
      }
      const refusals: string[] = [];
      let chosen: { node: ModelNode; executor: number } | null = null;
      for (const node of this.computers()) {
        const executor = node.executors.indexOf(null);
        if (executor < 0) continue;
        const refusal = this.refusal(node, item);
        if (refusal === null) {
          chosen = { node, executor };
          break;
        }
        refusals.push(refusal);
      }
      if (!chosen) {
        item.refusals = refusals.length > 0 ? refusals : null;
        refusedByLabel.set(labelKey, item.refusals);
        continue;
      }
      // the executor is taken, and the build's listeners may have changed nodes too
      refusedByLabel.clear();
      this.assign(item, chosen.node, chosen.executor);
    }
  }

  private assign(item: ModelQueueItem, node: ModelNode, executor: number): void {
    const job = this.jobFor(item.task.job);
    const run: ModelRun = {
      queueId: item.id,
      task: item.task,
      number: item.task.runNumber ?? job.nextBuildNumber++,
      node: node.name,
      executor,
      label: item.label ? labelName(item.label) : null,
      enqueuedAt: item.inQueueSince,
      durationMs: item.durationMs,
      dispatchedAt: this.now(),
      startedAt: null,
      finishedAt: null,
      result: null,
    };
    node.executors[executor] = run;
    item.refusals = null;
    if (this.dispatchDelayMs > 0) {
      item.pending = true;
      item.executable = run;
    } else {
      item.executable = run;
      this.start(run);
    }
  }

  private start(run: ModelRun): void {
    run.startedAt = this.now();
    const item = this.items.get(run.queueId);
    if (item) this.leave(item, run, false);
    const node = this.node(run.node);
    node?.channel?.notify({ type: 'build-start', build: notice(run) });
    this.emit({ type: 'buildStarted', queueId: run.queueId, job: run.task.job, number: run.number, node: run.node });
  }

  private finish(run: ModelRun, result: BuildResult): void {
    const node = this.node(run.node);
    if (node && node.executors[run.executor] === run) node.executors[run.executor] = null;
    const now = this.now();
    run.finishedAt = now;
    run.result = result;
    if (run.startedAt === null) {
      // Aborted while pending: the queue item goes away as cancelled.
      run.startedAt = now;
      const item = this.items.get(run.queueId);
      if (item) this.leave(item, null, true);
    }
    const job = this.jobFor(run.task.job);
    job.lastResult = result;
    if (result === 'SUCCESS') job.lastSuccessDurationMs = run.durationMs;
    node?.channel?.notify({ type: 'build-end', build: notice(run), result });
    const build: SandboxBuild = {
      queueId: run.queueId,
      job: run.task.job,
      kind: run.task.kind,
      number: run.number,
      label: run.label,
      node: run.node,
      executor: run.executor,
      enqueuedAt: run.enqueuedAt,
      startedAt: run.startedAt,
      finishedAt: now,
      result,
    };
    if (this.keepFinished > 0) {
      this.finished.push(build);
      if (this.finished.length > this.keepFinished) this.finished.splice(0, this.finished.length - this.keepFinished);
    }
    this.emit({ type: 'buildFinished', build });
  }

  private leave(item: ModelQueueItem, run: ModelRun | null, cancelled: boolean): void {
    item.stage = 'left';
    item.pending = false;
    item.leftAt = this.now();
    item.cancelled = cancelled;
    item.executable = run;
    item.refusals = null;
  }

  private abortRunsOn(node: ModelNode): void {
    for (const run of node.executors) if (run) this.finish(run, 'ABORTED');
  }
}

function notice(run: ModelRun): BuildNotice {
  return {
    queueId: run.queueId,
    job: run.task.job,
    number: run.number,
    executor: run.executor,
    durationMs: run.durationMs,
  };
}

function userCause(timestamp: number, user: string, message: string): OfflineCause {
  return {
    javaClass: 'hudson.slaves.OfflineCause$UserCause',
    timestamp,
    description: message ? `Disconnected by ${user} : ${message}` : `Disconnected by ${user}`,
    reason: message,
  };
}

/** The in-process stand-in for an agent: always connected until told otherwise, ignores notices. */
export function fakeChannel(): AgentChannel {
  return { kind: 'fake', notify: () => undefined, close: () => undefined };
}
