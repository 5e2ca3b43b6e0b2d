import type { Resource } from '../mesos/codec';

/**
 * The four scalar resources the views show, in Mesos units (cpus; mem and disk in MB). Sums are made in
 * integer thousandths, because Mesos keeps three decimal digits and float sums drift (reference §5).
 */
export interface ScalarResources {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
}

/** The same in thousandths: integers, so that adding and subtracting thousands of tasks stays exact. */
export interface MilliScalars {
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
}

export const milliZero = (): MilliScalars => ({ cpus: 0, mem: 0, disk: 0, gpus: 0 });

const toMilli = (value: number | undefined): number => (value === undefined ? 0 : Math.round(value * 1000));

/** The scalar resources of a resource list, in one pass (revocable ones are left out: they are not the agent's). */
export function milliScalarsOf(resources: readonly Resource[] | undefined): MilliScalars {
  const out = milliZero();
  if (resources === undefined) return out;
  for (const r of resources) {
    if (r.type !== 'SCALAR' || r.revocable !== undefined) continue;
    const name = r.name;
    if (name === 'cpus' || name === 'mem' || name === 'disk' || name === 'gpus') out[name] += toMilli(r.scalar?.value);
  }
  return out;
}

export function addMilli(into: MilliScalars, delta: MilliScalars, sign: 1 | -1): void {
  into.cpus += sign * delta.cpus;
  into.mem += sign * delta.mem;
  into.disk += sign * delta.disk;
  into.gpus += sign * delta.gpus;
}

export function sameMilli(a: MilliScalars, b: MilliScalars): boolean {
  return a.cpus === b.cpus && a.mem === b.mem && a.disk === b.disk && a.gpus === b.gpus;
}

export function scalarsOfMilli(m: MilliScalars): ScalarResources {
  return { cpus: m.cpus / 1000, mem: m.mem / 1000, disk: m.disk / 1000, gpus: m.gpus / 1000 };
}
