import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../core/log/logSink';
import type { MasterEvent, MasterInfo, Resource } from '../../core/mesos/codec';
import { parseResourceFlag } from '../../core/mesos/resources/resourceMath';
import type { Attribute } from '../../core/mesos/codec';
import type { Credentials } from './http/basicAuth';
import type { EventStream } from './http/eventStream';
import { AgentHttpServer } from './agent/agentHttpServer';
import { dockerWorks, SandboxAgent } from './agent/sandboxAgent';
import type { MasterContext } from './master/masterContext';
import { noFaults, type MasterFaults } from './master/masterFaults';
import { MasterHttpServer } from './master/masterHttpServer';
import { SandboxMaster } from './master/sandboxMaster';
import { handleAdminRequest } from './sandboxAdmin';
import { ZooKeeperMembership } from './zookeeperMembership';

export interface SandboxClusterOptions {
  readonly masters?: number;
  readonly agents?: number;
  /** Each agent's resources, in the agent flag format (default: a small laptop-sized agent plus a reserved share). */
  readonly agentResources?: string;
  /** Each agent's attributes, `name:value;…` (a `{i}` in a value is replaced by the agent's index). */
  readonly agentAttributes?: string;
  /** First master's port (0 = any free port); further masters and agents take any free port. */
  readonly masterPort?: number;
  readonly allocationIntervalMs?: number;
  readonly heartbeatMs?: number;
  readonly statusRetryMs?: number;
  /** Register the masters in this ZooKeeper (zk://host:port/path). */
  readonly zk?: string;
  /** principal -> secret: turns on HTTP Basic authentication for frameworks and operators. */
  readonly credentials?: Credentials;
  /** Where sandboxes go (default: a fresh temp folder, removed on stop). */
  readonly workDir?: string;
  readonly log: Logger;
}

export const DEFAULT_AGENT_RESOURCES = 'cpus:4;mem:8192;disk:20000;ports:[31000-32000];cpus(jenkins):2;mem(jenkins):4096';
export const DEFAULT_AGENT_ATTRIBUTES = 'rack:r{i};zone:z{z};os:linux';

interface MasterNode {
  readonly info: MasterInfo;
  readonly server: MasterHttpServer;
  readonly url: string;
}

interface AgentNode {
  readonly agent: SandboxAgent;
  readonly server: AgentHttpServer;
  readonly url: string;
}

/** 127.0.0.1 packed as Mesos packs MasterInfo.ip (network byte order read as a little-endian uint32, §8.2). */
const LOOPBACK_PACKED = 127 + (1 << 24);

function parseAttributes(text: string, index: number): Attribute[] {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const colon = pair.indexOf(':');
      const name = pair.slice(0, colon);
      const value = pair.slice(colon + 1).replaceAll('{i}', String(index)).replaceAll('{z}', String(index % 2));
      const n = Number(value);
      return Number.isFinite(n) && value.trim() !== ''
        ? { name, type: 'SCALAR', scalar: { value: n } }
        : { name, type: 'TEXT', text: { value } };
    });
}

/**
 * The local sandbox cluster: one model shared by 1-3 master processes (one leads; the others answer 307),
 * N agents that run tasks as local processes, each with its own HTTP server, optional ZooKeeper
 * registration, and an admin endpoint for fault injection. Everything binds to 127.0.0.1.
 */
export class SandboxCluster {
  readonly master: SandboxMaster;
  readonly masters: MasterNode[] = [];
  readonly agents: AgentNode[] = [];
  readonly faults: MasterFaults = noFaults();
  /** Operator SUBSCRIBE streams, registered by the operator endpoint, so faults and failovers reach them. */
  readonly operatorStreams = new Set<EventStream<MasterEvent>>();
  private leaderIndex = 0;
  private workDir = '';
  private ownsWorkDir = false;
  private membership: ZooKeeperMembership | undefined;
  private docker = false;
  private readonly log: Logger;

  constructor(private readonly options: SandboxClusterOptions) {
    this.log = options.log;
    this.master = new SandboxMaster({ allocationIntervalMs: options.allocationIntervalMs ?? 1000 });
  }

  /** The leading master's URL. */
  get leaderUrl(): string {
    return this.masters[this.leaderIndex]!.url;
  }

  get leader(): MasterInfo | undefined {
    return this.masters[this.leaderIndex]?.info;
  }

  async start(): Promise<void> {
    this.ownsWorkDir = this.options.workDir === undefined;
    this.workDir = this.options.workDir ?? (await mkdtemp(join(tmpdir(), 'mesos-ops-sandbox-')));
    this.docker = await dockerWorks();
    const count = Math.max(1, Math.min(3, this.options.masters ?? 1));
    for (let i = 0; i < count; i++) await this.startMaster(i === 0 ? (this.options.masterPort ?? 0) : 0);
    if (this.options.zk) {
      this.membership = new ZooKeeperMembership(this.options.zk);
      await this.membership.connect();
      for (const node of this.masters) await this.membership.join(node.info);
    }
    this.master.leaderInfo = this.leader;
    for (let i = 0; i < (this.options.agents ?? 1); i++) await this.addAgent();
    this.master.start();
  }

