import { basename, relative, sep } from 'node:path';
import { isUnder } from './catalogPaths';
import { flattenConfig } from '../config/flatten';
import { parseConfigYaml } from '../config/yaml';
import { MetricTable } from '../model/series';
import { readHead } from './readAhead';
import { parseSimpleYaml } from './simpleYaml';
import type { ConfigValue, Diagnostic, Run } from '../model/run';
import type { ReaderOptions, RunReader, RunSource } from './types';
import type { AliasTable } from '../config/aliases';

export function newRun(src: RunSource, opts: ReaderOptions = {}): Run {
  return {
    id: src.id,
    format: src.format,
    dir: src.dir,
    files: [...src.files],
    config: {},
    configFrom: {},
    metrics: new MetricTable(opts.maxPointsPerSeries),
    facts: {},
  };
}

/** Run id: the run's folder relative to the scan root ("." becomes the root's own name). */
export function runId(root: string, dir: string, suffix?: string): string {
  // a folder the walk found below the root is that folder's path after the root's: path.relative resolves both
  // paths again, a string piece at a time, for every run
  const native =
    dir === root
      ? ''
      : isUnder(dir, root)
        ? dir.slice(root.endsWith(sep) ? root.length : root.length + 1)
        : relative(root, dir);
  const rel = native.includes('\\') ? native.split('\\').join('/') : native; // as before: ids use '/' only
  const base = rel === '' ? basename(root) : rel;
  return suffix ? `${base}/${suffix}` : base;
}

/** Caps diagnostics per file so a file with a million bad lines reports a handful and a count. */
export class DiagnosticSink {
  /** Made at the first problem: most sinks never get one (each of 10,000 runs has a sink). */
  private counts: Map<string, number> | undefined;
  constructor(
    readonly list: Diagnostic[],
    private readonly perFile = 20,
  ) {}

  add(file: string, message: string, position?: string, severity: Diagnostic['severity'] = 'warning'): void {
    // The same problem found again (a file still unreadable at the next update) is listed once.
    if (this.list.some((d) => d.file === file && d.message === message && d.position === position)) return;
    const counts = (this.counts ??= new Map<string, number>());
    const n = (counts.get(file) ?? 0) + 1;
    counts.set(file, n);
    if (n <= this.perFile) this.list.push({ file, position, message, severity });
    else if (n === this.perFile + 1)
      this.list.push({
        file,
        message: `more problems in this file; only the first ${this.perFile} are listed`,
        severity,
      });
  }

  /** Removes the listed problems of one file that `which` picks (a condition that no longer holds). */
  withdraw(file: string, which: (d: Diagnostic) => boolean): void {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const d = this.list[i];
      if (d.file !== file || !which(d)) continue;
      this.list.splice(i, 1);
      this.counts?.set(file, Math.max(0, (this.counts.get(file) ?? 1) - 1));
    }
  }

  /** Forgets one file's problems (it is being read again from the start). */
  reset(file: string): void {
    this.counts?.delete(file);
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i].file === file) this.list.splice(i, 1);
  }
}

export function errorMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException | null | undefined;
  if (err && err.code === 'EACCES') return 'permission denied';
  if (err && err.code === 'ENOENT') return 'file disappeared while reading';
  return err && err.message ? err.message : String(e);
}

/** Parses a YAML or JSON config file into a flat record; problems go to the sink. */
export async function loadConfigFile(
  path: string,
  sink: DiagnosticSink,
): Promise<Record<string, ConfigValue> | undefined> {
  let text: string;
  try {
    text = (await readHead(path, Infinity)).bytes.toString('utf8'); // whole: a config is read at once
  } catch (e) {
    sink.add(path, `cannot read config: ${errorMessage(e)}`, undefined, 'error');
    return undefined;
  }
  try {
    const data: unknown = path.endsWith('.json') ? JSON.parse(text) : (parseSimpleYaml(text) ?? parseConfigYaml(text));
    if (data === null || typeof data !== 'object') {
      sink.add(path, 'config is not a mapping of keys to values');
      return undefined;
    }
    return flattenConfig(data);
  } catch (e) {
    sink.add(path, `config does not parse: ${errorMessage(e).split('\n')[0]}`, undefined, 'error');
    return undefined;
  }
}

/** Merges a config file into the run; later files do not override keys an earlier (more specific) file set. */
export function mergeConfig(run: Run, cfg: Record<string, ConfigValue>, file: string): void {
  for (const k in cfg) {
    if (k in run.config) continue;
    run.config[k] = cfg[k];
    run.configFrom[k] = file;
  }
}

export async function loadConfigs(run: Run, files: string[], sink: DiagnosticSink): Promise<void> {
  for (const f of files) {
    const cfg = await loadConfigFile(f, sink);
    if (!cfg) continue;
    mergeConfig(run, cfg, f);
    addConfigFile(run, f);
  }
}

