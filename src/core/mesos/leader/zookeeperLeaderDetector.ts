import * as zookeeper from 'node-zookeeper-client';
import { createLogger, silentSink, type Logger, type LogSink } from '../../log/logSink';
import {
  type Disposable,
  type LeaderDetector,
  type LeaderDetectorStatus,
  type MasterLocation,
} from './leaderDetector';
import { LeaderDetectionError } from './leaderDetectionError';
import { LeaderTracker } from './leaderTracker';
import { masterLocationFromInfo } from './masterLocationFromInfo';
import { parseMasterUrl, type ZooKeeperMasterUrl } from './parseMasterUrl';
import { waitForLeader } from './waitForLeader';
import { shutdownZooKeeperClient } from './zookeeperClientShutdown';

export interface ZooKeeperLeaderDetectorOptions {
  readonly sink?: LogSink;
  /** Asked of the ensemble, which clamps it to [2, 20] × its tickTime. Mesos' own default is 10 s. */
  readonly sessionTimeoutMs?: number;
  /** How long a (re)connection may take before the client is replaced by a new one; default: the session timeout. */
  readonly connectTimeoutMs?: number;
  /** Upper bound of the random pause before the client tries the ensemble again after trying every server. */
  readonly reconnectDelayMs?: number;
  /** Pause before reading the znode again after an error that a retry may fix. */
  readonly retryDelayMs?: number;
  /** Pause before trying again after the ensemble rejected our credentials or the ACL denied a read. */
  readonly authRetryDelayMs?: number;
  /** MasterInfo carries no scheme; masters serving TLS need 'https'. */
  readonly scheme?: 'http' | 'https';
  /** Makes the ZooKeeper client; tests pass one that keeps a reference to it (to expire its session). */
  readonly createClient?: (connectionString: string, options: Partial<zookeeper.Option>) => zookeeper.Client;
}

/** One ZooKeeper client and its session; replaced as a whole when the session expires. */
interface Session {
  readonly client: zookeeper.Client;
  connected: boolean;
  /**
   * Reads are per session: a read queued on a client that then expired may never be answered, and must
   * not hold up the next session's reads.
   */
  reading: boolean;
  readAgain: boolean;
  /** Ends a (re)connection attempt that takes too long; see armConnectDeadline. */
  connectDeadline?: NodeJS.Timeout;
  /** One function for every watch of this session: the client de-duplicates watchers by identity. */
  readonly watcher: (event: zookeeper.Event) => void;
}

const MEMBER = /^json\.info_(\d+)$/;
const LEGACY_MEMBER = /^info_\d+$/;

/**
 * Follows the leading Mesos master through ZooKeeper, as Mesos' own detector does: the masters contend
 * by creating ephemeral sequential `json.info_<seq>` nodes under the path of the `zk://` URL, and the
 * lowest sequence leads (reference §8.1). Reads again on every children change, on reconnect and after
 * session expiry; keeps the last known leader while the ensemble cannot be reached, because losing our
 * connection says nothing about the masters.
 */
export class ZooKeeperLeaderDetector implements LeaderDetector {
  readonly url: ZooKeeperMasterUrl;
  private readonly log: Logger;
  private readonly tracker: LeaderTracker;
  private readonly sessionTimeoutMs: number;
  private readonly connectTimeoutMs: number;
  private readonly reconnectDelayMs: number;
  private readonly retryDelayMs: number;
  private readonly authRetryDelayMs: number;
  private readonly scheme: 'http' | 'https';
  private readonly makeClient: (connectionString: string, options: Partial<zookeeper.Option>) => zookeeper.Client;

  private session: Session | undefined;
  private started = false;
  private closing: Promise<void> | undefined;
  private reportedMalformed: string | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly shutdowns = new Set<Promise<void>>();

  constructor(url: string | ZooKeeperMasterUrl, options: ZooKeeperLeaderDetectorOptions = {}) {
    const parsed = typeof url === 'string' ? parseMasterUrl(url) : url;
    if (parsed.kind !== 'zookeeper') {
      throw new LeaderDetectionError(
        'invalidMasterUrl',
        `"${parsed.display}" is not a zk:// URL, so ZooKeeper cannot find its leader.`,
        'Use the HTTP master-list detector for plain master URLs.',
      );
    }
    this.url = parsed;
    this.log = createLogger(options.sink ?? silentSink, 'mesos.leader.zk');
    this.tracker = new LeaderTracker(this.log);
    this.sessionTimeoutMs = options.sessionTimeoutMs ?? 10_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? this.sessionTimeoutMs;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 1_000;
    this.retryDelayMs = options.retryDelayMs ?? 1_000;
    this.authRetryDelayMs = options.authRetryDelayMs ?? 30_000;
    this.scheme = options.scheme ?? 'http';
    this.makeClient = options.createClient ?? zookeeper.createClient;
  }

