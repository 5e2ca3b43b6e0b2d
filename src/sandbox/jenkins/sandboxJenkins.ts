import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, silentSink, type Logger } from '../../core/log/logSink';
import { resolveLabel } from '../../core/jenkins/labelExpressionResolve';
import {
  AGENT_CONNECT_PATH,
  AGENT_STREAM_CONTENT_TYPE,
  encodeAgentMessage,
  NODE_NAME_HEADER,
  SECRET_HEADER,
  type AgentStreamMessage,
} from './agentListenerProtocol';
import { serializeExport, type ExportedBean, type ExportSelection } from './apiExport';
import { MalformedTreeError, parseTreeSpec } from './apiTreeSpec';
import { encryptJnlp, renderJnlp } from './jnlpFile';
import { bindNodeConfigXml } from './nodeConfigXml';
import { bindNodeCreateForm } from './nodeCreateForm';
import { randomWorkload, type RandomWorkloadOptions } from './randomWorkload';
import {
  computerBean,
  computerSetBean,
  crumbBean,
  labelBean,
  queueBean,
  queueItemBean,
  rootBean,
  whoAmIBean,
} from './sandboxJenkinsBeans';
import {
  SandboxJenkinsError,
  SandboxJenkinsModel,
  type AgentChannel,
  type ModelNode,
  type SandboxBuild,
  type SandboxJenkinsEvent,
  type SandboxNodeSpec,
} from './sandboxJenkinsModel';
import {
  CrumbIssuer,
  identityName,
  PERMISSION_IDS,
  SandboxSecurity,
  type Identity,
  type SandboxPermission,
  type SandboxSecurityOptions,
} from './sandboxSecurity';
import { validateWorkloadEntry, type WorkloadEntry } from './workload';

/**
 * A Jenkins-compatible controller for the local sandbox: plain Node http on 127.0.0.1, speaking the REST
 * subset an external autoscaler uses (queue, computers, labels, node create/delete/offline, agent secrets,
 * crumbs, Basic auth) with Jenkins' shapes, status codes and headers, plus an agent listener for the
 * sandbox inbound agent and a small `/__sandbox/` admin API for workloads and fault injection.
 */
export interface SandboxJenkinsOptions {
  /** Port on 127.0.0.1; 0 (default) lets the OS pick. */
  readonly port?: number;
  /** The configured root URL Jenkins advertises (JNLP `-url`, job URLs); default `http://127.0.0.1:<port>/`. */
  readonly rootUrl?: string;
  /** Sent as `X-Jenkins`; default 2.578. */
  readonly version?: string;
  /** Users and anonymous access. Absent or null: no security realm (anonymous may do everything). */
  readonly security?: SandboxSecurityOptions | null;
  /** CSRF crumbs on POSTs (not needed with API tokens); default true, as Jenkins cannot switch them off in the UI. */
  readonly csrf?: boolean;
  /** Executors of the built-in node; default 0 (the recommended setup: builds run on agents). */
  readonly builtInExecutors?: number;
  readonly builtInLabels?: string;
  /** Nodes that exist from the start. */
  readonly nodes?: readonly SandboxNodeSpec[];
  /** Builds to queue over time: fixed entries (`at` seconds after start) or a seeded random stream. */
  readonly workload?: readonly WorkloadEntry[] | { readonly random: RandomWorkloadOptions };
  /** Time an item stays `pending` after an executor was chosen; default 0. */
  readonly dispatchDelayMs?: number;
  readonly keepFinishedBuilds?: number;
  /** What `jnlpJars/agent.jar` serves; the CLI passes the bundled sandbox agent (`dist/sandbox-agent.js`). */
  readonly agentJar?: { readonly path: string } | { readonly content: Uint8Array };
  /** Ping period on agent connections; default 5000 ms. */
  readonly agentPingIntervalMs?: number;
  /** Key for agent secrets; random by default (secrets then change with every start, like a new controller). */
  readonly secretKey?: string;
  readonly log?: Logger;
}

