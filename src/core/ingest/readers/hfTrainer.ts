import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { deriveScale } from '../../config/derive';
import type { ConfigValue } from '../../model/run';
import {
  errorMessage,
  loadConfigs,
  mergeConfig,
  NON_METRIC_KEYS,
  runId,
  setLogFiles,
  SingleRunReader,
} from '../common';
import { parsePythonJson } from '../lines/pythonJson';
import { nearbyConfigs } from '../nearby';
import { isFile } from '../probe';
import type { FileEntry, FormatDef, RunSource, ScanContext } from '../types';

const STATE = 'trainer_state.json';
const CHECKPOINT = /^checkpoint-(\d+)$/;
/** Throughput and wall-clock fields: bookkeeping, not quantities anyone fits a scaling law to. */
const BOOKKEEPING = /(?:_runtime|_per_second)$/;
/**
 * Top-level state fields kept as config (`trainer_state.<field>`): the schedule, where it got to, and the best
 * checkpoint. `train_batch_size` is the per-process batch (per-device × GPUs of the process), which is what the
 * `batch_size` alias means; FLOPs and tokens also become facts (below).
 */
const STATE_CONFIG = [
  'global_step',
  'max_steps',
  'num_train_epochs',
  'logging_steps',
  'eval_steps',
  'save_steps',
  'epoch',
  'train_batch_size',
  'total_flos',
  'num_input_tokens_seen',
  'best_metric',
  'best_global_step',
];

interface Candidate {
  path: string;
  sig: string;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * A Hugging Face Trainer output folder. The Trainer rewrites `trainer_state.json` whole at each save, in a new
 * `checkpoint-<step>/` folder (older ones are rotated away by save_total_limit) and, after save_state(), in the
 * output folder itself. Each file holds the full log history so far, so only the newest one is read; on a change
 * the metrics are replaced, not appended.
 */
export class HfTrainerReader extends SingleRunReader {
  private loaded: Candidate | undefined;
  /** Signature of each file that failed to parse, so a broken file is reported once, not on every update. */
  private readonly failed = new Map<string, string>();
  private configLoaded = false;

  async update(): Promise<boolean> {
    if (!this.configLoaded) {
      this.configLoaded = true;
      await loadConfigs(this.run, this.src.configFiles, this.sink);
    }
    const candidates = await this.candidates();
    setLogFiles(this.run, [...this.src.files, ...candidates.map((c) => c.path)]);
    for (const c of candidates) {
      const isLoaded = this.loaded?.path === c.path;
      if (isLoaded && this.loaded?.sig === c.sig) return false; // the newest readable state is what we have
      if (this.failed.get(c.path) === c.sig) {
        if (isLoaded) return false;
        continue;
      }
      const state = await this.parse(c.path);
      if (!state) {
        this.failed.set(c.path, c.sig);
        // Keep what we have: an older checkpoint's history is staler than the data already shown.
        if (isLoaded) return false;
        continue;
      }
      this.failed.delete(c.path);
      this.fill(state, c.path);
      this.loaded = c;
      deriveScale(this.run, this.opts);
      return true;
    }
    return false;
  }

  /** Every trainer_state.json of the run, newest first: checkpoints by step, the top-level file first if newer. */
  private async candidates(): Promise<Candidate[]> {
    const out = this.src.dir;
    const found: { path: string; step: number; mtime: number; sig: string }[] = [];
    const add = async (path: string, step: number) => {
      try {
        const st = await stat(path);
        if (st.isFile()) found.push({ path, step, mtime: st.mtimeMs, sig: `${st.size}:${st.mtimeMs}` });
      } catch {
        // rotated away by save_total_limit, or not written yet
      }
    };
    let names: string[] = [];
    try {
      names = await readdir(out);
    } catch (e) {
      this.sink.add(out, `cannot list output folder: ${errorMessage(e)}`, undefined, 'error');
    }
    // Checkpoints created after the scan are found here, without waiting for a rescan.
    for (const n of names) {
      const m = CHECKPOINT.exec(n);
      if (m) await add(join(out, n, STATE), Number(m[1]));
    }
    await add(join(out, STATE), -1);
    for (const f of this.src.files) if (!found.some((c) => c.path === f)) await add(f, -2);
    const others = new Set(this.src.othersFiles ?? []);
    const ckpts = found.filter((c) => c.step >= 0 && !others.has(c.path)).sort((a, b) => b.step - a.step);
    const top = found.filter((c) => c.step < 0);
    const topFirst = top.length > 0 && (ckpts.length === 0 || top[0].mtime >= ckpts[0].mtime);
    return (topFirst ? [...top, ...ckpts] : [...ckpts, ...top]).map(({ path, sig }) => ({ path, sig }));
  }

