import { readClusterConfigs, type ClusterConfig } from '../core/cluster/clusterConfig';
import type { AgentTemplate } from '../core/scheduler/autoscaler/agentTemplate';
import { readAgentTemplates } from '../core/scheduler/autoscaler/readAgentTemplates';
import { ONE_WEEK_SECONDS } from '../core/scheduler/frameworkInfoFor';

/*
 * The config file of `mesos-ops autoscale` (JSON). Secrets are never in it: the principal's secret comes
 * from $MESOS_SECRET, the Jenkins API token from an environment variable or a file of its own.
 *
 * {
 *   "cluster": {                         // as an entry of the setting mesos.clusters
 *     "name": "prod",                    // required: names the lease and the state directory
 *     "masters": "http://m1:5050,http://m2:5050",   // or zk://zk1:2181/mesos (required)
 *     "principal": "jenkins",            // optional; its secret from $MESOS_SECRET
 *     "role": "jenkins",                 // optional framework role (default "*")
 *     "caFile": "/etc/ssl/ca.pem",       // optional CA for https masters, agents and Jenkins
 *     "insecure": false,                 // optional: skip TLS verification (test clusters only)
 *     "encoding": "protobuf"             // optional: protobuf (default) or json
 *   },
 *   "jenkins": {
 *     "url": "https://ci.example.com/",  // required: the root URL, as the Mesos agents reach it
 *     "user": "autoscaler",              // optional: the user whose API token is used
 *     "tokenEnv": "JENKINS_API_TOKEN",   // optional: the variable holding the token (this default)
 *     "tokenFile": "/etc/mesos-ops/jenkins-token"   // optional, instead of tokenEnv
 *   },
 *   "templates": [ { "name": "linux", "labels": ["linux"], "cpus": 1, "mem": 2048 } ],
 *                                        // required, same shape as the setting mesos.jenkins.agentTemplates
 *   "autoscaler": {                      // optional, each key too
 *     "pollIntervalSeconds": 2, "maxAgents": 50, "agentConnectTimeoutSeconds": 300,
 *     "onExit": "keepAgents",            // or "drainIdleAgents"
 *     "dryRun": false
 *   },
 *   "scheduler": {                       // optional, each key too
 *     "frameworkName": "mesos-ops-autoscaler",
 *     "failoverTimeoutSeconds": 604800,  // how long the agents outlive a stopped daemon
 *     "stateDir": "/var/lib/mesos-ops"   // default $XDG_STATE_HOME/mesos-ops or ~/.local/state/mesos-ops
 *   }
 * }
 *
 * Relative paths (caFile, tokenFile, stateDir) are resolved against the config file's directory by
 * loadAutoscaleConfig, not here.
 */

export type OnExit = 'keepAgents' | 'drainIdleAgents';

export interface AutoscaleJenkinsConfig {
  readonly url: string;
  readonly user?: string;
  /** The environment variable that holds the API token. */
  readonly tokenEnv: string;
  /** tokenEnv was written in the file, rather than being the default. */
  readonly tokenEnvGiven: boolean;
  readonly tokenFile?: string;
}

export interface AutoscaleAutoscalerConfig {
  readonly pollIntervalSeconds: number;
  readonly maxAgents: number;
  readonly agentConnectTimeoutSeconds: number;
  readonly onExit: OnExit;
  readonly dryRun: boolean;
}

export interface AutoscaleSchedulerConfig {
  readonly frameworkName: string;
  readonly failoverTimeoutSeconds: number;
  /** Absent: the default state directory (see defaultStateDir). */
  readonly stateDir?: string;
}

export interface AutoscaleConfig {
  readonly cluster: ClusterConfig;
  readonly jenkins: AutoscaleJenkinsConfig;
  readonly templates: readonly AgentTemplate[];
  readonly autoscaler: AutoscaleAutoscalerConfig;
  readonly scheduler: AutoscaleSchedulerConfig;
}

/** What is wrong, and where: `path` is the key's place in the file (`cluster.masters`, `templates[1]`). */
export interface AutoscaleConfigProblem {
  readonly path: string;
  readonly message: string;
}

export const DEFAULT_JENKINS_TOKEN_ENV = 'JENKINS_API_TOKEN';
export const DEFAULT_AUTOSCALER_FRAMEWORK_NAME = 'mesos-ops-autoscaler';

const SECTIONS = ['cluster', 'jenkins', 'templates', 'autoscaler', 'scheduler'] as const;
const CLUSTER_KEYS = ['name', 'masters', 'principal', 'role', 'caFile', 'insecure', 'encoding'] as const;
const JENKINS_KEYS = ['url', 'user', 'tokenEnv', 'tokenFile'] as const;
const AUTOSCALER_KEYS = ['pollIntervalSeconds', 'maxAgents', 'agentConnectTimeoutSeconds', 'onExit', 'dryRun'] as const;
const SCHEDULER_KEYS = ['frameworkName', 'failoverTimeoutSeconds', 'stateDir'] as const;

