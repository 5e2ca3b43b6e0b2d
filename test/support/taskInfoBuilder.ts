import type { CommandInfo, Offer, TaskInfo } from '../../src/core/mesos/codec';

/**
 * A command task on an offer's agent, for tests: `commandTask(offer, 'web-1', 'sleep 60', { cpus: 0.5 })`
 * reads like the case it checks. Unreserved cpus and mem only (0.1 cpus, 32 MB unless told).
 */
export function commandTask(
  offer: Pick<Offer, 'agent_id'>,
  id: string,
  command: string | CommandInfo,
  resources: { cpus?: number; mem?: number } = {},
): TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: resources.cpus ?? 0.1 }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: resources.mem ?? 32 }, role: '*' },
    ],
    command: typeof command === 'string' ? { value: command } : command,
  };
}
