// `npm start`: starts the local sandbox cluster (two agents and a Jenkins with a steady random workload)
// and opens this extension (as built in dist/) in a real VS Code in the browser, served by code-server on
// 127.0.0.1, with the sandbox already configured as a cluster; prints every URL. Ctrl-C stops everything
// it started. User data (state, secrets) and the workspace persist in .vscode-test/start/; the user
// settings.json is written anew at every start, with the sandbox cluster and an agent template that
// serves the workload with the sandbox agent, so "Mesos: Start Jenkins Autoscaler" works at once.
// Uses the same launcher as the UI tests. The editor's port is MESOS_OPS_PORT (default 8080; a free one
// if that is taken); the sandbox master prefers 5050 and Jenkins 8081.
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createLogger } from '../src/core/log/logSink';
import { StreamSink } from '../src/core/log/streamSink';
import { SANDBOX_WORKLOAD_LABELS, sandboxAgentTemplate } from '../src/sandbox/jenkins/sandboxAgentTemplate';
import { startSandboxJenkins } from '../src/sandbox/jenkins/sandboxJenkins';
import { SandboxCluster } from '../src/sandbox/mesos/sandboxCluster';
import { startCodeServer } from '../test/harness/codeServer';
import { REPO_ROOT } from '../test/harness/paths';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  const log = createLogger(new StreamSink(process.stderr, 'warn'), 'sandbox');
  const cluster = new SandboxCluster({ agents: 2, masterPort: (await portIsFree(5050)) ? 5050 : 0, log });
  await cluster.start();
  const jenkins = await startSandboxJenkins({
    port: (await portIsFree(8081)) ? 8081 : 0,
    workload: { random: { seed: 7, meanIntervalSeconds: 20, labels: SANDBOX_WORKLOAD_LABELS, durationSeconds: { min: 10, max: 90 } } },
    agentJar: { path: join(REPO_ROOT, 'dist', 'sandbox-agent.js') },
    log: log.child('jenkins'),
  });
  const wanted = Number(process.env.MESOS_OPS_PORT ?? 8080);
  const port = (await portIsFree(wanted)) ? wanted : undefined;
  const server = await startCodeServer({
    extensions: [REPO_ROOT],
    port,
    stateDir: join(REPO_ROOT, '.vscode-test', 'start'),
    settings: {
      // the sandbox, configured as the user's cluster (read by the cluster explorer)
      'mesos.clusters': [{ name: 'sandbox', masters: cluster.leaderUrl, jenkinsUrl: jenkins.url }],
      // the sandbox runs the agents' tasks here, so they start the sandbox agent with this very Node
      'mesos.jenkins.agentTemplates': [sandboxAgentTemplate({ node: process.execPath })],
    },
  });
  const url = server.workbenchUrl();
  const described = cluster.describe();
  process.stdout.write(
    [
      '',
      'Mesos Ops is running in VS Code (code-server) at:',
      '',
      `  ${url}`,
      '',
      'with the local sandbox cluster:',
      `  Mesos master   ${described.leader}`,
      ...described.agents.map((a) => `  agent          ${a}`),
      `  Jenkins        ${jenkins.url}`,
      '',
      'Open the editor URL in a browser on this machine. To watch the Jenkins autoscaler, run',
      '"Mesos: Start Jenkins Autoscaler", then "Mesos: Show Jenkins Queue & Scaling". Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping…\n');
    await server.stop();
    await jenkins.close();
    await cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
