import { looksLikeHtml } from '../http/describeBody';
import { displayUrl } from '../http/displayUrl';
import { type BufferedResponse, Endpoint, type Query } from '../http/endpoint';
import { RequestAbortedError } from '../http/errors';
import { createLogger, type Logger, silentSink } from '../log/logSink';
import { parseAgentJnlp } from './agentJnlp';
import { CrumbCache, type CrumbSnapshot } from './crumbCache';
import { inboundAgentForm } from './inboundAgentForm';
import { InboundAgentRequestError } from './inboundAgentRequestError';
import { existingNodeNameProblem, type InboundAgentRequest, inboundAgentSpec } from './inboundAgentSpec';
import { inboundAgentXml } from './inboundAgentXml';
import type {
  AgentJnlp,
  JenkinsComputerEntry,
  JenkinsComputerSetSnapshot,
  JenkinsIdentity,
  JenkinsLabelEntry,
  JenkinsPing,
  JenkinsQueueSnapshot,
} from './jenkinsClientTypes';
import { JenkinsError } from './jenkinsError';
import { JENKINS_PERMISSIONS } from './jenkinsPermission';
import {
  badResponseError,
  isCrumbRefusal,
  isLoginPage,
  isLoginRedirect,
  jenkinsErrorFromResponse,
  type JenkinsRequestContext,
  loginRequiredError,
  unexpectedBodyError,
} from './jenkinsResponseError';
import { JenkinsShapeError } from './jenkinsShapeError';
import { jenkinsErrorFromTransport } from './jenkinsTransportError';
import { COMPUTER_FIELDS, COMPUTERS_TREE, LABEL_TREE, QUEUE_TREE, ROOT_TREE, WHO_AM_I_TREE } from './jenkinsTrees';
import { parseJenkinsComputer, parseJenkinsComputers } from './parseJenkinsComputers';
import { parseJenkinsIdentity, parseJenkinsRoot } from './parseJenkinsIdentity';
import { parseJenkinsCrumb } from './parseJenkinsCrumb';
import { parseJenkinsLabel } from './parseJenkinsLabel';
import { parseJenkinsQueue } from './parseJenkinsQueue';

export const DEFAULT_JENKINS_TIMEOUT_MS = 30_000;
/** A 10,000-item queue with the client's tree is a few MB; anything near this is not Jenkins. */
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Every status comes back to the client, which knows what each one means for Jenkins (reference §1.5). */
const EVERY_STATUS = Array.from({ length: 500 }, (_, i) => i + 100);

export interface JenkinsClientOptions {
  /** The Jenkins root URL, e.g. `https://ci.example.com/` or `https://example.com/jenkins/`. */
  readonly url: string;
  /** The Jenkins user whose API token is used; with `token`, sent pre-emptively as HTTP Basic. */
  readonly user?: string;
  /** The user's API token (a password also works, but then every POST needs a crumb). Never logged. */
  readonly token?: string;
  /** PEM text of the CA that signed Jenkins' certificate (not a file path). */
  readonly ca?: string | Uint8Array;
  /** Skip TLS verification (test installations only). */
  readonly insecure?: boolean;
  readonly proxy?: string;
  readonly noProxy?: string | readonly string[];
  /** Deadline of each request, connect to last body byte. Default 30 000 ms. */
  readonly timeoutMs?: number;
  readonly maxBodyBytes?: number;
  readonly logger?: Logger;
  /**
   * Called when `X-Jenkins-Session` changes, i.e. the controller restarted (reference §7.20): re-list
   * nodes and reconcile. The client has already dropped its crumb and session by then.
   */
  readonly onSessionChange?: (session: string, previous: string) => void;
}

export interface CreateInboundAgentOptions {
  /**
   * `form` (default): `POST computer/doCreateItem`, every Jenkins version. `xml`: `POST computer/createItem`
   * with config.xml, Jenkins 2.539 or later.
   */
  readonly via?: 'form' | 'xml';
}

interface Exchange {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: Query;
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly operation: string;
  readonly permission?: string;
  readonly missing?: JenkinsRequestContext['missing'];
}

