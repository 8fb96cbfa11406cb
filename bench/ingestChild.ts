// One ingest measurement in a fresh process, so that time and peak memory belong to that measurement alone.
// usage: node --import tsx --expose-gc bench/ingestChild.ts <ours|baseline> <file-list.json>
//        node --import tsx --expose-gc bench/ingestChild.ts append <run-file>
// Prints one JSON object on stdout.
import { appendFileSync, createReadStream, readFileSync, statSync, watch } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname } from 'node:path';
import { Catalog } from '../src/core/ingest/catalog';

export interface IngestSample {
  mode: string;
  bytes: number;
  /** Wall-clock seconds, and CPU seconds (user + system, all threads): the machine is shared, CPU time is steadier. */
  seconds: number;
  cpuSeconds: number;
  MBps: number;
  MBpsCpu: number;
  /** Numeric values seen (baseline) or points stored (ours). */
  points: number;
  runs: number;
  rssStartMB: number;
  peakRssMB: number;
  /** Peak of V8 heap + array buffers (our series columns live in array buffers, outside the V8 heap). */
  peakHeapMB: number;
  /** Heap + array buffers still used after ingest and a full GC, with the runs alive: what the parsed runs occupy. */
  retainedMB: number;
}

const MB = 1 << 20;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const used = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;

/** Samples memory while async work runs (the readers await between chunks, so the timer gets turns). */
function memoryProbe(): { stop(): { peakRss: number; peakHeap: number } } {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, used(m));
  };
  sample();
  const t = setInterval(sample, 5);
  return {
    stop() {
      clearInterval(t);
      sample();
      // maxRSS (KiB) is the kernel's own high-water mark: it catches a peak between samples
      return { peakRss: Math.max(peakRss, process.resourceUsage().maxRSS * 1024), peakHeap };
    },
  };
}

/** The comparison point: the same bytes through readline, each line JSON.parse'd (CSV: split and Number'ed). */
async function baseline(files: string[]): Promise<number> {
  let points = 0;
  for (const file of files) {
    const csv = file.endsWith('.csv');
    let header = csv;
    const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    for await (const line of rl) {
      if (csv) {
        if (header) {
          header = false;
          continue;
        }
        for (const cell of line.split(',')) if (cell !== '' && Number.isFinite(Number(cell))) points++;
      } else if (line) {
        const obj = JSON.parse(line) as Record<string, unknown>;
        for (const k in obj) if (typeof obj[k] === 'number') points++;
      }
    }
  }
  return points;
}

/** The catalog of the last `ours` run, kept reachable until its retained memory has been measured. */
let kept: Catalog | undefined;

async function ours(files: string[]): Promise<number> {
  // One root per run folder: the catalog walks, detects and reads exactly these runs (configs included).
  const catalog = new Catalog([...new Set(files.map((f) => dirname(f)))]);
  await catalog.scan();
  let points = 0;
  for (const run of catalog.runs()) for (const s of run.metrics.all()) points += s.count;
  const problems = catalog.diagnostics();
  if (problems.length) throw new Error(`unexpected diagnostics: ${JSON.stringify(problems.slice(0, 3))}`);
  kept = catalog;
  return points;
}

async function measure(mode: 'ours' | 'baseline', files: string[]): Promise<IngestSample> {
  const bytes = files.reduce((a, f) => a + statSync(f).size, 0);
  gc();
  const start = process.memoryUsage();
  const probe = memoryProbe();
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const points = mode === 'ours' ? await ours(files) : await baseline(files);
  const cpu = process.cpuUsage(c0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const { peakRss, peakHeap } = probe.stop();
  gc();
  const retained = used(process.memoryUsage());
  const runs = kept?.runs().length ?? 0; // reading it keeps the catalog alive through the measurement above
  kept = undefined;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    mode,
    bytes,
    seconds,
    cpuSeconds,
    MBps: bytes / MB / seconds,
    MBpsCpu: bytes / MB / cpuSeconds,
    points,
    runs,
    rssStartMB: start.rss / MB,
    peakRssMB: peakRss / MB,
    peakHeapMB: peakHeap / MB,
    retainedMB: retained / MB,
  };
}