  get leader(): MasterLocation | undefined {
    return this.tracker.leader;
  }

  get status(): LeaderDetectorStatus {
    return this.tracker.status;
  }

  start(signal?: AbortSignal): Promise<MasterLocation> {
    if (!this.started && this.closing === undefined) {
      this.started = true;
      this.log.info(`Looking for the leading master in ${this.url.display}`);
      this.openSession({ state: 'connecting', message: `Connecting to ZooKeeper at ${this.url.connectionString}…` });
    }
    return waitForLeader(this, signal);
  }

  onLeaderChange(listener: (leader: MasterLocation | undefined) => void): Disposable {
    return this.tracker.onLeaderChange(listener);
  }

  onStatusChange(listener: (status: LeaderDetectorStatus) => void): Disposable {
    return this.tracker.onStatusChange(listener);
  }

  /** Stops detecting. The leader becomes undefined without a change event: nobody is listening any more. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.session) this.retire(this.session);
    this.tracker.close({ state: 'closed', message: 'Leader detection stopped.' });
    this.closing = Promise.all([...this.shutdowns]).then(() => undefined);
    return this.closing;
  }

  private openSession(opening?: Pick<LeaderDetectorStatus, 'state' | 'message'>): void {
    const client = this.makeClient(this.url.connectionString, {
      sessionTimeout: this.sessionTimeoutMs,
      spinDelay: this.reconnectDelayMs,
      retries: 0,
    });
    if (this.url.credentials) {
      client.addAuthInfo('digest', Buffer.from(`${this.url.credentials.user}:${this.url.credentials.password}`));
    }
    const session: Session = {
      client,
      connected: false,
      reading: false,
      readAgain: false,
      watcher: (event) => {
        if (this.session !== session) return;
        this.log.debug(`ZooKeeper watch fired: ${event.getName()} ${event.getPath()}`);
        this.refresh(session);
      },
    };
    this.session = session;
    client.on('state', (state: zookeeper.State) => this.onClientState(session, state));
    if (opening) this.tracker.setStatus({ ...opening, ...this.tracker.leaderField() });
    this.armConnectDeadline(session);
    client.connect();
  }

  /**
   * node-zookeeper-client waits forever for the answer to its connect request once the TCP connection
   * is up, and a server that is starting (or overloaded) may never send it. So a connection that is not
   * established within the connect timeout gets a new client: a new session costs a detector nothing,
   * since it holds no ephemeral node and reads everything again anyway.
   */
  private armConnectDeadline(session: Session): void {
    this.cancel(session.connectDeadline);
    session.connectDeadline = this.after(this.connectTimeoutMs, () => {
      if (this.session !== session || session.connected) return;
      this.log.warn(
        `No answer from ZooKeeper at ${this.url.connectionString} within ${this.connectTimeoutMs} ms; trying again with a new client`,
      );
      this.tracker.setStatus({
        state: 'unreachable',
        message: `Cannot reach ZooKeeper at ${this.url.connectionString}; still trying.${this.keptLeaderNote()}`,
        ...this.tracker.leaderField(),
        error: new LeaderDetectionError(
          'zookeeper',
          `No ZooKeeper server of ${this.url.connectionString} answered within ${this.connectTimeoutMs} ms.`,
          'Check that the ensemble is running and reachable from this machine (firewall, VPN, host names).',
        ),
      });
      this.retire(session);
      this.openSession();
    });
  }

