import { basename, extname } from 'node:path';
import { deriveScale } from '../../config/derive';
import type { Diagnostic, Run } from '../../model/run';
import type { Series } from '../../model/series';
import { DiagnosticSink, errorMessage, loadConfigs, mergeConfig, newRun, NON_METRIC_KEYS, pickKey, runId, STEP_KEYS, TIME_KEYS, TOKEN_KEYS } from '../common';
import { binaryCheck } from '../nearby';
import { looksBinary, TextTail } from '../tail';
import type { FileEntry, FormatDef, ReaderOptions, RunReader, RunSource, ScanContext } from '../types';
import { nearbyConfigs } from '../nearby';
import { flattenConfig } from '../../config/flatten';

/** Python's json.dumps writes NaN/Infinity, which JSON.parse rejects; they are read as null and reported. */
const NON_FINITE = /(?<=[:\[,]\s*)-?(NaN|Infinity)(?=\s*[,}\]])/g;

/**
 * JSON-lines logs of dicts, one `log()` call a line: nanoGPT-style `{"iter": 100, "loss": 3.2}`, legacy W&B
 * `wandb-history.jsonl` (`_step`, `_runtime`, `_timestamp`), and any `*.jsonl`/`*.ndjson`. Numbers become metrics
 * (nested dicts become dotted names); a line of `{"config": {...}}` adds to the config.
 */
export class JsonlReader implements RunReader {
  readonly run: Run;
  get runs(): Run[] {
    return [this.run];
  }
  readonly diagnostics: Diagnostic[] = [];
  private readonly sink = new DiagnosticSink(this.diagnostics);
  private readonly tail: TextTail;
  private configLoaded = false;
  private rowIndex = 0;
  /** Key sets seen so far (most logs repeat one or two), and the last one, checked first. */
  private readonly shapes = new Map<string, Shape>();
  private lastShape: Shape | undefined;

  constructor(private readonly src: RunSource, private readonly opts: ReaderOptions) {
    this.run = newRun(src);
    this.tail = new TextTail(src.files[0]);
  }

  async update(): Promise<boolean> {
    const file = this.src.files[0];
    if (!this.configLoaded) {
      await loadConfigs(this.run, this.src.configFiles, this.sink);
      this.configLoaded = true;
      if (await binaryCheck(file, this.sink)) return true;
    }
    let changed = false;
    try {
      const res = await this.tail.read((line, no) => {
        changed = this.line(line, no, file) || changed;
      });
      if (res.reset) {
        // rewritten from the start: what we had came from the old content
        this.sink.reset(file);
        this.run.metrics.clear();
        this.shapes.clear(); // they hold Series of the cleared table
        this.lastShape = undefined;
        this.rowIndex = 0;
        await this.tail.read((line, no) => this.line(line, no, file));
        changed = true;
      }
    } catch (e) {
      this.sink.add(file, `cannot read: ${errorMessage(e)}`, undefined, 'error');
    }
    if (changed) deriveScale(this.run, this.opts);
    return changed;
  }

