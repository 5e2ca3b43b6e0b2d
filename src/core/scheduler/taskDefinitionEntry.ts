import type { CommandInfo, CommandInfoURI, ContainerInfo, KillPolicy } from '../mesos/codec';
import { editDistance } from './editDistance';
import type { ConstraintOperator } from './launchRequest';
import { LaunchRequestError } from './launchRequestError';
import { parsePlacementConstraint } from './placementConstraint';
import { newRequestId } from './requestId';
import type { TaskDefinitionProblem } from './taskDefinitionProblem';
import type { RestartPolicy, TaskRequest } from './taskRequest';

/**
 * One task as a definition file (`*.mesos-task.json`) or the launch wizard describes it: the shape that
 * schemas/mesos-task.schema.json documents. Sizes in Mesos units (cpus, MB).
 */
export interface TaskDefinitionEntry {
  readonly name?: string;
  /** A string runs with `/bin/sh -c`; an array is the program and its arguments, run without a shell. */
  readonly command?: string | readonly string[];
  readonly cpus?: number;
  readonly mem?: number;
  readonly disk?: number;
  readonly ports?: number;
  readonly instances?: number;
  readonly role?: string;
  readonly constraints?: readonly (readonly string[])[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly uris?: readonly (string | TaskDefinitionUri)[];
  readonly container?: TaskDefinitionContainer;
  readonly user?: string;
  readonly killGracePeriodSeconds?: number;
  readonly restart?: RestartPolicy;
}

export interface TaskDefinitionUri {
  readonly value: string;
  readonly executable?: boolean;
  readonly extract?: boolean;
  readonly cache?: boolean;
  readonly outputFile?: string;
}

export interface TaskDefinitionContainer {
  readonly image: string;
  readonly type?: 'MESOS' | 'DOCKER';
  readonly forcePullImage?: boolean;
}

/** What a task gets when its entry leaves a field out (the schema's `default`s say the same). */
export const TASK_ENTRY_DEFAULTS = {
  cpus: 0.1,
  mem: 128,
  disk: 0,
  ports: 0,
  instances: 1,
  restart: 'never',
  containerType: 'MESOS',
  forcePullImage: false,
} as const;

/** More instances than this from one entry is far more likely a typo than a wish, on a shared cluster. */
export const MAX_INSTANCES = 100;

/** Every field an entry may have; anything else is reported, so that a typo ("cpu") is never ignored. */
export const TASK_ENTRY_FIELDS = [
  'name',
  'command',
  'cpus',
  'mem',
  'disk',
  'ports',
  'instances',
  'role',
  'constraints',
  'environment',
  'uris',
  'container',
  'user',
  'killGracePeriodSeconds',
  'restart',
] as const satisfies readonly (keyof TaskDefinitionEntry)[];

export const CONTAINER_FIELDS = [
  'image',
  'type',
  'forcePullImage',
] as const satisfies readonly (keyof TaskDefinitionContainer)[];
export const URI_FIELDS = [
  'value',
  'executable',
  'extract',
  'cache',
  'outputFile',
] as const satisfies readonly (keyof TaskDefinitionUri)[];
export const CONTAINER_TYPES = ['MESOS', 'DOCKER'] as const;
export const RESTART_POLICIES = ['never', 'on-failure'] as const satisfies readonly RestartPolicy[];

// A Record keyed by the type makes the compiler catch an operator added to ConstraintOperator but not here.
const OPERATOR_SET: Record<ConstraintOperator, true> = {
  UNIQUE: true,
  CLUSTER: true,
  LIKE: true,
  UNLIKE: true,
  GROUP_BY: true,
  MAX_PER: true,
};
export const CONSTRAINT_OPERATORS = Object.keys(OPERATOR_SET) as ConstraintOperator[];

export const ENVIRONMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface TaskEntryOptions {
  /** The name of an entry that has none (e.g. from the file name); without it, a name is required. */
  readonly defaultName?: string;
  /** The random part of request ids (tests pass a fixed one). */
  readonly idSuffix?: () => string;
}

/** `tasks[1]` + `cpus` → `tasks[1].cpus`; keys that are not identifiers are quoted. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ` (did you mean "cpus"?)` when an unknown key looks like a known field (a typo, other case), else ''. */
export function suggestField(key: string, known: readonly string[]): string {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  let best: { field: string; distance: number } | undefined;
  for (const field of known) {
    const distance = editDistance(k, field.toLowerCase());
    if (distance <= Math.min(2, Math.floor(field.length / 3)) && (!best || distance < best.distance))
      best = { field, distance };
  }
  return best ? ` (did you mean "${best.field}"?)` : '';
}

/** Collects problems while one entry is read. */
class EntryReader {
  readonly problems: TaskDefinitionProblem[] = [];

