import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../../core/log/logSink';
import { authenticate, WWW_AUTHENTICATE, type Credentials } from '../http/basicAuth';
import { handleLegacyRequest } from './legacyEndpoints';
import { isLeader, type MasterContext } from './masterContext';
import { handleOperatorRequest } from './operatorEndpoint';
import { handleSchedulerRequest } from './schedulerEndpoint';
import { sendText } from './sendText';

/** Paths a standby master redirects to the leader (reference §2.7, §7). Others it answers itself. */
const LEADER_ONLY = new Set([
  '/master/api/v1/scheduler',
  '/master/state',
  '/master/state.json',
  '/master/state-summary',
  '/master/frameworks',
  '/master/slaves',
  '/master/tasks',
  '/master/roles',
  '/master/teardown',
]);

/** Requests whose first path segment is not a known process go to the master process (the delegate, §1.1). */
function delegatePath(path: string): string {
  if (/^\/(master|files|metrics|version|__sandbox)(\/|$)/.test(path)) return path;
  return `/master${path}`;
}

export interface MasterHttpServerOptions {
  readonly ctx: MasterContext;
  readonly credentials: Credentials;
  readonly log: Logger;
  /** The sandbox's admin endpoint (`/__sandbox/…`), served by every master. */
  readonly admin?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
}

/**
 * One sandbox master process's HTTP face: routes the scheduler API, the operator API and the legacy
 * endpoints; a standby redirects leader-only requests with the protocol-relative `Location` Mesos sends;
 * faults injected by the admin endpoint apply here.
 */
export class MasterHttpServer {
  private readonly server: Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(private readonly options: MasterHttpServerOptions) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        options.log.error(`request ${req.method} ${req.url} failed`, err);
        sendText(res, 500, `Internal sandbox error: ${(err as Error).message}`);
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Closes the server and every open connection (streams included). */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { ctx } = this.options;
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const path = delegatePath(url.pathname);
    if (path.startsWith('/__sandbox/')) {
      if (this.options.admin) return this.options.admin(req, res, url);
      return sendText(res, 404, 'No admin endpoint');
    }
    if (ctx.faults.delayMs > 0) await new Promise((r) => setTimeout(r, ctx.faults.delayMs));

    if (path === '/master/health') return void res.writeHead(200, { 'Content-Length': '0' }).end();
    if (path === '/master/redirect' || path.startsWith('/master/redirect/')) {
      if (path !== '/master/redirect') return sendText(res, 404, '');
      const leader = ctx.leader();
      if (!leader) return sendText(res, 503, 'No leader elected');
      return void res.writeHead(307, { Location: `//${leader.hostname ?? '127.0.0.1'}:${leader.port}`, 'Content-Length': '0' }).end();
    }
    if (ctx.faults.unavailable && !path.startsWith('/metrics') && path !== '/version') {
      return sendText(res, 503, 'Master has not finished recovery');
    }
    const leaderOnly = LEADER_ONLY.has(path) || path === '/master/api/v1';
    if (leaderOnly && (ctx.faults.redirectLoop || !isLeader(ctx))) {
      const target = ctx.faults.redirectLoop ? ctx.self : ctx.leader();
      if (!target) return sendText(res, 503, 'No leader elected');
      const location = `//${target.hostname ?? '127.0.0.1'}:${target.port}${path}${url.search}`;
      // operator calls that are answered locally (health, version, flags) are the exception; the
      // sandbox keeps it simple and redirects every operator call on a standby, as most of them must go
      return void res.writeHead(307, { Location: location, 'Content-Length': '0' }).end();
    }

    const auth = authenticate(req, this.options.credentials);
    if (!auth.ok && path !== '/version' && !path.startsWith('/metrics')) {
      return sendText(res, 401, auth.reason, { 'WWW-Authenticate': WWW_AUTHENTICATE });
    }
    const principal = auth.ok ? auth.principal : undefined;

    if (path === '/master/api/v1/scheduler') {
      return handleSchedulerRequest(req, res, ctx, principal);
    }
    if (path === '/master/api/v1') {
      return handleOperatorRequest(req, res, ctx, principal);
    }
    if (req.method === 'GET' || req.method === 'HEAD' || path === '/master/teardown') {
      if (await handleLegacyRequest(req, res, ctx, path, url)) return;
    }
    sendText(res, 404, `No such endpoint: ${url.pathname}`);
  }
}
