import type { Resource, ValueRange } from '../proto/generated/wireTypes';

/**
 * Arithmetic on Mesos resource lists (reference §3.5, §5): add, subtract and compare `Resource[]` the way
 * the master accounts them. Resources are kept apart by name, type and role (reservation), so reserved
 * cpus never mix with unreserved ones. Scalars are summed in integer thousandths, because Mesos keeps only
 * three decimal digits and float sums drift.
 */

/** The role a resource is reserved for ('*' = unreserved), in either reservation format. */
export function resourceRole(r: Resource): string {
  const stack = r.reservations;
  if (stack && stack.length > 0) return stack[stack.length - 1]!.role ?? '*';
  return r.role ?? '*';
}

function key(r: Resource): string {
  return `${r.name}\u0000${r.type}\u0000${resourceRole(r)}`;
}

const toMilli = (v: number) => Math.round(v * 1000);
const fromMilli = (m: number) => m / 1000;

function rangesOf(r: Resource): [number, number][] {
  return (r.ranges?.range ?? []).map((x: ValueRange) => [Number(x.begin), Number(x.end)] as [number, number]);
}

/** Sorted, merged, non-overlapping ranges. */
export function normalizeRanges(ranges: readonly [number, number][]): [number, number][] {
  const sorted = ranges.filter(([b, e]) => e >= b).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [b, e] of sorted) {
    const last = out[out.length - 1];
    if (last && b <= last[1] + 1) last[1] = Math.max(last[1], e);
    else out.push([b, e]);
  }
  return out;
}

function subtractRanges(from: [number, number][], take: [number, number][]): [number, number][] | undefined {
  let remaining = normalizeRanges(from);
  for (const [tb, te] of normalizeRanges(take)) {
    const holder = remaining.find(([b, e]) => b <= tb && te <= e);
    if (!holder) return undefined;
    const next: [number, number][] = [];
    for (const [b, e] of remaining) {
      if (te < b || tb > e) next.push([b, e]);
      else {
        if (b < tb) next.push([b, tb - 1]);
        if (te < e) next.push([te + 1, e]);
      }
    }
    remaining = next;
  }
  return remaining;
}

function withRanges(r: Resource, ranges: [number, number][]): Resource {
  return { ...r, ranges: { range: ranges.map(([begin, end]) => ({ begin, end })) } };
}

function isEmpty(r: Resource): boolean {
  if (r.type === 'SCALAR') return toMilli(r.scalar?.value ?? 0) <= 0;
  if (r.type === 'RANGES') return (r.ranges?.range ?? []).length === 0;
  if (r.type === 'SET') return (r.set?.item ?? []).length === 0;
  return false;
}

/** a + b, merged per name/type/role. */
export function addResources(a: readonly Resource[], b: readonly Resource[]): Resource[] {
  const byKey = new Map<string, Resource>();
  for (const r of [...a, ...b]) {
    const k = key(r);
    const prev = byKey.get(k);
    if (!prev) {
      byKey.set(k, r.type === 'RANGES' ? withRanges(r, normalizeRanges(rangesOf(r))) : { ...r });
      continue;
    }
    if (r.type === 'SCALAR') {
      prev.scalar = { value: fromMilli(toMilli(prev.scalar?.value ?? 0) + toMilli(r.scalar?.value ?? 0)) };
    } else if (r.type === 'RANGES') {
      byKey.set(k, withRanges(prev, normalizeRanges([...rangesOf(prev), ...rangesOf(r)])));
    } else if (r.type === 'SET') {
      prev.set = { item: [...new Set([...(prev.set?.item ?? []), ...(r.set?.item ?? [])])] };
    }
  }
  return [...byKey.values()].filter((r) => !isEmpty(r));
}

