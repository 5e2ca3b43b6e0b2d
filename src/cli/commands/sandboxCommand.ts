import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { SANDBOX_WORKLOAD_LABELS } from '../../sandbox/jenkins/sandboxAgentTemplate';
import { startSandboxJenkins, type SandboxJenkins } from '../../sandbox/jenkins/sandboxJenkins';
import { parseWorkload } from '../../sandbox/jenkins/workload';
import { SandboxCluster } from '../../sandbox/mesos/sandboxCluster';
import { CliUsageError, type CliCommand, type CliContext } from '../cliCommand';
import { intOption } from '../options';

const USAGE = `Usage: mesos-ops sandbox [options]

Starts the local sandbox cluster on 127.0.0.1: Mesos-compatible masters and agents that run tasks as
local processes (and, with --jenkins, a Jenkins-compatible server). Prints every URL. Ctrl-C stops it and
every process it started.

Options:
  --agents N          agents to start (default 2)
  --masters N         masters, 1-3 (default 1); one leads, the others redirect to it
  --port N            the first master's port (default 5050, or a free port if 5050 is taken)
  --zk URL            register the masters in this ZooKeeper (zk://host:2181/mesos)
  --jenkins           also start a Jenkins-compatible server (queue, nodes, inbound agents)
  --workload FILE     builds to queue in that Jenkins: a JSON array or JSON lines of
                      {"job", "label", "durationSeconds", "at"?}; "random" (the default with --jenkins)
                      queues a steady random stream of builds labelled mesos or "mesos && linux"
  --jenkins-port N    the Jenkins port (default 8081, or a free port if that is taken)
  --auth              require HTTP Basic credentials (principal "sandbox"; the secret is written to
                      <work dir>/credentials, readable only by you); Jenkins then requires user
                      "sandbox" with that secret as API token
  --resources TEXT    each agent's resources (default "cpus:4;mem:8192;disk:20000;ports:[31000-32000];
                      cpus(jenkins):2;mem(jenkins):4096")
  --allocation-interval MS   how often offers are made (default 1000)
  --work-dir DIR      where task sandboxes go (default: a temp folder removed on exit)
  --verbose           log what the sandbox does to stderr`;

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  summary: 'start the local sandbox cluster (Mesos masters and agents, optionally Jenkins)',
  usage: USAGE,
  async run(ctx: CliContext): Promise<number> {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...ctx.argv],
        options: {
          agents: { type: 'string' },
          masters: { type: 'string' },
          port: { type: 'string' },
          zk: { type: 'string' },
          auth: { type: 'boolean' },
          resources: { type: 'string' },
          'allocation-interval': { type: 'string' },
          'work-dir': { type: 'string' },
          jenkins: { type: 'boolean' },
          workload: { type: 'string' },
          'jenkins-port': { type: 'string' },
        },
        strict: true,
      }));
    } catch (err) {
      throw new CliUsageError(`${(err as Error).message}\n\n${USAGE}`);
    }
    const masters = intOption(values.masters, 'masters', 1, 1, 3);
    const agents = intOption(values.agents, 'agents', 2, 0, 64);
    const port = intOption(values.port, 'port', 5050, 0, 65535);
    const secret = values.auth ? randomBytes(18).toString('base64url') : undefined;
    const cluster = new SandboxCluster({
      masters,
      agents,
      masterPort: (await portFree(port)) ? port : 0,
      ...(values.zk ? { zk: values.zk } : {}),
      ...(secret ? { credentials: new Map([['sandbox', secret]]) } : {}),
      ...(values.resources ? { agentResources: values.resources } : {}),
      allocationIntervalMs: intOption(values['allocation-interval'], 'allocation-interval', 1000, 50, 600_000),
      ...(values['work-dir'] ? { workDir: values['work-dir'] } : {}),
      log: ctx.log,
    });
    await cluster.start();
    let jenkins: SandboxJenkins | undefined;
    try {
      if (values.jenkins || values.workload) {
        const jenkinsPort = intOption(values['jenkins-port'], 'jenkins-port', 8081, 0, 65535);
        jenkins = await startSandboxJenkins({
          port: (await portFree(jenkinsPort)) ? jenkinsPort : 0,
          workload: await loadWorkload(values.workload),
          // the bundled stand-in for agent.jar sits beside this CLI bundle
          agentJar: { path: join(__dirname, 'sandbox-agent.js') },
          ...(secret ? { security: { users: [{ id: 'sandbox', apiTokens: [secret] }] } } : {}),
          log: ctx.log.child('jenkins'),
        });
      }
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    const described = cluster.describe();
    const lines = [
      'Mesos sandbox is running.',
      `  leading master   ${described.leader}`,
      ...described.masters.filter((m) => m !== described.leader).map((m) => `  standby master   ${m}`),
      ...described.agents.map((a) => `  agent            ${a}`),
      `  admin            ${described.leader}/__sandbox/state`,
      `  work dir         ${described.workDir}`,
    ];
    if (values.zk) lines.push(`  zookeeper        ${values.zk}`);
    if (jenkins) lines.push(`  jenkins          ${jenkins.url}`);
    if (secret) {
      const file = join(described.workDir, 'credentials');
      await writeFile(file, `sandbox:${secret}\n`, { mode: 0o600 });
      lines.push(`  credentials      principal "sandbox", secret in ${file}`);
    }
    lines.push('Press Ctrl-C to stop.', '');
    ctx.stdout.write(lines.join('\n'));
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    ctx.stdout.write('stopping the sandbox…\n');
    await jenkins?.close();
    await cluster.stop();
    return 0;
  },
};

/** --workload: a file of builds, or 'random' (the default) for a steady seeded stream. */
async function loadWorkload(value: string | undefined) {
  if (value === undefined || value === 'random') {
    return { random: { seed: 7, meanIntervalSeconds: 20, labels: SANDBOX_WORKLOAD_LABELS, durationSeconds: { min: 10, max: 90 } } };
  }
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (err) {
    throw new CliUsageError(`cannot read the workload file ${value}: ${(err as Error).message}`);
  }
  return parseWorkload(text, value);
}

async function portFree(port: number): Promise<boolean> {
  if (port === 0) return true;
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
