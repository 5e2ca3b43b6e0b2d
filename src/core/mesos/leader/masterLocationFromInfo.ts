import type { MasterLocation } from './leaderDetector';
import { LeaderDetectionError } from './leaderDetectionError';

export interface MasterInfoOptions {
  /** MasterInfo carries no scheme; masters that serve TLS need 'https'. */
  readonly scheme?: 'http' | 'https';
  /** Where the info came from (e.g. the znode path), for error messages. */
  readonly source?: string;
}

/**
 * The legacy `MasterInfo.ip`: the IPv4 `s_addr` (network byte order) read as a uint32 on the master's
 * little-endian CPU, so the first octet sits in the least significant byte (reference §8.2).
 */
export function ipv4FromPackedMasterIp(packed: number): string {
  if (!Number.isInteger(packed) || packed < 0 || packed > 0xffffffff) {
    throw new RangeError(`MasterInfo.ip ${packed} is not a uint32`);
  }
  return [packed & 255, (packed >>> 8) & 255, (packed >>> 16) & 255, (packed >>> 24) & 255].join('.');
}

/**
 * Turns a MasterInfo JSON object (a ZooKeeper `json.info_*` node, `leader_info` of /master/state) into
 * the master's base URL. Prefers `address.ip`, then `address.hostname`, then the top-level `hostname`,
 * and only as a last resort the packed legacy `ip`, as the reference says (§8.1 step 4, §8.2).
 * Throws LeaderDetectionError 'malformedMasterInfo' when no usable host and port are in it.
 */
export function masterLocationFromInfo(info: unknown, options: MasterInfoOptions = {}): MasterLocation {
  const source = options.source ?? 'MasterInfo';
  const malformed = (reason: string) =>
    new LeaderDetectionError(
      'malformedMasterInfo',
      `${source} is not a usable MasterInfo: ${reason}.`,
      'Check that the masters are Apache Mesos 1.x and that nothing else writes to this path.',
    );
  if (typeof info !== 'object' || info === null || Array.isArray(info)) throw malformed('it is not a JSON object');
  const record = info as Record<string, unknown>;
  const address = objectField(record, 'address');

  const host =
    nonEmptyString(address?.ip) ??
    nonEmptyString(address?.hostname) ??
    nonEmptyString(record.hostname) ??
    packedIp(record.ip);
  const port = address !== undefined && address.port !== undefined ? address.port : record.port;
  if (host === undefined) throw malformed('it has no address.ip, address.hostname, hostname or ip');
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw malformed(`its port ${JSON.stringify(port)} is not a TCP port`);
  }
  if (!/^[A-Za-z0-9._:-]+$/.test(host)) throw malformed(`its host "${host}" is not a host name or IP address`);

  const scheme = options.scheme ?? 'http';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const id = nonEmptyString(record.id);
  const hostname = nonEmptyString(address?.hostname) ?? nonEmptyString(record.hostname);
  const version = nonEmptyString(record.version);
  return {
    url,
    ...(id !== undefined && { id }),
    ...(hostname !== undefined && { hostname }),
    ...(version !== undefined && { version }),
    info,
  };
}

function objectField(record: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = record[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function packedIp(value: unknown): string | undefined {
  // 0 is INADDR_ANY: a master never advertises it, so it means "not set".
  if (typeof value !== 'number' || value === 0) return undefined;
  try {
    return ipv4FromPackedMasterIp(value);
  } catch {
    return undefined;
  }
}
