import { LeaderDetectionError } from './leaderDetectionError';

export interface ZooKeeperServer {
  readonly host: string;
  readonly port: number;
}

/** `zk://[user:password@]host1:port1[,host2:port2…]/path`, as Mesos masters take it in `--zk`. */
export interface ZooKeeperMasterUrl {
  readonly kind: 'zookeeper';
  readonly servers: readonly ZooKeeperServer[];
  /** The znode the masters contend in, e.g. `/mesos`; never `/`, never a trailing slash. */
  readonly path: string;
  /** For ZooKeeper's `digest` scheme. */
  readonly credentials?: { readonly user: string; readonly password: string };
  /** `host1:port1,host2:port2`: what a ZooKeeper client connects to (the path is not a client chroot). */
  readonly connectionString: string;
  /** The URL with the password masked: safe for logs and status lines. */
  readonly display: string;
}

/** One or more masters reached over HTTP directly; the leader is found by asking them. */
export interface HttpMasterList {
  readonly kind: 'http';
  /** Normalised base URLs (scheme, host, port, optional path prefix; no trailing slash), duplicates removed. */
  readonly masters: readonly string[];
  readonly display: string;
}

export type MasterUrl = ZooKeeperMasterUrl | HttpMasterList;

const DEFAULT_ZOOKEEPER_PORT = 2181;
const DEFAULT_MASTER_PORT = 5050;
const HOST_NAME = /^[A-Za-z0-9._-]+$/;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

const FORMS =
  'Use either zk://host1:2181,host2:2181/mesos (optionally zk://user:password@…) or one or more ' +
  'comma-separated master URLs such as http://10.0.0.1:5050,http://10.0.0.2:5050.';

function invalid(value: string, reason: string, nextStep = FORMS): LeaderDetectionError {
  return new LeaderDetectionError('invalidMasterUrl', `The masters value "${maskSecrets(value)}" ${reason}.`, nextStep);
}

/** Hides any `user:password@` part so a rejected value can be echoed back safely. */
function maskSecrets(value: string): string {
  return value.replace(/(^|\/\/|,)([^/@,:]*):[^/@]*@/g, '$1$2:***@');
}

/**
 * Reads the masters setting of a cluster: a ZooKeeper URL, or a comma-separated list of master URLs
 * (`host:port` without a scheme means `http://host:port`). Throws LeaderDetectionError with code
 * 'invalidMasterUrl' naming what is wrong.
 */
export function parseMasterUrl(input: string): MasterUrl {
  const value = input.trim();
  if (value === '') throw invalid(input, 'is empty');
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (/^zk:\/\//i.test(value)) return parseZooKeeperUrl(value);
  if (entries.some((e) => /^zk:\/\//i.test(e))) {
    throw invalid(
      value,
      'mixes a zk:// URL with other masters',
      'Give either one zk:// URL or a list of master URLs, not both.',
    );
  }
  if (/^file:\/\//i.test(value)) {
    throw invalid(
      value,
      'points to a file; Mesos still reads a zk:// URL from a file but this extension does not',
      "Put the zk:// URL itself (the file's content) in the setting.",
    );
  }
  return parseHttpMasters(value, entries);
}

function parseZooKeeperUrl(value: string): ZooKeeperMasterUrl {
  const rest = value.slice('zk://'.length);
  if (/[?#]/.test(rest)) throw invalid(value, 'has a query or fragment, which a ZooKeeper URL cannot have');
  const slash = rest.indexOf('/');
  if (slash < 0) {
    throw invalid(
      value,
      'has no znode path',
      'Add the path the masters use, as in their --zk flag: zk://host:2181/mesos.',
    );
  }
  let authority = rest.slice(0, slash);
  const path = normaliseZnodePath(value, rest.slice(slash));

  let credentials: ZooKeeperMasterUrl['credentials'];
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userInfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = userInfo.indexOf(':');
    const user = colon < 0 ? userInfo : userInfo.slice(0, colon);
    const password = colon < 0 ? '' : userInfo.slice(colon + 1);
    if (user === '' || colon < 0) {
      throw invalid(
        value,
        'has credentials that are not "user:password"',
        'Write them as zk://user:password@host:2181/mesos (ZooKeeper digest scheme).',
      );
    }
    credentials = { user, password };
  }

  const servers = authority
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => parseZooKeeperServer(value, s));
  if (servers.length === 0) throw invalid(value, 'names no ZooKeeper server');

  const connectionString = servers.map((s) => `${s.host}:${s.port}`).join(',');
  const display = `zk://${credentials ? `${credentials.user}:***@` : ''}${connectionString}${path}`;
  return credentials
    ? { kind: 'zookeeper', servers, path, credentials, connectionString, display }
    : { kind: 'zookeeper', servers, path, connectionString, display };
}

function parseZooKeeperServer(value: string, server: string): ZooKeeperServer {
  if (server.startsWith('[')) {
    throw invalid(
      value,
      `names the IPv6 server ${server}, which the ZooKeeper client library cannot connect to`,
      'Use a host name or an IPv4 address for the ZooKeeper servers.',
    );
  }
  const colon = server.indexOf(':');
  const host = colon < 0 ? server : server.slice(0, colon);
  const portText = colon < 0 ? undefined : server.slice(colon + 1);
  if (!HOST_NAME.test(host)) throw invalid(value, `has an invalid ZooKeeper host "${host}"`);
  return { host, port: parsePort(value, host, portText, DEFAULT_ZOOKEEPER_PORT) };
}

function parsePort(value: string, host: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) throw invalid(value, `has an invalid port "${text}" for ${host}`);
  return port;
}

function normaliseZnodePath(value: string, raw: string): string {
  const path = raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw;
  if (path === '/') {
    throw invalid(
      value,
      'has the root "/" as its path, which Mesos masters never use',
      "Use the path from the masters' --zk flag, usually /mesos.",
    );
  }
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw invalid(value, `has an invalid znode path "${path}" (empty, "." or ".." segment)`);
  }
  return path;
}

function parseHttpMasters(value: string, entries: string[]): HttpMasterList {
  const masters: string[] = [];
  for (const entry of entries) {
    const master = parseHttpMaster(value, entry);
    if (!masters.includes(master)) masters.push(master);
  }
  if (masters.length === 0) throw invalid(value, 'names no master');
  return { kind: 'http', masters, display: masters.join(',') };
}

function parseHttpMaster(value: string, entry: string): string {
  const withScheme = HAS_SCHEME.test(entry) ? entry : `http://${entry}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(value, `has "${maskSecrets(entry)}", which is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(value, `has "${maskSecrets(entry)}" with the unsupported scheme ${url.protocol.slice(0, -1)}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid(
      value,
      'has credentials inside a master URL',
      "Remove them from the URL; the cluster's principal and secret are kept in the editor's secret storage.",
    );
  }
  if (url.search !== '' || url.hash !== '') throw invalid(value, `has "${entry}" with a query or fragment`);
  if (url.hostname === '') throw invalid(value, `has "${entry}" without a host`);
  if (!HAS_SCHEME.test(entry) && url.port === '') url.port = String(DEFAULT_MASTER_PORT);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}
