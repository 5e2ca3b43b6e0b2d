#!/usr/bin/env node
// Builds every bundle with esbuild: the extension (Node, CommonJS, `vscode` external), the CLI, the
// webview (browser, ES module) and, with --tests, the extension-host test suite. --production minifies
// and drops source maps; --watch rebuilds on change.
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, rmSync, chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const withTests = args.has('--tests');
const root = new URL('..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  logLevel: 'warning',
  sourcemap: production ? false : 'linked',
  minify: production,
  define: { __MESOS_OPS_VERSION__: JSON.stringify(pkg.version) },
  absWorkingDir: root,
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // the cluster runtime is its own bundle, required on first use (see src/ui/clusters/clusterRuntime.ts)
    external: ['vscode', './clusterRuntime.js'],
  },
  {
    ...common,
    entryPoints: { clusterRuntime: 'src/ui/clusters/clusterRuntime.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/bin.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // the sandbox's stand-in for Jenkins's agent.jar: served by the sandbox Jenkins as jnlpJars/agent.jar
    // and run by sandbox Mesos tasks with `node agent.jar -url … -name … -secret …`
    ...common,
    entryPoints: { 'sandbox-agent': 'src/sandbox/jenkins/inboundAgentMain.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

if (withTests) {
  const dir = join(root, 'test', 'exthost');
  const entries = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => `test/exthost/${f}`);
  builds.push({
    ...common,
    sourcemap: 'inline',
    minify: false,
    entryPoints: entries,
    outdir: 'out/test/exthost',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // mocha stays a runtime require: the suite is loaded inside the extension host from node_modules
    external: ['vscode', 'mocha'],
  });
}

if (!watch) rmSync(join(root, 'dist'), { recursive: true, force: true });
// the webview toolkit ships as its own file (the .vsix carries no node_modules); the panel loads it with a nonce
mkdirSync(join(root, 'dist'), { recursive: true });
copyFileSync(join(root, 'node_modules/@vscode/webview-ui-toolkit/dist/toolkit.min.js'), join(root, 'dist', 'toolkit.min.js'));

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile: true })));
  chmodSync(join(root, 'dist', 'cli.js'), 0o755);
  const sizes = results.flatMap((r) =>
    Object.entries(r.metafile.outputs)
      .filter(([file]) => !file.endsWith('.map'))
      .map(([file, o]) => `${file} ${(o.bytes / 1024).toFixed(1)} KiB`),
  );
  console.log(`built ${production ? '(production) ' : ''}${sizes.join(', ')}`);
}
