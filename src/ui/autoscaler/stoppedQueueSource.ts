import type { SchedulerWhere } from '../../../webview/protocol';
import type { QueueSource } from '../../core/scheduler/autoscaler/queueSource';

/**
 * The panel's view of a cluster whose autoscaler does not run in this window: where it runs instead (or
 * that it does not), and controls that say what to do rather than pretend to work.
 */
export function stoppedQueueSource(cluster: string, where: SchedulerWhere, detail: string): QueueSource {
  const refuse = (): never => {
    throw new Error(`${detail}`);
  };
  return {
    snapshot: () => ({
      cluster,
      scheduler: { where, paused: false, dryRun: false, detail },
      queue: [],
      agents: [],
      decisions: [],
      timeline: [],
    }),
    onDidChange: () => ({ dispose: () => undefined }),
    pause: refuse,
    resume: refuse,
    setDryRun: refuse,
    scaleNow: refuse,
  };
}
