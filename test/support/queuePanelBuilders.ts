// Builders for the Jenkins queue panel's data, so a test reads like the case it checks:
// queueRow({ id: 7, state: 'blocked-by-limit' }) instead of a page of literals.
import type { AgentRow, DecisionRow, QueueSnapshot, QueueRow, TimelinePoint } from '../../webview/protocol';

export const T0 = Date.UTC(2024, 10, 24, 12, 0, 0);

export function queueRow(over: Partial<QueueRow> = {}): QueueRow {
  return {
    id: 1190,
    job: 'app-build',
    labelExpression: 'linux && docker',
    since: T0,
    why: 'There are no nodes with the label ‘docker&&linux’',
    template: 'linux',
    state: 'waiting',
    ...over,
  };
}

export function agentRow(over: Partial<AgentRow> = {}): AgentRow {
  return {
    name: 'mesos-linux-1',
    labels: ['linux', 'docker'],
    state: 'idle',
    idleSince: T0,
    taskId: 'jenkins-agent-mesos-linux-1',
    host: 'agent-3.example.com',
    template: 'linux',
    ...over,
  };
}

export function decision(over: Partial<DecisionRow> = {}): DecisionRow {
  return { at: T0, kind: 'launched', reason: 'offer o-1 on agent-3 fits template linux', label: 'linux', ...over };
}

export function point(over: Partial<TimelinePoint> = {}): TimelinePoint {
  return { at: T0, queued: 3, launching: 1, online: 2, busy: 1, offers: 4, ...over };
}

export function snapshot(over: Partial<QueueSnapshot> = {}): QueueSnapshot {
  return {
    cluster: 'prod',
    scheduler: { where: 'here', paused: false, dryRun: false },
    queue: [queueRow()],
    agents: [agentRow()],
    decisions: [decision()],
    timeline: [point()],
    ...over,
  };
}