/**
 * The Jenkins REST client of the autoscaler (reference jenkins.md §1–§4): reads the queue, the nodes and
 * labels with small `tree=` queries, and creates, connects, marks offline and deletes inbound agent
 * nodes. One HTTP endpoint (connection pool, TLS, proxy) per client; `close()` ends it.
 *
 * Every method takes an AbortSignal, sends the user and API token pre-emptively, asks for English texts,
 * and fails with a JenkinsError (kind, cause, next step), except that a cancelled call rejects with the
 * HTTP layer's RequestAbortedError (named `AbortError`). CSRF crumbs are handled inside: none is fetched
 * while Jenkins does not ask (API-token requests are exempt); on a 403 "No valid crumb" the client fetches
 * one, with the session cookie it is bound to, and repeats the request once.
 */
export class JenkinsClient {
  /** The root URL without credentials, as messages show it. */
  readonly url: string;
  private readonly endpoint: Endpoint;
  private readonly user: string | undefined;
  private readonly hasCredentials: boolean;
  private readonly timeoutMs: number;
  private readonly log: Logger;
  private readonly crumbs = new CrumbCache();
  private readonly onSessionChange: JenkinsClientOptions['onSessionChange'];
  private lastSession: string | undefined;
  private lastVersion: string | undefined;

  constructor(options: JenkinsClientOptions) {
    const where = displayUrl(options.url ?? '');
    const config = (summary: string, nextStep: string) =>
      new JenkinsError({ kind: 'config', operation: 'connect', endpoint: where, summary, nextStep, retryable: false });
    const user = options.user?.trim() || undefined;
    const token = options.token || undefined;
    if (user !== undefined && token === undefined) {
      throw config(
        `No API token is set for the Jenkins user ‘${user}’ at ${where}`,
        'Set the API token (Set Credentials…)',
      );
    }
    if (user === undefined && token !== undefined) {
      throw config(
        `An API token is set for Jenkins at ${where} but no user`,
        'Set the Jenkins user the token belongs to',
      );
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_JENKINS_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
      throw config(
        `The Jenkins timeout must be a positive whole number of milliseconds, not ${timeoutMs}`,
        'Fix the timeout',
      );
    }
    this.timeoutMs = timeoutMs;
    this.user = user;
    // Credentials may also come in the URL (https://user:token@ci/), which the endpoint then uses.
    this.hasCredentials = user !== undefined || /^[a-z][a-z0-9+.-]*:\/\/[^/@]+@/i.test(String(options.url));
    this.log = options.logger ?? createLogger(silentSink, 'jenkins');
    this.onSessionChange = options.onSessionChange;
    try {
      this.endpoint = new Endpoint({
        baseUrl: options.url,
        name: 'Jenkins',
        auth: user !== undefined && token !== undefined ? { principal: user, secret: token } : undefined,
        ca: options.ca,
        insecure: options.insecure,
        proxy: options.proxy,
        noProxy: options.noProxy,
        connectTimeoutMs: Math.min(timeoutMs, 10_000),
        headersTimeoutMs: timeoutMs,
        bodyTimeoutMs: timeoutMs,
        maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        log: this.log,
      });
    } catch (err) {
      throw jenkinsErrorFromTransport(err, { endpoint: where, operation: 'connect' });
    }
    this.url = this.endpoint.display;
  }

  /** The last `X-Jenkins-Session` seen (changes with every controller restart). */
  get session(): string | undefined {
    return this.lastSession;
  }

  /** The last `X-Jenkins` version seen. */
  get version(): string | undefined {
    return this.lastVersion;
  }

  // ---- reads ---------------------------------------------------------------------------------------

  /** The build queue, with what demand extraction needs (QUEUE_TREE); Jenkins' order. */
  queue(signal: AbortSignal): Promise<JenkinsQueueSnapshot> {
    return this.readTree('queue/api/json', QUEUE_TREE, 'read the build queue', signal, parseJenkinsQueue);
  }

  /**
   * Every node with its state, executors and labels (COMPUTERS_TREE). Jenkins exports no "idle since"
   * time: record when a poll first sees a node idle.
   */
  computers(signal: AbortSignal): Promise<JenkinsComputerSetSnapshot> {
    return this.readTree('computer/api/json', COMPUTERS_TREE, 'list the nodes', signal, parseJenkinsComputers);
  }

