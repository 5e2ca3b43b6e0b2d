import type { Logger } from '../../core/log/logSink';
import type { ClusterLookup } from '../clusters/clusterRegistry';
import type { SchedulerAccessProvider } from '../scheduler/schedulerAccess';
import type { TaskCommandsUi } from './taskCommandsUi';

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
