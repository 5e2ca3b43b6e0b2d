// Publishes scheduler status snapshots as fast as it can (no throttle) until stdin closes, so a test can
// read the file while it is being replaced. Reports: ready, then done {writes}.
import { SchedulerStatusPublisher } from '../../src/core/scheduler/lease/schedulerStatusFile';

const { dir, key } = JSON.parse(process.argv[2] ?? '{}') as { dir: string; key: string };
const publisher = SchedulerStatusPublisher.open({ dir, key, minIntervalMs: 0 });
let stop = false;
let writes = 0;
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => {
  stop = true;
});

void (async () => {
  process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`);
  while (!stop) {
    writes++;
    // Sizes vary so that a torn read (old length, new bytes) could not go unnoticed.
    const tasks = Array.from({ length: writes % 40 }, (_, i) => ({
      taskId: `task-${writes}-${i}`,
      requestId: `req-${i}`,
      state: 'TASK_RUNNING',
      agentId: `S${i}`,
      hostname: `agent-${i}.example`,
    }));
    publisher.publish({
      where: 'window',
      ownerId: 'writer',
      frameworkId: `F-${writes}`,
      master: 'http://127.0.0.1:5050',
      subscription: { state: 'subscribed', message: `write ${writes}` },
      tasks,
      pending: writes,
      decisions: [{ at: writes, kind: 'launched', reason: 'x'.repeat(writes % 300) }],
    });
    await publisher.flush();
  }
  await publisher.dispose();
  process.stdout.write(`${JSON.stringify({ event: 'done', writes })}\n`);
})();