  /** One node (as in `computers`), or undefined when there is no node of that name. */
  async computer(name: string, signal: AbortSignal): Promise<JenkinsComputerEntry | undefined> {
    this.checkExistingName(name, `read the node ‘${name}’`);
    const exchange: Exchange = {
      method: 'GET',
      path: `${nodePath(name)}/api/json`,
      query: { tree: COMPUTER_FIELDS },
      signal,
      operation: `read the node ‘${name}’`,
      permission: JENKINS_PERMISSIONS.read,
    };
    const { response, context } = await this.exchange(exchange);
    if (response.status === 404) return undefined;
    return this.readJson(response, context, (value) => parseJenkinsComputer(value, name));
  }

  /** A label atom or expression (`linux`, `mesos && linux`); works for expressions no node matches. */
  async label(expression: string, signal: AbortSignal): Promise<JenkinsLabelEntry> {
    if (typeof expression !== 'string' || expression.trim() === '') {
      throw this.invalidArgument(
        'read a label',
        'The label expression is empty',
        'Give a label or expression such as linux && docker',
      );
    }
    return this.readTree(
      `label/${encodeURIComponent(expression)}/api/json`,
      LABEL_TREE,
      `read the label ‘${expression}’`,
      signal,
      (value) => parseJenkinsLabel(value, expression),
    );
  }

  /** Who Jenkins takes this client for (`whoAmI/api/json`; readable even without Overall/Read). */
  whoAmI(signal: AbortSignal): Promise<JenkinsIdentity> {
    return this.getJson(
      {
        method: 'GET',
        path: 'whoAmI/api/json',
        query: { tree: WHO_AM_I_TREE },
        signal,
        operation: 'ask who this client is (whoAmI)',
      },
      parseJenkinsIdentity,
    );
  }

  /**
   * A connection test: the identity (credentials accepted and not taken as anonymous) and Overall/Read on
   * the root, with version, restart session and the settings agents depend on.
   */
  async ping(signal: AbortSignal): Promise<JenkinsPing> {
    const identity = await this.whoAmI(signal);
    if (this.hasCredentials && identity.anonymous) {
      throw new JenkinsError({
        kind: 'anonymous',
        operation: 'test the connection',
        endpoint: this.url,
        summary: `Jenkins at ${this.url} takes this client for anonymous although the user ‘${this.user ?? ''}’ and an API token were sent`,
        nextStep: 'Check that no proxy in between drops the Authorization header',
        retryable: false,
      });
    }
    let version: string | undefined;
    let session: string | undefined;
    const root = await this.getJson(
      {
        method: 'GET',
        path: 'api/json',
        query: { tree: ROOT_TREE },
        signal,
        operation: 'read the Jenkins root',
        permission: JENKINS_PERMISSIONS.read,
      },
      parseJenkinsRoot,
      (response) => {
        version = response.headers.get('x-jenkins') ?? undefined;
        session = response.headers.get('x-jenkins-session') ?? undefined;
      },
    );
    return { identity, version, session, ...root };
  }

  // ---- inbound agents ------------------------------------------------------------------------------

  /**
   * Creates a permanent node with an inbound launcher for an agent the autoscaler will start (reference
   * §4.2/§4.3). It is offline until its agent connects. A taken name fails with kind `already-exists`.
   */
  async createInboundAgent(
    request: InboundAgentRequest,
    signal: AbortSignal,
    options: CreateInboundAgentOptions = {},
  ): Promise<void> {
    const operation = `create the agent node ‘${String(request?.name)}’`;
    let spec;
    try {
      spec = inboundAgentSpec(request);
    } catch (err) {
      if (err instanceof InboundAgentRequestError)
        throw this.invalidArgument(operation, err.summary, err.nextStep, err);
      throw err;
    }
    const via = options.via ?? 'form';
    const common = { method: 'POST', signal, operation, permission: JENKINS_PERMISSIONS.createAgent } as const;
    if (via === 'xml') {
      await this.post(
        {
          ...common,
          path: 'computer/createItem',
          query: { name: spec.name },
          headers: { 'content-type': 'application/xml' },
          body: inboundAgentXml(spec),
          missing: {
            what: 'XML node creation (computer/createItem)',
            nextStep: 'Create nodes with the form instead (via "form"): XML creation needs Jenkins 2.539 or later',
          },
        },
        (status) => status >= 200 && status < 300,
      );
    } else {
      await this.post(
        {
          ...common,
          path: 'computer/doCreateItem',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: inboundAgentForm(spec).toString(),
        },
        (status) => status === 302 || status === 303 || (status >= 200 && status < 300),
      );
    }
    this.log.info(
      `created the agent node ${spec.name} (${spec.labelString || 'no labels'}, ${spec.executors} executor(s))`,
    );
  }

