import type { AgentState, QueueItemState, SchedulerStatus } from './protocol';

const queueStates: Record<QueueItemState, string> = {
  waiting: 'waiting',
  'agent-launching': 'agent launching',
  'agent-online': 'agent online',
  'blocked-by-limit': 'blocked by a limit',
};

const agentStates: Record<AgentState, string> = {
  launching: 'launching',
  idle: 'idle',
  busy: 'busy',
  offline: 'offline',
  removing: 'removing',
};

export function queueStateLabel(state: QueueItemState, blockedBy?: string): string {
  return state === 'blocked-by-limit' && blockedBy ? `blocked by ${blockedBy}` : queueStates[state];
}

export function agentStateLabel(state: AgentState): string {
  return agentStates[state];
}

/** The sentence at the top of the panel that says where the scheduler runs (the design asks for it). */
export function schedulerWhereLabel(status: SchedulerStatus): string {
  const where = {
    here: 'Scheduler running in this window',
    'other-window': 'Scheduler running in another window',
    headless: 'Scheduler running headless',
    stopped: 'Scheduler stopped',
  }[status.where];
  const modes = [status.paused ? 'paused' : '', status.dryRun ? 'dry run' : ''].filter(Boolean).join(', ');
  return `${where}${modes ? ` (${modes})` : ''}${status.detail ? `: ${status.detail}` : ''}`;
}

/** The controls act on the scheduler in this window only: another window or the daemon owns its own. */
export function controlsEnabled(status: SchedulerStatus): boolean {
  return status.where === 'here';
}
