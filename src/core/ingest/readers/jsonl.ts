import { basename, extname } from 'node:path';
import { deriveScale } from '../../config/derive';
import { flattenConfig } from '../../config/flatten';
import type { Diagnostic, Run } from '../../model/run';
import { DiagnosticSink, errorMessage, loadConfigs, mergeConfig, newRun, NON_METRIC_KEYS, pickKey, runId, STEP_KEYS, TIME_KEYS, TOKEN_KEYS } from '../common';
import { JsonLineScanner, ValueKind } from '../lines/jsonObject';
import { nearbyConfigs, sniffText } from '../nearby';
import { looksBinary, MAX_LINE_BYTES, TextTail } from '../tail';
import type { FileEntry, FormatDef, ReaderOptions, RunReader, RunSource, ScanContext } from '../types';
import { type JsonlPlan, planFor } from './jsonlPlan';

/** Python's json.dumps writes NaN/Infinity, which JSON.parse rejects; they are read as null and reported. */
const NON_FINITE = /(?<=[:[,]\s*)-?(NaN|Infinity)(?=\s*[,}\]])/g;
/** Logs whose keys change every line would grow the layout cache without end; past this, layouts are not kept. */
const MAX_PLANS = 256;
/** Layouts tried in place before a line's layout is worked out afresh (train and eval lines often alternate). */
const RECENT = 4;

/**
 * JSON-lines logs of dicts, one `log()` call a line: nanoGPT-style `{"iter": 100, "loss": 3.2}`, legacy W&B
 * `wandb-history.jsonl` (`_step`, `_runtime`, `_timestamp`), and any `*.jsonl`/`*.ndjson`. Numbers become metrics
 * (nested dicts become dotted names); a line of `{"config": {...}}` adds to the config.
 *
 * Lines are scanned in place against the few layouts a log repeats (see JsonLineScanner): no object and no string
 * per line. Lines the scanner declines (arrays, escaped keys, invalid JSON) take the general path through JSON.parse.
 */
export class JsonlReader implements RunReader {
  readonly run: Run;
  get runs(): Run[] {
    return [this.run];
  }
  readonly diagnostics: Diagnostic[] = [];
  private readonly sink = new DiagnosticSink(this.diagnostics);
  private readonly tail: TextTail;
  private readonly file: string;
  private started = false;
  private sniffed = false;
  private binary = false;
  private rowIndex = 0;
  private changed = false;
  private readonly scanner = new JsonLineScanner();
  private readonly plans = new Map<string, JsonlPlan>();
  private recent: JsonlPlan[] = [];
  private last: JsonlPlan | undefined;

  constructor(private readonly src: RunSource, private readonly opts: ReaderOptions) {
    this.run = newRun(src, opts);
    this.file = src.files[0];
    this.tail = new TextTail(this.file);
  }

  async update(): Promise<boolean> {
    const file = this.file;
    if (!this.started) {
      this.started = true;
      await loadConfigs(this.run, this.src.configFiles, this.sink);
      this.changed = true;
    }
    if (this.binary) return false;
    if (!this.sniffed) {
      const sniff = await sniffText(file, this.sink);
      if (sniff === 'binary') this.binary = true;
      if (sniff !== 'text') return this.flushChanged();
      this.sniffed = true;
    }
    try {
      const res = await this.tail.readRanges(this.onRange, {
        onReset: () => this.reset(),
        onOverlong: (no) => this.sink.add(file, `line longer than ${MAX_LINE_BYTES >> 20} MiB; skipped`, `line ${no}`),
      });
      if (res.reset) this.changed = true;
    } catch (e) {
      this.sink.add(file, `cannot read: ${errorMessage(e)}`, undefined, 'error');
    }
    if (this.changed) deriveScale(this.run, this.opts);
    return this.flushChanged();
  }

