import type { MasterEvent, MasterInfo } from '../../../core/mesos/codec';
import type { EventStream } from '../http/eventStream';
import type { MasterFaults } from './masterFaults';
import type { SandboxMaster } from './sandboxMaster';

/** What an endpoint handler of one sandbox master process needs to answer. */
export interface MasterContext {
  /** The state every master of the sandbox shares (the registry a real HA setup replicates). */
  readonly master: SandboxMaster;
  /** This master's own MasterInfo. */
  readonly self: MasterInfo;
  /** The leading master's MasterInfo, or undefined during an election. */
  leader(): MasterInfo | undefined;
  readonly faults: MasterFaults;
  /** Heartbeat interval of event streams (15 s in Mesos; shorter in tests). */
  readonly heartbeatMs: number;
  /**
   * Live operator SUBSCRIBE streams: the operator endpoint adds each stream here and removes it when it
   * closes, so that a leader switch and the fault-injection endpoint can reach them.
   */
  readonly operatorStreams: Set<EventStream<MasterEvent>>;
}

export function isLeader(ctx: MasterContext): boolean {
  return ctx.leader()?.id === ctx.self.id;
}
