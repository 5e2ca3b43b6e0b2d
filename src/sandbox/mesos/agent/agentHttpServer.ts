import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../../../core/log/logSink';
import { authenticate, type Credentials } from '../http/basicAuth';
import { sendText } from '../master/sendText';
import { agentFileAttachments } from './agentFileAttachments';
import { sendJsonValue, handleFilesRequest } from './agentFilesEndpoints';
import { agentMetrics } from './agentMetrics';
import { handleAgentOperatorRequest } from './agentOperatorEndpoint';
import type { AgentServerInfo } from './agentServerInfo';
import { type AgentAddress, agentFlags, agentStateJson, buildInfo } from './agentStateJson';
import type { SandboxAgent } from './sandboxAgent';
import { SandboxFiles } from './sandboxFiles';

export type { AgentServerInfo } from './agentServerInfo';

export interface AgentHttpServerOptions {
  /** The agent served, or a function giving it (it may not exist yet when the server starts: 503 until then). */
  readonly agent: SandboxAgent | (() => SandboxAgent | undefined);
  readonly info: AgentServerInfo;
  /** principal -> secret: turns on HTTP Basic authentication (every endpoint but /version and /health). */
  readonly credentials?: Credentials;
  /**
   * Whether a principal may see a sandbox path (browse, read, download, LIST_FILES, READ_FILE); false
   * answers 403, as the agent's sandbox ACLs do. Default: everyone may.
   */
  readonly authorizeFiles?: (principal: string | undefined, path: string) => boolean;
  readonly log?: Logger;
}

/** The agent's own process id; paths of other processes (files, metrics, version) are not delegated to it. */
const AGENT_PROCESS = '/slave(1)';
const OWN_PROCESSES = /^\/(files|metrics|version|slave\(1\))(\/|$)/;

/**
 * The sandbox agent's HTTP face on 127.0.0.1, in the shapes a Mesos 1.12 agent answers (reference §6.4,
 * §7.4-7.7): `/state` (alias `/slave(1)/state`), `/files/{browse,read,download,debug}` over the runs'
 * sandboxes, the v1 operator API at `/api/v1` (JSON and protobuf), `/version`, `/metrics/snapshot`,
 * `/slave(1)/health` and `/slave(1)/flags`, with optional HTTP Basic authentication.
 */
export class AgentHttpServer {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly files: SandboxFiles;
  private address: AgentAddress | undefined;

  constructor(private readonly options: AgentHttpServerOptions) {
    this.files = new SandboxFiles(() => {
      const agent = this.agent();
      return agent ? agentFileAttachments(agent) : new Map();
    });
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        options.log?.error(`request ${req.method} ${req.url} failed`, err);
        if (res.headersSent) res.destroy();
        else sendText(res, 500, `Internal sandbox error: ${(err as Error).message}`);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Listens on `host` (default 127.0.0.1) and `port` (0 = any free port); resolves the bound port. */
  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const bound = (this.server.address() as AddressInfo).port;
    this.address = { ip: host, port: bound };
    return bound;
  }

  /** `http://127.0.0.1:<port>` once listening. */
  get url(): string {
    if (!this.address) throw new Error('The agent server is not listening yet: call listen() first');
    return `http://${this.address.ip}:${this.address.port}`;
  }

  /** Closes the listener and every open connection (downloads in flight included). */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private agent(): SandboxAgent | undefined {
    const { agent } = this.options;
    return typeof agent === 'function' ? agent() : agent;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://agent');
    let path = url.pathname;
    try {
      path = decodeURIComponent(path);
    } catch {
      // A malformed escape stays as sent and matches no route.
    }
    // A path whose first segment is not a process goes to the agent process, the delegate (§1.1).
    if (!OWN_PROCESSES.test(path)) path = `${AGENT_PROCESS}${path}`;

    if (path === '/version') return sendJsonValue(res, buildInfo(this.options.info), url.searchParams.get('jsonp'));
    if (path === `${AGENT_PROCESS}/health`) return void res.writeHead(200, { 'Content-Length': '0' }).end();

    const auth = authenticate(req, this.options.credentials);
    if (!auth.ok) {
      const realm = path === `${AGENT_PROCESS}/api/v1` ? 'mesos-agent-readwrite' : 'mesos-agent-readonly';
      return sendText(res, 401, '', { 'WWW-Authenticate': `Basic realm="${realm}"` });
    }
    const principal = auth.principal;
    const agent = this.agent();
    const address = this.address ?? { ip: '127.0.0.1', port: this.options.info.port };
    if (!agent) return sendText(res, 503, 'Agent has not finished recovery');
    const mayReadFiles = (filePath: string) => this.options.authorizeFiles?.(principal, filePath) ?? true;
    const authenticating = this.options.credentials !== undefined;
    const jsonp = url.searchParams.get('jsonp');

    if (path.startsWith('/files/')) {
      const filesUrl = new URL(url.href);
      filesUrl.pathname = path;
      if (await handleFilesRequest(req, res, filesUrl, this.files, mayReadFiles)) return;
      return sendText(res, 404, '');
    }
    switch (path) {
      case `${AGENT_PROCESS}/state`:
      case `${AGENT_PROCESS}/state.json`:
        return sendJsonValue(res, agentStateJson(agent, this.options.info, address, authenticating), jsonp);
      case `${AGENT_PROCESS}/flags`:
        return sendJsonValue(res, { flags: agentFlags(agent, this.options.info, address, authenticating) }, jsonp);
      case `${AGENT_PROCESS}/api/v1`:
        return handleAgentOperatorRequest(req, res, {
          agent,
          info: this.options.info,
          address,
          files: this.files,
          flags: agentFlags(agent, this.options.info, address, authenticating),
          principal,
          mayReadFiles,
        });
      case '/metrics/snapshot':
        return sendJsonValue(res, agentMetrics(agent, this.options.info, Date.now() / 1000), jsonp);
    }
    sendText(res, 404, '');
  }
}