  private flushChanged(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  /** The file was truncated or replaced: what we had came from the old content. */
  private reset(): void {
    this.sink.reset(this.file);
    this.run.metrics.clear();
    for (const [k, from] of Object.entries(this.run.configFrom)) {
      if (from !== this.file) continue;
      delete this.run.config[k];
      delete this.run.configFrom[k];
    }
    this.plans.clear(); // they hold Series of the cleared table
    this.recent = [];
    this.last = undefined;
    this.rowIndex = 0;
  }

  private readonly onRange = (text: string, start: number, end: number, no: number): void => {
    if (text.charCodeAt(start) !== 123 /* '{' */) {
      if (text.slice(start, end).trim()) this.generic(text.slice(start, end), no);
      return;
    }
    const sc = this.scanner;
    let plan = this.last;
    if (plan && !sc.match(text, start, end, plan.layout)) {
      plan = undefined;
      for (const p of this.recent) {
        if (p !== this.last && sc.match(text, start, end, p.layout)) {
          plan = p;
          break;
        }
      }
    }
    if (!plan) {
      const layout = sc.discover(text, start, end);
      if (!layout) return this.generic(text.slice(start, end), no);
      const sig = layout.signature();
      plan = this.plans.get(sig);
      if (!plan) {
        plan = planFor(layout);
        if (this.plans.size < MAX_PLANS) this.plans.set(sig, plan);
      }
      this.recent = [plan, ...this.recent.filter((p) => p !== plan)].slice(0, RECENT);
    }
    this.last = plan;
    if (plan.generic) return this.generic(text.slice(start, end), no);
    this.apply(plan, no);
  };

  /** Pushes one scanned line's values. */
  private apply(plan: JsonlPlan, no: number): void {
    const { values, kinds } = this.scanner;
    const { stepSlot, tokSlot, timeSlot } = plan;
    const step = stepSlot >= 0 && kinds[stepSlot] === ValueKind.Number ? values[stepSlot] : this.rowIndex;
    this.rowIndex++;
    const tokens = tokSlot >= 0 && kinds[tokSlot] === ValueKind.Number ? values[tokSlot] : NaN;
    const time = timeSlot >= 0 && kinds[timeSlot] === ValueKind.Number ? values[timeSlot] : NaN;
    const slots = plan.metricSlots;
    for (let j = 0; j < slots.length; j++) {
      const m = slots[j];
      const kind = kinds[m];
      if (kind === ValueKind.Number) {
        (plan.series[j] ??= this.run.metrics.get(plan.layout.names[m])).push(step, values[m], tokens, time);
        this.changed = true;
      } else if (kind === ValueKind.NonFinite) {
        this.sink.add(this.file, `"${plan.layout.names[m]}" is NaN or Infinity; point skipped`, `line ${no}`);
      } else if (kind === ValueKind.Null && plan.layout.depths[m] === 1) {
        this.sink.add(this.file, `"${plan.layout.names[m]}" is null; point skipped`, `line ${no}`);
      }
    }
  }

  /** The general path: JSON.parse, flattenConfig, and the key rules applied to the flattened record. */
  private generic(line: string, no: number): void {
    const file = this.file;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      try {
        obj = JSON.parse(line.replace(NON_FINITE, 'null'));
        this.sink.add(file, 'NaN/Infinity values skipped', `line ${no}`);
      } catch (e) {
        this.sink.add(file, `not valid JSON (${errorMessage(e)}); line skipped`, `line ${no}`);
        return;
      }
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      this.sink.add(file, 'line is not a JSON object; skipped', `line ${no}`);
      return;
    }
    const rec = obj as Record<string, unknown>;
    if (rec.config && typeof rec.config === 'object' && Object.keys(rec).length <= 2) {
      mergeConfig(this.run, flattenConfig(rec.config), file);
      this.changed = true;
      return;
    }
    const flat = flattenConfig(rec);
    const keys = Object.keys(flat);
    const numberOf = (key: string | undefined, fallback: number): number => (key !== undefined && typeof flat[key] === 'number' ? (flat[key] as number) : fallback);
    const step = numberOf(pickKey(keys, STEP_KEYS), this.rowIndex);
    this.rowIndex++;
    const tokens = numberOf(pickKey(keys, TOKEN_KEYS), NaN);
    const time = numberOf(pickKey(keys, TIME_KEYS), NaN);
    for (const k of keys) {
      const v = flat[k];
      if (NON_METRIC_KEYS.has(k.toLowerCase()) || k.startsWith('_')) continue;
      if (typeof v === 'number') {
        this.run.metrics.get(k).push(step, v, tokens, time);
        this.changed = true;
      } else if (v === null && k in rec) {
        // a nested null says nothing; a top-level one is a point that is missing
        this.sink.add(file, `"${k}" is null or NaN; point skipped`, `line ${no}`);
      }
    }
  }
}

const JSONL_EXT = new Set(['.jsonl', '.ndjson']);

export const jsonlFormat: FormatDef = {
  format: 'jsonl',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const out: RunSource[] = [];
    // Legacy W&B folders also hold wandb-events.jsonl: system monitoring (CPU, GPU), not a training run's metrics.
    const candidates = pool.filter((f) => f.name !== 'wandb-events.jsonl' && (JSONL_EXT.has(extname(f.name)) || /\.(log|txt)$/.test(f.name)));
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
