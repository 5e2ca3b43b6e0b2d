import { HttpStatusError, MesosHttpError } from '../http/errors';
import { createLogger, silentSink, type Logger, type LogSink } from '../log/logSink';
import { MEDIA_TYPE, type Offer } from '../mesos/codec';
import { MasterConnection } from '../mesos/connection/masterConnection';
import type { MasterEndpointOptions } from '../mesos/connection/endpointPool';
import { OperatorClient, type OperatorSubscription } from '../mesos/operator/operatorClient';
import { Backoff } from '../util/backoff';
import type { ClusterConfig } from './clusterConfig';
import { ClusterModel } from './clusterModel';
import { ClusterStateError } from './clusterStateError';

/** How a cluster's connection is doing, for the status bar and the views' error nodes. */
export type ClusterSessionState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected'; readonly leader: string }
  | { readonly kind: 'reconnecting'; readonly message: string }
  | {
      readonly kind: 'error';
      readonly message: string;
      readonly error: Error;
      /** 401/403: the next step is to set credentials. */
      readonly needsCredentials: boolean;
    }
  | { readonly kind: 'closed' };

export interface ClusterSessionOptions {
  readonly config: ClusterConfig;
  /** The principal's secret, from secret storage. */
  readonly secret?: string;
  /** The CA file's PEM text, read by the caller (the core does no file I/O on the editor's behalf). */
  readonly ca?: string;
  /** How often the whole state is read again as a backstop to the event stream (default 60 s). */
  readonly backstopMs?: number;
  /** How often offers are read while someone watches them (default 5 s). */
  readonly offersPollMs?: number;
  readonly sink?: LogSink;
}

type Listener = (state: ClusterSessionState) => void;

/**
 * One cluster, live: finds the leader, loads the state into a ClusterModel (in slices, so a huge cluster
 * never blocks the event loop for long), keeps it current with the operator event stream, re-reads the
 * state now and then as a backstop, and polls offers (which the stream does not carry) only while
 * someone watches them. Nothing connects until start(); dispose() leaves no socket or timer.
 */
export class ClusterSession {
  readonly model: ClusterModel;
  /** Shared with the scheduler of this cluster: one pool and one leader per cluster. */
  readonly connection: MasterConnection;
  readonly operator: OperatorClient;
  private readonly log: Logger;
  private current: ClusterSessionState = { kind: 'idle' };
  private readonly listeners = new Set<Listener>();
  private readonly controller = new AbortController();
  private subscription: OperatorSubscription | undefined;
  private started = false;
  private offerWatchers = 0;
  private offersTimer: NodeJS.Timeout | undefined;
  private backstopTimer: NodeJS.Timeout | undefined;
  private loading: Promise<void> | undefined;

