import type { SandboxFileEntry } from '../../core/mesos/files/sandboxFileEntry';

/**
 * The rows of the sandbox file browser, as plain data (the picker turns them into QuickPickItems):
 * `..` first unless at the sandbox itself, then directories, then files, each by name. Sizes and
 * modification times in the description, so the file that grew or changed last stands out.
 */

export type ListingRowKind = 'parent' | 'directory' | 'file';

export interface ListingRow {
  readonly kind: ListingRowKind;
  /** The entry's name (`..` for the parent row). */
  readonly name: string;
  /** With a codicon: `$(folder) logs`. */
  readonly label: string;
  readonly description: string;
}

const byName = (a: SandboxFileEntry, b: SandboxFileEntry): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function listingRows(entries: readonly SandboxFileEntry[], options: { readonly atRoot: boolean }): ListingRow[] {
  const rows: ListingRow[] = [];
  if (!options.atRoot)
    rows.push({ kind: 'parent', name: '..', label: '$(arrow-up) ..', description: 'up one directory' });
  for (const entry of entries.filter((e) => e.isDirectory).sort(byName)) {
    rows.push({
      kind: 'directory',
      name: entry.name,
      label: `$(folder) ${entry.name}`,
      description: formatModified(entry.mtime),
    });
  }
  for (const entry of entries.filter((e) => !e.isDirectory).sort(byName)) {
    const modified = formatModified(entry.mtime);
    rows.push({
      kind: 'file',
      name: entry.name,
      label: `$(file) ${entry.name}`,
      description: modified ? `${formatByteSize(entry.size)} · ${modified}` : formatByteSize(entry.size),
    });
  }
  return rows;
}

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `512 B`, `1.5 KiB`, `12 KiB`, `3.2 GiB`: one decimal below 10 of a unit, whole numbers above. */
export function formatByteSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024)
    return `${Math.max(0, Math.round(Number.isFinite(bytes) ? bytes : 0))} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // 1023.96 KiB would round to "1024 KiB": show it as the next unit
  if (Math.round(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 ? (Math.round(value * 10) / 10).toFixed(1).replace(/\.0$/, '') : String(Math.round(value));
  return `${shown} ${UNITS[unit]}`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** A modification time (seconds since the epoch) as local `YYYY-MM-DD HH:MM`; `''` when the agent gave none. */
export function formatModified(mtimeSeconds: number): string {
  if (!Number.isFinite(mtimeSeconds) || mtimeSeconds <= 0) return '';
  const d = new Date(mtimeSeconds * 1000);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
