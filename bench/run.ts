// `npm run bench`: runs the performance suite (../shared/performance.md) and prints one table. Each
// benchmark lives in its own file and is listed in benchmarks.ts; `npm run bench -- B2` runs only those
// whose id starts with an argument.
import type { BenchResult } from './benchmark';
import { benchmarks } from './benchmarks';

function table(rows: readonly BenchResult[]): string {
  const header = ['id', 'what', 'figure', 'baseline', 'ratio', 'target', 'ok', 'longest block'];
  const cells = rows.map((r) => [
    r.id,
    r.what,
    r.figure,
    r.baseline,
    r.ratio.toFixed(2),
    r.target,
    r.pass ? 'yes' : 'NO',
    `${r.longestBlockMs.toFixed(1)} ms`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = benchmarks.filter((b) => only.length === 0 || only.some((o) => b.id.startsWith(o)));
  const rows: BenchResult[] = [];
  for (const bench of selected) {
    process.stderr.write(`running ${bench.id}: ${bench.title}…\n`);
    rows.push(...(await bench.run()));
  }
  process.stdout.write(`${table(rows)}\n`);
  if (rows.length === 0) process.stdout.write('(no benchmarks registered yet)\n');
  const failed = rows.filter((r) => !r.pass);
  if (failed.length) process.stdout.write(`${failed.length} figure(s) missed their target: ${failed.map((r) => r.id).join(', ')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
