/** The product version, injected by the bundler from package.json (tests under tsx read it directly). */
declare const __MESOS_OPS_VERSION__: string | undefined;

export const VERSION: string =
  typeof __MESOS_OPS_VERSION__ === 'string'
    ? __MESOS_OPS_VERSION__
    : // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('../../package.json') as { version: string }).version;