export interface SandboxJenkins {
  /** Root URL with trailing slash (the advertised one). */
  readonly url: string;
  readonly port: number;
  /** The controller's state, for assertions and for the CLI's status output. */
  readonly model: SandboxJenkinsModel;
  /** Current `X-Jenkins-Session`. */
  readonly session: string;
  enqueue(entry: WorkloadEntry): number;
  addNode(spec: SandboxNodeSpec): void;
  deleteNode(name: string): boolean;
  /** Connect/disconnect the in-process stand-in agent of a node (no process needed). */
  setNodeOnline(name: string, online: boolean): void;
  agentSecret(name: string): string;
  finishedBuilds(): readonly SandboxBuild[];
  /** Fault: every Jenkins response becomes HTTP 500 (the `/__sandbox/` admin API keeps working). */
  setFailAllRequests(on: boolean): void;
  /** Fault: every crumb (and session) handed out so far stops being valid. */
  expireCrumbs(): void;
  /**
   * Simulated controller restart: new `X-Jenkins-Session`, sessions and crumbs gone, every agent
   * connection dropped (running builds aborted; agent processes reconnect unless run with -noReconnect,
   * in-process stand-ins reconnect at once). Nodes and the queue survive, as they do in Jenkins.
   */
  restart(): void;
  onEvent(listener: (event: SandboxJenkinsEvent) => void): () => void;
  /** Resolves with the first event (from now on) the predicate accepts; rejects when `signal` aborts. */
  waitForEvent(predicate: (event: SandboxJenkinsEvent) => boolean, signal?: AbortSignal): Promise<SandboxJenkinsEvent>;
  /** Stops timers, drops agent connections and closes the server. */
  close(): Promise<void>;
}

const DEFAULT_VERSION = '2.578';
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Starts the controller on 127.0.0.1. Bad options (a duplicate node, an invalid workload entry) reject
 * before anything listens; nothing is left running when this rejects.
 */
export async function startSandboxJenkins(options: SandboxJenkinsOptions = {}): Promise<SandboxJenkins> {
  const controller = new SandboxJenkinsController(options);
  try {
    await controller.listen(options.port ?? 0);
  } catch (err) {
    await controller.close();
    throw err;
  }
  return controller;
}

interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly form: URLSearchParams;
  /** The raw request body (POST/PUT), for XML node creation. */
  readonly body: string;
  readonly contentType: string;
  readonly identity: Identity;
  /** Parameter lookup over the query string, then the form body (stapler merges both). */
  param(name: string): string | null;
}

class SandboxJenkinsController implements SandboxJenkins {
  readonly model: SandboxJenkinsModel;
  private readonly server: Server;
  private readonly log: Logger;
  private readonly security: SandboxSecurity;
  private readonly crumbs = new CrumbIssuer();
  private readonly csrf: boolean;
  private readonly version: string;
  private readonly pingIntervalMs: number;
  private readonly agentStreams = new Set<ServerResponse>();
  private sessionId = randomBytes(4).toString('hex');
  private rootUrl = 'http://127.0.0.1/';
  private boundPort = 0;
  private readonly workload: Iterator<WorkloadEntry> | null;
  private nextEntry: IteratorResult<WorkloadEntry> | null = null;
  private failAll = false;
  private closed = false;
  private wakeTimer: NodeJS.Timeout | null = null;
  private workloadTimer: NodeJS.Timeout | null = null;
  private startedAt = 0;

