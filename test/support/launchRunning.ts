import type { Offer, TaskInfo } from '../../src/core/mesos/codec';
import type { RawSubscription } from './rawScheduler';

/**
 * Launches the tasks built on the subscription's first offer and acknowledges each one's TASK_STARTING and
 * TASK_RUNNING, so they run (and the agent can kill them) when it resolves. Resolves to that offer.
 */
export async function launchRunning(sub: RawSubscription, tasks: (offer: Offer) => TaskInfo[]): Promise<Offer> {
  const offer = (await sub.waitFor((e) => e.type === 'OFFERS')).offers!.offers![0]!;
  const infos = tasks(offer);
  await sub.call({
    type: 'ACCEPT',
    accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: infos } }] },
  });
  for (const info of infos) {
    for (const state of ['TASK_STARTING', 'TASK_RUNNING'] as const) {
      const status = (
        await sub.waitFor(
          (e) => e.update?.status.task_id.value === info.task_id.value && e.update.status.state === state,
        )
      ).update!.status;
      await sub.call({
        type: 'ACKNOWLEDGE',
        acknowledge: { agent_id: status.agent_id!, task_id: status.task_id, uuid: status.uuid! },
      });
    }
  }
  return offer;
}
