import type { ScalarResources } from '../../core/cluster';

/**
 * Short resource texts for tree rows. Mesos counts mem and disk in megabytes and keeps three decimals;
 * rows show at most two significant decimals so that a column of tasks stays readable.
 */

const trimmed = (value: number, digits: number): string => String(Number(value.toFixed(digits)));

export function formatCpus(cpus: number): string {
  return trimmed(cpus, cpus >= 10 ? 1 : 2);
}

type SizeUnit = 'MB' | 'GB' | 'TB';

function unitFor(megabytes: number): SizeUnit {
  return megabytes >= 1024 * 1024 ? 'TB' : megabytes >= 1024 ? 'GB' : 'MB';
}

function inUnit(megabytes: number, unit: SizeUnit): string {
  switch (unit) {
    case 'MB':
      return trimmed(megabytes, 0);
    case 'GB':
      return trimmed(megabytes / 1024, 1);
    case 'TB':
      return trimmed(megabytes / (1024 * 1024), 1);
  }
}

/** 256 → "256 MB", 1536 → "1.5 GB". */
export function formatMegabytes(megabytes: number): string {
  const unit = unitFor(megabytes);
  return `${inUnit(megabytes, unit)} ${unit}`;
}

/** Used of total: "2.5/16 GB", or "64 MB/16 GB" when the used part is small (0.1 GB would hide it). */
export function formatMegabytesOf(used: number, total: number): string {
  const unit = unitFor(Math.max(total, used));
  const usedUnit = unitFor(used);
  if (used > 0 && usedUnit !== unit) return `${formatMegabytes(used)}/${inUnit(total, unit)} ${unit}`;
  return `${inUnit(used, unit)}/${inUnit(total, unit)} ${unit}`;
}

/** "0.5 cpu · 256 MB · 1 GB disk": what a task or an offer holds; zero amounts are left out. */
export function formatResources(r: ScalarResources): string {
  const parts = [`${formatCpus(r.cpus)} cpu`];
  if (r.mem > 0) parts.push(formatMegabytes(r.mem));
  if (r.disk > 0) parts.push(`${formatMegabytes(r.disk)} disk`);
  if (r.gpus > 0) parts.push(`${formatCpus(r.gpus)} gpu`);
  return parts.join(' · ');
}

/** "cpu 1.5/8 · mem 2.5/16 GB · disk 3/200 GB": an agent's or a cluster's use. */
export function formatUsage(used: ScalarResources, total: ScalarResources): string {
  const parts = [`cpu ${formatCpus(used.cpus)}/${formatCpus(total.cpus)}`, `mem ${formatMegabytesOf(used.mem, total.mem)}`];
  if (total.disk > 0) parts.push(`disk ${formatMegabytesOf(used.disk, total.disk)}`);
  if (total.gpus > 0) parts.push(`gpu ${formatCpus(used.gpus)}/${formatCpus(total.gpus)}`);
  return parts.join(' · ');
}
