import type { CliCommand } from '../cliCommand';
import { withClusterClients } from '../clusterClients';
import { clusterOverview } from '../clusterOverview';
import { formatScalar, formatTable } from '../formatTable';
import { MASTER_OPTIONS, MASTER_USAGE } from '../masterOptions';
import { parseCommandArgs } from '../parseCommandArgs';

const USAGE = `Usage: mesos-ops ps [--all] [--framework ID] [--json] [cluster options]

The cluster's tasks, like mesos-ps: framework, task, state, agent host, cpus and mem. Active tasks only
unless --all. --json prints one JSON object per task.

${MASTER_USAGE}`;

export const psCommand: CliCommand = {
  name: 'ps',
  summary: "list the cluster's tasks (like mesos-ps)",
  usage: USAGE,
  async run(ctx) {
    const { values } = parseCommandArgs(
      ctx.argv,
      { ...MASTER_OPTIONS, all: { type: 'boolean' }, framework: { type: 'string' }, json: { type: 'boolean' } },
      USAGE,
    );
    return withClusterClients(values, ctx.log, async ({ operator }) => {
      const overview = clusterOverview(await operator.getClusterState(ctx.signal));
      const tasks = overview.tasks
        .filter((t) => values.all || t.active)
        .filter((t) => values.framework === undefined || t.frameworkId === values.framework)
        .sort((a, b) => a.frameworkName.localeCompare(b.frameworkName) || a.id.localeCompare(b.id));
      if (values.json) {
        for (const t of tasks) ctx.stdout.write(`${JSON.stringify(t)}\n`);
        return 0;
      }
      ctx.stdout.write(
        formatTable(
          ['FRAMEWORK', 'TASK', 'STATE', 'HOST', 'CPUS', 'MEM'],
          tasks.map((t) => [t.frameworkName, t.id, t.state.replace(/^TASK_/, ''), t.hostname, formatScalar(t.cpus), formatScalar(t.mem)]),
        ),
      );
      return 0;
    });
  },
};
