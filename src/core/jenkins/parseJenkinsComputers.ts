import type { JenkinsComputerEntry, JenkinsComputerSetSnapshot, JenkinsExecutorEntry } from './jenkinsClientTypes';
import { JenkinsJsonReader, jsonPath, type JsonObject } from './jenkinsJsonReader';

/** `computer/api/json?tree=computer[…]` (COMPUTERS_TREE) checked and typed. */
export function parseJenkinsComputers(value: unknown): JenkinsComputerSetSnapshot {
  const read = new JenkinsJsonReader('the node list (computer/api/json)');
  const root = read.object(value, '');
  return {
    computer: read.optionalArray(root.computer, 'computer').map((raw, i) => readComputer(read, raw, `computer[${i}]`)),
  };
}

/** `computer/<name>/api/json?tree=…` (COMPUTER_FIELDS) checked and typed. */
export function parseJenkinsComputer(value: unknown, name: string): JenkinsComputerEntry {
  return readComputer(new JenkinsJsonReader(`the node ‘${name}’ (computer/…/api/json)`), value, '');
}

function readComputer(read: JenkinsJsonReader, raw: unknown, path: string): JenkinsComputerEntry {
  const c = read.object(raw, path);
  const cause =
    c.offlineCause === undefined || c.offlineCause === null
      ? null
      : read.object(c.offlineCause, jsonPath(path, 'offlineCause'));
  return {
    _class: read.optionalString(c, '_class', path) ?? '',
    displayName: read.string(c, 'displayName', path),
    description: read.nullableString(c, 'description', path) ?? null,
    numExecutors: read.number(c, 'numExecutors', path),
    offline: read.boolean(c, 'offline', path),
    temporarilyOffline: read.boolean(c, 'temporarilyOffline', path),
    idle: read.boolean(c, 'idle', path),
    offlineCauseReason: read.optionalString(c, 'offlineCauseReason', path) ?? '',
    offlineCause:
      cause === null
        ? null
        : {
            _class: read.optionalString(cause, '_class', jsonPath(path, 'offlineCause')) ?? '',
            timestamp: read.optionalNumber(cause, 'timestamp', jsonPath(path, 'offlineCause')),
            description: read.nullableString(cause, 'description', jsonPath(path, 'offlineCause')) ?? undefined,
          },
    jnlpAgent: read.optionalBoolean(c, 'jnlpAgent', path) ?? false,
    launchSupported: read.optionalBoolean(c, 'launchSupported', path) ?? false,
    manualLaunchAllowed: read.optionalBoolean(c, 'manualLaunchAllowed', path) ?? false,
    assignedLabels: read.optionalArray(c.assignedLabels, jsonPath(path, 'assignedLabels')).map((l, j) => {
      const at = `${jsonPath(path, 'assignedLabels')}[${j}]`;
      return { name: read.string(read.object(l, at), 'name', at) };
    }),
    executors: readExecutors(read, c, 'executors', path),
    oneOffExecutors: readExecutors(read, c, 'oneOffExecutors', path),
    absoluteRemotePath: read.nullableString(c, 'absoluteRemotePath', path),
  };
}

function readExecutors(read: JenkinsJsonReader, c: JsonObject, key: string, path: string): JenkinsExecutorEntry[] {
  return read.optionalArray(c[key], jsonPath(path, key)).map((raw, i) => {
    const at = `${jsonPath(path, key)}[${i}]`;
    const e = read.object(raw, at);
    const run =
      e.currentExecutable === undefined || e.currentExecutable === null
        ? null
        : read.object(e.currentExecutable, `${at}.currentExecutable`);
    const idle = read.boolean(e, 'idle', at);
    return {
      number: read.optionalNumber(e, 'number', at) ?? i,
      idle,
      progress: read.optionalNumber(e, 'progress', at) ?? (idle ? -1 : 0),
      likelyStuck: read.optionalBoolean(e, 'likelyStuck', at) ?? false,
      currentExecutable:
        run === null
          ? null
          : {
              _class: read.optionalString(run, '_class', `${at}.currentExecutable`),
              number: read.optionalNumber(run, 'number', `${at}.currentExecutable`),
              url: read.optionalString(run, 'url', `${at}.currentExecutable`),
            },
    };
  });
}
