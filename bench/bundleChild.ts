/**
 * Bundles a bench's child process script (run in a fresh Node so its memory and timing are its own) into the
 * corpus folder. esbuild is a dev dependency (the project's build uses it too); the bundle is what `node
 * esbuild.mjs` would ship.
 */
import { build } from 'esbuild';
import { basename, join, resolve } from 'node:path';
import { CORPUS_DIR } from './corpus';

/** `entry` is a file name beside this one (e.g. 'ingestChild.ts'); returns the bundled script's path. */
export async function bundleChild(entry: string): Promise<string> {
  const out = join(CORPUS_DIR, basename(entry).replace(/\.ts$/, '.js'));
  await build({
    entryPoints: [resolve(__dirname, entry)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    external: ['sql.js'],
    logLevel: 'warning',
  });
  return out;
}
