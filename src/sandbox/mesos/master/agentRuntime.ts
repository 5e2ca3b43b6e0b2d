import type { FrameworkInfo, KillPolicy, TaskInfo, TaskStatus } from '../../../core/mesos/proto/generated/wireTypes';

/**
 * The master's handle on one sandbox agent (in the same process; the agent's tasks are real child
 * processes). The agent reports status updates back through the `StatusSink` it was given.
 */
export interface AgentRuntime {
  readonly id: string;
  launch(framework: FrameworkInfo, task: TaskInfo): void;
  /** Idempotent; `killPolicy` overrides the task's own (a shorter grace period shortens a kill in progress). */
  kill(frameworkId: string, taskId: string, killPolicy?: KillPolicy): void;
  /** Delivers an acknowledgement; returns false when it matches no pending update. */
  acknowledge(frameworkId: string, taskId: string, uuid: string): boolean;
  /** Kills every task of the framework (TEARDOWN, failover timeout). */
  shutdownFramework(frameworkId: string): void;
  /** Stops the agent: every task process is killed, the agent's HTTP server closes. */
  stop(): Promise<void>;
}

/** Where an agent sends its tasks' status updates (the master). */
export interface StatusSink {
  statusUpdate(agentId: string, frameworkId: string, status: TaskStatus): void;
}
