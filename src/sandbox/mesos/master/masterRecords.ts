import type {
  AgentInfo,
  FrameworkInfo,
  Offer,
  Resource,
  Task,
  TaskInfo,
} from '../../../core/mesos/proto/generated/wireTypes';

/** What the sandbox master keeps per framework. */
export interface FrameworkRecord {
  readonly id: string;
  info: FrameworkInfo;
  /** Connected through a live SUBSCRIBE stream. */
  connected: boolean;
  /** Active = connected and not deactivated; the master offers only to active frameworks. */
  active: boolean;
  registeredTime: number;
  reregisteredTime?: number;
  unregisteredTime?: number;
  /** The live stream's id, checked on every non-SUBSCRIBE call. */
  streamId?: string;
  suppressedRoles: Set<string>;
  /** Refusal filters from DECLINE/ACCEPT: agent id -> time (ms) until which nothing is offered. */
  refusals: Map<string, number>;
  failoverTimer?: NodeJS.Timeout;
}

/** What the sandbox master keeps per agent. */
export interface AgentRecord {
  readonly id: string;
  readonly info: AgentInfo & { resources: Resource[] };
  /** Base URL of the agent's HTTP server, e.g. http://127.0.0.1:5051. */
  readonly url: string;
  readonly pid: string;
  readonly registeredTime: number;
  active: boolean;
  /** Resources held by tasks (including the command executor's overhead, as the real agent accounts it). */
  used: Resource[];
}

/** A task the master tracks, with what it needs to route kills and acknowledgements. */
export interface TaskRecord {
  task: Task;
  readonly info: TaskInfo;
  readonly frameworkId: string;
  readonly agentId: string;
  /** Allocation role the task's resources came from. */
  readonly role: string;
}

export interface OfferRecord {
  readonly offer: Offer;
  readonly frameworkId: string;
  readonly agentId: string;
  readonly role: string;
  readonly resources: Resource[];
}

/** The master's view of a terminal, acknowledged task or a removed framework (legacy "completed_*"). */
export interface CompletedFramework {
  readonly record: FrameworkRecord;
  readonly tasks: Task[];
}