  /** The node's JNLP file, read: secret, name, `-url` and options (reference §4.5). The secret is never logged. */
  async agentJnlp(name: string, signal: AbortSignal): Promise<AgentJnlp> {
    const operation = `read the agent secret of ‘${name}’`;
    this.checkExistingName(name, operation);
    const missing = {
      what: `inbound agent node ‘${name}’`,
      nextStep: 'Create the node first (createInboundAgent); only nodes with an inbound launcher have a secret',
    };
    let result: { response: BufferedResponse; context: JenkinsRequestContext } | undefined;
    // slave-agent.jnlp is the only name before Jenkins 2.264; try it when the new name is unknown.
    for (const file of ['jenkins-agent.jnlp', 'slave-agent.jnlp']) {
      result = await this.exchange({
        method: 'GET',
        path: `${nodePath(name)}/${file}`,
        headers: { accept: 'application/x-java-jnlp-file, */*' },
        signal,
        operation,
        permission: JENKINS_PERMISSIONS.connectAgent,
        missing,
      });
      if (result.response.status !== 404) break;
    }
    const { response, context } = result as { response: BufferedResponse; context: JenkinsRequestContext };
    if (!isSuccess(response.status)) throw jenkinsErrorFromResponse(response, context);
    if (isLoginPage(response)) throw loginRequiredError(response, context);
    if (looksLikeHtml(response.headers.get('content-type'), response.body))
      throw unexpectedBodyError(response, context, 'a JNLP file');
    try {
      return parseAgentJnlp(Buffer.from(response.body).toString('utf8'), name);
    } catch (err) {
      if (err instanceof JenkinsShapeError) throw badResponseError(response, context, err);
      throw err;
    }
  }

  /** The secret an inbound agent connects with (`-secret`): 64 hex characters. Never log it. */
  async agentSecret(name: string, signal: AbortSignal): Promise<string> {
    return (await this.agentJnlp(name, signal)).secret;
  }

  /**
   * Marks the node temporarily offline with a reason (`changeOfflineCause`, idempotent): the queue stops
   * giving it work; running builds go on and the agent stays connected.
   */
  async setOffline(name: string, message: string, signal: AbortSignal): Promise<void> {
    const operation = `mark the agent node ‘${name}’ offline`;
    this.checkExistingName(name, operation);
    await this.post(
      {
        method: 'POST',
        path: `${nodePath(name)}/changeOfflineCause`,
        query: { offlineMessage: message },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
        signal,
        operation,
        permission: JENKINS_PERMISSIONS.disconnectAgent,
        missing: { what: `agent node ‘${name}’`, nextStep: 'Nothing to mark: the node is gone (re-list the nodes)' },
      },
      isActionDone,
    );
  }

  /**
   * Clears the temporarily-offline mark (`toggleOffline` when marked). Resolves true when it was marked,
   * false when it was not (nothing sent). The read and the toggle are two requests: do not race it with
   * another setOffline of the same node.
   */
  async setOnline(name: string, signal: AbortSignal): Promise<boolean> {
    const operation = `bring the agent node ‘${name}’ back online`;
    this.checkExistingName(name, operation);
    const missing = {
      what: `agent node ‘${name}’`,
      nextStep: 'Nothing to bring back: the node is gone (re-list the nodes)',
    };
    const node = await this.computer(name, signal);
    if (node === undefined) {
      throw new JenkinsError({
        kind: 'not-found',
        operation,
        endpoint: this.url,
        status: 404,
        summary: `Jenkins at ${this.url} has no ${missing.what}`,
        nextStep: missing.nextStep,
        retryable: false,
      });
    }
    if (!node.temporarilyOffline) return false;
    await this.post(
      {
        method: 'POST',
        path: `${nodePath(name)}/toggleOffline`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
        signal,
        operation,
        permission: JENKINS_PERMISSIONS.connectAgent,
        missing,
      },
      isActionDone,
    );
    return true;
  }

