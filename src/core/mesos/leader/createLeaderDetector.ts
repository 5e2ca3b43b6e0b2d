import type { LogSink } from '../../log/logSink';
import { HttpLeaderDetector, type HttpLeaderDetectorOptions } from './httpLeaderDetector';
import { parseMasterUrl, type MasterUrl } from './parseMasterUrl';
import { ZooKeeperLeaderDetector, type ZooKeeperLeaderDetectorOptions } from './zookeeperLeaderDetector';

export interface CreateLeaderDetectorOptions {
  readonly sink?: LogSink;
  /** MasterInfo in ZooKeeper carries no scheme; masters that serve TLS need 'https'. */
  readonly scheme?: 'http' | 'https';
  /** Used when the masters are a list of URLs. */
  readonly http?: Omit<HttpLeaderDetectorOptions, 'sink'>;
  /** Used when the masters are a zk:// URL. */
  readonly zookeeper?: Omit<ZooKeeperLeaderDetectorOptions, 'sink' | 'scheme'>;
}

/**
 * The leader detector a cluster's masters setting calls for: ZooKeeper for `zk://…`, asking the masters
 * over HTTP for a list of URLs. Throws LeaderDetectionError 'invalidMasterUrl' for a value that is neither.
 */
export function createLeaderDetector(
  masters: string | MasterUrl,
  options: CreateLeaderDetectorOptions = {},
): HttpLeaderDetector | ZooKeeperLeaderDetector {
  const parsed = typeof masters === 'string' ? parseMasterUrl(masters) : masters;
  if (parsed.kind === 'zookeeper') {
    return new ZooKeeperLeaderDetector(parsed, { ...options.zookeeper, sink: options.sink, scheme: options.scheme });
  }
  return new HttpLeaderDetector(parsed, { ...options.http, sink: options.sink });
}
