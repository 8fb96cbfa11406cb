import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

let bundled: string | undefined;

/**
 * The fit worker bundled from its source with esbuild, as the extension's build does (Node's workers refuse .ts).
 * Built once per test process.
 */
export function fitWorkerScript(): string {
  if (bundled) return bundled;
  const script = join(mkdtempSync(join(tmpdir(), 'fit-worker-')), 'fitWorker.js');
  buildSync({
    entryPoints: [resolve(__dirname, '../../src/worker/fitWorker.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'error',
  });
  bundled = script;
  return script;
}
