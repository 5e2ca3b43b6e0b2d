import type { QueueChange, QueueSnapshot } from './protocol';
import { windowTimeline } from './timelineWindow';

/** How many decisions the webview keeps: enough to scroll back through a busy hour, bounded in memory. */
export const MAX_DECISIONS = 2000;

/** A snapshot bounded to what the panel shows: the newest decisions and the last hour of the timeline. */
export function boundSnapshot(snapshot: QueueSnapshot, now: number): QueueSnapshot {
  const { decisions, timeline } = snapshot;
  return {
    ...snapshot,
    decisions: decisions.length > MAX_DECISIONS ? decisions.slice(decisions.length - MAX_DECISIONS) : decisions,
    timeline: windowTimeline(timeline, now),
  };
}

/** The model after the host's changes: status, queue and agents replaced; decisions and points appended. */
export function applyChanges(model: QueueSnapshot, changes: readonly QueueChange[], now: number): QueueSnapshot {
  let next = model;
  for (const change of changes) {
    switch (change.kind) {
      case 'snapshot':
        next = change.snapshot;
        break;
      case 'status':
        next = { ...next, scheduler: change.scheduler };
        break;
      case 'queue':
        next = { ...next, queue: change.queue };
        break;
      case 'agents':
        next = { ...next, agents: change.agents };
        break;
      case 'decisions':
        next = { ...next, decisions: [...next.decisions, ...change.decisions] };
        break;
      case 'timeline':
        next = { ...next, timeline: [...next.timeline, ...change.points] };
        break;
    }
  }
  return boundSnapshot(next, now);
}
