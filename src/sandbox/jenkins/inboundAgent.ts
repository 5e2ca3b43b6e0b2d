import { existsSync, mkdirSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { join } from 'node:path';
import {
  AGENT_CONNECT_PATH,
  decodeAgentMessage,
  NODE_NAME_HEADER,
  SECRET_HEADER,
  type AgentStreamMessage,
} from './agentListenerProtocol';
import { decryptJnlp, parseJnlpArguments } from './jnlpFile';

/**
 * The sandbox's stand-in for Jenkins' `agent.jar`: connects to a sandbox Jenkins over its agent listener
 * (agentListenerProtocol.ts), which brings the node online, logs the builds the controller runs on it, and
 * reconnects like the real agent unless told not to. Runs in-process (tests) or as a script
 * (inboundAgentMain.ts); never logs the secret.
 */
export interface InboundAgentOptions {
  /** Controller root URLs, tried in order on every attempt. */
  readonly urls: readonly string[];
  readonly name?: string;
  readonly secret?: string;
  /** Old bootstrap: the JNLP file gives url and name (fetched with `?encrypt=true` and decrypted). */
  readonly jnlpUrl?: string;
  readonly workDir?: string;
  /** Default `remoting`. */
  readonly internalDir?: string;
  readonly failIfWorkDirIsMissing?: boolean;
  /** Exit when the connection drops or is refused instead of retrying. */
  readonly noReconnect?: boolean;
  /** Give up reconnecting after this long without a connection. */
  readonly noReconnectAfterMs?: number;
  /** `USER:PASSWORD` for fetching the JNLP file unencrypted. */
  readonly credentials?: string;
  readonly noCertificateCheck?: boolean;
  /** Wait between attempts; default 10 s, as agent.jar waits while it cannot locate the controller. */
  readonly retryDelayMs?: number;
  /** Where log lines go; default stdout. */
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface InboundAgentExit {
  /** 0 stopped or released by the controller, 1 refused / connection lost / gave up. */
  readonly code: number;
  readonly reason: string;
}

export interface InboundAgent {
  /** Settles once the agent has stopped for good. */
  readonly done: Promise<InboundAgentExit>;
  /** Drops the connection and stops; `done` then resolves with code 0. */
  stop(): void;
}

type Attempt =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'forbidden'; readonly detail: string }
  | { readonly kind: 'refused'; readonly detail: string }
  | { readonly kind: 'unreachable'; readonly detail: string }
  | { readonly kind: 'ended'; readonly goodbye: string | null };

export function startInboundAgent(options: InboundAgentOptions): InboundAgent {
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) abort.abort();
  const done = new AgentRun(options, abort.signal).run().finally(() => {
    options.signal?.removeEventListener('abort', onOuterAbort);
  });
  return { done, stop: () => abort.abort() };
}

class AgentRun {
  private readonly log: (line: string) => void;

  constructor(
    private readonly options: InboundAgentOptions,
    private readonly signal: AbortSignal,
  ) {
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
  }

  private say(level: 'INFO' | 'WARNING' | 'SEVERE', message: string): void {
    this.log(`${new Date().toISOString()} ${level}: ${message}`);
  }