  constructor(private readonly options: SandboxJenkinsOptions) {
    this.log = options.log ?? createLogger(silentSink, 'sandbox.jenkins');
    this.security = new SandboxSecurity(options.security ?? null);
    this.csrf = options.csrf ?? true;
    this.version = options.version ?? DEFAULT_VERSION;
    this.pingIntervalMs = Math.max(50, options.agentPingIntervalMs ?? 5000);
    this.model = new SandboxJenkinsModel({
      rootUrl: () => this.rootUrl,
      builtInExecutors: options.builtInExecutors,
      builtInLabels: options.builtInLabels,
      dispatchDelayMs: options.dispatchDelayMs,
      keepFinishedBuilds: options.keepFinishedBuilds,
      secretKey: options.secretKey,
    });
    this.model.onEvent(() => this.scheduleWake());
    for (const spec of options.nodes ?? []) this.model.addNode(spec);
    this.workload = workloadEntries(options.workload);
    // Pull the first entry now so a bad workload fails before the server listens.
    this.nextEntry = this.workload?.next() ?? null;
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        this.log.error('request failed', err);
        if (!res.headersSent) this.sendHtml(res, 500, 'Oops!', 'A problem occurred while processing the request.');
        else res.destroy();
      });
    });
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
    this.rootUrl = normalizeRoot(this.options.rootUrl ?? `http://127.0.0.1:${this.boundPort}/`);
    this.startedAt = Date.now();
    this.pumpWorkload();
    this.log.info(`sandbox Jenkins listening on ${this.rootUrl}`);
  }

  // ---- the public handle ---------------------------------------------------------------------------

  get url(): string {
    return this.rootUrl;
  }

  get port(): number {
    return this.boundPort;
  }

  get session(): string {
    return this.sessionId;
  }

  enqueue(entry: WorkloadEntry): number {
    return this.model.enqueue(validateWorkloadEntry(entry, 'enqueue'));
  }

  addNode(spec: SandboxNodeSpec): void {
    this.model.addNode(spec);
  }

  deleteNode(name: string): boolean {
    return this.model.deleteNode(name);
  }

  setNodeOnline(name: string, online: boolean): void {
    this.model.setFakeOnline(name, online);
  }

  agentSecret(name: string): string {
    return this.model.agentSecret(name);
  }

  finishedBuilds(): readonly SandboxBuild[] {
    return this.model.finishedBuilds();
  }

  setFailAllRequests(on: boolean): void {
    this.failAll = on;
  }

  expireCrumbs(): void {
    this.crumbs.expireAll();
  }

  onEvent(listener: (event: SandboxJenkinsEvent) => void): () => void {
    return this.model.onEvent(listener);
  }

  waitForEvent(predicate: (event: SandboxJenkinsEvent) => boolean, signal?: AbortSignal): Promise<SandboxJenkinsEvent> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        off();
        reject(signal?.reason);
      };
      const off = this.model.onEvent((event) => {
        if (!predicate(event)) return;
        off();
        signal?.removeEventListener('abort', onAbort);
        resolve(event);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  restart(): void {
    this.sessionId = randomBytes(4).toString('hex');
    this.crumbs.expireAll();
    const standIns: string[] = [];
    for (const node of this.model.agentNodes()) {
      if (node.channel?.kind === 'fake') standIns.push(node.name);
      if (node.channel) this.model.disconnect(node.name, null, 'the controller restarted');
    }
    // In-process stand-ins behave like agents without -noReconnect: they are back at once.
    for (const name of standIns) this.model.setFakeOnline(name, true);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.workloadTimer) clearTimeout(this.workloadTimer);
    for (const node of this.model.agentNodes()) {
      if (node.channel) this.model.disconnect(node.name, null, 'the controller is shutting down');
    }
    for (const stream of this.agentStreams) stream.destroy();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---- time ----------------------------------------------------------------------------------------

  private scheduleWake(): void {
    if (this.closed) return;
    const next = this.model.nextWakeAt();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    if (next === null) return;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = null;
        this.model.maintain();
        this.scheduleWake();
      },
      Math.max(0, next - Date.now()),
    );
  }

  /** Queues every workload entry that is due and sleeps until the next one. */
  private pumpWorkload(): void {
    this.workloadTimer = null;
    const entries = this.workload;
    if (!entries || this.closed) return;
    let next = this.nextEntry;
    while (next && !next.done && this.startedAt + (next.value.at ?? 0) * 1000 <= Date.now()) {
      this.model.enqueue(next.value);
      next = entries.next();
    }
    this.nextEntry = next;
    if (next && !next.done) {
      const delay = Math.max(0, this.startedAt + (next.value.at ?? 0) * 1000 - Date.now());
      this.workloadTimer = setTimeout(() => this.pumpWorkload(), delay);
    }
  }

  // ---- routing -------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path.startsWith('/__sandbox/') && path !== `/${AGENT_CONNECT_PATH}`) {
      return this.admin(req, res, method, path);
    }
    if (this.failAll) {
      drain(req);
      return this.sendHtml(res, 500, 'Oops!', 'A problem occurred while processing the request (sandbox fault).');
    }
    if (path === `/${AGENT_CONNECT_PATH}`) {
      drain(req);
      return this.agentListener(req, res);
    }

    let body = '';
    if (method === 'POST' || method === 'PUT') {
      const read = await readBody(req, MAX_BODY_BYTES);
      if (read === null) return this.sendHtml(res, 413, 'Request too large', 'The request body is too large.');
      body = read;
    } else {
      drain(req);
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const form = contentType.startsWith('application/x-www-form-urlencoded')
      ? new URLSearchParams(body)
      : new URLSearchParams();

    const identity = this.security.authenticate(req.headers.authorization);
    if (identity === 'invalid') {
      res.setHeader('WWW-Authenticate', 'Basic realm="Jenkins"');
      return this.sendHtml(res, 401, 'Unauthorized', 'Invalid password/token for user.');
    }
    const ctx: RequestContext = {
      req,
      res,
      method,
      path,
      query: url.searchParams,
      form,
      body,
      contentType,
      identity,
      param: (name) => url.searchParams.get(name) ?? form.get(name),
    };

    const exemptFromRead =
      path.startsWith('/jnlpJars/') ||
      path === '/whoAmI/api/json' ||
      path.startsWith('/tcpSlaveAgentListener') ||
      (/^\/computer\/[^/]+\/(jenkins|slave)-agent\.jnlp$/.test(path) && url.searchParams.get('encrypt') === 'true');

    if (method === 'POST' && this.csrf && !(identity.kind === 'user' && identity.via === 'token')) {
      const session = this.crumbs.sessionFrom(req.headers.cookie);
      const crumb = headerValue(req, this.crumbs.requestField) ?? ctx.param(this.crumbs.requestField) ?? undefined;
      if (!this.crumbs.validate(identityName(identity), session, crumb)) {
        return this.sendHtml(
          res,
          403,
          'Error 403 No valid crumb was included in the request',
          'No valid crumb was included in the request',
        );
      }
    }
    if (!exemptFromRead && !this.security.has(identity, 'Overall/Read')) return this.denied(ctx, 'Overall/Read');

    return this.dispatch(ctx);
  }

  private async dispatch(ctx: RequestContext): Promise<void> {
    const { path, method, res } = ctx;
    let m: RegExpExecArray | null;
    const get = method === 'GET' || method === 'HEAD' || method === 'POST';

    if (path === '/api/json' && get) {
      return this.sendApi(ctx, rootBean(this.model, { useSecurity: this.security.enabled, useCrumbs: this.csrf }));
    }
    if (path === '/queue/api/json' && get) return this.sendApi(ctx, queueBean(this.model));
    if ((m = /^\/queue\/item\/(\d+)\/api\/json$/.exec(path)) && get) {
      const item = this.model.item(Number(m[1]));
      if (!item) return this.notFound(res);
      return this.sendApi(ctx, queueItemBean(this.model, item));
    }
    const cancelQueue = /^\/queue\/item\/(\d+)\/cancelQueue$/.exec(path);
    if (path === '/queue/cancelItem' || cancelQueue) {
      if (method !== 'POST') return this.requirePost(res);
      if (!this.security.has(ctx.identity, 'Job/Cancel')) return this.denied(ctx, 'Job/Cancel');
      const id = Number(cancelQueue ? cancelQueue[1] : ctx.param('id'));
      const item = Number.isInteger(id) ? this.model.item(id) : undefined;
      if (!item || item.stage === 'left')
        return this.sendText(res, 404, `Provided id (${ctx.param('id') ?? id}) not found`);
      if (!this.model.cancel(id)) return this.sendText(res, 422, `Item for id (${id}) is not cancellable`);
      res.writeHead(204, this.baseHeaders()).end();
      return;
    }
    if (path === '/computer/api/json' && get) return this.sendApi(ctx, computerSetBean(this.model));
    if (path === '/computer/doCreateItem') {
      if (method !== 'POST') return this.requirePost(res);
      if (!this.security.has(ctx.identity, 'Agent/Create')) return this.denied(ctx, 'Agent/Create');
      try {
        const { spec, extra } = bindNodeCreateForm({ get: ctx.param }, (name) => this.model.node(name) !== undefined);
        this.model.addNode(spec, extra);
      } catch (err) {
        if (err instanceof SandboxJenkinsError) return this.failure(res, err);
        throw err;
      }
      return this.redirect(res, `${this.rootUrl}computer/`);
    }
    if (path === '/computer/createItem') return this.createNodeFromXml(ctx);
    if ((m = /^\/computer\/([^/]+)\/(.+)$/.exec(path))) {
      const name = safeDecode(m[1] as string);
      const rest = m[2] as string;
      const node = name === null ? undefined : this.model.node(name);
      if (!node) return this.notFound(res);
      return this.computerAction(ctx, node, rest);
    }
    if ((m = /^\/label\/(.+)\/api\/json$/.exec(path)) && get) {
      const expr = safeDecode(m[1] as string);
      if (expr === null) return this.notFound(res);
      return this.sendApi(ctx, labelBean(this.model, resolveLabel(expr).expression));
    }
    if (path === '/crumbIssuer/api/json' && get) {
      if (!this.csrf) return this.notFound(res);
      let session = this.crumbs.sessionFrom(ctx.req.headers.cookie);
      if (session === null) {
        session = this.crumbs.newSession();
        res.setHeader('Set-Cookie', this.crumbs.setCookieHeader(session));
      }
      const crumb = this.crumbs.issue(identityName(ctx.identity), session);
      return this.sendApi(ctx, crumbBean(crumb, this.crumbs.requestField));
    }
    if (path === '/whoAmI/api/json' && get) {
      return this.sendApi(ctx, whoAmIBean(identityName(ctx.identity), ctx.identity.kind === 'anonymous'));
    }
    if ((m = /^\/jnlpJars\/(agent|slave|remoting)\.jar$/.exec(path)) && get) return this.sendAgentJar(res);
    if (/^\/(queue|computer|label\/[^/]+|crumbIssuer|whoAmI)?\/?api\/(xml|python)$/.test(path)) {
      return this.sendHtml(res, 404, 'Not Found', 'The sandbox Jenkins serves api/json only.');
    }
    return this.notFound(res);
  }

  /**
   * `POST computer/createItem` with an XML body (Jenkins ≥ 2.539): 200 with an empty body, duplicate 400
   * `Node '<n>' already exists`. Older controllers only know the copy mode here.
   */
  private createNodeFromXml(ctx: RequestContext): void {
    const { res, method } = ctx;
    if (method !== 'POST') return this.requirePost(res);
    if (!this.security.has(ctx.identity, 'Agent/Create')) return this.denied(ctx, 'Agent/Create');
    const xml = /^(application|text)\/xml/i.test(ctx.contentType);
    if (!xml || !versionAtLeast(this.version, 2, 539)) {
      return this.failure(
        res,
        new SandboxJenkinsError(
          400,
          ctx.param('mode') === 'copy' ? 'Copying nodes is not supported by the sandbox' : 'No mode is specified',
        ),
      );
    }
    try {
      const { spec, extra } = bindNodeConfigXml(ctx.body, ctx.query.get('name'));
      if (this.model.node(spec.name)) throw new SandboxJenkinsError(400, `Node '${spec.name}' already exists`);
      this.model.addNode(spec, extra);
    } catch (err) {
      if (err instanceof SandboxJenkinsError) return this.failure(res, err);
      throw err;
    }
    res.writeHead(200, { ...this.baseHeaders(), 'Content-Length': 0 }).end();
  }

  private async computerAction(ctx: RequestContext, node: ModelNode, action: string): Promise<void> {
    const { res, method } = ctx;
    const get = method === 'GET' || method === 'HEAD' || method === 'POST';
    if (action === 'api/json' && get) return this.sendApi(ctx, computerBean(this.model, node));
    if ((action === 'jenkins-agent.jnlp' || action === 'slave-agent.jnlp') && get) {
      if (node.builtIn || node.launcher.kind !== 'inbound') return this.notFound(res);
      const encrypt = ctx.query.get('encrypt') === 'true';
      if (!encrypt && !this.security.has(ctx.identity, 'Agent/Connect')) return this.denied(ctx, 'Agent/Connect');
      const secret = this.model.agentSecret(node.name);
      const launcher = node.launcher;
      const options: string[] = [];
      if (launcher.webSocket) options.push('-webSocket');
      if (launcher.tunnel) options.push('-tunnel', launcher.tunnel);
      if (!launcher.workDirDisabled) {
        options.push('-workDir', launcher.workDirPath || node.remoteFS, '-internalDir', launcher.internalDir);
        if (launcher.failIfWorkDirIsMissing) options.push('-failIfWorkDirIsMissing');
      }
      const xml = renderJnlp({ secret, name: node.name, options, url: this.rootUrl });
      const bodyBytes = encrypt ? encryptJnlp(xml, secret) : Buffer.from(xml, 'utf8');
      res.writeHead(200, {
        ...this.baseHeaders(),
        'Content-Type': encrypt ? 'application/octet-stream' : 'application/x-java-jnlp-file',
        'Content-Length': bodyBytes.length,
      });
      res.end(method === 'HEAD' ? undefined : bodyBytes);
      return;
    }
    const offlineMessage = ctx.param('offlineMessage') ?? '';
    const user = identityName(ctx.identity);
    switch (action) {
      case 'doDelete':
        if (method !== 'POST') return this.requirePost(res);
        if (node.builtIn) return this.failure(res, new SandboxJenkinsError(400, 'The built-in node cannot be deleted'));
        if (!this.security.has(ctx.identity, 'Agent/Delete')) return this.denied(ctx, 'Agent/Delete');
        this.model.deleteNode(node.name);
        return this.redirect(res, `${this.rootUrl}computer/`);
      case 'toggleOffline': {
        if (method !== 'POST') return this.requirePost(res);
        const needed: SandboxPermission = node.temporarilyOffline ? 'Agent/Connect' : 'Agent/Disconnect';
        if (!this.security.has(ctx.identity, needed)) return this.denied(ctx, needed);
        this.model.toggleOffline(node.name, offlineMessage, user);
        return this.redirect(res, this.computerUrl(node));
      }
      case 'changeOfflineCause':
        if (method !== 'POST') return this.requirePost(res);
        if (!this.security.has(ctx.identity, 'Agent/Disconnect')) return this.denied(ctx, 'Agent/Disconnect');
        this.model.changeOfflineCause(node.name, offlineMessage, user);
        return this.redirect(res, this.computerUrl(node));
      case 'doDisconnect':
      case 'disconnect':
        if (method !== 'POST') return this.requirePost(res);
        if (!this.security.has(ctx.identity, 'Agent/Disconnect')) return this.denied(ctx, 'Agent/Disconnect');
        if (!node.builtIn) {
          this.model.disconnect(
            node.name,
            null,
            offlineMessage ? `Disconnected by ${user} : ${offlineMessage}` : `Disconnected by ${user}`,
          );
        }
        return this.redirect(res, this.computerUrl(node));
      default:
        return this.notFound(res);
    }
  }

  private computerUrl(node: ModelNode): string {
    return `${this.rootUrl}computer/${node.builtIn ? '(built-in)' : encodeURIComponent(node.name)}/`;
  }

  // ---- agent listener ------------------------------------------------------------------------------

  private agentListener(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET') return this.requirePost(res, 'GET');
    const name = headerValue(req, NODE_NAME_HEADER) ?? '';
    const secret = headerValue(req, SECRET_HEADER) ?? '';
    const node = this.model.node(name);
    if (!node || node.builtIn || node.launcher.kind !== 'inbound') {
      return this.sendText(res, 400, `${name} is not an inbound agent`);
    }
    const expected = Buffer.from(this.model.agentSecret(name), 'utf8');
    const given = Buffer.from(secret, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      this.log.warn(`refused an agent connection for ${name}: wrong secret`);
      return this.sendText(res, 403, `Incorrect secret for agent ${name}`);
    }
    let open = true;
    // connecting can hand the node a waiting build at once, before the answer's head is out: such notices
    // wait for the head and the hello (writing first would send implicit headers, and writeHead would throw)
    let started = false;
    const early: AgentStreamMessage[] = [];
    const write = (message: AgentStreamMessage) => {
      if (!started) early.push(message);
      else if (open && !res.writableEnded) res.write(encodeAgentMessage(message));
    };
    let ping: NodeJS.Timeout | null = null;
    const channel: AgentChannel = {
      kind: 'agent',
      notify: (notice) => write(notice),
      close: (reason) => {
        write({ type: 'disconnect', reason });
        open = false;
        if (ping) clearInterval(ping);
        res.end();
      },
    };
    try {
      this.model.connect(name, channel);
    } catch (err) {
      if (err instanceof SandboxJenkinsError) return this.sendText(res, err.status, err.message);
      throw err;
    }
    this.agentStreams.add(res);
    req.socket.setNoDelay(true);
    res.writeHead(200, {
      ...this.baseHeaders(),
      'Content-Type': AGENT_STREAM_CONTENT_TYPE,
      'Cache-Control': 'no-store',
    });
    started = true;
    write({
      type: 'hello',
      node: name,
      session: this.sessionId,
      pingIntervalMs: this.pingIntervalMs,
      jenkinsVersion: this.version,
    });
    for (const message of early.splice(0)) write(message);
    ping = setInterval(() => write({ type: 'ping' }), this.pingIntervalMs);
    res.on('close', () => {
      open = false;
      if (ping) clearInterval(ping);
      this.agentStreams.delete(res);
      this.model.disconnect(name, channel, 'the agent’s connection closed');
    });
    this.log.info(`agent ${name} connected`);
  }

  // ---- admin -----------------------------------------------------------------------------------------

  private async admin(req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<void> {
    const body = method === 'POST' ? await readBody(req, MAX_BODY_BYTES) : (drain(req), '');
    const json = (status: number, value: unknown) => {
      const text = JSON.stringify(value);
      res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8' }).end(text);
    };
    const parse = (): unknown => {
      try {
        return body ? JSON.parse(body) : {};
      } catch {
        throw new SandboxJenkinsError(400, 'The body must be JSON.');
      }
    };
    try {
      if (path === '/__sandbox/state' && method === 'GET') return json(200, this.stateSummary());
      if (path === '/__sandbox/faults' && method === 'POST') {
        const value = parse() as { failAllRequests?: unknown };
        if (typeof value.failAllRequests !== 'boolean') {
          throw new SandboxJenkinsError(400, 'Send {"failAllRequests": true|false}.');
        }
        this.failAll = value.failAllRequests;
        return json(200, { failAllRequests: this.failAll });
      }
      if (path === '/__sandbox/crumbs/expire' && method === 'POST') {
        this.crumbs.expireAll();
        return json(200, { expired: true });
      }
      if (path === '/__sandbox/restart' && method === 'POST') {
        this.restart();
        return json(200, { session: this.sessionId });
      }
      if (path === '/__sandbox/queue' && method === 'POST') {
        const value = parse();
        const entries = (Array.isArray(value) ? value : [value]).map((v, i) =>
          validateWorkloadEntry(v, 'request', i + 1),
        );
        return json(200, { ids: entries.map((e) => this.model.enqueue(e)) });
      }
      if (path === '/__sandbox/nodes' && method === 'POST') {
        const value = parse() as SandboxNodeSpec;
        if (typeof value.name !== 'string' || value.name === '')
          throw new SandboxJenkinsError(400, 'A node needs a "name".');
        this.model.addNode(value);
        return json(200, { created: value.name });
      }
      const online = /^\/__sandbox\/nodes\/([^/]+)\/online$/.exec(path);
      if (online && method === 'POST') {
        const value = parse() as { online?: unknown };
        if (typeof value.online !== 'boolean') throw new SandboxJenkinsError(400, 'Send {"online": true|false}.');
        this.model.setFakeOnline(safeDecode(online[1] as string) ?? '', value.online);
        return json(200, { online: value.online });
      }
      return json(404, { error: `No sandbox admin endpoint ${method} ${path}` });
    } catch (err) {
      if (err instanceof SandboxJenkinsError) return json(err.status, { error: err.message });
      if (err instanceof Error && err.name === 'WorkloadFormatError') return json(400, { error: err.message });
      throw err;
    }
  }

  private stateSummary(): unknown {
    return {
      url: this.rootUrl,
      session: this.sessionId,
      failAllRequests: this.failAll,
      nodes: this.model.computers().map((n) => ({
        name: n.builtIn ? '(built-in)' : n.name,
        labels: n.labelString,
        executors: n.numExecutors,
        busy: this.model.busyExecutors(n),
        offline: this.model.isOffline(n),
        temporarilyOffline: n.temporarilyOffline,
        agent: n.channel?.kind ?? null,
      })),
      queue: this.model.queueItems().map((i) => ({ id: i.id, job: i.task.job, why: this.model.why(i) })),
      running: this.model.runningBuilds().map((r) => ({ job: r.task.job, number: r.number, node: r.node })),
      finished: this.model.finishedBuilds().length,
    };
  }

  // ---- responses -------------------------------------------------------------------------------------

  private baseHeaders(): Record<string, string> {
    return { 'X-Jenkins': this.version, 'X-Jenkins-Session': this.sessionId };
  }

  private sendApi(ctx: RequestContext, bean: ExportedBean): void {
    const { res, query } = ctx;
    if (query.has('jsonp')) {
      return this.sendHtml(res, 403, 'Forbidden', 'jsonp is not allowed for this caller.');
    }
    let selection: ExportSelection;
    const tree = query.get('tree');
    if (tree !== null) {
      try {
        selection = { tree: parseTreeSpec(tree) };
      } catch (err) {
        if (err instanceof MalformedTreeError) return this.sendHtml(res, 500, 'Oops!', err.message);
        throw err;
      }
    } else {
      const depthText = query.get('depth') ?? '0';
      if (!/^-?\d+$/.test(depthText)) {
        return this.sendHtml(res, 500, 'Oops!', `java.lang.NumberFormatException: For input string: "${depthText}"`);
      }
      selection = { depth: Number(depthText) };
    }
    const value = serializeExport(bean, selection);
    const text = query.has('pretty') ? JSON.stringify(value, null, 2) : JSON.stringify(value);
    const bytes = Buffer.from(text, 'utf8');
    res.writeHead(200, {
      ...this.baseHeaders(),
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'deny',
      'Content-Type': 'application/json;charset=utf-8',
      'Content-Length': bytes.length,
    });
    res.end(ctx.method === 'HEAD' ? undefined : bytes);
  }

  private async sendAgentJar(res: ServerResponse): Promise<void> {
    const source = this.options.agentJar;
    let bytes: Uint8Array;
    if (!source) bytes = Buffer.from(AGENT_JAR_STUB, 'utf8');
    else if ('content' in source) bytes = source.content;
    else {
      try {
        bytes = await readFile(source.path);
      } catch (err) {
        this.log.error(`cannot read the sandbox agent program ${source.path}`, err);
        return this.sendHtml(res, 500, 'Oops!', 'The sandbox cannot read its agent program.');
      }
    }
    res.writeHead(200, {
      ...this.baseHeaders(),
      'Content-Type': 'application/java-archive',
      'Content-Length': bytes.length,
    });
    res.end(bytes);
  }

  private denied(ctx: RequestContext, permission: SandboxPermission): void {
    const { res, identity } = ctx;
    res.setHeader('X-You-Are-Authenticated-As', identityName(identity));
    res.setHeader('X-Required-Permission', PERMISSION_IDS[permission]);
    res.setHeader('X-Permission-Implied-By', this.security.impliedBy(permission));
    res.setHeader('X-Hudson', '1.395');
    if (identity.kind === 'anonymous') {
      const from = encodeURIComponent(ctx.path);
      const html =
        `<html><head><meta http-equiv='refresh' content='1;url=/login?from=${from}'/>` +
        `<script>window.location.replace('/login?from=${from}');</script></head>` +
        "<body style='background-color:white; color:white;'>\n\nAuthentication required\n<!--\n-->\n\n</body></html>";
      return this.sendRaw(res, 403, html);
    }
    const name = identityName(identity);
    return this.sendHtml(res, 403, 'Access Denied', `${name} is missing the ${permission} permission`);
  }

  private failure(res: ServerResponse, err: SandboxJenkinsError): void {
    // Jenkins puts the reason in X-Error too; header bytes are sent as UTF-8 so the curly quotes survive.
    if (err.status === 400) res.setHeader('X-Error', Buffer.from(err.message, 'utf8').toString('latin1'));
    this.sendHtml(res, err.status, err.status === 400 ? 'Error' : 'Oops!', err.message);
  }

  private redirect(res: ServerResponse, location: string): void {
    res.writeHead(302, { ...this.baseHeaders(), Location: location, 'Content-Length': 0 }).end();
  }

  private requirePost(res: ServerResponse, verb = 'POST'): void {
    this.sendHtml(res, 405, 'Method Not Allowed', `This URL requires ${verb}.`);
  }

  private notFound(res: ServerResponse): void {
    this.sendHtml(res, 404, 'Not Found', 'Not Found');
  }

  private sendText(res: ServerResponse, status: number, text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    res.writeHead(status, {
      ...this.baseHeaders(),
      'Content-Type': 'text/plain;charset=utf-8',
      'Content-Length': bytes.length,
    });
    res.end(bytes);
  }

  private sendHtml(res: ServerResponse, status: number, title: string, message: string): void {
    const html = `<!DOCTYPE html><html><head><title>${escapeHtml(title)} [Jenkins]</title></head><body><h1>${escapeHtml(
      title,
    )}</h1><p>${escapeHtml(message)}</p></body></html>\n`;
    this.sendRaw(res, status, html);
  }

  private sendRaw(res: ServerResponse, status: number, html: string): void {
    const bytes = Buffer.from(html, 'utf8');
    res.writeHead(status, {
      ...this.baseHeaders(),
      'X-Hudson': '1.395',
      'Content-Type': 'text/html;charset=utf-8',
      'Content-Length': bytes.length,
    });
    res.end(bytes);
  }
}

