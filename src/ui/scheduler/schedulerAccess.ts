import type * as vscode from 'vscode';
import type { TaskState } from '../../core/mesos/codec';
import type { DecisionRecord } from '../../core/scheduler/decisionRecord';
import type { TaskRequest } from '../../core/scheduler/taskRequest';

/** Where a cluster's scheduler runs, as the UI must always say (design.md, lifecycle). */
export type SchedulerWhere = 'here' | 'other-window' | 'headless' | 'stopped';

/** A task the scheduler answers for, as the commands show it. */
export interface SchedulerTaskSummary {
  readonly taskId: string;
  readonly requestId: string;
  readonly name: string;
  readonly state: TaskState | 'PENDING';
  readonly agentId?: string;
  readonly hostname?: string;
}

/** A status update for one of the scheduler's tasks. */
export interface SchedulerTaskUpdate {
  readonly taskId: string;
  readonly requestId?: string;
  readonly state: TaskState;
  readonly message?: string;
  readonly reason?: string;
}

/**
 * One cluster's scheduler as the commands see it, wherever it runs: here (this window holds the lock and
 * runs the driver), in another window (requests are forwarded to it), headless, or not at all.
 */
export interface SchedulerAccess {
  readonly cluster: string;
  readonly where: SchedulerWhere;
  /** Our framework's id, once known; tasks of other frameworks cannot be killed through the scheduler API. */
  readonly frameworkId: string | undefined;
  readonly onDidChange: vscode.Event<void>;
  readonly onDecision: vscode.Event<DecisionRecord>;
  readonly onTaskUpdate: vscode.Event<SchedulerTaskUpdate>;
  /** Starts the scheduler in this window unless one runs elsewhere; resolves once it can take requests. */
  ensureRunning(): Promise<void>;
  /** Queues the requests (here, or forwarded to the window that runs the scheduler). */
  launch(requests: readonly TaskRequest[]): Promise<void>;
  /** Kills tasks (by task id) or drops pending requests (by request id). */
  kill(taskIds: readonly string[]): Promise<void>;
  /** The scheduler's tasks and pending requests. */
  tasks(): readonly SchedulerTaskSummary[];
}

/** Gives the scheduler of a configured cluster (created on first use). */
export interface SchedulerAccessProvider {
  forCluster(clusterName: string): SchedulerAccess;
}
