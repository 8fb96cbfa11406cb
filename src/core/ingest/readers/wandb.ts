import { open, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { deriveScale } from '../../config/derive';
import { flattenConfig } from '../../config/flatten';
import type { ConfigValue } from '../../model/run';
import { ChunkedReader } from '../binary/chunked';
import { checkHeader, type LogPosition, scanLog, WANDB_HEADER } from '../binary/leveldb';
import { decodeRecord, dropMedia, type WbItem, type WbUpdate } from '../binary/wandbRecord';
import { parsePythonJson } from '../lines/pythonJson';
import { errorMessage, loadConfigs, NON_METRIC_KEYS, runId, TOKEN_KEYS, SingleRunReader } from '../common';
import { FileSignatures } from '../fileSignatures';
import { isFile } from '../probe';
import type { FileEntry, FormatDef, ReaderOptions, RunSource, ScanContext } from '../types';

export const WANDB_LOG = /^run-(.+)\.wandb$/;
/** A log untouched this long is no longer being written: an incomplete last record will not be completed. */
const WRITER_GONE_MS = 60_000;
const CUT_RECORD = 'the last record is cut short';

/**
 * Summary keys that state a scale fact. Summary values are *not* copied into the config (a summary holds the last
 * loss, accuracy… which are not settings); only these become run.facts, which N/D/C derivation trusts first.
 */
const FACT_KEYS: Record<'n_params' | 'tokens_seen' | 'flops', string[]> = {
  n_params: ['n_params', 'num_params', 'n_parameters', 'num_parameters', 'total_params', 'param_count', 'model_params'],
  tokens_seen: TOKEN_KEYS,
  flops: ['total_flos', 'flops', 'total_flops', 'train_flops'],
};

/**
 * W&B offline runs: `run-<id>.wandb` (LevelDB-framed `Record` protos) in `wandb/offline-run-<date>-<id>/`.
 * History records give the metrics (`_step` or the HistoryStep as step, `_timestamp` as time); config records and
 * `files/config.yaml` give the config; summary records and `files/wandb-summary.json` give scale facts only.
 * Reading is incremental: the log resumes at the last complete record boundary.
 */
export class WandbReader extends SingleRunReader {
  private readonly log: string;
  private readonly summaryFile: string;
  private pos: LogPosition = { offset: 0, skipping: false };
  private stopped = false;
  private configLoaded = false;
  private readonly summarySignature = new FileSignatures();
  /** Step of a row that states none: one past the last, as W&B's own step tracker assigns it. */
  private nextStep = 0;

  constructor(src: RunSource, opts: ReaderOptions) {
    super(src, opts);
    this.log = src.files[0];
    this.summaryFile = join(src.dir, 'files', 'wandb-summary.json');
  }

  async update(): Promise<boolean> {
    if (!this.configLoaded) {
      await loadConfigs(this.run, this.src.configFiles, this.sink);
      this.configLoaded = true;
    }
    let changed = await this.readLog();
    changed = (await this.readSummaryFile()) || changed;
    if (changed) deriveScale(this.run, this.opts);
    return changed;
  }

  private async readLog(): Promise<boolean> {
    const file = this.log;
    let changed = false;
    let fh;
    try {
      fh = await open(file, 'r');
    } catch (e) {
      this.sink.add(file, `cannot read: ${errorMessage(e)}`, undefined, 'error');
      return false;
    }
    try {
      const { size, mtimeMs } = await fh.stat();
      if (size < this.pos.offset) {
        // truncated or replaced: what we had came from the old content
        this.sink.reset(file);
        this.run.metrics.clear();
        this.pos = { offset: 0, skipping: false };
        this.stopped = false;
        this.nextStep = 0;
        changed = true;
      }
      if (this.stopped) return changed;
      const r = new ChunkedReader(fh, size);
      if (this.pos.offset === 0) {
        const verdict = checkHeader(await r.bytes(0, WANDB_HEADER.length));
        if (verdict === 'short') return changed;
        if (verdict !== 'ok') {
          this.sink.add(file, verdict, 'byte 0', 'error');
          this.stopped = true;
          return changed;
        }
        this.pos = { offset: WANDB_HEADER.length, skipping: false };
      }
      this.pos = await scanLog(r, this.pos, {
        record: (data, at) => {
          changed = this.record(data, at) || changed;
        },
        problem: (at, message) => {
          this.sink.add(file, message, `byte ${at}`);
        },
      });
      this.noteCutRecord(size, mtimeMs);
    } catch (e) {
      this.sink.add(file, `cannot read: ${errorMessage(e)}`, `byte ${this.pos.offset}`, 'error');
    } finally {
      await fh.close();
    }
    return changed;
  }

  /**
   * A log that ends mid-record and has not been written to for a while was cut short (the writer crashed, a copy
   * stopped): said once, at the byte where the incomplete record starts. A live run's log ends mid-record only for a
   * moment, and is not reported; a record completed later withdraws the note.
   */
  private noteCutRecord(size: number, mtimeMs: number): void {
    const cut = size > this.pos.offset && !this.pos.skipping && Date.now() - mtimeMs > WRITER_GONE_MS;
    const at = `byte ${this.pos.offset}`;
    this.sink.withdraw(this.log, (d) => d.message.startsWith(CUT_RECORD) && (!cut || d.position !== at));
    if (cut)
      this.sink.add(this.log, `${CUT_RECORD} (${size - this.pos.offset} bytes); the records before it are read`, at);
  }

  private record(data: Buffer, at: number): boolean {
    let rec;
    try {
      rec = decodeRecord(data);
    } catch (e) {
      this.sink.add(this.log, `record does not decode (${errorMessage(e)}); skipped`, `byte ${at}`);
      return false;
    }
    switch (rec.kind) {
      case 'history':
        return this.history(rec.items, rec.step, at);
      case 'config':
        return this.config(rec, at);
      case 'summary':
        return this.summary(rec.update, basename(this.log), at);
      case 'run': {
        const a = rec.config ? this.config(rec.config, at) : false;
        const b = rec.summary ? this.summary(rec.summary.update, basename(this.log), at) : false;
        return a || b;
      }
      default:
        return false;
    }
  }

  /** Parses an item's value_json into flat dotted keys; media objects (with `_type`) are not scalars and are dropped. */
  private flatItem(it: WbItem, at: number): Record<string, ConfigValue> {
    let v: unknown;
    try {
      v = parsePythonJson(it.valueJson);
    } catch {
      this.sink.add(this.log, `value of "${it.key}" is not JSON; skipped`, `byte ${at}`);
      return {};
    }
    const kept = dropMedia(v);
    return kept === undefined ? {} : flattenConfig(kept, it.key);
  }

  private history(items: WbItem[], recordStep: number | undefined, at: number): boolean {
    const row: Record<string, ConfigValue> = {};
    for (const it of items) Object.assign(row, this.flatItem(it, at));
    const num = (k: string): number => (typeof row[k] === 'number' ? row[k] : NaN);
    const loggedStep = num('_step');
    // wandb-core leaves the step out of rows logged without one; its sender then counts on from the last step
    const step = recordStep ?? (Number.isFinite(loggedStep) ? loggedStep : this.nextStep);
    this.nextStep = step + 1;
    const time = num('_timestamp');
    const tokKey = Object.keys(row).find((k) => TOKEN_KEYS.includes(k.toLowerCase()));
    const tokens = tokKey ? num(tokKey) : NaN;
    let any = false;
    for (const [k, v] of Object.entries(row)) {
      if (typeof v !== 'number' || k.startsWith('_') || NON_METRIC_KEYS.has(k.toLowerCase())) continue;
      this.run.metrics.get(k).push(step, v, tokens, time); // NaN/±Inf included: a diverged run must show
      any = true;
    }
    return any;
  }

  /** Config records are the run's own history of its config: later ones win, and over config.yaml too. */
  private config(u: WbUpdate, at: number): boolean {
    let any = false;
    for (const it of u.update) {
      if (it.key === '_wandb') continue; // W&B's bookkeeping, not the user's config
      for (const [k, v] of Object.entries(this.flatItem(it, at))) {
        this.run.config[k] = v;
        this.run.configFrom[k] = this.log;
        any = true;
      }
    }
    for (const key of u.remove) {
      for (const k of Object.keys(this.run.config)) {
        if (k !== key && !k.startsWith(`${key}.`)) continue;
        Reflect.deleteProperty(this.run.config, k);
        Reflect.deleteProperty(this.run.configFrom, k);
        any = true;
      }
    }
    return any;
  }

  /** Summary values that state N, D or C become facts (see FACT_KEYS); the rest of a summary is not used. */
  private summary(items: WbItem[], from: string, at: number): boolean {
    let any = false;
    for (const it of items) {
      for (const [k, v] of Object.entries(this.flatItem(it, at))) any = this.fact(k, v, from) || any;
    }
    return any;
  }

  private fact(key: string, v: ConfigValue, from: string): boolean {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return false;
    const last = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
    for (const [fact, names] of Object.entries(FACT_KEYS)) {
      if (names.includes(last)) {
        this.run.facts[fact] = { value: v, provenance: `${key} in the W&B summary (${from})` };
        return true;
      }
    }
    return false;
  }

  /** `files/wandb-summary.json` is rewritten whole; read it again whenever its size or mtime changes. */
  private async readSummaryFile(): Promise<boolean> {
    const file = this.summaryFile;
    // Often missing in offline mode: absent counts as unchanged.
    if (!(await this.summarySignature.changedIfPresent(file))) return false;
    this.sink.reset(file);
    let data: unknown;
    try {
      data = parsePythonJson(await readFile(file, 'utf8'));
    } catch (e) {
      this.sink.add(file, `summary does not parse: ${errorMessage(e)}`);
      return false;
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      this.sink.add(file, 'summary is not a JSON object');
      return false;
    }
    let any = false;
    for (const [k, v] of Object.entries(flattenConfig(data))) any = this.fact(k, v, basename(file)) || any;
    return any;
  }
}

export const wandbFormat: FormatDef = {
  format: 'wandb-offline',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const logs = pool.filter((f) => WANDB_LOG.test(f.name));
    const perDir = new Map<string, number>();
    for (const f of logs) perDir.set(f.dir, (perDir.get(f.dir) ?? 0) + 1);
    const out: RunSource[] = [];
    for (const f of logs) {
      const files = [f.path];
      const summary = join(f.dir, 'files', 'wandb-summary.json');
      // claimed so no generic JSON reader takes the summary for a run of its own
      if (await isFile(summary)) files.push(summary);
      const config = join(f.dir, 'files', 'config.yaml');
      const suffix = (perDir.get(f.dir) ?? 0) > 1 ? WANDB_LOG.exec(f.name)?.[1] : undefined;
      out.push({
        id: runId(ctx.root, f.dir, suffix),
        format: 'wandb-offline',
        dir: f.dir,
        files,
        configFiles: (await isFile(config)) ? [config] : [],
      });
    }
    return out;
  },
  open: (src, opts) => new WandbReader(src, opts),
};
