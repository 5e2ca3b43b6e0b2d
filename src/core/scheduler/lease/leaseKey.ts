import { createHash } from 'node:crypto';

/**
 * A file name for a cluster's lease directory: readable (the sanitized name) and unique (a hash of the
 * exact name), so "Prod" and "prod", or two names that sanitize alike, never share a lease. Lower case and
 * no trailing dot keep it the same name on case-insensitive and Windows file systems.
 */
export function leaseKey(clusterName: string): string {
  const hash = createHash('sha256').update(clusterName, 'utf8').digest('hex').slice(0, 12);
  const readable = clusterName
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 40)
    .replace(/[-.]+$/g, '');
  return readable ? `${readable}-${hash}` : hash;
}

/** Whether `key` can name a directory inside the storage directory (no separators, no `..`). */
export function isSafeLeaseKey(key: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(key);
}
