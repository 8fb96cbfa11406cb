// Runs the benchmarks: every bench/*.bench.ts module (or those named on the command line) exports
// `run(): Promise<Record<string, unknown>>`. Prints ONE JSON object on stdout, `{ "<name>": {…figures…}, … }`;
// progress and anything a module prints go to stderr.
// usage: node --import tsx bench/run.ts [name…]        (npm run bench builds first, then runs them all)
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

type BenchModule = { run?: () => Promise<Record<string, unknown>> };

async function main(): Promise<number> {
  const available = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length))
    .sort();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}\n`);
    return 2;
  }
  const names = wanted.length ? wanted : available;
  // stdout carries the result only: a module's own console output goes to stderr
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) =>
    (process.stderr.write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  console.log = (...args: unknown[]) => {
    console.error(...args);
  };
  const results: Record<string, unknown> = {};
  let failed = 0;
  for (const name of names) {
    const started = Date.now();
    process.stderr.write(`[bench] ${name}: running…\n`);
    try {
      const mod = (await import(join(__dirname, `${name}.bench.ts`))) as BenchModule;
      if (typeof mod.run !== 'function') throw new Error(`${name}.bench.ts does not export run()`);
      results[name] = await mod.run();
    } catch (e) {
      failed++;
      results[name] = { error: e instanceof Error ? e.message : String(e) };
      process.stderr.write(`[bench] ${name}: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
    process.stderr.write(`[bench] ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  write(JSON.stringify(results, null, 2) + '\n');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
