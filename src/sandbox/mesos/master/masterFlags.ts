import type { MasterContext } from './masterContext';

/** Mesos's default `--max_operator_event_stream_subscribers`: beyond it the oldest operator stream is closed. */
export const MAX_OPERATOR_SUBSCRIBERS = 1000;

/**
 * The master's flags as /master/flags, /master/state and GET_FLAGS report them: Mesos's flag names with
 * the values the sandbox actually behaves by (its address, an in-memory registry, the smallest offer it
 * makes). Flags the sandbox does not follow or cannot see from here (timeouts, completed-task limits,
 * work_dir, authentication switches) are left out rather than reported with values that would mislead.
 */
export function masterFlags(ctx: MasterContext): Record<string, string> {
  const { self } = ctx;
  return {
    help: 'false',
    hostname: self.hostname ?? '127.0.0.1',
    http_authenticators: 'basic',
    ip: self.address?.ip ?? '127.0.0.1',
    max_operator_event_stream_subscribers: String(MAX_OPERATOR_SUBSCRIBERS),
    min_allocatable_resources: 'cpus:0.01|mem:32',
    port: String(self.port),
    quiet: 'false',
    registry: 'in_memory',
    version: 'false',
  };
}
