import { loadAutoscaleConfig } from '../loadAutoscaleConfig';
import { runAutoscale } from '../autoscaleRun';
import { CliUsageError, type CliCommand } from '../cliCommand';
import { parseCommandArgs } from '../parseCommandArgs';

const USAGE = `Usage: mesos-ops autoscale --config FILE [--decisions FILE] [--dry-run] [--once] [--verbose]

Runs the Jenkins autoscaler headless, as the editor runs it: a Mesos framework whose tasks are Jenkins
inbound agents, launched when builds wait for a label a template serves and removed once idle. Each
decision is written as one JSON line (stdout, or --decisions FILE); log lines go to stderr.

The daemon keeps its lease and the framework's state (id and agent tasks) in the state directory
(scheduler.stateDir, default $XDG_STATE_HOME/mesos-ops or ~/.local/state/mesos-ops), one folder per
cluster: a second daemon for the same cluster there refuses to start, and a restarted daemon fails over
to the same framework and takes its agents over. SIGINT/SIGTERM stop the autoscaler (removing idle agents
first if autoscaler.onExit is "drainIdleAgents"), then the scheduler without a TEARDOWN: the framework
stays registered for its failover timeout and its agents keep running. A second signal quits at once.

Exit status: 0 after SIGINT/SIGTERM, or a --once round that worked; 1 when the masters, Jenkins or the
lease failed (another daemon runs the cluster, the framework was taken over); 2 for a usage or config error.

Options:
  --config FILE      the config file (JSON; see below), required
  --decisions FILE   append the decisions (JSON lines) to FILE instead of writing them to stdout
  --dry-run          decide and record, but launch and remove nothing
  --once             check the config: subscribe, reconcile, poll Jenkins once and say what a round would
                     do (always as a dry run), then exit; a framework registered just for this is torn down
  --verbose          debug log lines on stderr (the autoscaler's decisions in words among them)

Config file:
  {
    "cluster":    { "name": "prod", "masters": "http://m1:5050,http://m2:5050",
                    "principal"?, "role"?, "caFile"?, "insecure"?, "encoding"? },
    "jenkins":    { "url": "https://ci.example.com/", "user"?,
                    "tokenEnv"? (default "JENKINS_API_TOKEN"), "tokenFile"? },
    "templates":  [ { "name": "linux", "labels": ["linux"], "cpus": 1, "mem": 2048, … } ],
    "autoscaler": { "pollIntervalSeconds"? (2), "maxAgents"? (50), "agentConnectTimeoutSeconds"? (300),
                    "onExit"? ("keepAgents" | "drainIdleAgents"), "dryRun"? (false) },
    "scheduler":  { "frameworkName"? ("mesos-ops-autoscaler"), "failoverTimeoutSeconds"? (one week),
                    "stateDir"? }
  }
  templates take the keys of the editor setting mesos.jenkins.agentTemplates. Relative paths are taken from
  the config file's folder. Secrets are never in the file: the principal's secret comes from $MESOS_SECRET,
  the Jenkins API token from the variable named by tokenEnv, or from tokenFile.`;

export const autoscaleCommand: CliCommand = {
  name: 'autoscale',
  summary: 'run the Jenkins autoscaler headless (a daemon), writing its decisions as JSON lines',
  usage: USAGE,
  async run(ctx) {
    const { values } = parseCommandArgs(
      ctx.argv,
      {
        config: { type: 'string' },
        decisions: { type: 'string' },
        'dry-run': { type: 'boolean' },
        once: { type: 'boolean' },
      },
      USAGE,
    );
    if (values.config === undefined) throw new CliUsageError(`--config FILE is required\n\n${USAGE}`);
    if (values.decisions === '') throw new CliUsageError('--decisions takes a file name');
    const config = await loadAutoscaleConfig(values.config);
    return runAutoscale(ctx, {
      config,
      ...(values.decisions !== undefined && { decisionsFile: values.decisions }),
      dryRun: values['dry-run'] === true,
      once: values.once === true,
    });
  },
};
