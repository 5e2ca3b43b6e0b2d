import type { CliCommand } from '../cliCommand';
import { withClusterClients } from '../clusterClients';
import { MASTER_OPTIONS, MASTER_USAGE } from '../masterOptions';
import { parseCommandArgs } from '../parseCommandArgs';

const USAGE = `Usage: mesos-ops watch [--no-heartbeats] [cluster options]

The master's operator event stream (SUBSCRIBE) as JSON lines, one event per line, until Ctrl-C: SUBSCRIBED
with the full state first, then TASK_ADDED, TASK_UPDATED, AGENT_ADDED, AGENT_REMOVED, FRAMEWORK_* and
HEARTBEAT. Reconnects by itself when the stream breaks or the leader changes (a note goes to stderr).

${MASTER_USAGE}`;

export const watchCommand: CliCommand = {
  name: 'watch',
  summary: "print the master's operator event stream as JSON lines",
  usage: USAGE,
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.argv, { ...MASTER_OPTIONS, 'no-heartbeats': { type: 'boolean' } }, USAGE);
    return withClusterClients(values, ctx.log, async ({ operator }) => {
      const subscription = operator.subscribe({ signal: ctx.signal });
      subscription.onStatusChange((status) => {
        if (status.state === 'reconnecting' || status.state === 'failed') ctx.stderr.write(`mesos-ops watch: ${status.message}\n`);
      });
      try {
        for await (const event of subscription.events(ctx.signal)) {
          if (values['no-heartbeats'] && event.type === 'HEARTBEAT') continue;
          ctx.stdout.write(`${JSON.stringify(event)}\n`);
        }
      } catch (err) {
        if (!ctx.signal.aborted) throw err;
      } finally {
        subscription.close();
      }
      const status = subscription.status;
      if (status.state === 'failed') {
        ctx.stderr.write(`mesos-ops watch: ${status.message}\n`);
        return 1;
      }
      return 0;
    });
  },
};