  constructor(private readonly options: ClusterSessionOptions) {
    const { config } = options;
    this.log = createLogger(options.sink ?? silentSink, `cluster.${config.name}`);
    const endpoint: MasterEndpointOptions = {
      ...(config.principal && options.secret !== undefined ? { auth: { principal: config.principal, secret: options.secret } } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
      ...(config.insecure ? { insecure: true } : {}),
      log: this.log,
    };
    // a short wait for a leader: the views say "unreachable" soon, and the backstop keeps trying
    this.connection = new MasterConnection({ masters: config.masters, encoding: config.encoding, endpoint, leaderTimeoutMs: 5000, ...(options.sink ? { sink: options.sink } : {}) });
    this.operator = new OperatorClient({ connection: this.connection, ...(options.sink ? { sink: options.sink } : {}) });
    this.model = new ClusterModel({ ...(options.sink ? { sink: options.sink } : {}) });
  }

  get name(): string {
    return this.options.config.name;
  }

  get state(): ClusterSessionState {
    return this.current;
  }

  get leader(): string | undefined {
    return this.connection.leader;
  }

  onStateChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private setState(state: ClusterSessionState): void {
    this.current = state;
    for (const l of [...this.listeners]) l(state);
  }

  /** Connects (once): loads the state, then follows the event stream. Resolves after the first load. */
  start(): Promise<void> {
    if (this.started) return this.loading ?? Promise.resolve();
    this.started = true;
    this.setState({ kind: 'connecting' });
    // The stream's SUBSCRIBED carries the whole state, so the first load comes from it (one read of a
    // big state, not two); resolves once that state is in the model, or at the first failure.
    this.loading = new Promise<void>((resolve) => {
      this.firstLoad = resolve;
    });
    this.follow();
    this.scheduleBackstop();
    return this.loading;
  }

  private firstLoad: (() => void) | undefined;

  private settleFirstLoad(): void {
    this.firstLoad?.();
    this.firstLoad = undefined;
  }

  /** Reads the whole state again now (the Refresh command, and the slow backstop). */
  async refresh(): Promise<void> {
    if (!this.started) return this.start();
    try {
      await this.loadState();
      if (this.current.kind === 'error') this.follow();
    } catch (err) {
      this.fail(err);
    }
  }

  /** Polls offers while the returned handle is not disposed (the Offers view is visible). */
  watchOffers(): { dispose(): void } {
    this.offerWatchers++;
    if (this.offerWatchers === 1) void this.pollOffers();
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.offerWatchers--;
        if (this.offerWatchers === 0 && this.offersTimer) {
          clearTimeout(this.offersTimer);
          this.offersTimer = undefined;
        }
      },
    };
  }

  private async loadState(): Promise<void> {
    const signal = this.controller.signal;
    // Events applied while the state is being fetched are replayed onto it, so a slow read never undoes
    // what the stream already said.
    const replay = this.model.recordEvents();
    try {
      // GET_STATE's raw JSON goes straight to the model, which parses it in slices (bench B4)
      const response = await this.connection
        .request({
          method: 'POST',
          path: '/api/v1',
          body: JSON.stringify({ type: 'GET_STATE' }),
          headers: { 'content-type': MEDIA_TYPE.json, accept: MEDIA_TYPE.json },
          signal,
          idempotent: true,
          expectContentType: [MEDIA_TYPE.json],
          expectErrorContentType: ['text/plain'],
        })
        .catch((err: unknown) => {
          if (err instanceof HttpStatusError && err.status === 404) return undefined; // no v1 operator API
          throw err;
        });
      if (response) {
        await this.model.load(response.body as Uint8Array, 'get-state', { signal, source: 'poll', replay });
      } else {
        await this.model.replaceLegacyState(await this.operator.getLegacyState(signal), { signal, source: 'poll', replay });
      }
    } catch (err) {
      replay.dispose();
      // a newer snapshot (the stream's SUBSCRIBED) took this one's place: nothing was lost
      if (err instanceof ClusterStateError && err.kind === 'superseded') return;
      throw err;
    }
    if (this.current.kind !== 'connected' && this.connection.leader) this.setState({ kind: 'connected', leader: this.connection.leader });
  }

  private follow(): void {
    if (this.subscription || this.operator.v1Supported === false || this.controller.signal.aborted) return;
    // Each (re)subscription's SUBSCRIBED carries the whole state: its bytes go to the model, which parses
    // them in slices and diffs them against what it has, instead of being decoded in one block.
    const subscription = this.operator.subscribe({
      signal: this.controller.signal,
      snapshotBytes: (body) => {
        this.model
          .load(body, 'subscribed', { signal: this.controller.signal })
          .catch((err: unknown) => {
            if (!this.controller.signal.aborted && !(err instanceof ClusterStateError && err.kind === 'superseded')) {
              this.log.warn('reading the state from SUBSCRIBED failed', err);
            }
          })
          .finally(() => this.settleFirstLoad());
      },
    });
    this.subscription = subscription;
    subscription.onEvent((event) => {
      if (event.type !== 'SUBSCRIBED') this.model.applyEvent(event);
    });
    subscription.onStatusChange((status) => {
      if (status.state === 'subscribed') this.setState({ kind: 'connected', leader: status.master });
      else if (status.state === 'reconnecting') {
        // before anything was ever read, a failed attempt is an error for the views (with its cause);
        // the subscription keeps trying and the state turns connected when it gets through
        if (this.firstLoad) {
          this.fail(status.error);
          this.settleFirstLoad();
        } else this.setState({ kind: 'reconnecting', message: status.message });
      } else if (status.state === 'failed') {
        this.subscription = undefined;
        if (this.operator.v1Supported === false) {
          // an old master without the v1 operator API: its legacy state, polled by the backstop
          this.loadState()
            .catch((err: unknown) => this.fail(err))
            .finally(() => this.settleFirstLoad());
          return;
        }
        this.fail(status.error);
        this.settleFirstLoad();
      }
    });
  }

  private scheduleBackstop(): void {
    const ms = this.options.backstopMs ?? 60_000;
    this.backstopTimer = setTimeout(async () => {
      if (this.controller.signal.aborted) return;
      try {
        await this.loadState();
        if (this.current.kind === 'error') this.follow();
      } catch (err) {
        if (!this.controller.signal.aborted) this.log.warn('the backstop read of the cluster state failed', err);
      }
      if (!this.controller.signal.aborted) this.scheduleBackstop();
    }, ms);
    this.backstopTimer.unref?.();
  }

  private async pollOffers(): Promise<void> {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 30_000 });
    const poll = async (): Promise<void> => {
      if (this.offerWatchers === 0 || this.controller.signal.aborted) return;
      let delay = this.options.offersPollMs ?? 5000;
      try {
        const frameworks = await this.operator.getFrameworks(this.controller.signal);
        const offers: Offer[] = (frameworks.frameworks ?? []).flatMap((f) => f.offers ?? []);
        this.model.setOffers(offers);
        backoff.reset();
      } catch (err) {
        if (this.controller.signal.aborted) return;
        delay = backoff.next();
        this.log.warn(`reading offers failed; trying again in ${delay} ms`, err);
      }
      if (this.offerWatchers > 0 && !this.controller.signal.aborted) {
        this.offersTimer = setTimeout(() => void poll(), delay);
        this.offersTimer.unref?.();
      }
    };
    await poll();
  }

  private fail(err: unknown): void {
    if (this.controller.signal.aborted) return;
    const error = err instanceof Error ? err : new Error(String(err));
    const needsCredentials = err instanceof HttpStatusError && (err.status === 401 || err.status === 403);
    const message = err instanceof MesosHttpError || error.message ? error.message : 'the cluster could not be read';
    this.log.error(`cluster ${this.name}: ${message}`, error);
    this.setState({ kind: 'error', message, error, needsCredentials });
  }

  async dispose(): Promise<void> {
    this.controller.abort();
    if (this.offersTimer) clearTimeout(this.offersTimer);
    if (this.backstopTimer) clearTimeout(this.backstopTimer);
    this.subscription?.close();
    await this.operator.close();
    await this.connection.close();
    this.model.dispose();
    this.setState({ kind: 'closed' });
    this.listeners.clear();
  }
}
