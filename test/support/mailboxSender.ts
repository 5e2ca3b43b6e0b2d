// Sends one launch and one kill through the scheduler mailbox from another process and reports the
// replies (or the error) on stdout: reply {kind, ok, message} | error {kind, name, message}.
import { SchedulerMailbox } from '../../src/core/scheduler/lease/schedulerMailbox';

const { dir, key, timeoutMs } = JSON.parse(process.argv[2] ?? '{}') as { dir: string; key: string; timeoutMs: number };
const mailbox = SchedulerMailbox.open({ dir, key, ownerId: `sender-${process.pid}`, replyPollMs: 50 });
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

void (async () => {
  const sends = [
    ['launch', () => mailbox.launch([{ id: 'jenkins-agent-1', cpus: 1, mem: 512 }], { timeoutMs })],
    ['kill', () => mailbox.kill('jenkins-agent-1.1', { timeoutMs })],
  ] as const;
  for (const [kind, send] of sends) {
    try {
      const reply = await send();
      say({ event: 'reply', kind, ok: reply.ok, message: reply.message });
    } catch (error) {
      say({ event: 'error', kind, name: (error as Error).name, message: (error as Error).message });
    }
  }
  await mailbox.dispose();
})();
