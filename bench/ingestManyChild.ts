// One `ingestMany` measurement in a fresh process, so that time and peak memory belong to it alone.
// usage: node --expose-gc bench/.corpus/ingestManyChild.js <ours|naive> <corpus-dir>
// Prints one JSON object on stdout.
import { appendFileSync, readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Catalog } from '../src/core/ingest/catalog';

export interface ManySample {
  mode: string;
  seconds: number;
  cpuSeconds: number;
  runs: number;
  /** Files read (naive) or points stored (ours). */
  files: number;
  points: number;
  peakRssMB: number;
  /** Event-loop delay while the scan ran (what an extension host would feel), from monitorEventLoopDelay. */
  loopDelayP99ms: number;
  loopDelayMaxMs: number;
  /** CPU seconds of the main thread alone (Linux; NaN elsewhere): the rest of `cpuSeconds` ran on other threads. */
  mainCpuSeconds: number;
  /** Seconds until the first 100 runs were readable (ours; the catalog reports runs as their readers finish). */
  first100Seconds?: number;
  /** One file appended to, then applyFileEvents([that file]): what a watcher's rescan costs after the scan. */
  rescanOneFileMs?: number;
}

const MB = 1 << 20;

/** CPU time of this process's main thread (its task id is the pid): utime + stime, in clock ticks of 10 ms. */
function mainThreadCpuSeconds(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The comparison point: walk with readdir, read every file whole, JSON.parse every line of the JSONL logs. */
function naive(dir: string): { runs: number; files: number; points: number } {
  let files = 0;
  let points = 0;
  let runs = 0;
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else {
        const text = readFileSync(p, 'utf8');
        files++;
        if (!p.endsWith('.jsonl')) continue;
        runs++;
        for (const line of text.split('\n')) {
          if (!line) continue;
          const obj = JSON.parse(line) as Record<string, unknown>;
          for (const k in obj) if (typeof obj[k] === 'number') points++;
        }
      }
    }
  };
  visit(dir);
  return { runs, files, points };
}

async function ours(
  dir: string,
  sample: Partial<ManySample>,
  t0: bigint,
): Promise<{ runs: number; points: number; catalog: Catalog }> {
  const catalog = new Catalog([dir]);
  let seen = 0;
  await catalog.scan({
    onProgress: (p) => {
      seen = p.runs;
      if (seen >= 100 && sample.first100Seconds === undefined)
        sample.first100Seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    },
  });
  let points = 0;
  for (const run of catalog.runs()) for (const s of run.metrics.all()) points += s.logged;
  const problems = catalog.diagnostics();
  if (problems.length) throw new Error(`unexpected diagnostics: ${JSON.stringify(problems.slice(0, 3))}`);
  return { runs: catalog.runs().length, points, catalog };
}

async function measure(mode: 'ours' | 'naive', dir: string): Promise<ManySample> {
  const sample: Partial<ManySample> = { mode };
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const main0 = mainThreadCpuSeconds();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let result: { runs: number; files?: number; points: number; catalog?: Catalog };
  if (mode === 'naive') result = naive(dir);
  else result = await ours(dir, sample, t0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const mainCpu = mainThreadCpuSeconds() - main0;
  loop.disable();
  // the kernel's high-water mark of this process (a timer sampling RSS would be work of its own during the scan,
  // and it never fired during the naive walk, which does not yield)
  const peakRss = process.resourceUsage().maxRSS * 1024;
  if (result.catalog) {
    // a watcher's event for one file after the scan: only that run is read again
    const file = result.catalog.runs()[0].files[0];
    const size = statSync(file).size;
    appendFileSync(file, '{"step": 1000000, "loss": 1.5}\n');
    try {
      const r0 = process.hrtime.bigint();
      await result.catalog.applyFileEvents([file]);
      sample.rescanOneFileMs = Number(process.hrtime.bigint() - r0) / 1e6;
    } finally {
      truncateSync(file, size); // the corpus stays as generated
    }
  }
  return {
    ...sample,
    mode,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    mainCpuSeconds: mainCpu,
    runs: result.runs,
    files: result.files ?? 0,
    points: result.points,
    peakRssMB: peakRss / MB,
    loopDelayP99ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
  };
}

async function main(): Promise<void> {
  const [mode, dir] = process.argv.slice(2);
  if (mode !== 'ours' && mode !== 'naive') throw new Error(`unknown mode ${mode}`);
  process.stdout.write(JSON.stringify(await measure(mode, dir)) + '\n');
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