/** Lists a file the run's config came from in its `files`, after the metric logs. */
export function addConfigFile(run: Run, file: string): void {
  const known = run.configFiles ?? [];
  if (!known.includes(file)) run.configFiles = [...known, file];
  if (!run.files.includes(file)) run.files.push(file);
}

/** Sets the run's metric logs (a reader found new ones), keeping its config files after them. */
export function setLogFiles(run: Run, logs: string[]): void {
  const configs = run.configFiles ?? [];
  run.files = [...new Set([...logs.filter((f) => !configs.includes(f)), ...configs])];
}

/**
 * Column/field names that carry the x-axis of a log, in the documented order of preference: a logger's own step
 * field wins over the line index, and the first of these a record holds is its step (`step`, `global_step`,
 * `_step`, `trainer/global_step`, `iteration`, `iter`, `current_steps`, …). Users put their own names first through
 * the `step` alias (see stepFields).
 */
export const STEP_KEYS = [
  'step',
  'global_step',
  '_step',
  'trainer/global_step',
  'train/global_step',
  'iteration',
  'iter',
  'current_steps',
  'steps',
  'it',
];
/** The last resort of a log without a step field: Keras' CSVLogger, DETR-style loggers and Ultralytics step by epoch. */
const EPOCH_KEY = 'epoch';
export const TOKEN_KEYS = [
  'tokens',
  'tokens_seen',
  'num_input_tokens_seen',
  'consumed_tokens',
  'train/tokens',
  'n_tokens',
  'total_tokens',
];
export const TIME_KEYS = ['_timestamp', 'timestamp', 'time', 'wall_time', 'walltime'];
/**
 * Bookkeeping fields that are numbers but not metrics: pure counters and clocks. Step-like series that mean
 * something of their own (`epoch`, `iteration`, `global_step`) are kept as metrics even when they are the step.
 */
export const NON_METRIC_KEYS = new Set(['step', '_step', 'steps', 'it', '_runtime', ...TOKEN_KEYS, ...TIME_KEYS]);

/** The step fields of a log reader in order: the user's `step` aliases first, then STEP_KEYS, then `epoch`. */
export function stepFields(aliases: AliasTable | undefined): readonly string[] {
  // one array per alias table, shared by every reader (and the key of the shared JSON-lines plans)
  if (!aliases) return DEFAULT_STEP_FIELDS;
  let fields = stepFieldsOf.get(aliases);
  if (!fields) {
    const extra = aliases.step.map((k) => k.toLowerCase());
    stepFieldsOf.set(aliases, (fields = [...new Set([...extra, ...STEP_KEYS, EPOCH_KEY])]));
  }
  return fields;
}
const DEFAULT_STEP_FIELDS: readonly string[] = [...STEP_KEYS, EPOCH_KEY];
const stepFieldsOf = new WeakMap<AliasTable, readonly string[]>();

export function pickKey(keys: Iterable<string>, candidates: readonly string[]): string | undefined {
  const lower = new Map<string, string>();
  for (const k of keys) lower.set(k.toLowerCase(), k);
  for (const c of candidates) {
    const hit = lower.get(c);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/**
 * Config files read beside a run, most general names first: Hydra/OmegaConf and hand-written `config.*`, Lightning's
 * `hparams.yaml`, DVC's `params.yaml`, argparse dumps (`args.*`), YOLOv5's `opt.yaml`/`hyp.yaml`, Ultralytics'
 * `args.yaml`, PEFT's `adapter_config.json`.
 */
export const CONFIG_NAMES = new Set([
  'config.yaml',
  'config.yml',
  'config.json',
  'hparams.yaml',
  'hparams.yml',
  'hparams.json',
  'params.yaml',
  'params.yml',
  'args.json',
  'args.yaml',
  'opt.yaml',
  'hyp.yaml',
  'adapter_config.json',
]);

/** Each config name's place in CONFIG_NAMES. */
const CONFIG_RANK = new Map([...CONFIG_NAMES].map((name, i) => [name, i]));

/** Config file names (each in CONFIG_NAMES) in CONFIG_NAMES order: the order a run lists its configs in. */
export function inConfigOrder(names: string[]): string[] {
  return names.length > 1 ? names.sort((a, b) => (CONFIG_RANK.get(a) ?? 0) - (CONFIG_RANK.get(b) ?? 0)) : names;
}

/**
 * The skeleton of every reader that fills one run (CSV, JSON lines, dvclive, TensorBoard, W&B, HF Trainer): the run,
 * made from the detected source, its diagnostics and the sink that caps and dedupes them. Subclasses only read.
 */
export abstract class SingleRunReader implements RunReader {
  readonly run: Run;
  readonly diagnostics: Diagnostic[] = [];
  protected readonly sink = new DiagnosticSink(this.diagnostics);

  constructor(
    protected readonly src: RunSource,
    protected readonly opts: ReaderOptions,
  ) {
    this.run = newRun(src, opts);
  }

  get runs(): Run[] {
    return [this.run];
  }

  abstract update(): Promise<boolean>;
}
