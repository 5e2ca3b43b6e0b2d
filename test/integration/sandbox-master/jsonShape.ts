/**
 * The shape of a JSON document, for comparing what the sandbox master answers with what a real master
 * answered: every path (`.get_state.get_tasks.tasks[].task_id.value`) with the JSON types found there,
 * values ignored. Keys of map-like objects (flags, attributes) are folded into `*`, since they are data.
 */
export type Shape = Map<string, Set<string>>;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function shapeOf(value: unknown, maps: readonly string[] = []): Shape {
  const shape: Shape = new Map();
  const visit = (v: unknown, path: string, key: string) => {
    const types = shape.get(path) ?? new Set<string>();
    types.add(jsonType(v));
    shape.set(path, types);
    if (Array.isArray(v)) for (const item of v) visit(item, `${path}[]`, key);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) visit(child, `${path}.${maps.includes(key) ? '*' : k}`, k);
    }
  };
  visit(value, '', '');
  return shape;
}

/** Everything any of the documents has: for captures of one call taken at different moments. */
export function mergeShapes(...shapes: Shape[]): Shape {
  const merged: Shape = new Map();
  for (const shape of shapes)
    for (const [path, types] of shape) merged.set(path, new Set([...(merged.get(path) ?? []), ...types]));
  return merged;
}

export interface ShapeDifference {
  /** Paths the sandbox writes that the real master did not. */
  readonly extra: string[];
  /** Paths the real master wrote that the sandbox did not (minus the data-dependent ones named as optional). */
  readonly missing: string[];
  /** Paths present in both with a JSON type the real master did not use there. */
  readonly typeMismatch: string[];
}

/** `optional`: paths (and their subtrees) a real master writes only for some data, e.g. a status `reason`. */
export function compareShapes(actual: Shape, expected: Shape, optional: readonly string[] = []): ShapeDifference {
  const isOptional = (path: string) =>
    optional.some((o) => path === o || path.startsWith(`${o}.`) || path.startsWith(`${o}[]`));
  const extra: string[] = [];
  const typeMismatch: string[] = [];
  for (const [path, types] of actual) {
    const want = expected.get(path);
    if (!want) extra.push(path);
    else if ([...types].some((t) => !want.has(t)))
      typeMismatch.push(`${path}: ${[...types].join('|')} where Mesos has ${[...want].join('|')}`);
  }
  const missing = [...expected.keys()].filter((path) => !actual.has(path) && !isOptional(path));
  return { extra, missing, typeMismatch };
}

/** A readable assertion message, or undefined when the shapes agree. */
export function describeDifference(diff: ShapeDifference): string | undefined {
  const parts: string[] = [];
  if (diff.extra.length) parts.push(`not written by Mesos:\n  ${diff.extra.join('\n  ')}`);
  if (diff.missing.length) parts.push(`missing:\n  ${diff.missing.join('\n  ')}`);
  if (diff.typeMismatch.length) parts.push(`other type:\n  ${diff.typeMismatch.join('\n  ')}`);
  return parts.length ? parts.join('\n') : undefined;
}
