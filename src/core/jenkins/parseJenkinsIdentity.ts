import type { JenkinsIdentity } from './jenkinsClientTypes';
import { JenkinsJsonReader } from './jenkinsJsonReader';

/** `whoAmI/api/json` checked and typed. */
export function parseJenkinsIdentity(value: unknown): JenkinsIdentity {
  const read = new JenkinsJsonReader('the identity (whoAmI/api/json)');
  const o = read.object(value, '');
  return {
    name: read.string(o, 'name', ''),
    anonymous: read.boolean(o, 'anonymous', ''),
    authenticated: read.boolean(o, 'authenticated', ''),
    authorities: read.strings(o.authorities, 'authorities'),
  };
}

/** The keys of root `api/json` (ROOT_TREE) a connection test reports. */
export interface JenkinsRootInfo {
  readonly rootUrl: string | null;
  readonly useSecurity: boolean;
  readonly useCrumbs: boolean;
  readonly quietingDown: boolean;
  readonly slaveAgentPort: number;
}

export function parseJenkinsRoot(value: unknown): JenkinsRootInfo {
  const read = new JenkinsJsonReader('the Jenkins root (api/json)');
  const o = read.object(value, '');
  return {
    rootUrl: read.nullableString(o, 'url', '') ?? null,
    useSecurity: read.optionalBoolean(o, 'useSecurity', '') ?? false,
    useCrumbs: read.optionalBoolean(o, 'useCrumbs', '') ?? false,
    quietingDown: read.optionalBoolean(o, 'quietingDown', '') ?? false,
    slaveAgentPort: read.optionalNumber(o, 'slaveAgentPort', '') ?? -1,
  };
}