  private async parse(file: string): Promise<Json | undefined> {
    this.sink.reset(file);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      this.sink.add(file, `cannot read: ${errorMessage(e)}`, undefined, 'error');
      return undefined;
    }
    if (text.includes('\0')) {
      this.sink.add(file, 'binary content in a file named like a Trainer state; not read', 'byte 0', 'error');
      return undefined;
    }
    let data: unknown;
    try {
      data = parsePythonJson(text); // a diverged loss is written as NaN
    } catch (e) {
      // JSON.parse's error says where the file is broken (often truncated mid-write).
      this.sink.add(file, `not valid JSON (${errorMessage(e)}); previous data kept`, undefined, 'error');
      return undefined;
    }
    if (!isObject(data) || !Array.isArray(data.log_history)) {
      this.sink.add(file, 'no log_history list: not a Trainer state file; previous data kept', undefined, 'error');
      return undefined;
    }
    return data;
  }

  private fill(state: Json, file: string): void {
    const run = this.run;
    run.metrics.clear();
    delete run.facts.flops;
    delete run.facts.tokens_seen;
    const history = state.log_history as unknown[];
    let lastTokens: number | undefined;
    let finalFlos: number | undefined;
    history.forEach((entry, i) => {
      if (!isObject(entry)) {
        this.sink.add(file, 'log_history entry is not an object; skipped', `log_history[${i}]`);
        return;
      }
      const step = num(entry.step) ?? i;
      const tokens = num(entry.num_input_tokens_seen);
      if (tokens !== undefined) lastTokens = tokens;
      for (const [k, v] of Object.entries(entry)) {
        if (NON_METRIC_KEYS.has(k.toLowerCase()) || BOOKKEEPING.test(k)) continue;
        if (k === 'total_flos') {
          finalFlos = num(v);
          continue;
        }
        if (typeof v === 'number') run.metrics.get(k).push(step, v, tokens ?? NaN); // NaN/±Inf kept: divergence is data
      }
    });
    const where = `in ${STATE}`;
    const flos = num(state.total_flos) ?? finalFlos;
    // The Trainer leaves total_flos at 0 when the model cannot count its FLOPs: that is "unknown", not zero.
    if (flos !== undefined && flos > 0) run.facts.flops = { value: flos, provenance: `total_flos ${where}` };
    const seen = num(state.num_input_tokens_seen) ?? lastTokens;
    if (seen !== undefined && seen > 0)
      run.facts.tokens_seen = { value: seen, provenance: `num_input_tokens_seen ${where}` };
    const cfg: Record<string, ConfigValue> = {};
    // null is kept (best_metric before any evaluation): the field is there, and says there is no value yet
    for (const k of STATE_CONFIG)
      if (num(state[k]) !== undefined || (k in state && state[k] === null))
        cfg[`trainer_state.${k}`] = state[k] as number | null;
    // Values from the newest state replace the previous file's: they are the current schedule.
    for (const k of Object.keys(cfg)) Reflect.deleteProperty(run.config, k);
    mergeConfig(run, cfg, file);
  }
}

/** The output folder of a trainer_state.json: the parent of a checkpoint-<step> folder, else its own folder. */
function outputDir(f: FileEntry): string {
  return CHECKPOINT.test(basename(f.dir)) ? dirname(f.dir) : f.dir;
}

