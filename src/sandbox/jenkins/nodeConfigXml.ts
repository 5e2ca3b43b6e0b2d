import { XMLParser } from 'fast-xml-parser';
import { JNLP_LAUNCHER_CLASS } from '../../core/jenkins/jenkinsTypes';
import { SandboxJenkinsError, type SandboxLauncher, type SandboxNodeSpec } from './sandboxJenkinsModel';
import type { NodeCreateRequest } from './nodeCreateForm';

/**
 * Reads the body of `POST computer/createItem` with an XML Content-Type (Jenkins ≥ 2.539, reference §4.3):
 * a node's config.xml, root element `slave` (XStream's alias of `DumbSlave`). The `name` query parameter
 * overrides `<name>`. Like Jenkins, this path does not apply the name check of the form path; a launcher
 * without `<workDirSettings>` gets the legacy setting (work directory disabled).
 */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  trimValues: true,
});

const OTHER_LAUNCHERS = new Set([
  'hudson.slaves.CommandLauncher',
  'hudson.plugins.sshslaves.SSHLauncher',
  'hudson.os.windows.ManagedWindowsServiceLauncher',
]);

export function bindNodeConfigXml(xml: string, nameOverride: string | null): NodeCreateRequest {
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(xml, true) as Record<string, unknown>;
  } catch (err) {
    throw new SandboxJenkinsError(500, `com.thoughtworks.xstream.io.StreamException: ${(err as Error).message}`);
  }
  const roots = Object.keys(parsed).filter((key) => key !== '?xml');
  if (roots.length !== 1 || roots[0] !== 'slave') {
    throw new SandboxJenkinsError(
      500,
      `com.thoughtworks.xstream.mapper.CannotResolveClassException: ${roots[0] ?? '(no root element)'}`,
    );
  }
  const slave = asRecord(parsed.slave);
  const name = (nameOverride ?? text(slave.name)).trim();
  if (name === '') throw new SandboxJenkinsError(400, 'No name is specified');
  const executors = Number(text(slave.numExecutors) || '1');
  if (!Number.isInteger(executors)) {
    throw new SandboxJenkinsError(
      500,
      `java.lang.NumberFormatException: For input string: "${text(slave.numExecutors)}"`,
    );
  }
  const mode = text(slave.mode) || 'NORMAL';
  if (mode !== 'NORMAL' && mode !== 'EXCLUSIVE') {
    throw new SandboxJenkinsError(
      500,
      `java.lang.IllegalArgumentException: No enum constant hudson.model.Node.Mode.${mode}`,
    );
  }
  const retention = asRecord(slave.retentionStrategy);
  return {
    spec: {
      name,
      description: text(slave.description),
      numExecutors: executors,
      remoteFS: text(slave.remoteFS).trim(),
      labelString: text(slave.label),
      mode,
      launcher: launcher(slave.launcher),
    } satisfies SandboxNodeSpec,
    extra: {
      retentionStrategy: typeof retention['@class'] === 'string' ? { $class: retention['@class'] } : null,
      nodeProperties: slave.nodeProperties ?? null,
    },
  };
}

function launcher(value: unknown): SandboxLauncher {
  const o = asRecord(value);
  const javaClass = typeof o['@class'] === 'string' ? o['@class'] : JNLP_LAUNCHER_CLASS;
  if (OTHER_LAUNCHERS.has(javaClass)) return { kind: 'other', javaClass };
  if (javaClass !== JNLP_LAUNCHER_CLASS) {
    throw new SandboxJenkinsError(500, `com.thoughtworks.xstream.mapper.CannotResolveClassException: ${javaClass}`);
  }
  const hasWorkDir = o.workDirSettings !== undefined;
  const w = asRecord(o.workDirSettings);
  return {
    kind: 'inbound',
    webSocket: text(o.webSocket) === 'true',
    tunnel: text(o.tunnel),
    workDirDisabled: hasWorkDir ? text(w.disabled) === 'true' : true,
    workDirPath: text(w.workDirPath),
    internalDir: text(w.internalDir) || 'remoting',
    failIfWorkDirIsMissing: text(w.failIfWorkDirIsMissing) === 'true',
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** An element's text; empty for absent or empty elements. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { '#text'?: unknown })['#text'] === 'string') {
    return (value as { '#text': string })['#text'];
  }
  return '';
}