  /**
   * Deletes the node (`doDelete`); its agent is disconnected and builds on it are interrupted (mark it
   * offline and check `idle` first, reference §4.6). Resolves true when deleted, false when it was
   * already gone (404 is not an error here).
   */
  async deleteNode(name: string, signal: AbortSignal): Promise<boolean> {
    const operation = `delete the agent node ‘${name}’`;
    this.checkExistingName(name, operation);
    const response = await this.post(
      {
        method: 'POST',
        path: `${nodePath(name)}/doDelete`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '',
        signal,
        operation,
        permission: JENKINS_PERMISSIONS.deleteAgent,
      },
      (status) => isActionDone(status) || status === 404,
    );
    if (response.status === 404) {
      this.log.debug(`the agent node ${name} was already gone`);
      return false;
    }
    this.log.info(`deleted the agent node ${name}`);
    return true;
  }

  /** Closes the connection pool; calls still running reject with RequestAbortedError. */
  close(): Promise<void> {
    return this.endpoint.close();
  }

  // ---- machinery -----------------------------------------------------------------------------------

  /** A `tree=` read of an API that needs Overall/Read. */
  private readTree<T>(
    path: string,
    tree: string,
    operation: string,
    signal: AbortSignal,
    parse: (value: unknown) => T,
  ): Promise<T> {
    return this.getJson(
      { method: 'GET', path, query: { tree }, signal, operation, permission: JENKINS_PERMISSIONS.read },
      parse,
    );
  }

  private async getJson<T>(
    exchange: Exchange,
    parse: (value: unknown) => T,
    inspect?: (response: BufferedResponse) => void,
  ): Promise<T> {
    const { response, context } = await this.exchange({
      ...exchange,
      headers: { accept: 'application/json', ...exchange.headers },
    });
    if (!isSuccess(response.status)) throw jenkinsErrorFromResponse(response, context);
    inspect?.(response);
    return this.readJson(response, context, parse);
  }

