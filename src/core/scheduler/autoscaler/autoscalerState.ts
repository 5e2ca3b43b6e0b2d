import type { ComputerView } from '../../jenkins/computerSnapshot';
import type { AgentTaskReport } from './agentTaskReport';
import type { AgentTemplate } from './agentTemplate';
import { INSTANCE_PATTERN } from './agentNodeName';

/**
 * Where an agent is in its life:
 * creating (create-node sent) → launching (node exists, launch-agent sent, waiting for it to connect) →
 * online → draining (taken offline after idling; its running build may finish) → removing (delete-node and
 * kill-agent sent; forgotten once neither the node nor a live task is seen).
 */
export type AgentPhase = 'creating' | 'launching' | 'online' | 'draining' | 'removing';

const LIVE: ReadonlySet<AgentPhase> = new Set<AgentPhase>(['creating', 'launching', 'online', 'draining']);

export interface ManagedAgent {
  readonly name: string;
  readonly template: string;
  readonly phase: AgentPhase;
  readonly executors: number;
  /** Queue items it was launched for. */
  readonly items: readonly number[];
  /** 1 for a first launch, n after n-1 failed launches of its template in a row. */
  readonly attempt: number;
  readonly launchedAt: number;
  /** It must be online by then, or it is killed and deleted. */
  readonly connectDeadline: number;
  /** Taken over from an earlier run (or a node without a task / a task without a node being cleaned up). */
  readonly adopted?: boolean;
  /** A live task was reported for it at least once, so its absence later means it ended. */
  readonly taskSeen?: boolean;
  readonly placedAt?: number;
  readonly connectedAt?: number;
  /** Since when it is online with nothing to do. */
  readonly idleSince?: number;
  /** Since when its node is offline without our doing (the agent disconnected). */
  readonly disconnectedAt?: number;
  /** Removing: when delete/kill were last sent, so they are sent again if nothing happens. */
  readonly removalSentAt?: number;
}

/** It counts against the maximums and serves builds: every phase but removing. */
export function isLiveAgent(agent: ManagedAgent): boolean {
  return LIVE.has(agent.phase);
}

/** Launched and not connected yet. */
export function isStartingAgent(agent: ManagedAgent): boolean {
  return agent.phase === 'creating' || agent.phase === 'launching';
}

export interface TemplateBackoff {
  /** Failed launches in a row. */
  readonly failures: number;
  /** No launch for the template before this time. */
  readonly retryAt: number;
}

export interface AutoscalerOptions {
  /** Whose nodes these are (e.g. the cluster name): part of every node's description marker. */
  readonly owner: string;
  /** `[a-z0-9]{1,8}`, fresh for every start (the driver picks it at random): keeps node names unique. */
  readonly instance: string;
  /** Agents of all templates together. */
  readonly maxAgents: number;
  /** From the launch decision until the node must be online (mesos-plugin: 5 minutes). */
  readonly connectTimeoutMs: number;
  /** Backoff after failed launches: base × 2^(failures-1), at most max. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** A removal that has not finished after this long is sent again. */
  readonly resendAfterMs: number;
  /** A removed agent's name is not treated as an orphan for this long (views can lag behind). */
  readonly retiredGraceMs: number;
}

export const DEFAULT_AUTOSCALER_OPTIONS: Omit<AutoscalerOptions, 'owner' | 'instance'> = {
  maxAgents: 20,
  connectTimeoutMs: 5 * 60_000,
  backoffBaseMs: 10_000,
  backoffMaxMs: 5 * 60_000,
  resendAfterMs: 30_000,
  retiredGraceMs: 60_000,
};

/** The last Jenkins poll, reduced: our nodes only. */
export interface JenkinsView {
  /** The last poll succeeded; false before the first one and after a failed one. */
  readonly fresh: boolean;
  readonly session?: string;
  /** Nodes this autoscaler owns (name shape and description marker), by name. */
  readonly nodes: Readonly<Record<string, ComputerView>>;
  readonly lastPollAt?: number;
}

export interface MesosView {
  /** The scheduler is subscribed and reconciled: a name missing from `tasks` has no task. */
  readonly fresh: boolean;
  readonly tasks: Readonly<Record<string, AgentTaskReport>>;
}

export interface AutoscalerState {
  readonly options: AutoscalerOptions;
  readonly templates: readonly AgentTemplate[];
  readonly paused: boolean;
  readonly dryRun: boolean;
  /** The last number used in a node name. */
  readonly counter: number;
  readonly agents: Readonly<Record<string, ManagedAgent>>;
  readonly backoff: Readonly<Record<string, TemplateBackoff>>;
  readonly jenkins: JenkinsView;
  readonly mesos: MesosView;
  /** Set after a start or an outage: the next reconciliation reports a summary, saying why it ran. */
  readonly reconcileCause?: string;
  /** Agents forgotten recently, by name: when they were. */
  readonly retired: Readonly<Record<string, number>>;
  /** Repeating decisions already reported (skips; everything in dry run), with when each was last made. */
  readonly noted: Readonly<Record<string, number>>;
}

export function initialAutoscalerState(
  options: Pick<AutoscalerOptions, 'owner' | 'instance'> & Partial<AutoscalerOptions>,
  templates: readonly AgentTemplate[],
): AutoscalerState {
  if (options.owner.trim() === '') throw new RangeError('the autoscaler needs an owner (e.g. the cluster name)');
  if (!INSTANCE_PATTERN.test(options.instance)) {
    throw new RangeError(`the autoscaler instance must be 1-8 of [a-z0-9], got ${JSON.stringify(options.instance)}`);
  }
  return {
    options: { ...DEFAULT_AUTOSCALER_OPTIONS, ...options },
    templates,
    paused: false,
    dryRun: false,
    counter: 0,
    agents: {},
    backoff: {},
    jenkins: { fresh: false, nodes: {} },
    mesos: { fresh: false, tasks: {} },
    reconcileCause: 'start',
    retired: {},
    noted: {},
  };
}
