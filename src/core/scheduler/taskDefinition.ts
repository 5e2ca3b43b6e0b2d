import { findJsonSyntaxError } from '../util/jsonSyntaxError';
import {
  childPath,
  readTaskDefinitionEntry,
  suggestField,
  TASK_ENTRY_FIELDS,
  type TaskEntryOptions,
} from './taskDefinitionEntry';
import type { TaskDefinitionProblem } from './taskDefinitionProblem';
import type { TaskRequest } from './taskRequest';

/** A task definition file, read: where to launch (if it says), what, and everything wrong with it. */
export interface TaskDefinition {
  readonly cluster?: string;
  /** Empty whenever `problems` is not: nothing launches from a definition with errors. */
  readonly requests: TaskRequest[];
  readonly problems: TaskDefinitionProblem[];
}

/** Top-level fields of the `{ "cluster"?, "tasks": [...] }` form. */
export const TASK_LIST_FIELDS = ['$schema', 'cluster', 'tasks'] as const;
/** Fields a single-task file may have besides the task's own. */
export const SINGLE_TASK_EXTRA_FIELDS = ['$schema', 'cluster'] as const;

/** The task name a file suggests: `web server.mesos-task.json` → `web server`. */
export function taskNameOfFile(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const name = base.replace(/\.mesos-task\.json$/i, '').replace(/\.json$/i, '');
  return name.trim() === '' ? undefined : name;
}

/**
 * Reads a task definition: one task object, or `{ "cluster"?: …, "tasks": [ … ] }` (see
 * schemas/mesos-task.schema.json). Syntax errors come with their line and column; every other problem with
 * its path, e.g. `tasks[1].cpus: must be > 0 (got 0)`.
 */
export function parseTaskDefinition(text: string, options: TaskEntryOptions = {}): TaskDefinition {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.trim() === '') {
    return {
      requests: [],
      problems: [
        {
          path: '',
          message: 'the definition is empty: write one task ({"name": …, "command": …}) or {"tasks": [ … ]}',
        },
      ],
    };
  }
  const syntax = findJsonSyntaxError(source);
  if (syntax) {
    return {
      requests: [],
      problems: [{ path: '', message: `not valid JSON: ${syntax.message}`, line: syntax.line, column: syntax.column }],
    };
  }
  const root: unknown = JSON.parse(source);
  if (typeof root !== 'object' || root === null || Array.isArray(root)) {
    return {
      requests: [],
      problems: [
        {
          path: '',
          message: `the definition must be an object (one task, or {"tasks": [ … ]}), not ${Array.isArray(root) ? 'an array' : 'a ' + (root === null ? 'null' : typeof root)}`,
        },
      ],
    };
  }
  const doc = root as Record<string, unknown>;
  const problems: TaskDefinitionProblem[] = [];
  let cluster: string | undefined;
  if (doc.cluster !== undefined) {
    if (typeof doc.cluster === 'string' && doc.cluster.trim() !== '') cluster = doc.cluster.trim();
    else
      problems.push({
        path: 'cluster',
        message: 'must be the name of a cluster of mesos.clusters (a non-empty string)',
      });
  }
  if (doc.$schema !== undefined && typeof doc.$schema !== 'string')
    problems.push({ path: '$schema', message: 'must be a string (the schema URL)' });
  const requests: TaskRequest[] = [];
  if ('tasks' in doc) {
    for (const key of Object.keys(doc)) {
      if (!(TASK_LIST_FIELDS as readonly string[]).includes(key)) {
        const hint = (TASK_ENTRY_FIELDS as readonly string[]).includes(key)
          ? ' (with "tasks", task fields go inside each task)'
          : suggestField(key, TASK_LIST_FIELDS);
        problems.push({ path: childPath('', key), message: `unknown property${hint}` });
      }
    }
    if (!Array.isArray(doc.tasks) || doc.tasks.length === 0) {
      problems.push({ path: 'tasks', message: 'must be a non-empty array of task objects' });
    } else {
      doc.tasks.forEach((entry, i) => {
        const read = readTaskDefinitionEntry(entry, childPath('tasks', i), options);
        problems.push(...read.problems);
        requests.push(...read.requests);
      });
    }
  } else {
    const entry = { ...doc };
    for (const key of SINGLE_TASK_EXTRA_FIELDS) delete entry[key];
    const read = readTaskDefinitionEntry(entry, '', options);
    problems.push(...read.problems);
    requests.push(...read.requests);
  }
  return { ...(cluster !== undefined ? { cluster } : {}), requests: problems.length > 0 ? [] : requests, problems };
}