  private onClientState(session: Session, state: zookeeper.State): void {
    if (this.session !== session) return;
    switch (state.code) {
      case zookeeper.State.SYNC_CONNECTED.code:
      case zookeeper.State.CONNECTED_READ_ONLY.code:
        session.connected = true;
        this.cancel(session.connectDeadline);
        this.log.info(`Connected to ZooKeeper at ${this.url.connectionString}`);
        this.refresh(session);
        return;
      case zookeeper.State.DISCONNECTED.code:
        if (!session.connected) return;
        session.connected = false;
        this.log.warn(`Lost the connection to ZooKeeper at ${this.url.connectionString}; reconnecting`);
        this.tracker.setStatus({
          state: 'unreachable',
          message: `Lost the connection to ZooKeeper at ${this.url.connectionString}; reconnecting.${this.keptLeaderNote()}`,
          ...this.tracker.leaderField(),
        });
        this.armConnectDeadline(session);
        return;
      case zookeeper.State.EXPIRED.code:
        // Our session ended, the masters' did not: keep the leader and read again in a new session.
        this.log.warn('The ZooKeeper session expired; opening a new one');
        this.retire(session);
        this.openSession({
          state: 'connecting',
          message: `The ZooKeeper session expired; connecting again to ${this.url.connectionString}…`,
        });
        return;
      case zookeeper.State.AUTH_FAILED.code: {
        const error = new LeaderDetectionError(
          'authFailed',
          `ZooKeeper at ${this.url.connectionString} rejected the digest credentials of user "${this.url.credentials?.user ?? ''}".`,
          'Check the user:password part of the zk:// URL.',
        );
        this.log.error(error.reason);
        this.retire(session);
        this.tracker.setStatus({ state: 'failed', message: error.reason, ...this.tracker.leaderField(), error });
        this.after(this.authRetryDelayMs, () => {
          if (this.session === undefined && this.closing === undefined) {
            this.openSession({
              state: 'connecting',
              message: `Connecting to ZooKeeper at ${this.url.connectionString}…`,
            });
          }
        });
        return;
      }
      default:
        return;
    }
  }

  /** Reads the leader again; a read already under way is followed by one more, never run in parallel. */
  private refresh(session: Session): void {
    if (this.session !== session) return;
    if (session.reading) {
      session.readAgain = true;
      return;
    }
    session.reading = true;
    this.readLeader(session)
      .catch((error: unknown) => this.log.error('Reading the leader from ZooKeeper failed unexpectedly', error))
      .finally(() => {
        session.reading = false;
        const again = session.readAgain;
        session.readAgain = false;
        if (again) this.refresh(session);
      });
  }

  private async readLeader(session: Session): Promise<void> {
    const { client } = session;
    const path = this.url.path;
    const stale = () => this.session !== session;

    let children: string[];
    try {
      children = await getChildren(client, path, session.watcher);
    } catch (error) {
      if (stale()) return;
      if (zookeeperCode(error) === zookeeper.Exception.NO_NODE) return this.waitForPath(session);
      return this.readFailed(session, `listing ${path}`, error);
    }
    if (stale()) return;

    const members = children
      .map((name) => ({ name, match: MEMBER.exec(name) }))
      .filter((m): m is { name: string; match: RegExpExecArray } => m.match !== null)
      .map((m) => ({ name: m.name, sequence: Number(m.match[1]) }))
      .sort((a, b) => a.sequence - b.sequence);
    const lowest = members[0];
    if (lowest === undefined) {
      const legacy = children.some((name) => LEGACY_MEMBER.test(name));
      this.tracker.setLeader(undefined);
      this.tracker.setStatus({
        state: 'noLeader',
        message: legacy
          ? `${path} holds only legacy info_ nodes (binary MasterInfo of Mesos before 0.24), which this extension does not read.`
          : `No Mesos master is registered under ${path}: an election is under way or every master is down.`,
        masters: 0,
      });
      return;
    }

    const node = `${path}/${lowest.name}`;
    let data: Buffer | undefined;
    try {
      data = await getData(client, node);
    } catch (error) {
      if (stale()) return;
      // The leader's node can vanish between the listing and the read; the children watch fires too.
      if (zookeeperCode(error) === zookeeper.Exception.NO_NODE) {
        session.readAgain = true;
        return;
      }
      return this.readFailed(session, `reading ${node}`, error);
    }
    if (stale()) return;

    let leader: MasterLocation;
    try {
      leader = masterLocationFromInfo(parseJson(data, node), { scheme: this.scheme, source: `ZooKeeper node ${node}` });
    } catch (error) {
      const problem =
        error instanceof LeaderDetectionError
          ? error
          : new LeaderDetectionError(
              'malformedMasterInfo',
              `ZooKeeper node ${node} could not be read.`,
              'Check that nothing but Mesos masters writes to this path.',
              { cause: error },
            );
      if (this.reportedMalformed !== node) {
        this.reportedMalformed = node;
        this.log.error(`The leading master's node is malformed; waiting for a readable leader`, problem);
      }
      this.tracker.setLeader(undefined);
      this.tracker.setStatus({
        state: 'noLeader',
        message: `The leading master's node ${node} is malformed, so the leader is unknown (${contending(members.length)}); watching for a change.`,
        masters: members.length,
        error: problem,
      });
      return;
    }
    this.reportedMalformed = undefined;
    this.tracker.setLeader(leader);
    // The same master read again keeps its first object, so status listeners see no change.
    const shown = this.tracker.leader ?? leader;
    this.tracker.setStatus({
      state: 'leader',
      message: `Leading master: ${shown.url} (${contending(members.length)} under ${path}).`,
      leader: shown,
      masters: members.length,
    });
  }

