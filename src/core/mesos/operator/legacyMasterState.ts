import type {
  ContainerInfo,
  ContainerStatus,
  DiscoveryInfo,
  DomainInfo,
  HealthCheck,
  SchedulerOfferConstraints,
  TaskState,
} from '../codec/index';

/**
 * The legacy JSON of `/master/state` and `/master/tasks` (reference §7.1-7.3): what masters without the
 * v1 operator API answer, and what the Mesos web UI reads. Field names are hand-written in Mesos's
 * handlers and differ from the v1 protos: `slave` for agent, times in seconds (doubles), resources as
 * summary objects. Fields that some versions or configurations leave out are optional. Nested protobuf
 * messages (container, discovery, health check, container status) keep the v1 JSON shape.
 */

/**
 * A resources summary: scalars summed per name (`cpus`, `gpus`, `mem`, `disk`; MB for mem and disk),
 * ranges as a string (`"[31000-31099, 31200-31299]"`), sets as `"{a, b}"`; revocable resources get a
 * `_revocable` suffix.
 */
export interface LegacyResources {
  readonly cpus?: number;
  readonly gpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly ports?: string;
  readonly [name: string]: number | string | undefined;
}

/** Attribute name to a number (scalar) or text (ranges, set, text). */
export type LegacyAttributes = Readonly<Record<string, number | string>>;

export interface LegacyLabel {
  readonly key: string;
  readonly value?: string;
}

export interface LegacyTaskStatus {
  readonly state: TaskState;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  readonly labels?: readonly LegacyLabel[];
  readonly container_status?: ContainerStatus;
  readonly healthy?: boolean;
}

export interface LegacyTask {
  readonly id: string;
  readonly name: string;
  readonly framework_id: string;
  /** `""` for command tasks. */
  readonly executor_id: string;
  readonly slave_id: string;
  readonly state: TaskState;
  readonly resources: LegacyResources;
  readonly limits?: LegacyResources;
  readonly role?: string;
  /** Only state, timestamp and a few more: no reason, no message. */
  readonly statuses: readonly LegacyTaskStatus[];
  readonly user?: string;
  readonly labels?: readonly LegacyLabel[];
  readonly discovery?: DiscoveryInfo;
  readonly container?: ContainerInfo;
  readonly health_check?: HealthCheck;
}

export interface LegacyOffer {
  readonly id: string;
  readonly framework_id: string;
  readonly allocation_info?: { readonly role?: string };
  readonly slave_id: string;
  readonly resources: LegacyResources;
}

export interface LegacyCommand {
  readonly shell?: boolean;
  readonly value?: string;
  readonly argv?: readonly string[];
  readonly environment?: { readonly variables?: readonly { readonly name: string; readonly value?: string }[] };
  readonly uris?: readonly { readonly value: string; readonly executable?: boolean }[];
}

export interface LegacyExecutor {
  readonly executor_id: string;
  readonly name?: string;
  readonly framework_id: string;
  readonly command?: LegacyCommand;
  readonly resources: LegacyResources;
  readonly role?: string;
  readonly labels?: readonly LegacyLabel[];
  readonly type?: string;
  readonly slave_id: string;
}

export interface LegacyFramework {
  readonly id: string;
  readonly name: string;
  /** Only for old driver-based schedulers. */
  readonly pid?: string;
  readonly used_resources: LegacyResources;
  readonly offered_resources: LegacyResources;
  /** Used plus offered. */
  readonly resources: LegacyResources;
  readonly capabilities: readonly string[];
  readonly hostname: string;
  readonly webui_url: string;
  readonly active: boolean;
  readonly connected: boolean;
  readonly recovered: boolean;
  readonly user: string;
  /** Seconds. */
  readonly failover_timeout: number;
  readonly checkpoint: boolean;
  readonly registered_time: number;
  /** Only when it differs from registered_time. */
  readonly reregistered_time?: number;
  readonly unregistered_time: number;
  readonly principal?: string;
  /** With MULTI_ROLE; otherwise `role`. */
  readonly roles?: readonly string[];
  readonly role?: string;
  readonly tasks: readonly LegacyTask[];
  readonly unreachable_tasks: readonly LegacyTask[];
  readonly completed_tasks: readonly LegacyTask[];
  readonly offers: readonly LegacyOffer[];
  readonly executors: readonly LegacyExecutor[];
  readonly labels?: readonly LegacyLabel[];
  readonly offer_constraints?: SchedulerOfferConstraints;
}

export interface LegacyDrainInfo {
  readonly state?: string;
  readonly config?: { readonly max_grace_period?: unknown; readonly mark_gone?: boolean };
}

export interface LegacyAgent {
  readonly id: string;
  readonly hostname: string;
  readonly port: number;
  readonly attributes: LegacyAttributes;
  readonly domain?: DomainInfo;
  /** `slave(1)@ip:port`. */
  readonly pid: string;
  readonly registered_time: number;
  readonly reregistered_time?: number;
  readonly resources: LegacyResources;
  readonly used_resources: LegacyResources;
  readonly offered_resources: LegacyResources;
  /** Role to summary. */
  readonly reserved_resources: Readonly<Record<string, LegacyResources>>;
  readonly unreserved_resources: LegacyResources;
  readonly active: boolean;
  readonly deactivated?: boolean;
  readonly version: string;
  readonly capabilities: readonly string[];
  readonly drain_info?: LegacyDrainInfo;
  readonly estimated_drain_start_time_seconds?: number;
}

export interface LegacyRecoveredAgent {
  readonly id: string;
  readonly hostname: string;
  readonly port: number;
  readonly attributes: LegacyAttributes;
  readonly domain?: DomainInfo;
}

export interface LegacyLeaderInfo {
  readonly id: string;
  readonly pid?: string;
  readonly port: number;
  readonly hostname?: string;
  readonly domain?: DomainInfo;
  readonly [key: string]: unknown;
}

/** `GET /master/state` (alias `/state`). */
export interface LegacyMasterState {
  readonly version: string;
  readonly git_sha?: string;
  readonly git_branch?: string;
  readonly git_tag?: string;
  readonly build_date?: string;
  readonly build_time?: number;
  readonly build_user?: string;
  /** Seconds since the epoch. */
  readonly start_time: number;
  readonly elected_time?: number;
  /** This master's MasterInfo.id. */
  readonly id: string;
  readonly pid: string;
  readonly hostname: string;
  readonly capabilities?: readonly string[];
  readonly activated_slaves: number;
  readonly deactivated_slaves: number;
  readonly unreachable_slaves?: number;
  readonly domain?: DomainInfo;
  /** The leader's pid (deprecated); absent while no leader is known. */
  readonly leader?: string;
  readonly leader_info?: LegacyLeaderInfo;
  /** These four only when the caller may view flags. */
  readonly cluster?: string;
  readonly log_dir?: string;
  readonly external_log_file?: string;
  readonly flags?: Readonly<Record<string, string>>;
  readonly slaves: readonly LegacyAgent[];
  readonly recovered_slaves?: readonly LegacyRecoveredAgent[];
  readonly frameworks: readonly LegacyFramework[];
  readonly completed_frameworks: readonly LegacyFramework[];
  readonly orphan_tasks?: readonly LegacyTask[];
  readonly unregistered_frameworks?: readonly string[];
}

/** `GET /master/tasks` (one page). */
export interface LegacyTasksPage {
  readonly tasks: readonly LegacyTask[];
}
