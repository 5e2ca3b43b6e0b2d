import * as zookeeper from 'node-zookeeper-client';
import type { MasterInfo } from '../../core/mesos/codec';
import { parseMasterUrl } from '../../core/mesos/leader/parseMasterUrl';

function promisify<T>(fn: (cb: (err: Error | zookeeper.Exception | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/**
 * Registers sandbox masters in ZooKeeper as real Mesos masters contend (reference §8.1): an ephemeral,
 * sequential `json.info_<seq>` node per master holding its MasterInfo as JSON; the lowest sequence leads.
 * A leader switch removes the leader's node and creates it again, which puts that master last in line.
 */
export class ZooKeeperMembership {
  private readonly client: zookeeper.Client;
  private readonly path: string;
  private readonly nodes = new Map<string, string>(); // master id -> znode path

  constructor(zkUrl: string) {
    const parsed = parseMasterUrl(zkUrl);
    if (parsed.kind !== 'zookeeper') throw new Error(`--zk takes a zk:// URL, got '${zkUrl}'`);
    this.path = parsed.path;
    this.client = zookeeper.createClient(parsed.connectionString, { sessionTimeout: 10_000, retries: 2 });
  }

  async connect(timeoutMs = 10_000): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ZooKeeper did not answer within ${timeoutMs} ms`)), timeoutMs);
      this.client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.connect();
    });
    await promisify<string>((cb) => this.client.mkdirp(this.path, cb));
  }

  /** Joins the contest for a master; resolves with its znode path. */
  async join(info: MasterInfo): Promise<string> {
    const data = Buffer.from(JSON.stringify(info));
    const node = await promisify<string>((cb) =>
      this.client.create(`${this.path}/json.info_`, data, zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, cb),
    );
    this.nodes.set(info.id, node);
    return node;
  }

  /** Leaves and joins again: the master goes to the back of the line. */
  async rejoin(info: MasterInfo): Promise<void> {
    await this.leave(info.id);
    await this.join(info);
  }

  async leave(masterId: string): Promise<void> {
    const node = this.nodes.get(masterId);
    if (!node) return;
    this.nodes.delete(masterId);
    await promisify<void>((cb) => this.client.remove(node, -1, (err) => cb(err, undefined))).catch(() => undefined);
  }

  /** The master id whose node has the lowest sequence: who leads. */
  leaderId(): string | undefined {
    let best: [string, string] | undefined;
    for (const [id, node] of this.nodes) if (!best || node.slice(-10) < best[1].slice(-10)) best = [id, node];
    return best?.[0];
  }

  /** Ends the session: ZooKeeper removes the ephemeral nodes. */
  close(): void {
    this.client.close();
  }
}