  private async waitForPath(session: Session): Promise<void> {
    const path = this.url.path;
    let exists: boolean;
    try {
      exists = await watchExistence(session.client, path, session.watcher);
    } catch (error) {
      if (this.session !== session) return;
      return this.readFailed(session, `watching for ${path}`, error);
    }
    if (this.session !== session) return;
    if (exists) {
      session.readAgain = true;
      return;
    }
    this.tracker.setLeader(undefined);
    this.tracker.setStatus({
      state: 'waiting',
      message: `ZooKeeper has no ${path} yet: no Mesos master has started with --zk=${this.url.display}. Waiting for it to appear.`,
      error: new LeaderDetectionError(
        'zookeeper',
        `The znode ${path} does not exist in ZooKeeper at ${this.url.connectionString}.`,
        "Check that the path matches the masters' --zk flag and that the masters have started.",
      ),
    });
  }

  private readFailed(session: Session, what: string, error: unknown): void {
    const code = zookeeperCode(error);
    // Connection loss and expiry arrive as state events too; those drive the next read.
    if (code === zookeeper.Exception.CONNECTION_LOSS || code === zookeeper.Exception.SESSION_EXPIRED) return;
    const denied = code === zookeeper.Exception.NO_AUTH;
    const problem = new LeaderDetectionError(
      denied ? 'authFailed' : 'zookeeper',
      `ZooKeeper at ${this.url.connectionString} refused ${what}: ${describe(error)}.`,
      denied
        ? "The node's ACL does not let this user read it: check the user:password in the zk:// URL."
        : "This is retried; if it persists, check the ensemble's health.",
      { cause: error },
    );
    this.log.warn(problem.reason);
    this.tracker.setStatus({
      state: denied ? 'failed' : 'unreachable',
      message: problem.reason,
      ...this.tracker.leaderField(),
      error: problem,
    });
    this.after(denied ? this.authRetryDelayMs : this.retryDelayMs, () => {
      if (this.session === session) this.refresh(session);
    });
  }

  private retire(session: Session): void {
    if (this.session === session) this.session = undefined;
    this.cancel(session.connectDeadline);
    const done = shutdownZooKeeperClient(session.client, this.reconnectDelayMs + 1_500);
    this.shutdowns.add(done);
    void done.finally(() => this.shutdowns.delete(done));
  }

  private after(ms: number, run: () => void): NodeJS.Timeout | undefined {
    if (this.closing) return undefined;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  private cancel(timer: NodeJS.Timeout | undefined): void {
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }




  private keptLeaderNote(): string {
    return this.tracker.leader ? ` Keeping ${this.tracker.leader.url} as the leader until ZooKeeper says otherwise.` : '';
  }
}

function contending(count: number): string {
  return count === 1 ? '1 master contending' : `${count} masters contending`;
}

function getChildren(
  client: zookeeper.Client,
  path: string,
  watcher: (event: zookeeper.Event) => void,
): Promise<string[]> {
  return new Promise((resolve, reject) =>
    client.getChildren(path, watcher, (error, children) => (error ? reject(error) : resolve(children))),
  );
}

function getData(client: zookeeper.Client, path: string): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) =>
    client.getData(path, (error, data) => (error ? reject(error) : resolve(data ?? undefined))),
  );
}

/** Whether `path` exists; either way the watcher fires when it is created or deleted. */
function watchExistence(
  client: zookeeper.Client,
  path: string,
  watcher: (event: zookeeper.Event) => void,
): Promise<boolean> {
  return new Promise((resolve, reject) =>
    client.exists(path, watcher, (error, stat) => (error ? reject(error) : resolve(Boolean(stat)))),
  );
}

function parseJson(data: Buffer | undefined, node: string): unknown {
  if (data === undefined || data.length === 0) {
    throw new LeaderDetectionError(
      'malformedMasterInfo',
      `ZooKeeper node ${node} is empty instead of holding MasterInfo JSON.`,
      'Check that nothing but Mesos masters writes to this path.',
    );
  }
  try {
    return JSON.parse(data.toString('utf8'));
  } catch (cause) {
    throw new LeaderDetectionError(
      'malformedMasterInfo',
      `ZooKeeper node ${node} does not hold JSON (${cause instanceof Error ? cause.message : String(cause)}).`,
      'Check that nothing but Mesos masters writes to this path.',
      { cause },
    );
  }
}

function zookeeperCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.name && error.name !== 'Error' ? error.name : error.message) : String(error);
}
