import { createLogger, MemorySink } from '../../src/core/log/logSink';
import type { FrameworkInfo } from '../../src/core/mesos/codec';
import { SandboxCluster, type SandboxClusterOptions } from '../../src/sandbox/mesos/sandboxCluster';

/** A sandbox cluster with short intervals, for tests; `stop()` must be awaited in `after()`. */
export async function startTestSandbox(options: Partial<SandboxClusterOptions> = {}): Promise<{ cluster: SandboxCluster; logs: MemorySink }> {
  const logs = new MemorySink();
  const cluster = new SandboxCluster({
    agents: 1,
    allocationIntervalMs: 100,
    heartbeatMs: 500,
    statusRetryMs: 300,
    log: createLogger(logs, 'sandbox'),
    ...options,
  });
  await cluster.start();
  return { cluster, logs };
}

/** A FrameworkInfo as a test framework sends it. */
export function frameworkInfo(overrides: Partial<FrameworkInfo> = {}): FrameworkInfo {
  return { user: 'root', name: 'conformance', failover_timeout: 60, ...overrides };
}