  problem(path: string, message: string): undefined {
    this.problems.push({ path, message });
    return undefined;
  }

  unknownFields(value: Record<string, unknown>, path: string, known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.problem(childPath(path, key), `unknown property${suggestField(key, known)}`);
    }
  }

  text(value: unknown, path: string, what = 'a non-empty string'): string | undefined {
    if (typeof value !== 'string' || value.trim() === '')
      return this.problem(path, `must be ${what}, got ${shown(value)}`);
    return value;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (typeof value !== 'boolean') return this.problem(path, `must be true or false, got ${shown(value)}`);
    return value;
  }

  number(
    value: unknown,
    path: string,
    rule: { min: number; exclusive: boolean; whole?: boolean; max?: number },
  ): number | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value))
      return this.problem(path, `must be a number, got ${shown(value)}`);
    if (rule.exclusive ? value <= rule.min : value < rule.min)
      return this.problem(path, `must be ${rule.exclusive ? '>' : '>='} ${rule.min} (got ${value})`);
    if (rule.whole && !Number.isInteger(value)) return this.problem(path, `must be a whole number (got ${value})`);
    if (rule.max !== undefined && value > rule.max)
      return this.problem(path, `must be at most ${rule.max} (got ${value})`);
    return value;
  }

  command(value: unknown, path: string): CommandInfo | undefined {
    if (typeof value === 'string') {
      if (value.trim() === '') return this.problem(path, 'must not be empty: give the shell command to run');
      return { shell: true, value };
    }
    if (Array.isArray(value)) {
      if (value.length === 0) return this.problem(path, 'must not be empty: give the program and its arguments');
      const before = this.problems.length;
      value.forEach((arg, i) => {
        if (typeof arg !== 'string') this.problem(childPath(path, i), `must be a string, got ${shown(arg)}`);
      });
      if (this.problems.length > before) return undefined;
      const argv = value as string[];
      if (argv[0]!.trim() === '') return this.problem(childPath(path, 0), 'must name the program to run');
      // shell=false: Mesos executes `value` with `arguments` as its whole argv (argv[0] included)
      return { shell: false, value: argv[0]!, arguments: [...argv] };
    }
    return this.problem(
      path,
      `must be a shell command (a string) or the program and its arguments (an array of strings), got ${shown(value)}`,
    );
  }

  constraints(value: unknown, path: string, requestId: string): string[][] | undefined {
    if (!Array.isArray(value))
      return this.problem(path, `must be an array of [attribute, operator, value?] arrays, got ${shown(value)}`);
    const out: string[][] = [];
    const before = this.problems.length;
    value.forEach((item, i) => {
      const at = childPath(path, i);
      if (!Array.isArray(item) || item.length < 2 || item.length > 3) {
        this.problem(
          at,
          `must be [attribute, operator] or [attribute, operator, value], got ${Array.isArray(item) ? `${item.length} item(s)` : shown(item)}`,
        );
        return;
      }
      const bad = item.findIndex((x) => typeof x !== 'string');
      if (bad >= 0) {
        this.problem(childPath(at, bad), `must be a string, got ${shown(item[bad])}`);
        return;
      }
      const parts = item as string[];
      if (parts[0]!.trim() === '') {
        this.problem(childPath(at, 0), 'must name an agent attribute (or "hostname")');
        return;
      }
      if (!(CONSTRAINT_OPERATORS as readonly string[]).includes(parts[1]!)) {
        const upper = parts[1]!.toUpperCase();
        const hint = (CONSTRAINT_OPERATORS as readonly string[]).includes(upper)
          ? `write it in capitals: "${upper}"`
          : `use one of ${CONSTRAINT_OPERATORS.join(', ')}`;
        this.problem(childPath(at, 1), `unknown operator "${parts[1]}": ${hint}`);
        return;
      }
      try {
        parsePlacementConstraint(requestId, parts);
      } catch (err) {
        if (!(err instanceof LaunchRequestError)) throw err;
        this.problem(at, err.problem);
        return;
      }
      out.push(parts);
    });
    return this.problems.length > before ? undefined : out;
  }

  environment(value: unknown, path: string): { name: string; value: string }[] | undefined {
    if (!isObject(value)) return this.problem(path, `must be an object of NAME: "value" pairs, got ${shown(value)}`);
    const before = this.problems.length;
    const out: { name: string; value: string }[] = [];
    for (const [name, v] of Object.entries(value)) {
      const at = childPath(path, name);
      if (!ENVIRONMENT_NAME.test(name))
        this.problem(at, 'is not a variable name: use letters, digits and _, not starting with a digit');
      else if (typeof v !== 'string') this.problem(at, `must be a string, got ${shown(v)} (quote numbers: "8080")`);
      else out.push({ name, value: v });
    }
    return this.problems.length > before ? undefined : out;
  }

  uris(value: unknown, path: string): CommandInfoURI[] | undefined {
    if (!Array.isArray(value))
      return this.problem(path, `must be an array of URIs to fetch into the sandbox, got ${shown(value)}`);
    const before = this.problems.length;
    const out: CommandInfoURI[] = [];
    value.forEach((item, i) => {
      const at = childPath(path, i);
      if (typeof item === 'string') {
        const uri = this.text(item, at, 'a URI (non-empty)');
        if (uri !== undefined) out.push({ value: uri });
        return;
      }
      if (!isObject(item)) {
        this.problem(at, `must be a URI string or an object with "value", got ${shown(item)}`);
        return;
      }
      this.unknownFields(item, at, URI_FIELDS);
      const uri: { -readonly [K in keyof CommandInfoURI]: CommandInfoURI[K] } = {
        value: this.text(item.value, childPath(at, 'value'), 'a URI (non-empty)') ?? '',
      };
      if (item.executable !== undefined) uri.executable = this.boolean(item.executable, childPath(at, 'executable'));
      if (item.extract !== undefined) uri.extract = this.boolean(item.extract, childPath(at, 'extract'));
      if (item.cache !== undefined) uri.cache = this.boolean(item.cache, childPath(at, 'cache'));
      if (item.outputFile !== undefined)
        uri.output_file = this.text(item.outputFile, childPath(at, 'outputFile'), 'a file name');
      out.push(uri);
    });
    return this.problems.length > before ? undefined : out;
  }

  container(value: unknown, path: string): ContainerInfo | undefined {
    if (!isObject(value)) return this.problem(path, `must be an object with "image", got ${shown(value)}`);
    const before = this.problems.length;
    this.unknownFields(value, path, CONTAINER_FIELDS);
    const image =
      value.image === undefined
        ? this.problem(childPath(path, 'image'), 'is required: the image to run, e.g. "alpine:3.20"')
        : this.text(value.image, childPath(path, 'image'), 'an image name');
    if (image !== undefined && /\s/.test(image))
      this.problem(childPath(path, 'image'), `must not contain spaces, got ${shown(image)}`);
    const type = value.type ?? TASK_ENTRY_DEFAULTS.containerType;
    if (!(CONTAINER_TYPES as readonly unknown[]).includes(type))
      this.problem(
        childPath(path, 'type'),
        `must be "MESOS" (the Mesos containerizer) or "DOCKER" (the Docker containerizer), got ${shown(type)}`,
      );
    const forcePull =
      value.forcePullImage === undefined
        ? TASK_ENTRY_DEFAULTS.forcePullImage
        : this.boolean(value.forcePullImage, childPath(path, 'forcePullImage'));
    if (this.problems.length > before || image === undefined) return undefined;
    if (type === 'DOCKER')
      return { type: 'DOCKER', docker: { image, ...(forcePull ? { force_pull_image: true } : {}) } };
    return {
      type: 'MESOS',
      mesos: { image: { type: 'DOCKER', docker: { name: image }, ...(forcePull ? { cached: false } : {}) } },
    };
  }
}

