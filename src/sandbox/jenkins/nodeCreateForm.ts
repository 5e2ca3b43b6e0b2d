import { JNLP_LAUNCHER_CLASS } from '../../core/jenkins/jenkinsTypes';
import { jenkinsNameProblem } from '../../core/jenkins/labelExpressionAtomName';
import { SandboxJenkinsError, type SandboxLauncher, type SandboxNodeSpec } from './sandboxJenkinsModel';

/**
 * Binds the form of `POST computer/doCreateItem` (`name`, `type`, `json`) onto a node spec the way
 * `ComputerSet.doDoCreateItem` and stapler's JSON binding would, with the same status codes: bad or
 * duplicate names 400 (`X-Error`), missing `json` 400, unknown `type` or unloadable `$class` 500.
 */
const NODE_TYPES = new Set(['hudson.slaves.DumbSlave', 'hudson.slaves.DumbSlave$DescriptorImpl']);
const OTHER_LAUNCHERS = new Set([
  'hudson.slaves.CommandLauncher',
  'hudson.plugins.sshslaves.SSHLauncher',
  'hudson.os.windows.ManagedWindowsServiceLauncher',
]);

export interface NodeCreateRequest {
  readonly spec: SandboxNodeSpec;
  readonly extra: Readonly<Record<string, unknown>>;
}

export function bindNodeCreateForm(
  params: { get(name: string): string | null },
  nodeExists: (name: string) => boolean,
): NodeCreateRequest {
  const rawName = params.get('name');
  const name = rawName?.trim() ?? '';
  if (rawName === null || name === '') throw new SandboxJenkinsError(400, "Query parameter 'name' is required");
  const problem = jenkinsNameProblem(name);
  if (problem) throw new SandboxJenkinsError(400, problem);
  if (nodeExists(name)) throw new SandboxJenkinsError(400, `Agent called ‘${name}’ already exists`);

  const jsonText = params.get('json');
  if (jsonText === null) throw new SandboxJenkinsError(400, 'This page expects a form submission');
  let form: unknown;
  try {
    form = JSON.parse(jsonText);
  } catch (err) {
    throw new SandboxJenkinsError(500, `net.sf.json.JSONException: ${(err as Error).message}`);
  }
  if (typeof form !== 'object' || form === null || Array.isArray(form)) {
    throw new SandboxJenkinsError(400, 'Nothing is submitted');
  }
  const type = params.get('type');
  if (type === null || !NODE_TYPES.has(type)) {
    throw new SandboxJenkinsError(500, `java.lang.NullPointerException: no node type ‘${type ?? ''}’ is known`);
  }
  const o = form as Record<string, unknown>;
  return {
    spec: {
      name,
      description: stringField(o.nodeDescription),
      numExecutors: executors(o.numExecutors),
      remoteFS: stringField(o.remoteFS).trim(),
      labelString: stringField(o.labelString),
      mode: mode(o.mode),
      launcher: launcher(o.launcher),
    },
    extra: { retentionStrategy: o.retentionStrategy ?? null, nodeProperties: o.nodeProperties ?? null },
  };
}

function stringField(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function executors(value: unknown): number {
  if (value === undefined || value === null || value === '') return 1;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n)) {
    throw new SandboxJenkinsError(500, `java.lang.NumberFormatException: For input string: "${String(value)}"`);
  }
  return n;
}

function mode(value: unknown): 'NORMAL' | 'EXCLUSIVE' {
  if (value === undefined || value === null || value === '') return 'NORMAL';
  if (value === 'NORMAL' || value === 'EXCLUSIVE') return value;
  throw new SandboxJenkinsError(
    500,
    `java.lang.IllegalArgumentException: No enum constant hudson.model.Node.Mode.${String(value)}`,
  );
}

function launcher(value: unknown): SandboxLauncher {
  if (value === undefined || value === null) return inbound({});
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new SandboxJenkinsError(500, 'Failed to instantiate the launcher: expected a JSON object');
  }
  const o = value as Record<string, unknown>;
  const javaClass = String(o.$class ?? o['stapler-class'] ?? JNLP_LAUNCHER_CLASS);
  if (javaClass === JNLP_LAUNCHER_CLASS) return inbound(o);
  if (OTHER_LAUNCHERS.has(javaClass)) return { kind: 'other', javaClass };
  throw new SandboxJenkinsError(500, `java.lang.ClassNotFoundException: ${javaClass}`);
}

function inbound(o: Record<string, unknown>): SandboxLauncher {
  const w = (typeof o.workDirSettings === 'object' && o.workDirSettings !== null ? o.workDirSettings : {}) as Record<
    string,
    unknown
  >;
  return {
    kind: 'inbound',
    webSocket: o.webSocket === true || o.webSocket === 'true',
    tunnel: stringField(o.tunnel),
    workDirDisabled: w.disabled === true || w.disabled === 'true',
    workDirPath: stringField(w.workDirPath),
    internalDir: stringField(w.internalDir) || 'remoting',
    failIfWorkDirIsMissing: w.failIfWorkDirIsMissing === true || w.failIfWorkDirIsMissing === 'true',
  };
}
