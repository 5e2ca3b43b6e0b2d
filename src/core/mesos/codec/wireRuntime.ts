import type * as protobufMinimal from 'protobufjs/minimal';
import type * as generated from '../proto/generated/mesos';

/**
 * The protobuf runtime (protobufjs/minimal) and our static module, loaded on first use: together they
 * take about 20 ms to load, which the extension should not pay at activation for a cluster that is
 * never opened.
 */

type Minimal = typeof protobufMinimal;
type Generated = typeof generated;

let minimal: Minimal | undefined;
let root: Generated['mesos'] | undefined;

/* eslint-disable @typescript-eslint/no-require-imports -- deferred loading needs require(), see above */
export function protobufRuntime(): Minimal {
  minimal ??= require('protobufjs/minimal') as Minimal;
  return minimal;
}

/** The `mesos` namespace of the static module: `wireRoot().v1.scheduler.Call.encode(…)`. */
export function wireRoot(): Generated['mesos'] {
  root ??= (require('../proto/generated/mesos') as Generated).mesos;
  return root;
}
/* eslint-enable @typescript-eslint/no-require-imports */
