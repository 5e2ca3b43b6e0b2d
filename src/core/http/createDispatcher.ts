import { type Dispatcher, Pool, ProxyAgent } from 'undici';
import { shouldBypassProxy } from './proxyBypass';

export interface DispatcherSettings {
  /** The endpoint's origin; the dispatcher serves only this one. */
  origin: URL;
  ca?: string | Uint8Array;
  insecure: boolean;
  proxy?: URL;
  noProxy?: string | readonly string[];
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/**
 * The one undici dispatcher of an endpoint: a Pool for the origin, or a ProxyAgent when a proxy applies.
 * `ca` replaces the system's roots for this endpoint (as curl's --cacert does): the setting names the CA
 * that signed the cluster's certificates. The proxy's own TLS, if any, keeps the system roots.
 */
export function createDispatcher(settings: DispatcherSettings): { dispatcher: Dispatcher; proxied: boolean } {
  const tls =
    settings.origin.protocol === 'https:'
      ? {
          ...(settings.ca === undefined ? {} : { ca: Buffer.from(settings.ca) }),
          rejectUnauthorized: !settings.insecure,
        }
      : {};
  const timeouts = { headersTimeout: settings.headersTimeoutMs, bodyTimeout: settings.bodyTimeoutMs };
  if (settings.proxy && !shouldBypassProxy(settings.origin, settings.noProxy)) {
    return {
      dispatcher: new ProxyAgent({
        uri: settings.proxy.href,
        ...timeouts,
        requestTls: { ...tls, timeout: settings.connectTimeoutMs },
        proxyTls: { timeout: settings.connectTimeoutMs },
        // Plain-http targets go as absolute-form requests: proxies commonly refuse CONNECT to ports other
        // than 443, and a Mesos master listens on 5050. https targets still tunnel through CONNECT.
        proxyTunnel: false,
      }),
      proxied: true,
    };
  }
  return {
    dispatcher: new Pool(settings.origin.origin, {
      ...timeouts,
      connect: { ...tls, timeout: settings.connectTimeoutMs },
    }),
    proxied: false,
  };
}
