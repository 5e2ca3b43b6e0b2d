import { ALL_RANGE, type TreeSpec } from './apiTreeSpec';

/**
 * A model object as Jenkins' remote API sees it (stapler's `@ExportedBean`): a Java class name and
 * exported properties, each with a visibility and an `inline` flag. `serializeExport` turns it into JSON
 * with stapler's `depth` or `tree` pruning, so the sandbox answers `?tree=…` and `?depth=…` the way
 * Jenkins does instead of always sending everything.
 */
export type ExportValue = null | string | number | boolean | ExportedBean | readonly ExportValue[] | ExportedMap;

export interface ExportedProperty {
  readonly name: string;
  /** Stapler's default is 1; queue items use 999. */
  readonly visibility: number;
  /** Inline properties do not raise the depth threshold for their content. */
  readonly inline?: boolean;
  /** Lazy values keep cyclic graphs (label → nodes → labels …) finite: only what is written is built. */
  readonly value: ExportValue | (() => ExportValue);
}

export class ExportedBean {
  constructor(
    /** Printed as `_class` when `printClass` is set. */
    readonly javaClass: string,
    readonly properties: readonly ExportedProperty[],
    /**
     * Stapler prints `_class` when the runtime type differs from the declared one; for elements whose
     * declared type is exact (e.g. `assignedLabels` entries) it is left out.
     */
    readonly printClass = true,
  ) {}
}

/** A `Map` property (e.g. `monitorData`): written as a JSON object with all its entries. */
export class ExportedMap {
  constructor(readonly entries: Readonly<Record<string, ExportValue>>) {}
}

/** Shorthand for a property list entry. */
export function prop(name: string, value: ExportedProperty['value'], visibility = 1, inline = false): ExportedProperty {
  return { name, value, visibility, inline };
}

interface Pruner {
  accept(property: ExportedProperty): Pruner | null;
  readonly range: readonly [number, number];
}

/** stapler TreePruner.ByDepth: threshold starts at 1 - depth and rises by one per nested, non-inline level. */
function depthPruner(threshold: number): Pruner {
  return {
    range: ALL_RANGE,
    accept(property) {
      if (property.visibility < threshold) return null;
      return property.inline ? this : depthPruner(threshold + 1);
    },
  };
}

/** stapler NamedPathPruner: exactly the named properties (or `*`), whatever their visibility. */
function treePruner(spec: TreeSpec): Pruner {
  return {
    range: spec.range,
    accept(property) {
      const child = spec.children.get(property.name) ?? spec.children.get('*');
      return child ? treePruner(child) : null;
    },
  };
}

export type ExportSelection = { readonly tree: TreeSpec } | { readonly depth: number };

export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

export function serializeExport(root: ExportedBean, selection: ExportSelection): { [key: string]: JsonValue } {
  const pruner = 'tree' in selection ? treePruner(selection.tree) : depthPruner(1 - selection.depth);
  return writeBean(root, pruner, true);
}

function writeBean(bean: ExportedBean, pruner: Pruner, top: boolean): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  if (bean.printClass || top) out._class = bean.javaClass;
  for (const property of bean.properties) {
    const child = pruner.accept(property);
    if (!child) continue;
    const value = typeof property.value === 'function' ? property.value() : property.value;
    out[property.name] = writeValue(value, child);
  }
  return out;
}

function writeValue(value: ExportValue, pruner: Pruner): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof ExportedBean) return writeBean(value, pruner, false);
  if (value instanceof ExportedMap) {
    const out: { [key: string]: JsonValue } = {};
    for (const [key, entry] of Object.entries(value.entries)) out[key] = writeValue(entry, pruner);
    return out;
  }
  const [start, end] = pruner.range;
  return (value as readonly ExportValue[]).slice(start, end).map((element) => writeValue(element, pruner));
}
