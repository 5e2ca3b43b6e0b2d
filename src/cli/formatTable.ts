/** Left-aligned columns separated by two spaces, like ps: for the CLI's human-readable output. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** A scalar the way Mesos shows it: at most three decimals, no trailing zeros. */
export function formatScalar(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
