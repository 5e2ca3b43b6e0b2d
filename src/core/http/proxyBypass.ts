import { isIP } from 'node:net';

/**
 * Whether a request to `target` must go direct instead of through the configured proxy. Loopback always
 * goes direct (a proxy cannot reach our own 127.0.0.1, and the local sandbox cluster lives there); the
 * rest follows the usual NO_PROXY conventions: `*` for everything, `example.com` for that host and its
 * subdomains, `.example.com` or `*.example.com` for subdomains only, an optional `:port`, and IP addresses.
 */
export function shouldBypassProxy(target: URL, noProxy: string | readonly string[] = []): boolean {
  const host = normaliseHost(target.hostname);
  if (isLoopback(host)) return true;
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const entries = typeof noProxy === 'string' ? noProxy.split(/[\s,]+/) : noProxy;
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const { name, entryPort } = splitPort(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    const wanted = normaliseHost(name.replace(/^\*?\./, ''));
    const subdomainsOnly = /^\*?\./.test(name);
    if (!subdomainsOnly && host === wanted) return true;
    if (isIP(wanted) === 0 && host.endsWith(`.${wanted}`)) return true;
  }
  return false;
}

export function isLoopback(hostname: string): boolean {
  const host = normaliseHost(hostname);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

function normaliseHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

function splitPort(entry: string): { name: string; entryPort: string | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1] ?? '', entryPort: bracketed[2] };
  const hostPort = /^([^:]+):(\d+)$/.exec(entry);
  if (hostPort) return { name: hostPort[1] ?? '', entryPort: hostPort[2] };
  return { name: entry, entryPort: undefined };
}
