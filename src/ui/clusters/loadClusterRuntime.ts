import type * as ClusterRuntime from './clusterRuntime';

let runtime: typeof ClusterRuntime | undefined;

/**
 * The cluster runtime (see clusterRuntime.ts), required on first use. In the bundle this resolves to
 * dist/clusterRuntime.js beside dist/extension.js; from source (tests) to clusterRuntime.ts.
 */
export function loadClusterRuntime(): typeof ClusterRuntime {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy: see clusterRuntime.ts
  runtime ??= require('./clusterRuntime.js') as typeof ClusterRuntime;
  return runtime;
}