  private line(line: string, no: number, file: string): boolean {
    if (line.charCodeAt(0) !== 123 /* '{' */ && !line.trim()) return false;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      const patched = line.replace(NON_FINITE, 'null');
      try {
        obj = JSON.parse(patched);
        this.sink.add(file, 'NaN/Infinity values skipped', `line ${no}`);
      } catch (e) {
        this.sink.add(file, `not valid JSON (${errorMessage(e)}); line skipped`, `line ${no}`);
        return false;
      }
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      this.sink.add(file, 'line is not a JSON object; skipped', `line ${no}`);
      return false;
    }
    const rec = obj as Record<string, unknown>;
    if (rec.config && typeof rec.config === 'object' && Object.keys(rec).length <= 2) {
      mergeConfig(this.run, flattenConfig(rec.config), file);
      return true;
    }
    const shape = this.shapeOf(rec);
    if (shape) return this.flatRecord(rec, shape, no, file);
    const flat = flattenConfig(rec);
    const keys = Object.keys(flat);
    const stepKey = pickKey(keys, STEP_KEYS);
    const tokKey = pickKey(keys, TOKEN_KEYS);
    const timeKey = pickKey(keys, TIME_KEYS);
    const step = stepKey !== undefined && typeof flat[stepKey] === 'number' ? (flat[stepKey] as number) : this.rowIndex;
    this.rowIndex++;
    const tokens = tokKey !== undefined && typeof flat[tokKey] === 'number' ? (flat[tokKey] as number) : NaN;
    const time = timeKey !== undefined && typeof flat[timeKey] === 'number' ? (flat[timeKey] as number) : NaN;
    let any = false;
    for (const k of keys) {
      const v = flat[k];
      if (NON_METRIC_KEYS.has(k.toLowerCase()) || k.startsWith('_')) continue;
      if (typeof v === 'number') {
        this.run.metrics.get(k).push(step, v, tokens, time);
        any = true;
      } else if (v === null && k in rec === false) {
        // nested null: nothing to record
      } else if (v === null) {
        this.sink.add(file, `"${k}" is null or NaN; point skipped`, `line ${no}`);
      }
    }
    return any;
  }

  /**
   * The shape of a flat record (no nested objects or arrays), from the cache when its keys were seen before;
   * undefined when the record needs flattenConfig. Same result as the general path, without a flattened copy and
   * key lookups per line: that per-line work dominated ingest time.
   */
  private shapeOf(rec: Record<string, unknown>): Shape | undefined {
    const last = this.lastShape;
    let same = last !== undefined;
    let i = 0;
    for (const k in rec) {
      const v = rec[k];
      if (typeof v === 'object' && v !== null) return undefined;
      if (same && (last as Shape).keys[i] !== k) same = false;
      i++;
    }
    if (same && i === (last as Shape).keys.length) return last;
    const keys = Object.keys(rec);
    const sig = keys.join('\n');
    let shape = this.shapes.get(sig);
    if (!shape) {
      // keys flattenConfig treats specially: leave those records to it
      if (keys.includes('_wandb') || keys.includes('__proto__') || (keys.includes('value') && keys.every((k) => k === 'value' || k === 'desc'))) return undefined;
      shape = {
        keys,
        stepKey: pickKey(keys, STEP_KEYS),
        tokKey: pickKey(keys, TOKEN_KEYS),
        timeKey: pickKey(keys, TIME_KEYS),
        metrics: keys.filter((k) => !(NON_METRIC_KEYS.has(k.toLowerCase()) || k.startsWith('_'))).map((key) => ({ key, series: undefined })),
      };
      if (this.shapes.size < MAX_SHAPES) this.shapes.set(sig, shape);
    }
    this.lastShape = shape;
    return shape;
  }

  private flatRecord(rec: Record<string, unknown>, shape: Shape, no: number, file: string): boolean {
    const step = numberAt(rec, shape.stepKey) ?? this.rowIndex;
    this.rowIndex++;
    const tokens = numberAt(rec, shape.tokKey) ?? NaN;
    const time = numberAt(rec, shape.timeKey) ?? NaN;
    let any = false;
    for (const m of shape.metrics) {
      const v = rec[m.key];
      if (typeof v === 'number') {
        // Series are created on a first number, as in the general path: a key that is always text is no metric
        (m.series ??= this.run.metrics.get(m.key)).push(step, v, tokens, time);
        any = true;
      } else if (v === null) {
        this.sink.add(file, `"${m.key}" is null or NaN; point skipped`, `line ${no}`);
      }
    }
    return any;
  }
}

function numberAt(rec: Record<string, unknown>, key: string | undefined): number | undefined {
  if (key === undefined) return undefined;
  const v = rec[key];
  return typeof v === 'number' ? v : undefined;
}

/** A flat record's key set, classified once. */
interface Shape {
  keys: string[];
  stepKey: string | undefined;
  tokKey: string | undefined;
  timeKey: string | undefined;
  metrics: { key: string; series: Series | undefined }[];
}

/** Logs whose keys change every line would grow the cache without end; past this, shapes are not kept. */
const MAX_SHAPES = 256;

const JSONL_EXT = new Set(['.jsonl', '.ndjson']);

export const jsonlFormat: FormatDef = {
  format: 'jsonl',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const out: RunSource[] = [];
    const candidates = pool.filter((f) => JSONL_EXT.has(extname(f.name)) || f.name === 'wandb-history.jsonl' || /\.(log|txt)$/.test(f.name));
    const perDir = new Map<string, FileEntry[]>();
    for (const f of candidates) {
      const head = await ctx.head(f.path);
      const isJsonExt = JSONL_EXT.has(extname(f.name));
      // Content decides for .log/.txt: a first line that is a JSON object. A .jsonl that is binary is still
      // claimed, so the reader can say what is wrong with it.
      if (!isJsonExt && (looksBinary(head) || !/^\s*\{/.test(head.toString('utf8')))) continue;
      const list = perDir.get(f.dir) ?? [];
      list.push(f);
      perDir.set(f.dir, list);
    }
    for (const [dir, files] of perDir) {
      const configs = await nearbyConfigs(dir, ctx);
      for (const f of files) {
        const suffix = files.length > 1 ? basename(f.name, extname(f.name)) : undefined;
        out.push({ id: runId(ctx.root, dir, suffix), format: 'jsonl', dir, files: [f.path], configFiles: configs });
      }
    }
    return out;
  },
  open: (src, opts) => new JsonlReader(src, opts),
};