/**
 * Served as `jnlpJars/agent.jar` when the sandbox was started without an agent program: a script that says
 * how to get the real one, so `node agent.jar …` fails with a sentence instead of a stack trace.
 */
const AGENT_JAR_STUB = `#!/usr/bin/env node
process.stderr.write('This sandbox Jenkins was started without its agent program, so agent.jar is only this note.\\n' +
  'Run the sandbox inbound agent directly: node dist/sandbox-agent.js -url <jenkins-url> -name <node> -secret <secret>\\n');
process.exit(2);
`;

function workloadEntries(workload: SandboxJenkinsOptions['workload']): Iterator<WorkloadEntry> | null {
  if (!workload) return null;
  if ('random' in workload) return randomWorkload((workload as { random: RandomWorkloadOptions }).random);
  const list = (workload as readonly WorkloadEntry[]).map((e, i) => validateWorkloadEntry(e, 'workload', i + 1));
  return list.sort((a, b) => (a.at ?? 0) - (b.at ?? 0)).values();
}

/** Whether a Jenkins version `2.578` (or `2.578.1`, `2.579-SNAPSHOT`) is at least major.minor. */
function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  return a > major || (a === major && b >= minor);
}

function normalizeRoot(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function drain(req: IncomingMessage): void {
  req.resume();
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
