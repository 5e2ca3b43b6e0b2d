import type { Attribute, Resource } from '../../../core/mesos/codec';

/** What the sandbox agent's HTTP server says about the agent besides its tasks (its /state header). */
export interface AgentServerInfo {
  /** The agent's hostname, as in AgentInfo and /state. */
  readonly hostname: string;
  /** The port asked for; 0 until the server is listening (the bound port is reported then). */
  readonly port: number;
  /** The agent's total resources (its --resources). */
  readonly resources: readonly Resource[];
  readonly attributes: readonly Attribute[];
  /** `master_hostname` in /state: the master this agent follows. */
  readonly masterHostname: string;
  /** Seconds since the epoch (`start_time`). */
  readonly startTime: number;
  /** Mesos version reported in /state, /version and GET_VERSION (e.g. "1.12.0"). */
  readonly version: string;
}
