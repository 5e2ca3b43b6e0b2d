import type { CommandInfo, ContainerInfo, KillPolicy } from '../mesos/codec';
import type { LaunchRequest } from './launchRequest';

/** 'on-failure' launches the request again after a failure or a definite loss; 'never' frees it. */
export type RestartPolicy = 'never' | 'on-failure';

/** A launch request plus what the scheduler needs to build its TaskInfo and to decide after it ends. */
export interface TaskRequest extends LaunchRequest {
  /** TaskInfo.name; defaults to the request id. */
  readonly name?: string;
  readonly command?: CommandInfo;
  /** A container image to run the command in (MESOS or DOCKER containerizer). */
  readonly container?: ContainerInfo;
  /** How long the task gets between SIGTERM and SIGKILL when it is killed. */
  readonly killPolicy?: KillPolicy;
  /** Default 'never'. */
  readonly restart?: RestartPolicy;
  /**
   * Names of `command.environment` variables whose values are credentials (a Jenkins agent's secret):
   * they reach Mesos in the ACCEPT but never the saved scheduler state, which keeps them empty.
   */
  readonly secretEnvironment?: readonly string[];
}
