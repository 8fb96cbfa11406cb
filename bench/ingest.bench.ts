/**
 * Ingest speed and memory (issue #2), on the generated corpus (bench/corpus.ts: ≥ 500 MB of JSONL and CSV logs in
 * 68 run folders):
 * - throughput of our readers (Catalog.scan over every run folder: walk, detect, read, store every point) beside the
 *   baseline: the same bytes through readline, each line JSON.parse'd (CSV: split and Number'ed), in the same run.
 *   Each measurement is a fresh child process; ours and the baseline alternate, five times, and the medians count.
 *   MB/s is given by wall clock and by CPU time: the machine is shared, and wall clock then measures the scheduler
 *   as much as the code (the load average is reported). The verdict uses CPU time.
 * - peak memory reading one 50 MB log and one 500 MB log, each in its own process: it must not grow with file size.
 * - the time to pick up 1,000 lines appended to one watched file: Catalog.applyFileEvents after the append, and
 *   the same through an fs.watch event (append → event → applyFileEvents → points visible).
 * The children run the readers as esbuild bundles them for the extension and the CLI (bench/.corpus/ingestChild.js).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { bundleChild } from './bundleChild';
import { CORPUS_DIR, ensureCorpus, ensureSingleRun } from './corpus';
import type { IngestSample } from './ingestChild';

/** Alternating pairs (ours, baseline) on the whole corpus; the medians count. */
const REPS = 5;
const log = (s: string) => process.stderr.write(`[ingest] ${s}\n`);

function child(bundle: string, args: string[]): unknown {
  const out = execFileSync(process.execPath, ['--expose-gc', bundle, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out) as unknown;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const round = (x: number, d = 1): number => Number(x.toFixed(d));

/** Ours and the baseline on the same files, alternating, REPS times each; medians of wall and CPU MB/s. */
function throughput(bundle: string, files: string[], name: string, reps: number): Record<string, number | string> {
  const list = join(CORPUS_DIR, `files-${name}.json`);
  writeFileSync(list, JSON.stringify(files));
  const ours: IngestSample[] = [];
  const base: IngestSample[] = [];
  for (let r = 0; r < reps; r++) {
    // alternate which goes first, so neither always reads a colder page cache
    for (const mode of r % 2 === 0 ? ['baseline', 'ours'] : ['ours', 'baseline']) {
      const s = child(bundle, [mode, list]) as IngestSample;
      (mode === 'ours' ? ours : base).push(s);
      log(
        `${name} ${mode}: ${s.MBps.toFixed(1)} MB/s wall, ${s.MBpsCpu.toFixed(1)} MB/s CPU, peak RSS ${s.peakRssMB.toFixed(0)} MB`,
      );
    }
  }
  const range = (xs: number[]) => `${round(Math.min(...xs))}–${round(Math.max(...xs))}`;
  return {
    MB: round(ours[0].bytes / (1 << 20)),
    ours_MBps_cpu: round(median(ours.map((s) => s.MBpsCpu))),
    baseline_MBps_cpu: round(median(base.map((s) => s.MBpsCpu))),
    ours_MBps_cpu_range: range(ours.map((s) => s.MBpsCpu)),
    baseline_MBps_cpu_range: range(base.map((s) => s.MBpsCpu)),
    ours_MBps_wall: round(median(ours.map((s) => s.MBps))),
    baseline_MBps_wall: round(median(base.map((s) => s.MBps))),
    ours_points_stored: ours[0].points,
    ours_peak_rss_MB: round(median(ours.map((s) => s.peakRssMB))),
    baseline_peak_rss_MB: round(median(base.map((s) => s.peakRssMB))),
    ours_retained_MB: round(median(ours.map((s) => s.retainedMB))),
  };
}

function memory(bundle: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const mb of [50, 500]) {
    const file = ensureSingleRun(mb);
    const list = join(CORPUS_DIR, `files-single-${mb}.json`);
    writeFileSync(list, JSON.stringify([file]));
    const s = child(bundle, ['ours', list]) as IngestSample;
    const b = child(bundle, ['baseline', list]) as IngestSample;
    log(
      `${mb} MB log: ours peak RSS ${s.peakRssMB.toFixed(0)} MB (heap+buffers ${s.peakHeapMB.toFixed(0)} MB), baseline ${b.peakRssMB.toFixed(0)} MB`,
    );
    out[`ours_${mb}MB_peak_rss_MB`] = round(s.peakRssMB);
    out[`ours_${mb}MB_peak_heap_MB`] = round(s.peakHeapMB);
    out[`ours_${mb}MB_retained_MB`] = round(s.retainedMB);
    out[`baseline_${mb}MB_peak_rss_MB`] = round(b.peakRssMB);
    out[`ours_${mb}MB_MBps_cpu`] = round(s.MBpsCpu);
  }
  out.ours_peak_rss_ratio_500_vs_50 = round(out.ours_500MB_peak_rss_MB / out.ours_50MB_peak_rss_MB, 2);
  out.target_ratio_max = 1.25;
  return out;
}

function append(bundle: string, corpusFile: string, kind: string): Record<string, number> {
  // a copy: the corpus stays as generated (its manifest checks sizes)
  const dir = join(CORPUS_DIR, 'append', kind, 'run');
  rmSync(join(CORPUS_DIR, 'append', kind), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, kind === 'csv' ? 'metrics.csv' : 'metrics.jsonl');
  copyFileSync(corpusFile, file);
  const r = child(bundle, ['append', file]) as Record<string, number>;
  log(
    `append 1,000 ${kind} lines to a ${r.fileMB.toFixed(1)} MB file: applyFileEvents ${r.median_ms.toFixed(1)} ms, through fs.watch ${r.watch_median_ms.toFixed(1)} ms (medians)`,
  );
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v, 2)]));
}

