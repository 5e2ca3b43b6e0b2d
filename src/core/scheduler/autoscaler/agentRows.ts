import type { AgentRow } from '../../../../webview/protocol';
import type { SchedulerState, TrackedTask } from '../schedulerState';
import { attemptOf } from '../taskId';
import type { AutoscalerState, ManagedAgent } from './autoscalerState';

function rowState(agent: ManagedAgent, state: AutoscalerState): AgentRow['state'] {
  const node = state.jenkins.nodes[agent.name];
  switch (agent.phase) {
    case 'creating':
    case 'launching':
      return 'launching';
    case 'online':
      if (!node || node.offline) return 'offline';
      return node.idle ? 'idle' : 'busy';
    case 'draining':
      return 'offline';
    case 'removing':
      return 'removing';
  }
}

/** The agent's current task: the newest attempt, preferring one that is not being killed. */
function taskOf(name: string, tasks: readonly TrackedTask[]): TrackedTask | undefined {
  let best: TrackedTask | undefined;
  for (const task of tasks) {
    if (task.request.id !== name) continue;
    const newer =
      best !== undefined &&
      best.killRequested === task.killRequested &&
      attemptOf(task.taskId) > attemptOf(best.taskId);
    if (!best || (best.killRequested && !task.killRequested) || newer) best = task;
  }
  return best;
}

/** The autoscaler's agents as the panel lists them, by name, with their Mesos task and host. */
export function agentRows(state: AutoscalerState, scheduler: SchedulerState): AgentRow[] {
  const tasks = Object.values(scheduler.tasks);
  return Object.values(state.agents)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((agent) => {
      const node = state.jenkins.nodes[agent.name];
      const template = state.templates.find((t) => t.name === agent.template);
      const labels = node ? node.labels.filter((l) => l !== agent.name) : [...(template?.labels ?? [])];
      const task = taskOf(agent.name, tasks);
      const rowStateNow = rowState(agent, state);
      return {
        name: agent.name,
        labels,
        state: rowStateNow,
        idleSince: rowStateNow === 'idle' ? (agent.idleSince ?? null) : null,
        taskId: task?.taskId ?? null,
        host: task && task.hostname !== '' ? task.hostname : null,
        template: agent.template,
      };
    });
}
