import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { rng } from '../src/core/fit/random';

/**
 * The ingest bench's input: ~540 MB of JSONL and CSV training logs in many run folders, written once into
 * bench/.corpus (git-ignored) and reused while the manifest matches. Lines look like what trainers write: W&B-style
 * flat dicts with `/` keys, nanoGPT-style dicts, a few nested dicts, and Lightning CSVs with sparse val rows,
 * with Python's full-precision float reprs (which is what makes real logs long).
 */
export const CORPUS_DIR = resolve(__dirname, '.corpus');
const VERSION = 3; // 3: noise from the shared mulberry32 rng
const MB = 1 << 20;

export interface CorpusRun {
  kind: 'jsonl' | 'csv';
  /** The run folder, absolute. */
  dir: string;
  file: string;
  bytes: number;
}

export interface Corpus {
  version: number;
  runs: CorpusRun[];
  bytes: { jsonl: number; csv: number; total: number };
}

type Style = 'wandb' | 'nanogpt' | 'nested';

function jsonlLine(style: Style, step: number, r: () => number, start: number): string {
  const loss = 2 + 8 / Math.sqrt(1 + step / 50) + 0.02 * (r() - 0.5);
  const lr = 3e-4 * (0.1 + 0.9 * Math.cos((Math.PI / 2) * Math.min(1, step / 2e5)));
  const tokens = step * 524288;
  const val = step % 50 === 0;
  if (style === 'nanogpt') {
    const extra = val ? `, "val_loss": ${loss + 0.03 * r()}` : '';
    return `{"iter": ${step}, "loss": ${loss}${extra}, "lr": ${lr}, "tokens": ${tokens}, "dt_ms": ${412 + 30 * r()}, "mfu": ${0.41 + 0.02 * r()}}\n`;
  }
  if (style === 'nested') {
    const v = val ? `, "val": {"loss": ${loss + 0.03 * r()}, "ppl": ${Math.exp(loss)}}` : '';
    return `{"step": ${step}, "train": {"loss": ${loss}, "lr": ${lr}, "grad_norm": ${0.3 + r()}}, "perf": {"tokens_per_sec": ${1.2e5 + 1e4 * r()}, "mfu": ${0.41 + 0.02 * r()}}${v}, "tokens": ${tokens}}\n`;
  }
  const rt = step * 0.43 + r();
  const v = val ? `, "val/loss": ${loss + 0.03 * r()}, "val/ppl": ${Math.exp(loss)}` : '';
  return `{"train/loss": ${loss}, "train/lr": ${lr}, "train/grad_norm": ${0.3 + r()}, "perf/tokens_per_sec": ${1.2e5 + 1e4 * r()}, "perf/mfu": ${0.41 + 0.02 * r()}${v}, "train/tokens": ${tokens}, "_step": ${step}, "_runtime": ${rt}, "_timestamp": ${start + rt}}\n`;
}

/** Lightning CSVLogger: sorted header, a train row per log step, a val row every 50 (sparse cells). */
const CSV_HEADER = 'epoch,grad_norm,lr-AdamW,step,tokens_per_sec,train_loss,val_loss,val_ppl\n';
function csvLines(step: number, r: () => number): string {
  const loss = 2 + 8 / Math.sqrt(1 + step / 50) + 0.02 * (r() - 0.5);
  const lr = 3e-4 * (0.1 + 0.9 * Math.cos((Math.PI / 2) * Math.min(1, step / 2e5)));
  const epoch = Math.floor(step / 20000);
  let s = `${epoch},${0.3 + r()},${lr},${step},${1.2e5 + 1e4 * r()},${loss},,\n`;
  if (step % 50 === 0) s += `${epoch},,,${step},,,${loss + 0.03 * r()},${Math.exp(loss)}\n`;
  return s;
}

