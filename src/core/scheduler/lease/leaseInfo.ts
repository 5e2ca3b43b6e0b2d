/** Where a scheduler runs: in an editor window, or in the `mesos-ops autoscale` daemon. */
export type SchedulerWhere = 'window' | 'headless';

/** The content of a lease file: who runs the cluster's scheduler, and the proof that it still does. */
export interface LeaseInfo {
  /** The holder's own name for itself (an editor window's session id, the daemon's id). */
  readonly ownerId: string;
  readonly pid: number;
  readonly hostname: string;
  readonly where: SchedulerWhere;
  /** When this holding began (epoch ms). */
  readonly since: number;
  /** When the holder last proved it is alive (epoch ms). */
  readonly heartbeatAt: number;
  /**
   * Random per acquisition, so a holder tells its own lease from a later one of the same owner (a window
   * that lost its lease and took it again), and a breaker tells the stale file it judged from a fresh one.
   */
  readonly token: string;
}

export function leaseInfoText(info: LeaseInfo): string {
  return `${JSON.stringify(info)}\n`;
}

/** undefined for anything that is not a complete lease (a torn write, another program's file). */
export function parseLeaseInfo(text: string): LeaseInfo | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (
    typeof v.ownerId !== 'string' ||
    !finite(v.pid) ||
    typeof v.hostname !== 'string' ||
    (v.where !== 'window' && v.where !== 'headless') ||
    !finite(v.since) ||
    !finite(v.heartbeatAt) ||
    typeof v.token !== 'string' ||
    v.token === ''
  ) {
    return undefined;
  }
  return {
    ownerId: v.ownerId,
    pid: v.pid,
    hostname: v.hostname,
    where: v.where,
    since: v.since,
    heartbeatAt: v.heartbeatAt,
    token: v.token,
  };
}