/** 1,000 lines as the corpus writes them, from `step` on. */
function lines(csv: boolean, step: number): string {
  let text = '';
  for (let i = 0; i < 1000; i++, step++) {
    text += csv
      ? `0,0.5,0.0001,${step},120000.5,${2 + i / 1e4},,\n`
      : `{"train/loss": ${2 + i / 1e4}, "train/lr": 0.0001, "train/grad_norm": 0.5, "perf/tokens_per_sec": 120000.5, "perf/mfu": 0.41, "train/tokens": ${step * 524288}, "_step": ${step}, "_runtime": ${step * 0.43}, "_timestamp": ${1.7e9 + step}}\n`;
  }
  return text;
}

/**
 * Appends 1,000 lines to a run a catalog already read (a copy the caller made: the corpus stays as generated) and
 * times how long until the catalog has them: (1) applyFileEvents([file]) right after the append, as a watcher's
 * queue calls it; (2) end to end through fs.watch: append → change event → applyFileEvents → points visible.
 */
async function append(file: string): Promise<Record<string, number>> {
  const catalog = new Catalog([dirname(file)]);
  await catalog.scan();
  const csv = file.endsWith('.csv');
  const name = csv ? 'train_loss' : 'train/loss';
  const count = () => catalog.runs()[0].metrics.find(name)?.logged ?? 0;
  let step = 10_000_000;
  const times: number[] = [];
  for (let rep = 0; rep < 9; rep++, step += 1000) {
    const before = count();
    appendFileSync(file, lines(csv, step));
    const t0 = process.hrtime.bigint();
    await catalog.applyFileEvents([file]);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (count() - before !== 1000) throw new Error(`the catalog picked up ${count() - before} of 1000 appended points`);
  }
  const watched: number[] = [];
  const watcher = watch(file);
  try {
    for (let rep = 0; rep < 7; rep++, step += 1000) {
      const before = count();
      const text = lines(csv, step);
      watched.push(
        await new Promise<number>((done, fail) => {
          let busy = false;
          let again = false;
          let t0 = 0n;
          // one read at a time, as the extension's coalescing queue does; events during a read cause one more
          const handle = async (): Promise<void> => {
            if (busy) {
              again = true;
              return;
            }
            busy = true;
            try {
              do {
                again = false;
                await catalog.applyFileEvents([file]);
                // events that arrived while applyFileEvents ran set `again` (TypeScript cannot see that across the await)
              } while (again as boolean);
            } catch (e) {
              fail(e instanceof Error ? e : new Error(String(e)));
            }
            busy = false;
            if (count() - before >= 1000) {
              watcher.off('change', onChange);
              done(Number(process.hrtime.bigint() - t0) / 1e6);
            }
          };
          const onChange = (): void => void handle();
          watcher.on('change', onChange);
          t0 = process.hrtime.bigint();
          appendFileSync(file, text);
        }),
      );
      await new Promise((r) => setTimeout(r, 20)); // let late events of this append pass
    }
  } finally {
    watcher.close();
  }
  const stats = (xs: number[], p: string) => {
    const s = [...xs].sort((a, b) => a - b);
    return { [`${p}median_ms`]: s[s.length >> 1], [`${p}min_ms`]: s[0], [`${p}max_ms`]: s[s.length - 1] };
  };
  return { fileMB: statSync(file).size / MB, ...stats(times, ''), ...stats(watched, 'watch_') };
}

async function main(): Promise<void> {
  const [mode, arg] = process.argv.slice(2);
  let out: unknown;
  if (mode === 'append') out = await append(arg);
  else if (mode === 'ours' || mode === 'baseline')
    out = await measure(mode, JSON.parse(readFileSync(arg, 'utf8')) as string[]);
  else throw new Error(`unknown mode ${mode}`);
  process.stdout.write(JSON.stringify(out) + '\n');
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
