import type { CommandInfo, ContainerInfo, EnvironmentVariable } from '../core/mesos/codec';
import type { FrameworkSettings } from '../core/scheduler/frameworkInfoFor';
import type { TaskRequest } from '../core/scheduler/taskRequest';
import { CliUsageError } from './cliCommand';
import { MASTER_OPTIONS, type MasterOptionValues } from './masterOptions';
import { numberOption } from './numberOption';

/** The options of `mesos-ops execute` (parseArgs definitions). */
export const EXECUTE_OPTIONS = {
  ...MASTER_OPTIONS,
  name: { type: 'string' },
  command: { type: 'string' },
  argv: { type: 'string', multiple: true },
  cpus: { type: 'string' },
  mem: { type: 'string' },
  disk: { type: 'string' },
  'docker-image': { type: 'string' },
  env: { type: 'string', multiple: true },
  role: { type: 'string' },
  'framework-name': { type: 'string' },
  'failover-timeout': { type: 'string' },
  'kill-after': { type: 'string' },
  timeout: { type: 'string' },
  'state-file': { type: 'string' },
  json: { type: 'boolean' },
} as const;

export interface ExecuteOptionValues extends MasterOptionValues {
  name?: string;
  command?: string;
  argv?: string[];
  cpus?: string;
  mem?: string;
  disk?: string;
  'docker-image'?: string;
  env?: string[];
  role?: string;
  'framework-name'?: string;
  'failover-timeout'?: string;
  'kill-after'?: string;
  timeout?: string;
  'state-file'?: string;
  json?: boolean;
}

/** What one `mesos-ops execute` run does, checked before anything touches the network. */
export interface ExecutePlan {
  readonly request: TaskRequest;
  readonly framework: FrameworkSettings;
  /** Kill the task this long after it reached TASK_RUNNING. */
  readonly killAfterMs?: number;
  /** How long to wait for the subscription, and then for a fitting offer. */
  readonly timeoutMs: number;
  readonly stateFile?: string;
  readonly json: boolean;
}

export const DEFAULT_FRAMEWORK_NAME = 'mesos-ops execute';
/** With a state file the task must outlive this process, or `mesos-ops kill --state-file` has nothing to fail over to. */
export const STATE_FILE_FAILOVER_SECONDS = 3600;

// Mesos rejects task ids that are empty, '.' or '..', or hold '/' or control characters; whitespace only
// makes them hard to pass to `kill` and `logs` later.
const TASK_NAME = /^[^\s/\p{Cc}]{1,200}$/u;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `values` from the options before a `--`; `trailing` are the words after it, the command without a shell
 * (an alternative to repeating --argv, and the easy way to pass words that start with '-').
 */
export function executePlanOf(values: ExecuteOptionValues, trailing: readonly string[] = []): ExecutePlan {
  const name = values.name;
  if (name === undefined) throw new CliUsageError('--name is required: it names the task (its id is NAME.1)');
  if (!TASK_NAME.test(name) || name === '.' || name === '..') {
    throw new CliUsageError(
      `--name '${name}' cannot be a Mesos task id: use up to 200 characters without spaces or '/'`,
    );
  }
  const command = commandOf(values, trailing);
  const image = values['docker-image'];
  if (image !== undefined && image.trim() === '')
    throw new CliUsageError('--docker-image needs an image name, e.g. alpine:3.20');
  const container: ContainerInfo | undefined =
    image === undefined ? undefined : { type: 'MESOS', mesos: { image: { type: 'DOCKER', docker: { name: image } } } };
  const role = values.role;
  if (role !== undefined && role.trim() === '')
    throw new CliUsageError("--role needs a role name, e.g. '*' or 'jenkins'");
  const disk =
    values.disk === undefined ? undefined : numberOption(values.disk, 'disk', 0, { min: 0, inclusive: true });
  const request: TaskRequest = {
    id: name,
    name,
    cpus: numberOption(values.cpus, 'cpus', 0.1, { min: 0 }),
    mem: numberOption(values.mem, 'mem', 32, { min: 0 }),
    ...(disk !== undefined && { disk }),
    ...(role !== undefined && { role }),
    command,
    ...(container && { container }),
    restart: 'never',
  };
  const stateFile = values['state-file'];
  if (stateFile !== undefined && stateFile.trim() === '') throw new CliUsageError('--state-file needs a path');
  const failoverTimeoutSeconds = numberOption(
    values['failover-timeout'],
    'failover-timeout',
    stateFile ? STATE_FILE_FAILOVER_SECONDS : 0,
    {
      min: 0,
      inclusive: true,
      max: 365 * 24 * 3600,
    },
  );
  const principal = values.principal ?? process.env.MESOS_PRINCIPAL;
  const framework: FrameworkSettings = {
    name: values['framework-name'] ?? DEFAULT_FRAMEWORK_NAME,
    ...(role !== undefined && { roles: [role] }),
    ...(principal !== undefined && { principal }),
    failoverTimeoutSeconds,
  };
  const killAfter = values['kill-after'];
  return {
    request,
    framework,
    ...(killAfter !== undefined && { killAfterMs: numberOption(killAfter, 'kill-after', 0, { min: 0 }) * 1000 }),
    timeoutMs: numberOption(values.timeout, 'timeout', 60, { min: 0, max: 24 * 3600 }) * 1000,
    ...(stateFile !== undefined && { stateFile }),
    json: values.json === true,
  };
}

function commandOf(values: ExecuteOptionValues, trailing: readonly string[]): CommandInfo {
  if ((values.argv ?? []).length > 0 && trailing.length > 0) {
    throw new CliUsageError("give the words of the command with --argv or after '--', not both");
  }
  const argv = trailing.length > 0 ? trailing : (values.argv ?? []);
  if (values.command !== undefined && argv.length > 0) {
    throw new CliUsageError(
      "give either --command (run by /bin/sh -c) or --argv / words after '--' (run as is), not both",
    );
  }
  if (values.command === undefined && argv.length === 0) {
    throw new CliUsageError("give the task's command: --command 'echo hi' (a shell line), or -- echo hi (no shell)");
  }
  const variables: EnvironmentVariable[] = (values.env ?? []).map((pair) => {
    const eq = pair.indexOf('=');
    const name = eq > 0 ? pair.slice(0, eq) : '';
    if (!ENV_NAME.test(name))
      throw new CliUsageError(`--env takes NAME=value with NAME made of letters, digits and _, got '${pair}'`);
    return { name, type: 'VALUE', value: pair.slice(eq + 1) };
  });
  const environment = variables.length > 0 ? { environment: { variables } } : {};
  if (values.command !== undefined) {
    if (values.command.trim() === '') throw new CliUsageError('--command is empty');
    return { shell: true, value: values.command, ...environment };
  }
  // Mesos execs `value` with `arguments` as the whole argv, argv[0] included
  return { shell: false, value: argv[0]!, arguments: [...argv], ...environment };
}