export async function run(): Promise<Record<string, unknown>> {
  const corpus = ensureCorpus(log);
  const bundle = await bundleChild('ingestChild.ts');
  const all = corpus.runs.map((r) => r.file);
  const load = loadavg()[0];
  log(
    `corpus: ${(corpus.bytes.total / (1 << 20)).toFixed(0)} MB in ${corpus.runs.length} runs; load average ${load.toFixed(2)}`,
  );
  const total = throughput(bundle, all, 'all', REPS);
  const jsonl = throughput(
    bundle,
    corpus.runs.filter((r) => r.kind === 'jsonl').map((r) => r.file),
    'jsonl',
    1,
  );
  const csv = throughput(
    bundle,
    corpus.runs.filter((r) => r.kind === 'csv').map((r) => r.file),
    'csv',
    1,
  );
  const mem = memory(bundle);
  const mid = (kind: 'jsonl' | 'csv') =>
    corpus.runs.filter((r) => r.kind === kind).sort((a, b) => a.bytes - b.bytes)[Math.floor(corpus.runs.length / 4)]
      ?.file ?? corpus.runs[0].file;
  const appendJsonl = append(bundle, mid('jsonl'), 'jsonl');
  const appendCsv = append(bundle, mid('csv'), 'csv');
  return {
    corpus_MB: round(corpus.bytes.total / (1 << 20)),
    corpus_runs: corpus.runs.length,
    load_average_1min: round(loadavg()[0], 2),
    ...total,
    target: 'ours_MBps_cpu >= baseline_MBps_cpu',
    meets_target: Number(total.ours_MBps_cpu) >= Number(total.baseline_MBps_cpu),
    ours_vs_baseline_cpu: round(Number(total.ours_MBps_cpu) / Number(total.baseline_MBps_cpu), 2),
    jsonl_ours_MBps_cpu: jsonl.ours_MBps_cpu,
    jsonl_baseline_MBps_cpu: jsonl.baseline_MBps_cpu,
    csv_ours_MBps_cpu: csv.ours_MBps_cpu,
    csv_baseline_MBps_cpu: csv.baseline_MBps_cpu,
    memory: mem,
    memory_flat: mem.ours_peak_rss_ratio_500_vs_50 <= mem.target_ratio_max,
    append_1000_lines_jsonl_ms: appendJsonl.median_ms,
    append_1000_lines_jsonl_watch_ms: appendJsonl.watch_median_ms,
    append_1000_lines_csv_ms: appendCsv.median_ms,
    append_1000_lines_csv_watch_ms: appendCsv.watch_median_ms,
    append_detail: { jsonl: appendJsonl, csv: appendCsv },
  };
}
