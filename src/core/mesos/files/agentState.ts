import { MesosDecodeError } from '../codec';
import { jsonTextOf, parseMesosJson } from '../codec';
import { describeJsonValue } from '../../util/describeJsonValue';

/**
 * The parts of an agent's legacy `/state` JSON (reference §7.4) this extension reads, typed, with field
 * names as on the wire. The v1 agent API does not report sandbox directories, so this is where an
 * executor's `directory` comes from (also for completed runs, the only way to reach an older run).
 */

/** Resources as the legacy endpoints summarise them: `{"cpus": 0.2, "mem": 64, "ports": "[31000-31001]"}`. */
export type ResourceSummary = Readonly<Record<string, number | string>>;

export interface AgentStateLabel {
  readonly key: string;
  readonly value?: string;
}

export interface AgentStateTaskStatus {
  readonly state: string;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  readonly healthy?: boolean;
}

/** A launched, completed or terminated task (the legacy task summary, §7.1). */
export interface AgentStateTask {
  readonly id: string;
  readonly name: string;
  readonly framework_id: string;
  /** `""` for command tasks: their executor's id is the task id. */
  readonly executor_id: string;
  readonly slave_id: string;
  readonly state: string;
  readonly resources: ResourceSummary;
  readonly role?: string;
  readonly user?: string;
  readonly labels: readonly AgentStateLabel[];
  readonly statuses: readonly AgentStateTaskStatus[];
}

/** A task waiting for its executor to register (a TaskInfo summary: no state, no statuses). */
export interface AgentStateQueuedTask {
  readonly id: string;
  readonly name: string;
  readonly slave_id: string;
  readonly executor_id?: string;
  readonly resources: ResourceSummary;
  readonly role?: string;
}

/** One run of an executor: its container and sandbox directory. */
export interface AgentStateExecutor {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  /** The ContainerID of this run. */
  readonly container: string;
  /** Absolute path of this run's sandbox on the agent (also a path the agent's /files serve). */
  readonly directory: string;
  readonly resources: ResourceSummary;
  readonly role?: string;
  /** `DEFAULT` for the default executor, which runs task groups; absent for the command executor. */
  readonly type?: string;
  readonly labels: readonly AgentStateLabel[];
  readonly tasks: readonly AgentStateTask[];
  readonly queued_tasks: readonly AgentStateQueuedTask[];
  readonly completed_tasks: readonly AgentStateTask[];
}

export interface AgentStateFramework {
  readonly id: string;
  readonly name: string;
  readonly user: string;
  readonly hostname: string;
  readonly failover_timeout: number;
  readonly checkpoint: boolean;
  readonly principal?: string;
  /** Set for frameworks without MULTI_ROLE. */
  readonly role?: string;
  /** Set for MULTI_ROLE frameworks. */
  readonly roles?: readonly string[];
  readonly executors: readonly AgentStateExecutor[];
  readonly completed_executors: readonly AgentStateExecutor[];
}

export interface AgentState {
  readonly id: string;
  /** `slave(1)@<ip>:<port>`. */
  readonly pid: string;
  readonly hostname: string;
  readonly version: string;
  /** Seconds since the epoch. */
  readonly start_time: number;
  readonly master_hostname?: string;
  readonly capabilities: readonly string[];
  readonly resources: ResourceSummary;
  readonly attributes: Readonly<Record<string, number | string>>;
  /** Present when the caller may view flags; `flags.work_dir` is the sandbox root. */
  readonly flags?: Readonly<Record<string, string>>;
  readonly frameworks: readonly AgentStateFramework[];
  readonly completed_frameworks: readonly AgentStateFramework[];
}

const MESSAGE_TYPE = 'agent /state';

/** Reads the body of `GET /state` (or `/slave(1)/state`). Throws MesosDecodeError when it is not one. */
export function parseAgentState(body: Uint8Array): AgentState {
  return agentStateFromJson(parseMesosJson(jsonTextOf(body), MESSAGE_TYPE, 'none'));
}

