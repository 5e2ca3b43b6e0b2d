import { join } from 'node:path';
import { isSafeLeaseKey } from './leaseKey';

/** Where one cluster's lease, mailbox and status live: all under `<dir>/<key>/`, so one directory is one cluster. */
export interface SchedulerLeasePaths {
  readonly root: string;
  readonly lease: string;
  readonly inbox: string;
  readonly outbox: string;
  readonly rejected: string;
  readonly status: string;
}

export function schedulerLeasePaths(dir: string, key: string): SchedulerLeasePaths {
  if (!isSafeLeaseKey(key)) {
    throw new RangeError(
      `The scheduler lease key ${JSON.stringify(key)} is not a safe file name (letters, digits, '.', '_', '-'; ` +
        'no leading dot). Make it with leaseKey(clusterName).',
    );
  }
  const root = join(dir, key);
  return {
    root,
    lease: join(root, 'lease.json'),
    inbox: join(root, 'inbox'),
    outbox: join(root, 'outbox'),
    rejected: join(root, 'rejected'),
    status: join(root, 'status.json'),
  };
}
