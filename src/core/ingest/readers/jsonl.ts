import { extname } from 'node:path';
import { deriveScale } from '../../config/derive';
import type { Series } from '../../model/series';
import { flattenConfig } from '../../config/flatten';
import {
  CONFIG_NAMES,
  errorMessage,
  loadConfigs,
  mergeConfig,
  NON_METRIC_KEYS,
  pickKey,
  stepFields,
  TIME_KEYS,
  TOKEN_KEYS,
  SingleRunReader,
} from '../common';
import { JsonLayout, LEAF_NULL, LEAF_NUMBER, LeafBuffer } from '../lines/jsonObject';
import { IO_CONCURRENCY, mapLimit } from '../concurrency';
import { parsePythonJson } from '../lines/pythonJson';
import { reportBinary, runPerLogFile } from '../nearby';
import { looksBinary, MAX_LINE_BYTES, TextTail } from '../tail';
import type { FileEntry, FormatDef, ReaderOptions, RunSource, ScanContext } from '../types';
import { isJsonLinesName, isSystemMetricsLog, mayHoldJsonLines } from '../lines/jsonLinesNames';
import type { LogTable } from '../lines/logTable';
import { type JsonlPlan, sharedPlan, sharedTablePlan } from './jsonlPlan';
import { storeTable } from './jsonlTable';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Layouts tried before a line's layout is worked out afresh (train and eval lines often alternate). */
const RECENT = 4;
/** A shared plan and this log's series for its metric slots (created on the first number: a text key is no metric). */
interface ReaderPlan {
  plan: JsonlPlan;
  series: (Series | undefined)[];
}
/**
 * One leaf buffer for every reader: a line is read out and applied synchronously, so no two readers use it at once,
 * and 10,000 small runs would otherwise hold 20,000 small typed arrays (each with a backing store of its own).
 */
const SHARED_LEAVES = new LeafBuffer();
/** No layout met yet: one empty list for every reader (a log read as a table never meets one). */
const NO_PLANS: readonly ReaderPlan[] = [];

/**
 * JSON-lines logs of dicts, one `log()` call a line: nanoGPT-style `{"iter": 100, "loss": 3.2}`, legacy W&B
 * `wandb-history.jsonl` (`_step`, `_runtime`, `_timestamp`), and any `*.jsonl`/`*.ndjson`. Numbers become metrics
 * (nested dicts become dotted names); a line of `{"config": {...}}` adds to the config.
 *
 * Each line goes through JSON.parse (V8's parser is faster than any scanner written in JS), then through the plan of
 * its layout (see JsonLayout): the few layouts a log repeats are classified once, so a line costs one parse and a
 * walk over its values. Lines with arrays, NaN/Infinity or broken JSON take the general path.
 */
export class JsonlReader extends SingleRunReader {
  private readonly tail: TextTail;
  private readonly file: string;
  private started = false;
  private binary = false;
  private rowIndex = 0;
  private changed = false;
  /** Leaf values of the line being read, in its layout's order (see SHARED_LEAVES). */
  private readonly leaves = SHARED_LEAVES;
  /** The layouts met lately, most recent first, with this log's series for their metric slots. */
  private recent: readonly ReaderPlan[] = NO_PLANS;
  private last: ReaderPlan | undefined;
  private readonly stepKeys: readonly string[];

  constructor(src: RunSource, opts: ReaderOptions) {
    super(src, opts);
    this.file = src.files[0];
    this.tail = new TextTail(this.file);
    this.stepKeys = stepFields(opts.aliases);
  }

  async update(): Promise<boolean> {
    const file = this.file;
    if (!this.started) {
      this.started = true;
      await loadConfigs(this.run, this.src.configFiles, this.sink);
      this.changed = true;
    }
    if (this.binary) return false;
    try {
      // the callbacks are made for this read, not kept by the reader: two closures fewer in each of 10,000 runs
      const res = await this.tail.readPieces(
        (text, first, count) => {
          this.readPiece(text, first, count);
        },
        {
          onReset: () => {
            this.reset();
          },
          onOverlong: (no) => {
            this.sink.add(file, `line longer than ${MAX_LINE_BYTES >> 20} MiB; skipped`, `line ${no}`);
          },
          rejectBinary: true,
          onTable: (table) => {
            this.readTable(table);
          },
        },
      );
      if (res.binary) this.binary = reportBinary(this.sink, file);
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
      Reflect.deleteProperty(this.run.config, k);
      Reflect.deleteProperty(this.run.configFrom, k);
    }
    this.recent = NO_PLANS; // they hold Series of the cleared table
    this.last = undefined;
    this.rowIndex = 0;
  }