  async run(): Promise<InboundAgentExit> {
    let target: { urls: readonly string[]; name: string; secret: string; workDir?: string };
    try {
      target = await this.resolveTarget();
    } catch (err) {
      if (this.signal.aborted) return this.exit(0, 'stopped');
      return this.exit(1, (err as Error).message);
    }
    const problem = this.prepareWorkDir(target.workDir);
    if (problem) return this.exit(1, problem);

    const retryDelayMs = Math.max(0, this.options.retryDelayMs ?? 10_000);
    let disconnectedSince = Date.now();
    for (;;) {
      for (const url of target.urls) {
        if (this.signal.aborted) return this.exit(0, 'stopped');
        this.say('INFO', `Connecting to ${url} as node ${target.name}`);
        const attempt = await this.attempt(url, target.name, target.secret);
        switch (attempt.kind) {
          case 'stopped':
            return this.exit(0, 'stopped');
          case 'forbidden':
            // A wrong secret never becomes right: it depends only on the node name and the controller's key.
            return this.exit(
              1,
              `The server rejected the connection: wrong secret for agent ‘${target.name}’ (${attempt.detail}). ` +
                `The secret depends on the node name; fetch it again from ${url}computer/${encodeURIComponent(target.name)}/jenkins-agent.jnlp.`,
            );
          case 'refused':
            this.say('SEVERE', `The server rejected the connection: ${attempt.detail}`);
            if (this.options.noReconnect) return this.exit(1, `The server rejected the connection: ${attempt.detail}`);
            break;
          case 'unreachable':
            this.say('WARNING', `${url} cannot be reached: ${attempt.detail}`);
            if (this.options.noReconnect) return this.exit(1, `${url} cannot be reached: ${attempt.detail}`);
            break;
          case 'ended':
            disconnectedSince = Date.now();
            if (attempt.goodbye !== null) this.say('INFO', `The controller closed the connection: ${attempt.goodbye}`);
            else this.say('WARNING', 'Connection to the controller was lost');
            if (this.options.noReconnect) {
              return attempt.goodbye !== null
                ? this.exit(0, `released by the controller: ${attempt.goodbye}`)
                : this.exit(1, 'the connection to the controller was lost (-noReconnect)');
            }
            break;
        }
      }
      const limit = this.options.noReconnectAfterMs;
      if (limit !== undefined && Date.now() - disconnectedSince >= limit) {
        return this.exit(1, `gave up reconnecting after ${Math.round(limit / 1000)} s (-noReconnectAfter)`);
      }
      this.say('INFO', `Retrying in ${Math.round(retryDelayMs / 100) / 10} s`);
      if (!(await this.sleep(retryDelayMs))) return this.exit(0, 'stopped');
    }
  }

