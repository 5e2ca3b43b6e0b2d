import type { RawSubscription } from './rawScheduler';

/**
 * Acknowledges every status update the subscription receives, so the sandbox goes on sending the next one;
 * `stop()` ends it.
 */
export function acknowledgeAll(sub: RawSubscription): { stop(): void } {
  let next = 0;
  const timer = setInterval(() => {
    for (; next < sub.events.length; next++) {
      const s = sub.events[next]!.update?.status;
      if (s?.uuid)
        void sub
          .call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: s.agent_id!, task_id: s.task_id, uuid: s.uuid } })
          .catch(() => undefined);
    }
  }, 50);
  return { stop: () => clearInterval(timer) };
}
