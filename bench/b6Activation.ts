import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Benchmark, BenchResult } from './benchmark';

// B6 (performance.md): the bundled extension's require + activate time, with 0 and with 5 clusters
// configured, in a fresh Node process each time (a cold start, as in an editor), against a stand-in
// `vscode` module that answers every API with a no-op; and the bundle's size.

const ROOT = join(__dirname, '..');
const BUNDLE = join(ROOT, 'dist', 'extension.js');
const RUNS = 7;

// Runs in the child: a `vscode` whose every member is a callable, constructible no-op, then the bundle.
const CHILD = String.raw`
const Module = require('module');
const { performance } = require('perf_hooks');
const clusters = JSON.parse(process.env.B6_CLUSTERS);
function stub(name) {
  const fn = function () { return stub(name + '()'); };
  return new Proxy(fn, {
    get(_t, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => name;
      if (key === 'get') return (k, d) => (k === 'clusters' ? clusters : d);
      if (key === 'event') return () => ({ dispose() {} });
      return stub(name + '.' + String(key));
    },
    set() { return true; },
    apply() { return stub(name + '()'); },
    construct() { return stub('new ' + name); },
  });
}
// esbuild's interop copies the module's own keys, so the API's top-level names must be real properties
const NAMES = ['window', 'workspace', 'commands', 'env', 'extensions', 'languages', 'Uri', 'EventEmitter', 'Disposable',
  'ThemeColor', 'ThemeIcon', 'TreeItem', 'TreeItemCollapsibleState', 'MarkdownString', 'StatusBarAlignment',
  'ConfigurationTarget', 'ProgressLocation', 'ViewColumn', 'FileType', 'FileSystemError', 'l10n', 'Range', 'Position',
  'CancellationTokenSource', 'RelativePattern', 'QuickPickItemKind', 'LogLevel', 'version'];
const vscode = Object.fromEntries(NAMES.map((n) => [n, stub('vscode.' + n)]));
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const t0 = performance.now();
const ext = require(process.env.B6_BUNDLE);
const t1 = performance.now();
const context = { subscriptions: [], secrets: stub('secrets'), workspaceState: stub('ws'), globalState: stub('gs'), extensionPath: process.env.B6_ROOT, extensionUri: stub('uri') };
ext.activate(context);
const t2 = performance.now();
process.stdout.write('\nB6RESULT ' + JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1 }) + '\n');
`;

function measure(clusters: number): { requireMs: number; activateMs: number } {
  const list = Array.from({ length: clusters }, (_, i) => ({ name: `c${i}`, masters: `http://10.0.0.${i + 1}:5050` }));
  const runs = Array.from({ length: RUNS }, () =>
    JSON.parse(
      /^B6RESULT (.*)$/m.exec(
        execFileSync(process.execPath, ['-e', CHILD], {
          env: { ...process.env, B6_CLUSTERS: JSON.stringify(list), B6_BUNDLE: BUNDLE, B6_ROOT: ROOT },
          encoding: 'utf8',
        }),
      )![1]!,
    ) as { requireMs: number; activateMs: number },
  );
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { requireMs: median(runs.map((r) => r.requireMs)), activateMs: median(runs.map((r) => r.activateMs)) };
}

export const b6Activation: Benchmark = {
  id: 'B6',
  title: 'activation of the bundled extension (0 and 5 clusters)',
  async run(): Promise<BenchResult[]> {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run 'npm run build -- --production' first`);
    const size = statSync(BUNDLE).size;
    const runtimeFile = join(ROOT, 'dist', 'clusterRuntime.js');
    const runtimeSize = existsSync(runtimeFile) ? statSync(runtimeFile).size : 0;
    const none = measure(0);
    const five = measure(5);
    const total = five.requireMs + five.activateMs;
    return [
      {
        id: 'B6.activate',
        what: 'require + activate, 5 clusters configured (median of 7 cold starts)',
        figure: `${total.toFixed(1)} ms (require ${five.requireMs.toFixed(1)}, activate ${five.activateMs.toFixed(1)})`,
        baseline: `${(none.requireMs + none.activateMs).toFixed(1)} ms with 0 clusters`,
        ratio: total / (none.requireMs + none.activateMs),
        target: '<= 20 ms with 5 clusters',
        pass: total <= 20,
        longestBlockMs: total,
      },
      {
        id: 'B6.bundle',
        what: 'bundle: dist/extension.js (loaded at activation) + dist/clusterRuntime.js (on first use)',
        figure: `${(size / 1024).toFixed(0)} KiB + ${(runtimeSize / 1024).toFixed(0)} KiB`,
        baseline: '1536 KiB (target)',
        ratio: (size + runtimeSize) / (1536 * 1024),
        target: '<= 1.5 MB in all',
        pass: size + runtimeSize <= 1536 * 1024,
        longestBlockMs: 0,
      },
    ];
  },
};