/** The same, from an already parsed JSON value. */
export function agentStateFromJson(value: unknown): AgentState {
  const root = new Reader(value, '');
  return {
    id: root.string('id'),
    pid: root.string('pid'),
    hostname: root.optionalString('hostname') ?? '',
    version: root.optionalString('version') ?? '',
    start_time: root.number('start_time'),
    master_hostname: root.optionalString('master_hostname'),
    capabilities: root.strings('capabilities'),
    resources: root.summary('resources'),
    attributes: root.summary('attributes'),
    flags: root.optionalStringMap('flags'),
    frameworks: root.list('frameworks', readFramework),
    completed_frameworks: root.list('completed_frameworks', readFramework),
  };
}

/** One executor run found in an agent's state, and where it was found. */
export interface ExecutorRun {
  readonly framework: AgentStateFramework;
  readonly executor: AgentStateExecutor;
  /** Whether the framework is in `completed_frameworks`. */
  readonly frameworkCompleted: boolean;
  /** Whether the run is in `completed_executors` (it has ended). */
  readonly completed: boolean;
}

/**
 * Every run of an executor on this agent: current runs first, then completed ones newest first (the
 * agent lists completed executors oldest first).
 */
export function findExecutorRuns(state: AgentState, frameworkId: string, executorId: string): ExecutorRun[] {
  const ofExecutor = (run: ExecutorRun) => run.executor.id === executorId;
  return [
    ...frameworkRuns(state, frameworkId, false).flat().filter(ofExecutor),
    ...frameworkRuns(state, frameworkId, true).flat().filter(ofExecutor).reverse(),
  ];
}

/**
 * The current or the completed runs of a framework on this agent, as the agent lists them: one list for
 * each entry of the framework, first in `frameworks`, then in `completed_frameworks` (an agent keeps a
 * framework it removed there, and lists it in both once the framework runs something on it again).
 */
export function frameworkRuns(state: AgentState, frameworkId: string, completed: boolean): ExecutorRun[][] {
  const entries = [
    ...state.frameworks.map((framework) => ({ framework, frameworkCompleted: false })),
    ...state.completed_frameworks.map((framework) => ({ framework, frameworkCompleted: true })),
  ];
  return entries
    .filter(({ framework }) => framework.id === frameworkId)
    .map(({ framework, frameworkCompleted }) =>
      (completed ? framework.completed_executors : framework.executors).map((executor) => ({
        framework,
        executor,
        frameworkCompleted,
        completed,
      })),
    );
}

/** Whether a run holds the task, launched, queued or completed. */
export function runHoldsTask(executor: AgentStateExecutor, taskId: string): boolean {
  return (
    executor.tasks.some((t) => t.id === taskId) ||
    executor.queued_tasks.some((t) => t.id === taskId) ||
    executor.completed_tasks.some((t) => t.id === taskId)
  );
}

function readFramework(r: Reader): AgentStateFramework {
  return {
    id: r.string('id'),
    name: r.optionalString('name') ?? '',
    user: r.optionalString('user') ?? '',
    hostname: r.optionalString('hostname') ?? '',
    failover_timeout: r.optionalNumber('failover_timeout') ?? 0,
    checkpoint: r.optionalBoolean('checkpoint') ?? false,
    principal: r.optionalString('principal'),
    role: r.optionalString('role'),
    roles: r.has('roles') ? r.strings('roles') : undefined,
    executors: r.list('executors', readExecutor),
    completed_executors: r.list('completed_executors', readExecutor),
  };
}

function readExecutor(r: Reader): AgentStateExecutor {
  return {
    id: r.string('id'),
    name: r.optionalString('name') ?? '',
    source: r.optionalString('source') ?? '',
    container: r.optionalString('container') ?? '',
    directory: r.string('directory'),
    resources: r.summary('resources'),
    role: r.optionalString('role'),
    type: r.optionalString('type'),
    labels: r.list('labels', readLabel),
    tasks: r.list('tasks', readTask),
    queued_tasks: r.list('queued_tasks', readQueuedTask),
    completed_tasks: r.list('completed_tasks', readTask),
  };
}

