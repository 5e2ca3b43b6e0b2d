import type * as vscode from 'vscode';
import type { ClusterModel } from '../../core/cluster';
import type { ClusterConfig, ClusterConfigProblem } from '../../core/cluster/clusterConfig';
import type { ClusterSessionState } from '../../core/cluster/clusterSession';

/**
 * What the explorer reads of the configured clusters: the ClusterRegistry and its ClusterSessions fit
 * these shapes as they are. Written down here so that the tree providers can also be exercised with a
 * model built from a generated state (paging through thousands of tasks) without a master behind it.
 */
export interface ExplorerSession {
  readonly model: ClusterModel;
  readonly state: ClusterSessionState;
  readonly leader: string | undefined;
  onStateChange(listener: (state: ClusterSessionState) => void): { dispose(): void };
  /** Offers are polled while the handle lives. */
  watchOffers(): { dispose(): void };
}

export interface ExplorerClusterHandle {
  readonly name: string;
  readonly config: Pick<ClusterConfig, 'masters' | 'readOnly'>;
  readonly current: ExplorerSession | undefined;
  /** Starts the session on first call. */
  session(): Promise<ExplorerSession>;
}

export interface ExplorerClusters {
  readonly clusters: readonly ExplorerClusterHandle[];
  readonly problems: readonly ClusterConfigProblem[];
  readonly onDidChangeClusters: vscode.Event<void>;
  readonly onDidStartSession: vscode.Event<ExplorerClusterHandle>;
}
