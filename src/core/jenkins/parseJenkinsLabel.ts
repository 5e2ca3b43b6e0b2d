import type { JenkinsLabelEntry } from './jenkinsClientTypes';
import { JenkinsJsonReader } from './jenkinsJsonReader';

/** `label/<expr>/api/json?tree=…` (LABEL_TREE) checked and typed. */
export function parseJenkinsLabel(value: unknown, expression: string): JenkinsLabelEntry {
  const read = new JenkinsJsonReader(`the label ‘${expression}’ (label/…/api/json)`);
  const l = read.object(value, '');
  return {
    _class: read.optionalString(l, '_class', '') ?? '',
    name: read.string(l, 'name', ''),
    description: read.nullableString(l, 'description', '') ?? null,
    offline: read.boolean(l, 'offline', ''),
    busyExecutors: read.number(l, 'busyExecutors', ''),
    totalExecutors: read.number(l, 'totalExecutors', ''),
    idleExecutors: read.number(l, 'idleExecutors', ''),
    nodes: read
      .optionalArray(l.nodes, 'nodes')
      .map((n, i) => ({ nodeName: read.string(read.object(n, `nodes[${i}]`), 'nodeName', `nodes[${i}]`) })),
  };
}