function readTask(r: Reader): AgentStateTask {
  return {
    id: r.string('id'),
    name: r.optionalString('name') ?? '',
    framework_id: r.optionalString('framework_id') ?? '',
    executor_id: r.optionalString('executor_id') ?? '',
    slave_id: r.optionalString('slave_id') ?? '',
    state: r.string('state'),
    resources: r.summary('resources'),
    role: r.optionalString('role'),
    user: r.optionalString('user'),
    labels: r.list('labels', readLabel),
    statuses: r.list('statuses', (s) => ({
      state: s.string('state'),
      timestamp: s.optionalNumber('timestamp') ?? 0,
      healthy: s.optionalBoolean('healthy'),
    })),
  };
}

function readQueuedTask(r: Reader): AgentStateQueuedTask {
  return {
    id: r.string('id'),
    name: r.optionalString('name') ?? '',
    slave_id: r.optionalString('slave_id') ?? '',
    executor_id: r.optionalString('executor_id'),
    resources: r.summary('resources'),
    role: r.optionalString('role'),
  };
}

function readLabel(r: Reader): AgentStateLabel {
  return { key: r.string('key'), value: r.optionalString('value') };
}

/** Reads one JSON object, naming the path of any field that is missing or of the wrong kind. */
class Reader {
  private readonly object: Record<string, unknown>;

  constructor(
    value: unknown,
    private readonly path: string,
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw problem('wrong-type', path, `expected an object, found ${describeJsonValue(value)}`);
    }
    this.object = value as Record<string, unknown>;
  }

  has(key: string): boolean {
    return this.object[key] !== undefined && this.object[key] !== null;
  }

  string(key: string): string {
    const value = this.object[key];
    if (value === undefined || value === null) throw problem('missing-field', this.at(key), 'the field is missing');
    if (typeof value !== 'string')
      throw problem('wrong-type', this.at(key), `expected a string, found ${describeJsonValue(value)}`);
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  number(key: string): number {
    const value = this.object[key];
    if (value === undefined || value === null) throw problem('missing-field', this.at(key), 'the field is missing');
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || Number.isNaN(n))
      throw problem('wrong-type', this.at(key), `expected a number, found ${describeJsonValue(value)}`);
    return n;
  }

  optionalNumber(key: string): number | undefined {
    return this.has(key) ? this.number(key) : undefined;
  }

  optionalBoolean(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const value = this.object[key];
    if (typeof value !== 'boolean')
      throw problem('wrong-type', this.at(key), `expected true or false, found ${describeJsonValue(value)}`);
    return value;
  }

  strings(key: string): string[] {
    return this.array(key).map((item, i) => {
      if (typeof item !== 'string')
        throw problem('wrong-type', `${this.at(key)}[${i}]`, `expected a string, found ${describeJsonValue(item)}`);
      return item;
    });
  }

  /** A summary object of numbers and strings (resources, attributes). */
  summary(key: string): Record<string, number | string> {
    if (!this.has(key)) return {};
    const value = new Reader(this.object[key], this.at(key));
    const out: Record<string, number | string> = {};
    for (const [name, item] of Object.entries(value.object)) {
      if (typeof item === 'number' || typeof item === 'string') out[name] = item;
      else
        throw problem(
          'wrong-type',
          `${this.at(key)}.${name}`,
          `expected a number or a string, found ${describeJsonValue(item)}`,
        );
    }
    return out;
  }

  optionalStringMap(key: string): Record<string, string> | undefined {
    if (!this.has(key)) return undefined;
    const value = new Reader(this.object[key], this.at(key));
    return Object.fromEntries(Object.entries(value.object).map(([name, item]) => [name, String(item)]));
  }

  list<T>(key: string, read: (r: Reader) => T): T[] {
    return this.array(key).map((item, i) => read(new Reader(item, `${this.at(key)}[${i}]`)));
  }

  private array(key: string): unknown[] {
    if (!this.has(key)) return [];
    const value = this.object[key];
    if (!Array.isArray(value))
      throw problem('wrong-type', this.at(key), `expected an array, found ${describeJsonValue(value)}`);
    return value;
  }

  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
}

function problem(kind: 'wrong-type' | 'missing-field', path: string, reason: string): MesosDecodeError {
  return new MesosDecodeError({
    kind,
    reason,
    nextStep: 'Check that the URL points at a Mesos agent (1.x): its /state should list frameworks and executors',
    encoding: 'json',
    messageType: MESSAGE_TYPE,
    path: path || undefined,
  });
}
