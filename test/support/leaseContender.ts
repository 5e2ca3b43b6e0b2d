// A process that contends for a scheduler lease, driven over stdin: acquire | watch | release | exit.
// Reports on stdout as JSON lines: ready, acquire {acquired}, state {state, holder}, released.
import { createInterface } from 'node:readline';
import { SchedulerLease } from '../../src/core/scheduler/lease/schedulerLease';

interface ContenderOptions {
  dir: string;
  key: string;
  ownerId: string;
  heartbeatMs: number;
  staleMs: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ContenderOptions;
const lease = SchedulerLease.open({ ...options, where: 'window' });
const say = (event: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ ...event, ownerId: options.ownerId })}\n`);
lease.onChange((state, holder) => say({ event: 'state', state, holder: holder?.ownerId }));

const commands = createInterface({ input: process.stdin });
let queue = Promise.resolve();
commands.on('line', (line) => {
  queue = queue.then(async () => {
    switch (line.trim()) {
      case 'acquire':
        say({ event: 'acquire', acquired: await lease.tryAcquire() });
        break;
      case 'watch':
        lease.watch({ takeOver: () => true });
        say({ event: 'watching' });
        break;
      case 'release':
        await lease.release();
        say({ event: 'released' });
        break;
    }
  });
});
commands.on('close', () => {
  queue = queue.then(() => lease.dispose());
});
say({ event: 'ready', pid: process.pid });
