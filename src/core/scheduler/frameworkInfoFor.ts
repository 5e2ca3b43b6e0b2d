import { hostname, userInfo } from 'node:os';
import type { FrameworkInfo } from '../mesos/codec';

/** What a user sets about the framework (settings, or CLI flags); everything has a default. */
export interface FrameworkSettings {
  /** FrameworkInfo.name, shown in the Mesos UI. Default "mesos-ops". */
  readonly name?: string;
  /** Default ["*"]. */
  readonly roles?: readonly string[];
  readonly principal?: string;
  /** Ask agents to checkpoint, so tasks survive an agent restart. Default true. */
  readonly checkpoint?: boolean;
  /** How long Mesos keeps the tasks running while no scheduler is subscribed. Default one week. */
  readonly failoverTimeoutSeconds?: number;
  /** The Unix user tasks run as. Default: the user running the scheduler. */
  readonly user?: string;
  readonly webuiUrl?: string;
}

export const ONE_WEEK_SECONDS = 7 * 24 * 3600;

/**
 * The FrameworkInfo we subscribe with. MULTI_ROLE (roles, not the deprecated role), PARTITION_AWARE (so a
 * partition shows as UNREACHABLE/GONE rather than LOST) and TASK_KILLING_STATE (so a kill with a grace
 * period shows as KILLING). The long failover timeout is what lets tasks outlive a closed editor: the
 * scheduler lives only as long as a window (design.md, lifecycle).
 */
export function frameworkInfoFor(settings: FrameworkSettings = {}): FrameworkInfo {
  const roles = settings.roles?.length ? [...settings.roles] : ['*'];
  return {
    user: settings.user ?? safeUser(),
    name: settings.name ?? 'mesos-ops',
    roles,
    hostname: hostname(),
    checkpoint: settings.checkpoint ?? true,
    failover_timeout: settings.failoverTimeoutSeconds ?? ONE_WEEK_SECONDS,
    ...(settings.principal !== undefined && { principal: settings.principal }),
    ...(settings.webuiUrl !== undefined && { webui_url: settings.webuiUrl }),
    capabilities: [{ type: 'MULTI_ROLE' }, { type: 'PARTITION_AWARE' }, { type: 'TASK_KILLING_STATE' }],
  };
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    // no passwd entry (some containers): Mesos then runs tasks as the agent's user
    return 'root';
  }
}