/** Config files of a Trainer run: its own folder's, its newest checkpoint's model/adapter config, a shared parent's. */
async function trainerConfigs(out: string, files: FileEntry[], ctx: ScanContext): Promise<string[]> {
  const configs = await nearbyConfigs(out, ctx);
  // training_args.json is what some scripts dump beside the binary training_args.bin (which is pickled: ignored).
  const extra = [join(out, 'training_args.json')];
  // The model's config.json (a PEFT adapter's adapter_config.json) is saved in every checkpoint; the final one may
  // be missing until save_model().
  const newest = files.filter((f) => f.dir !== out).sort((a, b) => checkpointStep(b) - checkpointStep(a));
  if (newest.length) extra.push(join(newest[0].dir, 'config.json'), join(newest[0].dir, 'adapter_config.json'));
  const found: string[] = [];
  for (const p of extra) if (!configs.includes(p) && (await isFile(p))) found.push(p);
  // Earlier files win on conflicts: the run's own folder, then its checkpoint, then a shared parent config.
  const own = configs.filter((p) => dirname(p) === out);
  return [...own, ...found, ...configs.filter((p) => dirname(p) !== out)];
}

/** The `max_steps` a state file was written with (undefined when unreadable): one value per training. */
async function maxStepsOf(path: string): Promise<number | undefined> {
  try {
    const m = /"max_steps"\s*:\s*(\d+)/.exec(await readFile(path, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // the reader reports it
  }
}

/** The step of a state file's checkpoint folder; -1 for the output folder's own state file. */
const checkpointStep = (f: FileEntry): number => Number(CHECKPOINT.exec(basename(f.dir))?.[1] ?? -1);

/**
 * The trainings whose states share one output folder: usually one (checkpoints of one run, whose snapshots repeat
 * each other), but a script re-run with another schedule into the same folder leaves checkpoints of a different
 * training (another `max_steps`). Those become runs of their own, named by their newest checkpoint folder.
 * The training of the newest state (the top-level file, else the highest checkpoint) keeps the output folder.
 */
async function trainingsOf(out: string, files: FileEntry[]): Promise<FileEntry[][]> {
  if (files.length < 2) return [files];
  const newestFirst = (a: FileEntry, b: FileEntry) =>
    a.dir === out ? -1 : b.dir === out ? 1 : checkpointStep(b) - checkpointStep(a);
  const sorted = [...files].sort(newestFirst);
  const maxes = await Promise.all(sorted.map((f) => maxStepsOf(f.path)));
  // unreadable or cut files (no max_steps) stay with the main training: its reader reports them or falls back
  const main = maxes.find((m) => m !== undefined);
  const byMax = new Map<number | undefined, FileEntry[]>();
  sorted.forEach((f, i) => {
    const key = maxes[i] ?? main;
    byMax.set(key, [...(byMax.get(key) ?? []), f]);
  });
  const groups = [...byMax.values()];
  // the main training first: the one holding the newest file
  return groups.sort((a, b) => newestFirst(a[0], b[0]));
}

export const hfTrainerFormat: FormatDef = {
  format: 'hf-trainer',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const perOut = new Map<string, FileEntry[]>();
    for (const f of pool) {
      if (f.name !== STATE) continue;
      const out = outputDir(f);
      perOut.set(out, [...(perOut.get(out) ?? []), f]);
    }
    const sources: RunSource[] = [];
    for (const [out, all] of perOut) {
      const trainings = await trainingsOf(out, all);
      for (const [i, files] of trainings.entries()) {
        // the main training keeps the output folder; another one lives in its newest checkpoint folder
        const dir = i === 0 ? out : files[0].dir;
        const othersFiles = all.filter((f) => !files.includes(f)).map((f) => f.path);
        sources.push({
          id: runId(ctx.root, dir),
          format: 'hf-trainer',
          dir,
          files: files.map((f) => f.path),
          configFiles: await trainerConfigs(dir, files, ctx),
          othersFiles,
        });
      }
    }
    return sources;
  },
  open: (src, opts) => new HfTrainerReader(src, opts),
};
