import type { SchedulerCall } from '../mesos/codec';

/** A scheduler call as the reducer emits it: the driver adds framework_id, since only it knows the session. */
export type OutgoingCall = Omit<SchedulerCall, 'framework_id'>;
