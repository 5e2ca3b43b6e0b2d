import type { Logger } from '../../core/log/logSink';
import type { ClusterHandle } from '../clusters/clusterRegistry';
import type { SchedulerAccessProvider } from '../scheduler/schedulerAccess';
import type { TaskCommandsUi } from './taskCommandsUi';

/** The configured clusters, as the task commands look them up (the ClusterRegistry is one). */
export interface ClusterLookup {
  readonly clusters: readonly ClusterHandle[];
  get(name: string): ClusterHandle | undefined;
}

/** What the launch and kill commands work with. */
export interface TaskCommandsDeps {
  readonly clusters: ClusterLookup;
  readonly schedulers: SchedulerAccessProvider;
  readonly log: Logger;
  readonly ui: TaskCommandsUi;
  showLog(): void;
  /** Runs another command (Follow Logs, Open Settings, Add Cluster). */
  runCommand(command: string, ...args: unknown[]): Thenable<unknown>;
}