  private readJson<T>(response: BufferedResponse, context: JenkinsRequestContext, parse: (value: unknown) => T): T {
    if (!isSuccess(response.status)) throw jenkinsErrorFromResponse(response, context);
    if (isLoginPage(response)) throw loginRequiredError(response, context);
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(response.body).toString('utf8'));
    } catch {
      throw unexpectedBodyError(response, context, 'JSON');
    }
    try {
      return parse(value);
    } catch (err) {
      if (err instanceof JenkinsShapeError) throw badResponseError(response, context, err);
      throw err;
    }
  }

  /**
   * A POST with CSRF handling: the cached crumb (if any) goes along; a 403 "No valid crumb" fetches a
   * fresh one with its session cookie and repeats the request once (Jenkins checks the crumb before doing
   * anything, so repeating is safe). A redirect to a login page is never taken for success.
   */
  private async post(exchange: Exchange, done: (status: number) => boolean): Promise<BufferedResponse> {
    let snapshot = this.crumbs.current();
    let { response, context } = await this.exchange(withCrumb(exchange, snapshot));
    if (isCrumbRefusal(response)) {
      // Another request may have fetched a crumb meanwhile; a restart only cleared it.
      const current = this.crumbs.current();
      snapshot =
        this.crumbs.isNewerThan(snapshot) && current.crumb !== undefined
          ? current
          : await this.fetchCrumb(exchange.signal);
      if (snapshot.crumb === undefined) {
        throw new JenkinsError({
          kind: 'crumb',
          operation: exchange.operation,
          endpoint: this.url,
          method: exchange.method,
          url: displayUrl(context.url),
          status: 403,
          summary:
            `Jenkins at ${this.url} wants a CSRF crumb to ${exchange.operation} but hands none out ` +
            '(crumbIssuer/api/json answers 404)',
          nextStep:
            'Use an API token (requests with an API token need no crumb), or check the CSRF settings of Jenkins',
          retryable: false,
        });
      }
      this.log.debug(`Jenkins asked for a CSRF crumb to ${exchange.operation}; repeating the request with one`);
      ({ response, context } = await this.exchange(withCrumb(exchange, snapshot)));
    }
    if (isLoginRedirect(response, context.url)) throw loginRequiredError(response, context);
    if (isSuccess(response.status) && isLoginPage(response)) throw loginRequiredError(response, context);
    if (done(response.status)) return response;
    throw jenkinsErrorFromResponse(response, context);
  }

  private async fetchCrumb(signal: AbortSignal): Promise<CrumbSnapshot> {
    const cookie = this.crumbs.cookieHeader();
    const { response, context } = await this.exchange({
      method: 'GET',
      path: 'crumbIssuer/api/json',
      headers: { accept: 'application/json', cookie },
      signal,
      operation: 'fetch a CSRF crumb',
    });
    if (response.status === 404) return this.crumbs.store(undefined);
    if (!isSuccess(response.status)) throw jenkinsErrorFromResponse(response, context);
    this.crumbs.rememberCookies(response.headers);
    return this.crumbs.store(this.readJson(response, context, parseJenkinsCrumb));
  }

  /** One request with the client's deadline; every status is returned, transport failures become JenkinsError. */
  private async exchange(exchange: Exchange): Promise<{ response: BufferedResponse; context: JenkinsRequestContext }> {
    const url = this.endpoint.urlFor(exchange.path, exchange.query);
    const context: JenkinsRequestContext = {
      endpoint: this.url,
      method: exchange.method,
      url,
      operation: exchange.operation,
      permission: exchange.permission,
      missing: exchange.missing,
      user: this.user,
      sentCredentials: this.hasCredentials,
    };
    // One signal for the caller's cancellation and the client's deadline, composed by hand and undone in
    // `finally`, so that a long-lived caller signal (a poll loop's) collects nothing per request.
    const deadline = new AbortController();
    const onAbort = () => deadline.abort(exchange.signal.reason);
    if (exchange.signal.aborted) onAbort();
    else exchange.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () => deadline.abort(new DOMException(`no answer within ${this.timeoutMs} ms`, 'TimeoutError')),
      this.timeoutMs,
    );
    try {
      const response = await this.endpoint.request({
        method: exchange.method,
        path: exchange.path,
        query: exchange.query,
        headers: { 'accept-language': 'en', ...exchange.headers },
        body: exchange.body,
        signal: deadline.signal,
        allowStatus: EVERY_STATUS,
      });
      this.noteServer(response.headers);
      return { response, context };
    } catch (err) {
      const mapped = jenkinsErrorFromTransport(err, {
        endpoint: this.url,
        operation: exchange.operation,
        method: exchange.method,
        url: displayUrl(url),
        // The caller's own signal may be a timeout too; only the client's deadline has a known length.
        timeoutMs: exchange.signal.aborted ? undefined : this.timeoutMs,
      });
      if (mapped instanceof RequestAbortedError) throw mapped;
      this.log.debug(`${exchange.operation} failed: ${mapped.message}`);
      throw mapped;
    } finally {
      clearTimeout(timer);
      exchange.signal.removeEventListener('abort', onAbort);
    }
  }

  private noteServer(headers: Headers): void {
    this.lastVersion = headers.get('x-jenkins') ?? this.lastVersion;
    const session = headers.get('x-jenkins-session');
    if (!session) return;
    const previous = this.lastSession;
    this.lastSession = session;
    if (previous === undefined || previous === session) return;
    // A restart ends every session, and with it the crumb bound to ours.
    this.crumbs.clear();
    this.log.info(`Jenkins at ${this.url} restarted (session ${previous} → ${session})`);
    try {
      this.onSessionChange?.(session, previous);
    } catch (err) {
      this.log.warn('the Jenkins session-change listener failed', err);
    }
  }

  private checkExistingName(name: string, operation: string): void {
    const problem = existingNodeNameProblem(name);
    if (problem !== null) {
      throw this.invalidArgument(
        operation,
        `The node name ${JSON.stringify(name)} ${/^[A-Z]/.test(problem) ? `is refused: ${problem}` : problem}`,
        'Pass the name of an agent node',
      );
    }
  }

  private invalidArgument(operation: string, summary: string, nextStep: string, cause?: unknown): JenkinsError {
    return new JenkinsError({
      kind: 'invalid-argument',
      operation,
      endpoint: this.url,
      summary,
      nextStep,
      retryable: false,
      cause,
    });
  }
}

/** `computer/<name>`: the name percent-encoded, as stapler expects it. */
function nodePath(name: string): string {
  return `computer/${encodeURIComponent(name)}`;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Form-style actions answer 302 to the node page (or `..`); 2xx is fine too (reference §4.6). */
function isActionDone(status: number): boolean {
  return status === 302 || status === 303 || isSuccess(status);
}

function withCrumb(exchange: Exchange, snapshot: CrumbSnapshot): Exchange {
  return { ...exchange, headers: { ...exchange.headers, ...CrumbCache.headers(snapshot) } };
}