  /**
   * Many lines at once: parsed as one JSON array when they are one JSON value each (one JSON.parse call per piece
   * instead of per line), else line by line, which also finds and reports the bad lines.
   */
  private readPiece(text: string, first: number, count: number): void {
    this.run.metrics.rows.reserve(count); // a small log is one piece: its columns in one exact allocation
    let all: unknown;
    try {
      all = JSON.parse(`[${text.replaceAll('\n', ',')}]`);
    } catch {
      all = undefined; // NaN/Infinity from Python, a broken or blank line: see which, line by line
    }
    if (Array.isArray(all) && all.length === count) {
      let lines: string[] | undefined;
      for (let k = 0; k < count; k++) {
        if (this.record(all[k], first + k)) continue;
        lines ??= text.split('\n');
        this.generic(lines[k], first + k, all[k]);
      }
      return;
    }
    const lines = text.split('\n');
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k].endsWith('\r') ? lines[k].slice(0, -1) : lines[k];
      if (!line.trim()) continue;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch {
        this.generic(line, first + k);
        continue;
      }
      if (!this.record(obj, first + k)) this.generic(line, first + k, obj);
    }
  }

  /** A small log's lines as the I/O worker parsed them (see LogTable and storeTable). */
  private readTable(table: LogTable): void {
    if (storeTable(this.run.metrics, table, sharedTablePlan(table, this.stepKeys), this.rowIndex)) this.changed = true;
    this.rowIndex += table.lines;
  }

  /** One parsed line through the plan of its layout; false when it needs the general path instead. */
  private record(obj: unknown, no: number): boolean {
    if (!isObject(obj)) return false;
    const leaves = this.leaves;
    let rp = this.last;
    if (rp && !rp.plan.layout.read(obj, leaves)) {
      rp = undefined;
      for (const p of this.recent) {
        if (p !== this.last && p.plan.layout.read(obj, leaves)) {
          rp = p;
          break;
        }
      }
    }
    if (!rp) {
      const layout = JsonLayout.of(obj);
      if (!layout) return false;
      const plan = sharedPlan(layout, this.stepKeys);
      rp = { plan, series: [] };
      // a layout pushed out of the recent list comes back with its series looked up again by name
      this.recent = [rp, ...this.recent.filter((p) => p.plan !== plan)].slice(0, RECENT);
      plan.layout.read(obj, leaves);
    }
    this.last = rp;
    if (rp.plan.generic) return false;
    this.apply(rp, no);
    return true;
  }

  /** Pushes the values of one line read through its plan. */
  private apply({ plan, series }: ReaderPlan, no: number): void {
    const { values, kinds } = this.leaves;
    const { stepSlot, tokSlot, timeSlot } = plan;
    const step = stepSlot >= 0 && kinds[stepSlot] === LEAF_NUMBER ? values[stepSlot] : this.rowIndex;
    this.rowIndex++;
    const tokens = tokSlot >= 0 && kinds[tokSlot] === LEAF_NUMBER ? values[tokSlot] : NaN;
    const time = timeSlot >= 0 && kinds[timeSlot] === LEAF_NUMBER ? values[timeSlot] : NaN;
    const rows = this.run.metrics.rows;
    rows.push(step, tokens, time);
    const slots = plan.metricSlots;
    for (let j = 0; j < slots.length; j++) {
      const m = slots[j];
      const kind = kinds[m];
      if (kind === LEAF_NUMBER) {
        // 1e999 parses to Infinity: kept like any other non-finite value
        (series[j] ??= this.run.metrics.get(plan.layout.names[m])).pushRow(rows, values[m]);
        this.changed = true;
      } else if (kind === LEAF_NULL && plan.layout.depths[m] === 1) {
        this.sink.add(this.file, `"${plan.layout.names[m]}" is null; point skipped`, `line ${no}`);
      }
    }
  }

  /** The general path: JSON.parse (NaN/Infinity patched), flattenConfig, and the key rules on the flattened record. */
  private generic(line: string, no: number, parsed?: unknown): void {
    const file = this.file;
    let obj: unknown = parsed;
    if (obj === undefined) {
      try {
        obj = JSON.parse(line);
      } catch {
        try {
          obj = parsePythonJson(line); // Python's NaN/Infinity: a diverged value, kept
        } catch (e) {
          this.sink.add(file, `not valid JSON (${errorMessage(e)}); line skipped`, `line ${no}`);
          return;
        }
      }
    }
    if (!isObject(obj)) {
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
    const numberOf = (key: string | undefined, fallback: number): number =>
      key !== undefined && typeof flat[key] === 'number' ? flat[key] : fallback;
    const step = numberOf(pickKey(keys, this.stepKeys), this.rowIndex);
    this.rowIndex++;
    const tokens = numberOf(pickKey(keys, TOKEN_KEYS), NaN);
    const time = numberOf(pickKey(keys, TIME_KEYS), NaN);
    const rows = this.run.metrics.rows;
    rows.push(step, tokens, time);
    for (const k of keys) {
      const v = flat[k];
      if (NON_METRIC_KEYS.has(k.toLowerCase()) || k.startsWith('_')) continue;
      if (typeof v === 'number') {
        this.run.metrics.get(k).pushRow(rows, v);
        this.changed = true;
      } else if (v === null && k in rec) {
        // a nested null says nothing; a top-level one is a point that is missing
        this.sink.add(file, `"${k}" is null; point skipped`, `line ${no}`);
      }
    }
  }
}