  private exit(code: number, reason: string): InboundAgentExit {
    if (code === 0) this.say('INFO', `Agent stopped: ${reason}`);
    else this.say('SEVERE', reason);
    return { code, reason };
  }

  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.signal.aborted) return resolve(false);
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private prepareWorkDir(workDir: string | undefined): string | null {
    if (!workDir) return null;
    if (!existsSync(workDir)) {
      if (this.options.failIfWorkDirIsMissing) {
        return `The work directory ${workDir} does not exist (-failIfWorkDirIsMissing); create it or drop the option.`;
      }
    }
    try {
      mkdirSync(join(workDir, this.options.internalDir ?? 'remoting', 'logs'), { recursive: true });
    } catch (err) {
      return `Cannot prepare the work directory ${workDir}: ${(err as Error).message}`;
    }
    this.say('INFO', `Using ${workDir} as the work directory`);
    return null;
  }

  /** Name, secret and URLs from the options, or from the controller's JNLP file with -jnlpUrl. */
  private async resolveTarget(): Promise<{ urls: readonly string[]; name: string; secret: string; workDir?: string }> {
    const o = this.options;
    if (!o.jnlpUrl) {
      if (!o.name || !o.secret || o.urls.length === 0) throw new Error('-url, -name and -secret are required');
      return { urls: o.urls, name: o.name, secret: o.secret, workDir: o.workDir };
    }
    const jnlp = new URL(o.jnlpUrl);
    if (!o.credentials) jnlp.searchParams.set('encrypt', 'true');
    const body = await this.fetchBytes(jnlp);
    let xml: string;
    try {
      xml = o.credentials ? Buffer.from(body).toString('utf8') : decryptJnlp(body, o.secret ?? '');
    } catch (err) {
      throw new Error(`cannot read the JNLP file from ${o.jnlpUrl}: ${(err as Error).message}`);
    }
    const args = parseJnlpArguments(xml);
    const [secret, name] = args;
    const urlIndex = args.indexOf('-url');
    const workDirIndex = args.indexOf('-workDir');
    if (!secret || !name || urlIndex < 0 || !args[urlIndex + 1] || (o.secret && secret !== o.secret)) {
      throw new Error(
        `the JNLP file from ${o.jnlpUrl} could not be read with this secret; ` +
          'check -secret (it belongs to exactly one node name) or fetch the file with -credentials',
      );
    }
    return {
      urls: [args[urlIndex + 1] as string],
      name,
      secret,
      workDir: o.workDir ?? (workDirIndex >= 0 ? args[workDirIndex + 1] : undefined),
    };
  }

  private fetchBytes(url: URL): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = {};
      if (this.options.credentials) {
        headers.Authorization = `Basic ${Buffer.from(this.options.credentials, 'utf8').toString('base64')}`;
      }
      const req = this.client(url).request(url, {
        method: 'GET',
        agent: false,
        headers,
        signal: this.signal,
        rejectUnauthorized: !this.options.noCertificateCheck,
      });
      req.on('error', (err) => reject(new Error(`cannot fetch ${url.origin}${url.pathname}: ${err.message}`)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode === 200) resolve(Buffer.concat(chunks));
          else reject(new Error(`fetching ${url.origin}${url.pathname} answered HTTP ${res.statusCode}`));
        });
      });
      req.end();
    });
  }

  private client(url: URL): typeof http | typeof https {
    return url.protocol === 'https:' ? https : http;
  }

  private attempt(base: string, name: string, secret: string): Promise<Attempt> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(AGENT_CONNECT_PATH, base.endsWith('/') ? base : `${base}/`);
      } catch {
        return resolve({ kind: 'unreachable', detail: `"${base}" is not a URL` });
      }
      let settled = false;
      let connected = false;
      let goodbye: string | null = null;
      let watchdog: NodeJS.Timeout | null = null;
      let silenceLimitMs = 0;
      const settle = (result: Attempt) => {
        if (settled) return;
        settled = true;
        if (watchdog) clearTimeout(watchdog);
        this.signal.removeEventListener('abort', onAbort);
        req.destroy();
        resolve(result);
      };
      const onAbort = () => settle({ kind: 'stopped' });
      const feed = () => {
        if (watchdog) clearTimeout(watchdog);
        if (silenceLimitMs > 0) watchdog = setTimeout(() => settle({ kind: 'ended', goodbye: null }), silenceLimitMs);
      };
      const req = this.client(url).request(url, {
        method: 'GET',
        agent: false,
        headers: { [NODE_NAME_HEADER]: name, [SECRET_HEADER]: secret, Accept: 'application/x-ndjson' },
        rejectUnauthorized: !this.options.noCertificateCheck,
      });
      this.signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) =>
        settle(connected ? { kind: 'ended', goodbye } : { kind: 'unreachable', detail: err.message }),
      );
      req.on('response', (res) => {
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            const detail = `HTTP ${res.statusCode}${text.trim() ? `: ${text.trim().slice(0, 300)}` : ''}`;
            const status = res.statusCode ?? 0;
            if (status === 403) settle({ kind: 'forbidden', detail });
            else if (status === 400 || status === 404 || status === 409)
              settle({ kind: 'refused', detail: text.trim() || detail });
            else settle({ kind: 'unreachable', detail });
          });
          res.on('error', () => settle({ kind: 'unreachable', detail: `HTTP ${res.statusCode}` }));
          return;
        }
        connected = true;
        let buffered = '';
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let newline: number;
          while ((newline = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, newline);
            buffered = buffered.slice(newline + 1);
            const message = decodeAgentMessage(line);
            if (!message) continue;
            if (message.type === 'hello') silenceLimitMs = message.pingIntervalMs * 3;
            if (message.type === 'disconnect') goodbye = message.reason;
            this.onMessage(message);
          }
          feed();
        });
        res.on('end', () => settle({ kind: 'ended', goodbye }));
        res.on('close', () => settle({ kind: 'ended', goodbye }));
        res.on('error', () => settle({ kind: 'ended', goodbye }));
      });
      req.end();
    });
  }

  private onMessage(message: AgentStreamMessage): void {
    switch (message.type) {
      case 'hello':
        this.say('INFO', `Connected (controller session ${message.session}, Jenkins ${message.jenkinsVersion})`);
        return;
      case 'build-start': {
        const b = message.build;
        this.say('INFO', `Build started: ${b.job} #${b.number} (queue item ${b.queueId}) on executor ${b.executor}`);
        return;
      }
      case 'build-end': {
        const b = message.build;
        this.say('INFO', `Build finished: ${b.job} #${b.number}: ${message.result}`);
        return;
      }
      default:
        return;
    }
  }
}