  private async startMaster(port: number): Promise<void> {
    const info: MasterInfo = { id: randomUUID(), ip: LOOPBACK_PACKED, port: 0, hostname: '127.0.0.1', version: this.master.version };
    const ctx: MasterContext = {
      master: this.master,
      self: info,
      leader: () => this.leader,
      faults: this.faults,
      heartbeatMs: this.options.heartbeatMs ?? 15_000,
      operatorStreams: this.operatorStreams,
    };
    const server = new MasterHttpServer({
      ctx,
      credentials: this.options.credentials,
      log: this.log.child('master'),
      admin: (req, res, url) => handleAdminRequest(this, req, res, url),
    });
    const bound = await server.listen(port);
    info.port = bound;
    info.pid = `master@127.0.0.1:${bound}`;
    info.address = { hostname: '127.0.0.1', ip: '127.0.0.1', port: bound };
    // only what the sandbox implements: draining and quota calls are answered 501
    info.capabilities = [{ type: 'AGENT_UPDATE' }];
    this.masters.push({ info, server, url: `http://127.0.0.1:${bound}` });
  }

  /** Starts one more agent and registers it with the master. */
  async addAgent(): Promise<AgentNode> {
    const index = this.agents.length;
    const resources: Resource[] = parseResourceFlag(this.options.agentResources ?? DEFAULT_AGENT_RESOURCES);
    const attributes = parseAttributes(this.options.agentAttributes ?? DEFAULT_AGENT_ATTRIBUTES, index);
    let agent: SandboxAgent | undefined;
    // the server needs the agent and the agent id comes from the master: create both inside the factory
    const server = new AgentHttpServer({
      agent: () => agent!,
      info: { hostname: '127.0.0.1', port: 0, resources, attributes, masterHostname: '127.0.0.1', startTime: Date.now() / 1000, version: this.master.version },
      credentials: this.options.credentials,
    });
    const port = await server.listen(0);
    const url = `http://127.0.0.1:${port}`;
    this.master.addAgent(
      (id) =>
        (agent = new SandboxAgent(id, this.master, {
          workDir: this.workDir,
          statusRetryMs: this.options.statusRetryMs ?? 10_000,
          dockerAvailable: this.docker,
        })),
      { hostname: '127.0.0.1', port, resources, attributes },
      url,
    );
    const node: AgentNode = { agent: agent!, server, url };
    this.agents.push(node);
    this.log.info(`agent ${agent!.id} on ${url}`);
    return node;
  }

  /** Removes an agent as if its machine vanished (its task processes are killed). */
  async removeAgent(agentId: string, mode: 'unreachable' | 'gone' = 'unreachable'): Promise<boolean> {
    const index = this.agents.findIndex((a) => a.agent.id === agentId);
    if (index < 0) return false;
    const [node] = this.agents.splice(index, 1);
    await this.master.removeAgent(agentId, mode);
    await node!.server.close();
    return true;
  }

  /**
   * Moves leadership to the next master, as an election after the leader failed would: every scheduler and
   * operator stream ends, outstanding offers are gone, frameworks must resubscribe (their tasks stay).
   */
  async switchLeader(): Promise<MasterInfo> {
    if (this.masters.length < 2) throw new Error('switching leaders needs at least 2 masters (start the sandbox with --masters 2 or 3)');
    const old = this.masters[this.leaderIndex]!;
    if (this.membership) {
      await this.membership.rejoin(old.info);
      const id = this.membership.leaderId();
      this.leaderIndex = Math.max(0, this.masters.findIndex((m) => m.info.id === id));
    } else {
      this.leaderIndex = (this.leaderIndex + 1) % this.masters.length;
    }
    this.master.dropAllStreams();
    for (const stream of [...this.operatorStreams]) stream.close();
    this.master.leaderInfo = this.leader;
    this.master.electedTime = Date.now() / 1000;
    this.log.info(`leader is now ${this.leaderUrl}`);
    return this.leader!;
  }

  async stop(): Promise<void> {
    await this.master.stop();
    for (const stream of this.operatorStreams) stream.close();
    await Promise.all([...this.masters.map((m) => m.server.close()), ...this.agents.map((a) => a.server.close())]);
    this.membership?.close();
    if (this.ownsWorkDir) await rm(this.workDir, { recursive: true, force: true });
  }

  /** Every URL a user may want, for the CLI to print. */
  describe(): { masters: string[]; leader: string; agents: string[]; workDir: string } {
    return { masters: this.masters.map((m) => m.url), leader: this.leaderUrl, agents: this.agents.map((a) => a.url), workDir: this.workDir };
  }
}