/** Keys someone might try to put a secret under: the answer says where secrets go instead. */
const SECRET_KEY = /secret|token|password|passwd|credential/i;

class Problems {
  readonly list: AutoscaleConfigProblem[] = [];
  add(path: string, message: string): void {
    this.list.push({ path, message });
  }
}

type Section = Record<string, unknown>;

function section(value: unknown, path: string, problems: Problems, required: boolean): Section | undefined {
  if (value === undefined) {
    if (required) problems.add(path, `the "${path}" section is missing`);
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.add(path, `must be an object ({ … }), got ${kindOf(value)}`);
    return undefined;
  }
  return value as Section;
}

/** Unknown keys are errors: a misspelt "maxAgents" must not silently become the default. */
function knownKeys(s: Section, path: string, known: readonly string[], problems: Problems, secretHint: string): void {
  for (const key of Object.keys(s)) {
    if (known.includes(key)) continue;
    if (SECRET_KEY.test(key)) {
      problems.add(`${path}.${key}`, `secrets do not go in the config file: ${secretHint}`);
      continue;
    }
    problems.add(`${path}.${key}`, `unknown key; known keys here: ${known.join(', ')}`);
  }
}

/** Values are described by kind only: a string in the wrong place may be a secret. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}

function optionalText(s: Section, key: string, path: string, problems: Problems): string | undefined {
  const value = s[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.add(
      `${path}.${key}`,
      `must be non-empty text, got ${typeof value === 'string' ? 'empty text' : kindOf(value)}`,
    );
    return undefined;
  }
  return value.trim();
}

function optionalBoolean(s: Section, key: string, path: string, problems: Problems): boolean | undefined {
  const value = s[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    problems.add(`${path}.${key}`, `must be true or false, got ${kindOf(value)}`);
    return undefined;
  }
  return value;
}

function optionalNumber(
  s: Section,
  key: string,
  path: string,
  problems: Problems,
  rule: { min: number; inclusive?: boolean; max: number; whole?: boolean },
): number | undefined {
  const value = s[key];
  if (value === undefined) return undefined;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rule.inclusive ? value >= rule.min : value > rule.min) &&
    value <= rule.max &&
    (!rule.whole || Number.isInteger(value));
  if (!ok) {
    const what = rule.whole ? 'a whole number' : 'a number';
    const low = rule.inclusive ? `from ${rule.min}` : `above ${rule.min}`;
    problems.add(`${path}.${key}`, `must be ${what} ${low} up to ${rule.max}, got ${kindOf(value)}`);
    return undefined;
  }
  return value as number;
}

function readCluster(value: unknown, problems: Problems): ClusterConfig | undefined {
  const s = section(value, 'cluster', problems, true);
  if (!s) return undefined;
  const before = problems.list.length;
  knownKeys(s, 'cluster', CLUSTER_KEYS, problems, "the principal's secret is read from $MESOS_SECRET");
  for (const key of ['name', 'masters', 'principal', 'role', 'caFile', 'encoding'])
    optionalText(s, key, 'cluster', problems);
  optionalBoolean(s, 'insecure', 'cluster', problems);
  if (s.name === undefined)
    problems.add('cluster.name', 'is missing: name the cluster (it names the lease and the state kept for it)');
  if (s.masters === undefined)
    problems.add(
      'cluster.masters',
      'is missing: give http://host:5050 (comma-separated for several) or zk://host:2181/mesos',
    );
  if (problems.list.length > before) return undefined;
  const read = readClusterConfigs([s]);
  for (const p of read.problems) problems.add('cluster', p.message);
  return read.clusters[0];
}

function readJenkins(value: unknown, problems: Problems): AutoscaleJenkinsConfig | undefined {
  const s = section(value, 'jenkins', problems, true);
  if (!s) return undefined;
  const before = problems.list.length;
  knownKeys(
    s,
    'jenkins',
    JENKINS_KEYS,
    problems,
    'the API token is read from the variable named by "tokenEnv" or from "tokenFile"',
  );
  const url = optionalText(s, 'url', 'jenkins', problems);
  const user = optionalText(s, 'user', 'jenkins', problems);
  const tokenEnv = optionalText(s, 'tokenEnv', 'jenkins', problems);
  const tokenFile = optionalText(s, 'tokenFile', 'jenkins', problems);
  if (s.url === undefined)
    problems.add('jenkins.url', 'is missing: give the Jenkins root URL, e.g. https://ci.example.com/');
  if (url !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) problems.add('jenkins.url', 'is not an http(s) URL');
    else if (parsed.username || parsed.password)
      problems.add(
        'jenkins.url',
        'holds credentials: put the user in "user" and the API token in its variable or file',
      );
  }
  if (tokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv))
    problems.add(
      'jenkins.tokenEnv',
      'must be the name of an environment variable (letters, digits and _), not the token itself',
    );
  if (tokenEnv !== undefined && tokenFile !== undefined)
    problems.add('jenkins', 'give "tokenEnv" or "tokenFile", not both');
  if (problems.list.length > before || url === undefined) return undefined;
  return {
    url,
    ...(user !== undefined && { user }),
    tokenEnv: tokenEnv ?? DEFAULT_JENKINS_TOKEN_ENV,
    tokenEnvGiven: tokenEnv !== undefined,
    ...(tokenFile !== undefined && { tokenFile }),
  };
}

function readTemplates(value: unknown, problems: Problems): AgentTemplate[] | undefined {
  if (value === undefined) {
    problems.add('templates', 'is missing: add at least one agent template ([{"name": "linux", "labels": ["linux"]}])');
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.add('templates', `must be a list of agent templates, got ${kindOf(value)}`);
    return undefined;
  }
  if (value.length === 0) {
    problems.add('templates', 'is empty: add at least one agent template ([{"name": "linux", "labels": ["linux"]}])');
    return undefined;
  }
  const { templates, problems: found } = readAgentTemplates(value);
  for (const p of found) {
    // the reader speaks of the editor setting; here the same list is the file's "templates"
    problems.add(
      p.index >= 0 ? `templates[${p.index}]` : 'templates',
      p.message.replaceAll('mesos.jenkins.agentTemplates', '"templates"'),
    );
  }
  return found.length > 0 ? undefined : templates;
}

function readAutoscaler(value: unknown, problems: Problems): AutoscaleAutoscalerConfig | undefined {
  const s = section(value, 'autoscaler', problems, false) ?? {};
  const before = problems.list.length;
  knownKeys(s, 'autoscaler', AUTOSCALER_KEYS, problems, 'see "jenkins.tokenEnv"');
  const pollIntervalSeconds = optionalNumber(s, 'pollIntervalSeconds', 'autoscaler', problems, { min: 0, max: 3600 });
  const maxAgents = optionalNumber(s, 'maxAgents', 'autoscaler', problems, {
    min: 0,
    inclusive: true,
    max: 10_000,
    whole: true,
  });
  const connect = optionalNumber(s, 'agentConnectTimeoutSeconds', 'autoscaler', problems, { min: 0, max: 24 * 3600 });
  const onExit = s.onExit;
  if (onExit !== undefined && onExit !== 'keepAgents' && onExit !== 'drainIdleAgents')
    problems.add('autoscaler.onExit', 'must be "keepAgents" or "drainIdleAgents"');
  const dryRun = optionalBoolean(s, 'dryRun', 'autoscaler', problems);
  if (problems.list.length > before) return undefined;
  return {
    pollIntervalSeconds: pollIntervalSeconds ?? 2,
    maxAgents: maxAgents ?? 50,
    agentConnectTimeoutSeconds: connect ?? 300,
    onExit: (onExit as OnExit | undefined) ?? 'keepAgents',
    dryRun: dryRun ?? false,
  };
}

function readScheduler(value: unknown, problems: Problems): AutoscaleSchedulerConfig | undefined {
  const s = section(value, 'scheduler', problems, false) ?? {};
  const before = problems.list.length;
  knownKeys(s, 'scheduler', SCHEDULER_KEYS, problems, "the principal's secret is read from $MESOS_SECRET");
  const frameworkName = optionalText(s, 'frameworkName', 'scheduler', problems);
  // 0 would make Mesos end every agent the moment the daemon stops, which is what the daemon exists to avoid
  const failover = optionalNumber(s, 'failoverTimeoutSeconds', 'scheduler', problems, { min: 0, max: 365 * 24 * 3600 });
  const stateDir = optionalText(s, 'stateDir', 'scheduler', problems);
  if (problems.list.length > before) return undefined;
  return {
    frameworkName: frameworkName ?? DEFAULT_AUTOSCALER_FRAMEWORK_NAME,
    failoverTimeoutSeconds: failover ?? ONE_WEEK_SECONDS,
    ...(stateDir !== undefined && { stateDir }),
  };
}

/**
 * Reads a parsed config file: the config, or every problem found (each with its path), so that one run
 * shows everything there is to fix.
 */
export function readAutoscaleConfig(value: unknown): { config?: AutoscaleConfig; problems: AutoscaleConfigProblem[] } {
  const problems = new Problems();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.add('(top level)', `must be an object with "cluster", "jenkins" and "templates", got ${kindOf(value)}`);
    return { problems: problems.list };
  }
  const top = value as Section;
  for (const key of Object.keys(top)) {
    if (!(SECTIONS as readonly string[]).includes(key))
      problems.add(
        key,
        SECRET_KEY.test(key)
          ? 'secrets do not go in the config file'
          : `unknown section; known sections: ${SECTIONS.join(', ')}`,
      );
  }
  const cluster = readCluster(top.cluster, problems);
  const jenkins = readJenkins(top.jenkins, problems);
  const templates = readTemplates(top.templates, problems);
  const autoscaler = readAutoscaler(top.autoscaler, problems);
  const scheduler = readScheduler(top.scheduler, problems);
  if (problems.list.length > 0 || !cluster || !jenkins || !templates || !autoscaler || !scheduler) {
    return { problems: problems.list };
  }
  return { config: { cluster, jenkins, templates, autoscaler, scheduler }, problems: [] };
}