/** How far detection reads for the end of a first line that is longer than the usual head. */
const LONG_FIRST_LINE = 256 * 1024;

/**
 * Whether a file's first bytes are JSON lines: a first line that is a whole JSON object on its own. A `.json` file
 * must also have a second line that starts an object, since a one-line `.json` is an ordinary JSON document (a
 * minified config or results file).
 */
function looksLikeJsonLines(head: string, needTwo: boolean): boolean {
  const lines = head.split('\n');
  const first = lines[0].trim();
  if (!first.startsWith('{') || !first.endsWith('}')) return false;
  try {
    parsePythonJson(first);
  } catch {
    return false;
  }
  return !needTwo || (lines.length > 1 && lines[1].trimStart().startsWith('{'));
}

export const jsonlFormat: FormatDef = {
  format: 'jsonl',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const candidates = pool.filter(
      (f) => !isSystemMetricsLog(f.name) && !CONFIG_NAMES.has(f.name) && mayHoldJsonLines(f.name),
    );
    // Content decides for .json/.log/.txt (detectron2's metrics.json, DETR's log.txt): JSON lines. A .jsonl is
    // claimed by its name, even when binary, so the reader can say what is wrong with it.
    // (the name decides for most: only the others are read, so 10,000 logs are not 10,000 promises)
    const byName = candidates.map((f) => isJsonLinesName(f.name));
    const sniffed = candidates.filter((_, i) => !byName[i]);
    const sniffedIsLog = await mapLimit(sniffed, IO_CONCURRENCY, async (f) => {
      let head = await ctx.head(f.path);
      // DETR writes lines of several KiB: look further for the end of the first line (then the second's start)
      // (a file of unknown size may be longer than its head)
      if (head.indexOf(10) < 0 && !(f.size <= head.length)) head = await ctx.head(f.path, LONG_FIRST_LINE);
      return !looksBinary(head) && looksLikeJsonLines(head.toString('utf8'), extname(f.name).toLowerCase() === '.json');
    });
    let next = 0;
    const logs = candidates.filter((_, i) => (byName[i] ? true : sniffedIsLog[next++]));
    return runPerLogFile(logs, 'jsonl', ctx);
  },
  open: (src, opts) => new JsonlReader(src, opts),
};
