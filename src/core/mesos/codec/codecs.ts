import { createMesosCodec, type Codec, type WireMessageClass } from './mesosCodec';
import { wireRoot } from './wireRuntime';
import type {
  AgentCall,
  AgentResponse,
  MasterCall,
  MasterEvent,
  MasterResponse,
  SchedulerCall,
  SchedulerEvent,
} from '../proto/generated/wireTypes';

const asWireClass = (cls: unknown): WireMessageClass => cls as WireMessageClass;

/** v1 scheduler API: the calls a framework POSTs to /api/v1/scheduler. */
export const schedulerCallCodec: Codec<SchedulerCall> = createMesosCodec<SchedulerCall>({
  messageType: 'mesos.v1.scheduler.Call',
  envelope: 'scheduler-call',
  wireClass: () => asWireClass(wireRoot().v1.scheduler.Call),
});

/** v1 scheduler API: the events of a SUBSCRIBE stream (one per RecordIO record). */
export const schedulerEventCodec: Codec<SchedulerEvent> = createMesosCodec<SchedulerEvent>({
  messageType: 'mesos.v1.scheduler.Event',
  envelope: 'stream',
  wireClass: () => asWireClass(wireRoot().v1.scheduler.Event),
});

/** v1 operator API of the master: the calls POSTed to /api/v1. */
export const masterCallCodec: Codec<MasterCall> = createMesosCodec<MasterCall>({
  messageType: 'mesos.v1.master.Call',
  envelope: 'operator-call',
  wireClass: () => asWireClass(wireRoot().v1.master.Call),
});

/** v1 operator API of the master: the answer to every call but SUBSCRIBE. */
export const masterResponseCodec: Codec<MasterResponse> = createMesosCodec<MasterResponse>({
  messageType: 'mesos.v1.master.Response',
  envelope: 'stream',
  wireClass: () => asWireClass(wireRoot().v1.master.Response),
  longIntegersExpected: true,
});

/** v1 operator API of the master: the events of a SUBSCRIBE stream. */
export const masterEventCodec: Codec<MasterEvent> = createMesosCodec<MasterEvent>({
  messageType: 'mesos.v1.master.Event',
  envelope: 'stream',
  wireClass: () => asWireClass(wireRoot().v1.master.Event),
});

/** v1 operator API of an agent: the calls POSTed to the agent's /api/v1. */
export const agentCallCodec: Codec<AgentCall> = createMesosCodec<AgentCall>({
  messageType: 'mesos.v1.agent.Call',
  envelope: 'operator-call',
  wireClass: () => asWireClass(wireRoot().v1.agent.Call),
});

/** v1 operator API of an agent: the answers. */
export const agentResponseCodec: Codec<AgentResponse> = createMesosCodec<AgentResponse>({
  messageType: 'mesos.v1.agent.Response',
  envelope: 'stream',
  wireClass: () => asWireClass(wireRoot().v1.agent.Response),
});
