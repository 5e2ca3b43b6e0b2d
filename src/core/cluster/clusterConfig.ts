import type { WireEncoding } from '../mesos/codec';
import { parseMasterUrl } from '../mesos/leader/parseMasterUrl';

/** One cluster as the user configures it (setting `mesos.clusters`); secrets are never part of it. */
export interface ClusterConfig {
  readonly name: string;
  /** `http://m1:5050,http://m2:5050` or `zk://zk1:2181,zk2:2181/mesos`. */
  readonly masters: string;
  readonly principal?: string;
  readonly role?: string;
  readonly jenkinsUrl?: string;
  readonly jenkinsUser?: string;
  readonly caFile?: string;
  readonly insecure: boolean;
  /** Nothing that changes the cluster is offered (launch, kill, teardown). */
  readonly readOnly: boolean;
  /** Changes ask for confirmation first. */
  readonly protected: boolean;
  readonly encoding: WireEncoding;
}

/** A settings entry that could not be used, and why, in words for the user. */
export interface ClusterConfigProblem {
  readonly index: number;
  readonly name?: string;
  readonly message: string;
}

const NAME = /^[\w][\w .-]{0,63}$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Reads the `mesos.clusters` setting: every usable entry, and a problem for each entry that is not (bad
 * URL, missing masters, duplicate name…), so that one bad entry never takes the others down.
 */
export function readClusterConfigs(setting: unknown): { clusters: ClusterConfig[]; problems: ClusterConfigProblem[] } {
  const clusters: ClusterConfig[] = [];
  const problems: ClusterConfigProblem[] = [];
  if (setting === undefined || setting === null) return { clusters, problems };
  if (!Array.isArray(setting)) {
    return { clusters, problems: [{ index: -1, message: 'mesos.clusters must be a list of clusters ([{"name": …, "masters": …}]).' }] };
  }
  const seen = new Set<string>();
  setting.forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push({ index, message: `Entry ${index + 1} of mesos.clusters is not an object with "name" and "masters".` });
      return;
    }
    const e = entry as Record<string, unknown>;
    const name = text(e.name);
    const problem = (message: string) => problems.push({ index, ...(name ? { name } : {}), message });
    if (!name) return problem(`Entry ${index + 1} of mesos.clusters has no "name".`);
    if (!NAME.test(name)) return problem(`Cluster name "${name}" may hold letters, digits, spaces, '.', '_' and '-' (at most 64).`);
    if (seen.has(name.toLowerCase())) return problem(`Cluster name "${name}" is used twice in mesos.clusters; names must be unique. Rename one.`);
    const masters = text(e.masters);
    if (!masters) return problem(`Cluster "${name}" has no "masters": give http://host:5050 (comma-separated for several) or zk://host:2181/mesos.`);
    try {
      parseMasterUrl(masters);
    } catch (err) {
      return problem(`Cluster "${name}": ${(err as Error).message}`);
    }
    const jenkinsUrl = text(e.jenkinsUrl);
    if (jenkinsUrl) {
      let url: URL | undefined;
      try {
        url = new URL(jenkinsUrl);
      } catch {
        url = undefined;
      }
      if (!url || !/^https?:$/.test(url.protocol)) return problem(`Cluster "${name}": jenkinsUrl "${jenkinsUrl}" is not an http(s) URL.`);
      if (url.username || url.password) return problem(`Cluster "${name}": put no credentials in jenkinsUrl; use "Mesos: Set Credentials…" (they go to the editor's secret storage).`);
    }
    const encoding = e.encoding === undefined ? 'protobuf' : e.encoding;
    if (encoding !== 'protobuf' && encoding !== 'json') return problem(`Cluster "${name}": encoding must be "protobuf" or "json".`);
    seen.add(name.toLowerCase());
    const principal = text(e.principal);
    const role = text(e.role);
    const jenkinsUser = text(e.jenkinsUser);
    const caFile = text(e.caFile);
    clusters.push({
      name,
      masters,
      ...(principal ? { principal } : {}),
      ...(role ? { role } : {}),
      ...(jenkinsUrl ? { jenkinsUrl } : {}),
      ...(jenkinsUser ? { jenkinsUser } : {}),
      ...(caFile ? { caFile } : {}),
      insecure: e.insecure === true,
      readOnly: e.readOnly === true,
      protected: e.protected === true,
      encoding,
    });
  });
  return { clusters, problems };
}