/** a - b, or undefined when b is not contained in a. */
export function subtractResources(a: readonly Resource[], b: readonly Resource[]): Resource[] | undefined {
  const byKey = new Map<string, Resource>();
  for (const r of addResources(a, [])) byKey.set(key(r), r);
  for (const r of addResources(b, [])) {
    const k = key(r);
    const have = byKey.get(k);
    if (!have) return undefined;
    if (r.type === 'SCALAR') {
      const left = toMilli(have.scalar?.value ?? 0) - toMilli(r.scalar?.value ?? 0);
      if (left < 0) return undefined;
      byKey.set(k, { ...have, scalar: { value: fromMilli(left) } });
    } else if (r.type === 'RANGES') {
      const left = subtractRanges(rangesOf(have), rangesOf(r));
      if (!left) return undefined;
      byKey.set(k, withRanges(have, left));
    } else if (r.type === 'SET') {
      const items = new Set(have.set?.item ?? []);
      for (const item of r.set?.item ?? []) if (!items.delete(item)) return undefined;
      byKey.set(k, { ...have, set: { item: [...items] } });
    }
  }
  return [...byKey.values()].filter((r) => !isEmpty(r));
}

/** Whether a holds all of b. */
export function containsResources(a: readonly Resource[], b: readonly Resource[]): boolean {
  return subtractResources(a, b) !== undefined;
}

/** The sum of a scalar resource (e.g. 'cpus'), across roles. */
export function scalarTotal(resources: readonly Resource[], name: string): number {
  let milli = 0;
  for (const r of resources) if (r.name === name && r.type === 'SCALAR') milli += toMilli(r.scalar?.value ?? 0);
  return fromMilli(milli);
}

/** Only the resources a role may use: unreserved ones and those reserved for it. */
export function resourcesForRole(resources: readonly Resource[], role: string): Resource[] {
  return resources.filter((r) => {
    const rr = resourceRole(r);
    return rr === '*' || rr === role;
  });
}

/**
 * The legacy endpoints' summary object (reference §7.1): scalars summed per name with cpus/gpus/mem/disk
 * always present, ranges as "[31000-31099, 31200-31299]", sets as "{a, b}".
 */
export function resourceSummary(resources: readonly Resource[]): Record<string, number | string> {
  const out: Record<string, number | string> = { cpus: 0, gpus: 0, mem: 0, disk: 0 };
  const ranges = new Map<string, [number, number][]>();
  const sets = new Map<string, Set<string>>();
  for (const r of resources) {
    if (r.type === 'SCALAR') out[r.name] = fromMilli(toMilli(Number(out[r.name] ?? 0)) + toMilli(r.scalar?.value ?? 0));
    else if (r.type === 'RANGES') ranges.set(r.name, [...(ranges.get(r.name) ?? []), ...rangesOf(r)]);
    else if (r.type === 'SET') sets.set(r.name, new Set([...(sets.get(r.name) ?? []), ...(r.set?.item ?? [])]));
  }
  for (const [name, rs] of ranges) out[name] = `[${normalizeRanges(rs).map(([b, e]) => `${b}-${e}`).join(', ')}]`;
  for (const [name, items] of sets) out[name] = `{${[...items].join(', ')}}`;
  return out;
}

/**
 * Parses the agent flag format `cpus:4;mem:4096;disk:10000;ports:[31000-32000];cpus(jenkins):1`, which
 * the sandbox CLI takes for agents' resources, into unreserved or statically reserved resources.
 */
export function parseResourceFlag(text: string): Resource[] {
  const out: Resource[] = [];
  for (const part of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z_][\w.-]*)(?:\(([^)]+)\))?:(.+)$/i.exec(part);
    if (!m) throw new Error(`cannot read resource '${part}': expected name:value or name(role):value`);
    const [, name, role, value] = m as unknown as [string, string, string | undefined, string];
    const base: Resource = { name, type: 'SCALAR', role: role ?? '*' };
    if (role && role !== '*') base.reservations = [{ type: 'STATIC', role }];
    if (value.startsWith('[')) {
      const ranges = value.slice(1, -1).split(',').map((r) => r.trim().split('-').map(Number) as [number, number]);
      if (ranges.some(([b, e]) => !Number.isInteger(b) || !Number.isInteger(e) || e < b)) throw new Error(`bad ranges in '${part}'`);
      out.push(withRanges({ ...base, type: 'RANGES' }, normalizeRanges(ranges)));
    } else if (value.startsWith('{')) {
      out.push({ ...base, type: 'SET', set: { item: value.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean) } });
    } else {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`bad scalar in '${part}'`);
      out.push({ ...base, scalar: { value: n } });
    }
  }
  return addResources(out, []);
}
