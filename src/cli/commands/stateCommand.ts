import type { CliCommand } from '../cliCommand';
import { withClusterClients } from '../clusterClients';
import { clusterOverview } from '../clusterOverview';
import { formatScalar } from '../formatTable';
import { MASTER_OPTIONS, MASTER_USAGE } from '../masterOptions';
import { parseCommandArgs } from '../parseCommandArgs';

const USAGE = `Usage: mesos-ops state [--json] [cluster options]

The cluster at a glance: the leading master and its version, agents, frameworks, tasks, and cpus, mem and
disk used of total. --json prints the same as one JSON object.

${MASTER_USAGE}`;

export const stateCommand: CliCommand = {
  name: 'state',
  summary: 'the cluster at a glance: leader, version, agents, frameworks, tasks, resources',
  usage: USAGE,
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.argv, { ...MASTER_OPTIONS, json: { type: 'boolean' } }, USAGE);
    return withClusterClients(values, ctx.log, async ({ operator, connection }) => {
      const [cluster, version, master] = await Promise.all([
        operator.getClusterState(ctx.signal),
        operator.getVersion(ctx.signal).catch(() => undefined),
        operator.getMaster(ctx.signal).catch(() => undefined),
      ]);
      const overview = clusterOverview(cluster);
      const info = master?.master_info;
      const leader = info ? `${info.hostname ?? info.address?.ip ?? '?'}:${info.port}` : (connection.leader ?? 'unknown');
      const running = overview.tasks.filter((t) => t.active).length;
      const summary = {
        leader,
        version: version?.version_info.version ?? info?.version,
        api: overview.source,
        agents: overview.agents,
        frameworks: overview.frameworks,
        tasks: { active: running, completed: overview.tasks.length - running },
        resources: overview.resources,
      };
      if (values.json) {
        ctx.stdout.write(`${JSON.stringify(summary)}\n`);
        return 0;
      }
      const r = overview.resources;
      ctx.stdout.write(
        [
          `leader      ${summary.leader}${summary.version ? ` (Mesos ${summary.version})` : ''}${overview.source === 'legacy' ? ', legacy /master/state' : ''}`,
          `agents      ${overview.agents.active} active of ${overview.agents.total}`,
          `frameworks  ${overview.frameworks.active} active, ${overview.frameworks.inactive} inactive, ${overview.frameworks.completed} completed`,
          `tasks       ${running} active, ${summary.tasks.completed} completed`,
          `cpus        ${formatScalar(r.cpus.used)} of ${formatScalar(r.cpus.total)}`,
          `mem         ${formatScalar(r.mem.used)} of ${formatScalar(r.mem.total)} MB`,
          `disk        ${formatScalar(r.disk.used)} of ${formatScalar(r.disk.total)} MB`,
          '',
        ].join('\n'),
      );
      return 0;
    });
  },
};
