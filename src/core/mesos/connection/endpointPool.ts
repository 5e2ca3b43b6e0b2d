import { Endpoint, type EndpointOptions } from '../../http/endpoint';

/** What every master of a cluster shares: credentials, TLS trust, proxy, timeouts. */
export type MasterEndpointOptions = Omit<EndpointOptions, 'baseUrl' | 'name'>;

/**
 * One Endpoint (one connection pool) per master base URL, made on first use with the cluster's shared
 * options, so the leader detector, the scheduler and the operator client reuse the same sockets.
 * Masters are few, and a redirect only ever names one of them, so entries are kept until close().
 */
export class EndpointPool {
  private readonly endpoints = new Map<string, Endpoint>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: MasterEndpointOptions = {}) {}

  /** The endpoint for a master's base URL (`http://m1:5050`, `https://m1:5050/prefix`). */
  get(baseUrl: string): Endpoint {
    const key = baseUrl.replace(/\/+$/, '');
    let endpoint = this.endpoints.get(key);
    if (endpoint === undefined) {
      endpoint = new Endpoint({ ...this.options, baseUrl: key, name: 'Mesos master' });
      // After close() a request fails at once as "closed" instead of opening sockets nobody closes.
      if (this.closing !== undefined) void endpoint.close();
      else this.endpoints.set(key, endpoint);
    }
    return endpoint;
  }

  /** Base URLs with an endpoint. */
  get masters(): string[] {
    return [...this.endpoints.keys()];
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Closes every endpoint: in-flight requests end, every socket closes. Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([...this.endpoints.values()].map((endpoint) => endpoint.close())).then(
      () => undefined,
    );
    return this.closing;
  }
}
