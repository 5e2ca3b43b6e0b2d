import { isTerminalTaskState } from '../core/cluster/taskStates';
import type { FrameworkInfo, FrameworkInfoCapabilityType } from '../core/mesos/codec';
import type { ClusterState } from '../core/mesos/operator/operatorClient';

/** A registered framework as the master sees it: enough to fail over to it, or to say who owns a task. */
export interface FrameworkRecord {
  readonly id: string;
  readonly name: string;
  /** What it subscribed with; a failover subscribes with the same, so Mesos has nothing to refuse. */
  readonly info: FrameworkInfo;
  /** A scheduler holds its subscription right now. */
  readonly connected: boolean;
  readonly activeTasks: number;
}

/** The registered (not completed) framework with this id, from either the v1 or the legacy state. */
export function frameworkRecordOf(cluster: ClusterState, frameworkId: string): FrameworkRecord | undefined {
  if (cluster.source === 'v1') {
    const fw = (cluster.state.get_frameworks?.frameworks ?? []).find((f) => f.framework_info.id?.value === frameworkId);
    if (!fw) return undefined;
    const tasks = cluster.state.get_tasks?.tasks ?? [];
    return {
      id: frameworkId,
      name: fw.framework_info.name,
      info: { ...fw.framework_info, id: { value: frameworkId } },
      connected: fw.connected,
      activeTasks: tasks.filter((t) => t.framework_id.value === frameworkId && !isTerminalTaskState(t.state)).length,
    };
  }
  const fw = cluster.state.frameworks.find((f) => f.id === frameworkId);
  if (!fw) return undefined;
  const info: FrameworkInfo = {
    id: { value: fw.id },
    name: fw.name,
    user: fw.user,
    failover_timeout: fw.failover_timeout,
    checkpoint: fw.checkpoint,
    hostname: fw.hostname,
    ...(fw.principal !== undefined && { principal: fw.principal }),
    // MULTI_ROLE frameworks list `roles`; older ones the single, deprecated `role`
    ...(fw.roles !== undefined ? { roles: [...fw.roles] } : fw.role !== undefined ? { role: fw.role } : {}),
    ...(fw.webui_url && { webui_url: fw.webui_url }),
    capabilities: fw.capabilities.map((type) => ({ type: type as FrameworkInfoCapabilityType })),
  };
  return {
    id: fw.id,
    name: fw.name,
    info,
    connected: fw.connected,
    activeTasks: fw.tasks.filter((t) => !isTerminalTaskState(t.state)).length,
  };
}
