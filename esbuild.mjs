// One build for the four bundles: the extension host, the fit worker, the webview and the CLI.
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
// vega-canvas's node build top-level-awaits an optional `canvas` import, which a cjs bundle cannot hold; SVG
// rendering needs no canvas, so the browser build (which returns null in node) stands in.
const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  alias: { 'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js' },
};

const builds = [
  { ...node, entryPoints: ['src/extension/activate.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // sql.js loads its .wasm next to the bundle; copied there below.
];
if (existsSync('src/worker/fitWorker.ts'))
  builds.push({ ...node, entryPoints: ['src/worker/fitWorker.ts'], outfile: 'dist/fitWorker.js' });
if (existsSync('webview/main.ts'))
  builds.push({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview/main.js',
  });

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
const { copyFileSync, mkdirSync } = await import('node:fs');
mkdirSync('dist', { recursive: true });
if (existsSync('node_modules/sql.js/dist/sql-wasm.wasm'))
  copyFileSync('node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm');