function writeRun(run: CorpusRun, index: number): void {
  mkdirSync(run.dir, { recursive: true });
  const r = rng(0x9e3779b9 ^ (index * 2654435761));
  const fd = openSync(run.file, 'w');
  const style: Style = index % 10 === 3 ? 'nested' : index % 3 === 1 ? 'nanogpt' : 'wandb';
  try {
    let written = 0;
    let buf = run.kind === 'csv' ? CSV_HEADER : '';
    for (let step = 1; written + buf.length < run.bytes; step++) {
      buf += run.kind === 'csv' ? csvLines(step, r) : jsonlLine(style, step, r, 1.7e9 + index * 86400);
      if (buf.length > MB) {
        written += writeSync(fd, buf);
        buf = '';
      }
    }
    if (buf) written += writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  const cfgName = run.kind === 'csv' ? 'hparams.yaml' : 'config.yaml';
  writeFileSync(
    join(run.dir, cfgName),
    `d_model: ${256 * (1 + (index % 8))}\nn_layers: ${12 + (index % 4) * 4}\nn_heads: 8\nseq_len: 2048\nglobal_batch_size: 256\nvocab_size: 50304\n`,
  );
  run.bytes = statSync(run.file).size;
}

function plan(): CorpusRun[] {
  const runs: CorpusRun[] = [];
  // Sizes 2–14 MB, mixed, so the corpus has many runs of different lengths (~8 MB on average).
  for (let i = 0; i < 40; i++) {
    const dir = join(CORPUS_DIR, 'jsonl', `run-${String(i).padStart(3, '0')}`);
    runs.push({ kind: 'jsonl', dir, file: join(dir, 'metrics.jsonl'), bytes: (2 + ((i * 7) % 13)) * MB });
  }
  for (let i = 0; i < 28; i++) {
    const dir = join(CORPUS_DIR, 'csv', `exp-${String(i % 4)}`, 'lightning_logs', `version_${Math.floor(i / 4)}`);
    runs.push({ kind: 'csv', dir, file: join(dir, 'metrics.csv'), bytes: (2 + ((i * 5) % 13)) * MB });
  }
  return runs;
}

function summarize(runs: CorpusRun[]): Corpus {
  const sum = (k: CorpusRun['kind']) => runs.filter((r) => r.kind === k).reduce((a, r) => a + r.bytes, 0);
  return { version: VERSION, runs, bytes: { jsonl: sum('jsonl'), csv: sum('csv'), total: sum('jsonl') + sum('csv') } };
}

/** Returns the corpus, generating it when missing or out of date. Progress goes to stderr. */
export function ensureCorpus(log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Corpus {
  const manifest = join(CORPUS_DIR, 'manifest.json');
  if (existsSync(manifest)) {
    try {
      const c = JSON.parse(readFileSync(manifest, 'utf8')) as Corpus;
      if (c.version === VERSION && c.runs.every((r) => existsSync(r.file) && statSync(r.file).size === r.bytes))
        return c;
    } catch {
      // unreadable manifest: regenerate
    }
  }
  log(`generating the bench corpus in ${CORPUS_DIR} (~540 MB, once)…`);
  rmSync(CORPUS_DIR, { recursive: true, force: true }); // only ever our own generated folder
  const runs = plan();
  runs.forEach((r, i) => {
    writeRun(r, i);
  });
  const corpus = summarize(runs);
  writeFileSync(manifest, JSON.stringify(corpus, null, 1));
  log(`corpus: ${(corpus.bytes.total / MB).toFixed(0)} MB in ${runs.length} runs`);
  return corpus;
}

/**
 * One run whose JSONL log is `mb` MiB (W&B-style lines, like the corpus), in bench/.corpus/single-<mb>MB/: the
 * memory measurement reads a small and a ten-times larger one. Written once; reused while its size matches.
 */
export function ensureSingleRun(mb: number, log: (s: string) => void = (s) => process.stderr.write(s + '\n')): string {
  const dir = join(CORPUS_DIR, `single-${mb}MB`);
  const file = join(dir, 'metrics.jsonl');
  const stamp = join(dir, 'size.txt');
  if (existsSync(file) && existsSync(stamp) && String(statSync(file).size) === readFileSync(stamp, 'utf8')) return file;
  log(`writing a ${mb} MB single-run log in ${dir} (once)…`);
  const run: CorpusRun = { kind: 'jsonl', dir, file, bytes: mb * MB };
  writeRun(run, 1000 + mb); // index ≠ 3 mod 10: the flat W&B style
  writeFileSync(stamp, String(statSync(file).size));
  return file;
}

/** A subset of whole runs (both kinds, in proportion) adding up to about `bytes`. */
export function subset(corpus: Corpus, bytes: number): CorpusRun[] {
  const out: CorpusRun[] = [];
  for (const kind of ['jsonl', 'csv'] as const) {
    const want = (bytes * corpus.bytes[kind]) / corpus.bytes.total;
    let got = 0;
    for (const r of corpus.runs) {
      if (r.kind !== kind || got >= want) continue;
      out.push(r);
      got += r.bytes;
    }
  }
  return out;
}