/**
 * Reads one task entry at `path` into launch requests (one per instance). Returns no requests when the
 * entry has any problem: a half-understood task is never launched.
 */
export function readTaskDefinitionEntry(
  value: unknown,
  path: string,
  options: TaskEntryOptions = {},
): { requests: TaskRequest[]; problems: TaskDefinitionProblem[] } {
  const r = new EntryReader();
  if (!isObject(value)) {
    r.problem(path, `must be a task object ({"name": …, "command": …}), got ${shown(value)}`);
    return { requests: [], problems: r.problems };
  }
  r.unknownFields(value, path, TASK_ENTRY_FIELDS);
  const at = (key: string) => childPath(path, key);
  let name: string | undefined;
  if (value.name !== undefined) name = r.text(value.name, at('name'));
  else if (options.defaultName !== undefined && options.defaultName.trim() !== '') name = options.defaultName.trim();
  else r.problem(at('name'), 'is required: give the task a name');
  const requestId = newRequestId(name ?? 'task', options.idSuffix);

  const size = (key: 'cpus' | 'mem' | 'disk' | 'ports' | 'instances') => {
    const raw = value[key];
    if (raw === undefined) return TASK_ENTRY_DEFAULTS[key];
    switch (key) {
      case 'cpus':
      case 'mem':
        return r.number(raw, at(key), { min: 0, exclusive: true });
      case 'disk':
        return r.number(raw, at(key), { min: 0, exclusive: false });
      case 'ports':
        return r.number(raw, at(key), { min: 0, exclusive: false, whole: true, max: 65535 });
      case 'instances':
        return r.number(raw, at(key), { min: 1, exclusive: false, whole: true, max: MAX_INSTANCES });
    }
  };
  const cpus = size('cpus');
  const mem = size('mem');
  const disk = size('disk');
  const ports = size('ports');
  const instances = size('instances');
  const role =
    value.role === undefined ? undefined : r.text(value.role, at('role'), 'a role name ("*" for unreserved resources)');
  const user = value.user === undefined ? undefined : r.text(value.user, at('user'), 'a user name');
  const constraints =
    value.constraints === undefined ? [] : r.constraints(value.constraints, at('constraints'), requestId);
  const environment = value.environment === undefined ? [] : r.environment(value.environment, at('environment'));
  const uris = value.uris === undefined ? [] : r.uris(value.uris, at('uris'));
  const container = value.container === undefined ? undefined : r.container(value.container, at('container'));
  let command: CommandInfo | undefined;
  if (value.command !== undefined) command = r.command(value.command, at('command'));
  else if (value.container !== undefined)
    command = { shell: false }; // the image's own entrypoint and command
  else
    r.problem(
      at('command'),
      'is required: a shell command ("echo hi") or ["program", "arg"] (or a container, to run its image\'s own command)',
    );
  let killPolicy: KillPolicy | undefined;
  if (value.killGracePeriodSeconds !== undefined) {
    const seconds = r.number(value.killGracePeriodSeconds, at('killGracePeriodSeconds'), {
      min: 0,
      exclusive: false,
      max: 86_400,
    });
    if (seconds !== undefined) killPolicy = { grace_period: { nanoseconds: Math.round(seconds * 1e9) } };
  }
  const restart = value.restart ?? TASK_ENTRY_DEFAULTS.restart;
  if (!(RESTART_POLICIES as readonly unknown[]).includes(restart))
    r.problem(at('restart'), `must be "never" or "on-failure", got ${shown(restart)}`);

  if (r.problems.length > 0 || name === undefined || command === undefined)
    return { requests: [], problems: r.problems };
  const fullCommand: CommandInfo = {
    ...command,
    ...(environment && environment.length > 0 ? { environment: { variables: environment } } : {}),
    ...(uris && uris.length > 0 ? { uris } : {}),
    ...(user !== undefined ? { user } : {}),
  };
  const count = instances ?? 1;
  const requests: TaskRequest[] = [];
  for (let i = 1; i <= count; i++) {
    requests.push({
      id: count === 1 ? requestId : `${requestId}-${i}`,
      name,
      cpus: cpus!,
      mem: mem!,
      ...(disk! > 0 ? { disk } : {}),
      ...(ports! > 0 ? { ports } : {}),
      ...(role !== undefined ? { role } : {}),
      // instances of one entry form one group, so UNIQUE / GROUP_BY / MAX_PER spread them together
      ...(count > 1 ? { group: requestId } : {}),
      ...(constraints && constraints.length > 0 ? { constraints } : {}),
      command: fullCommand,
      ...(container ? { container } : {}),
      ...(killPolicy ? { killPolicy } : {}),
      ...(restart === 'on-failure' ? { restart } : {}),
    });
  }
  return { requests, problems: [] };
}
