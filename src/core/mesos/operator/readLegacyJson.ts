import type { LegacyMasterState, LegacyTasksPage } from './legacyMasterState';
import { LegacyResponseError } from './legacyResponseError';

/**
 * Reads `/master/state` JSON and checks the parts every consumer walks (agents, frameworks and their
 * tasks), so a wrong answer fails here with the place named instead of somewhere in a view later.
 * Fields not checked keep the types the master is documented to send.
 */
export function readLegacyMasterState(bytes: Uint8Array): LegacyMasterState {
  const endpoint = '/master/state';
  const state = objectAt(parseJson(bytes, endpoint), endpoint, '');
  stringAt(state, endpoint, 'id');
  stringAt(state, endpoint, 'version');
  arrayAt(state, endpoint, 'slaves').forEach((agent, i) => checkAgent(agent, endpoint, `slaves[${i}]`));
  for (const key of ['frameworks', 'completed_frameworks']) {
    arrayAt(state, endpoint, key).forEach((framework, i) => checkFramework(framework, endpoint, `${key}[${i}]`));
  }
  return state as unknown as LegacyMasterState;
}

/** Reads one page of `/master/tasks`. */
export function readLegacyTasksPage(bytes: Uint8Array): LegacyTasksPage {
  const endpoint = '/master/tasks';
  const page = objectAt(parseJson(bytes, endpoint), endpoint, '');
  arrayAt(page, endpoint, 'tasks').forEach((task, i) => checkTask(task, endpoint, `tasks[${i}]`));
  return page as unknown as LegacyTasksPage;
}

function checkAgent(value: unknown, endpoint: string, path: string): void {
  const agent = objectAt(value, endpoint, path);
  stringAt(agent, endpoint, 'id', path);
  stringAt(agent, endpoint, 'hostname', path);
}

function checkFramework(value: unknown, endpoint: string, path: string): void {
  const framework = objectAt(value, endpoint, path);
  stringAt(framework, endpoint, 'id', path);
  stringAt(framework, endpoint, 'name', path);
  for (const key of ['tasks', 'unreachable_tasks', 'completed_tasks']) {
    arrayAt(framework, endpoint, key, path).forEach((task, i) => checkTask(task, endpoint, `${path}.${key}[${i}]`));
  }
}

function checkTask(value: unknown, endpoint: string, path: string): void {
  const task = objectAt(value, endpoint, path);
  for (const key of ['id', 'framework_id', 'slave_id', 'state']) stringAt(task, endpoint, key, path);
}

/**
 * JSON.parse, except that Mesos writes a non-finite double (an unlimited task limit) as the bare token
 * Infinity or NaN; those are quoted and read again, as Mesos itself reads them back.
 */
function parseJson(bytes: Uint8Array, endpoint: string): unknown {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    if (/\b(?:Infinity|NaN)\b/.test(text)) {
      try {
        return JSON.parse(text.replace(/([:,[]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '$1"$2"'));
      } catch {
        // Not that either: reported below.
      }
    }
    const start = text.trimStart().slice(0, 80);
    throw new LegacyResponseError(
      endpoint,
      'not-json',
      start.startsWith('<')
        ? 'it is an HTML page'
        : `it is not JSON (${error instanceof Error ? error.message : String(error)})`,
      undefined,
      { cause: error },
    );
  }
}

function objectAt(value: unknown, endpoint: string, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LegacyResponseError(
      endpoint,
      'wrong-shape',
      `expected an object, found ${describe(value)}`,
      path || undefined,
    );
  }
  return value as Record<string, unknown>;
}

function arrayAt(record: Record<string, unknown>, endpoint: string, key: string, parent = ''): unknown[] {
  const value = record[key];
  if (!Array.isArray(value)) {
    throw new LegacyResponseError(
      endpoint,
      'wrong-shape',
      `expected an array, found ${describe(value)}`,
      join(parent, key),
    );
  }
  return value;
}

function stringAt(record: Record<string, unknown>, endpoint: string, key: string, parent = ''): string {
  const value = record[key];
  if (typeof value !== 'string') {
    throw new LegacyResponseError(
      endpoint,
      'wrong-shape',
      `expected a string, found ${describe(value)}`,
      join(parent, key),
    );
  }
  return value;
}

function join(parent: string, key: string): string {
  return parent ? `${parent}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
