import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { deriveScale } from '../../config/derive';
import { type AliasTable, canonicalOf } from '../../config/aliases';
import { parseScaleNumber } from '../../config/values';
import type { Diagnostic, Run } from '../../model/run';
import { DiagnosticSink, errorMessage, newRun, pickKey, runId, STEP_KEYS, TOKEN_KEYS } from '../common';
import { isNonFiniteWord } from '../lines/number';
import { sniffText } from '../nearby';
import { looksBinary } from '../tail';
import type { FileEntry, FormatDef, ReaderOptions, RunReader, RunSource, ScanContext } from '../types';
import { splitCsvLine } from './csvLine';
import { rowRunNamer, runColumns } from './tableRuns';

/** Column names (lower case, unit stripped) that hold a scale quantity in a summary table. */
export const SCALE_COLUMNS = {
  N: [
    'n',
    'params',
    'n_params',
    'num_params',
    'parameters',
    'num_parameters',
    'model_size',
    'model size',
    'model_params',
  ],
  D: [
    'd',
    'tokens',
    'train_tokens',
    'n_tokens',
    'num_tokens',
    'tokens_seen',
    'pretraining data size',
    'data_size',
    'tokens_approx',
  ],
  C: ['c', 'flops', 'compute', 'train_flops', 'c_6nd', 'total_flops'],
} as const;
/** Columns that say a table's rows belong to several runs (for telling a summary table from a metric log). */
const MULTI_RUN_KEYS = ['run', 'run_id', 'run_name', 'name', 'model', 'model_name', 'model name'];

interface Column {
  name: string;
  base: string; // lower case, without a "(unit)" suffix
  scale: number; // multiplier from the unit, e.g. "(B)" -> 1e9, "(1E21)" -> 1e21
}

/** "Model Size (B)" -> base "model size", scale 1e9; "FLOPs (1E21)" -> "flops", 1e21. */
export function parseColumn(name: string): Column {
  const m = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(name.trim());
  if (m) {
    const unit = m[2].trim();
    const scale = parseScaleNumber(/^\d/.test(unit) ? unit : `1${unit}`);
    if (scale !== undefined) return { name, base: m[1].trim().toLowerCase(), scale };
  }
  return { name, base: name.trim().toLowerCase(), scale: 1 };
}

/**
 * A table with one row per run, or one row per point with a run column (`run`, `seed`, or a `model`/`size` column
 * with steps or tokens; see rowRunNamer): the shape papers publish and people keep in spreadsheets. Columns named like N/params, D/tokens, C/flops become the runs' scale
 * (units in the header such as "(B)" or "(1E21)" are applied); other numeric columns become metrics.
 * The file is small and may be rewritten whole, so each update reads it again when its size or mtime changed.
 */
export class SummaryTableReader implements RunReader {
  readonly diagnostics: Diagnostic[] = [];
  runs: Run[] = [];
  private readonly sink = new DiagnosticSink(this.diagnostics);
  private signature = '';

  constructor(
    private readonly src: RunSource,
    private readonly opts: ReaderOptions,
  ) {}

  async update(): Promise<boolean> {
    const file = this.src.files[0];
    try {
      const st = await stat(file);
      const sig = `${st.size}:${st.mtimeMs}`;
      if (sig === this.signature) return false;
      this.signature = sig;
      this.sink.reset(file);
      const sniff = await sniffText(file, this.sink);
      if (sniff === 'unreadable') this.signature = ''; // try again at the next update
      if (sniff !== 'text') {
        this.runs = [];
        return true;
      }
      this.parse(await readFile(file, 'utf8'), file);
    } catch (e) {
      this.sink.add(file, `cannot read: ${errorMessage(e)}`, undefined, 'error');
    }
    return true;
  }

  private parse(text: string, file: string): void {
    const lines = text.split(/\r?\n/);
    const delimiter = lines[0].includes('\t') || file.endsWith('.tsv') ? '\t' : ',';
    const cols = splitCsvLine(lines[0], delimiter).map(parseColumn);
    const bases = cols.map((c) => c.base);
    const idx = (names: readonly string[]) => {
      const k = pickKey(bases, names);
      return k === undefined ? -1 : bases.indexOf(k);
    };
    const nCol = idx(SCALE_COLUMNS.N);
    const dCol = idx(SCALE_COLUMNS.D);
    const cCol = idx(SCALE_COLUMNS.C);
    const runCols = runColumns(bases);
    const runOf = rowRunNamer(runCols);
    // the columns naming a row's run, seed and size are the run's identity (config), never metrics
    const naming = [runCols.run, runCols.seed, runCols.size].filter((c) => c >= 0);
    const stepCol = idx(STEP_KEYS);
    const tokCol = idx(TOKEN_KEYS);
    const byGroup = new Map<string, Run>();
    const rowsInGroup = new Map<string, number>();
    const order: Run[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (!line.trim()) continue;
      const cells = splitCsvLine(line, delimiter);
      if (cells.length !== cols.length) {
        this.sink.add(file, `row has ${cells.length} cells, header has ${cols.length}; row skipped`, `line ${i + 1}`);
        continue;
      }
      const named = runOf(cells);
      const key = named ?? `row${i}`;
      let run = byGroup.get(key);
      if (!run) {
        run = newRun(this.src, this.opts);
        run.id = `${this.src.id}#${key}`;
        run.config = named
          ? Object.fromEntries(naming.filter((c) => cells[c].trim()).map((c) => [cols[c].name, cells[c].trim()]))
          : { row: key };
        run.configFrom = Object.fromEntries(Object.keys(run.config).map((k) => [k, file]));
        byGroup.set(key, run);
        order.push(run);
      }
      const rowNo = rowsInGroup.get(key) ?? 0;
      rowsInGroup.set(key, rowNo + 1);
      const val = (c: number): number => {
        if (c < 0) return NaN;
        const v = parseScaleNumber(cells[c]);
        return v === undefined ? NaN : v * cols[c].scale;
      };
      const step = stepCol >= 0 && Number.isFinite(val(stepCol)) ? val(stepCol) : rowNo;
      const tokens = tokCol >= 0 ? val(tokCol) : dCol >= 0 ? val(dCol) : NaN;
      for (const [c, fact] of [
        [nCol, 'n_params'],
        [dCol, 'tokens_seen'],
        [cCol, 'flops'],
      ] as const) {
        const v = val(c);
        if (c >= 0 && !Number.isFinite(v) && cells[c].trim() !== '') {
          this.sink.add(
            file,
            `column "${cols[c].name}": "${cells[c].trim().slice(0, 40)}" is not a number; ignored`,
            `line ${i + 1}`,
          );
        }
        if (!Number.isFinite(v) || v <= 0) continue;
        const prev = run.facts[fact];
        // D and C grow along a run's rows: keep the largest (the run's final amount)
        if (!prev || (fact !== 'n_params' && v > prev.value))
          run.facts[fact] = { value: v, provenance: `column "${cols[c].name}" of ${this.src.id}` };
      }
      for (let c = 0; c < cols.length; c++) {
        if (naming.includes(c) || c === stepCol || c === nCol || c === dCol || c === cCol || c === tokCol) continue;
        const cell = cells[c].trim();
        if (cell === '') continue;
        const v = Number(cell);
        if (isNonFiniteWord(cell, 0, cell.length)) {
          this.sink.add(file, `${cols[c].name}: "${cell}" is not a finite number; point skipped`, `line ${i + 1}`);
          continue;
        }
        if (!Number.isFinite(v)) {
          // text columns (family, split, dataset) are config, not metrics
          if (rowNo === 0) {
            run.config[cols[c].name] = cell;
            run.configFrom[cols[c].name] = file;
          }
          continue;
        }
        run.metrics.get(cols[c].name).push(step, v * cols[c].scale, tokens);
      }
    }
    for (const run of order) {
      settingsToConfig(run, cols, file, this.opts.aliases);
      deriveScale(run, this.opts);
    }
    this.runs = order;
  }
}

/**
 * Columns that name a setting (d_model, n_layers, peak_lr… per the alias table) and hold one value for the whole
 * run are the run's config, not a metric: that is how papers publish architecture beside each point, and it lets
 * N be derived from them. A setting that varies along the run (a logged learning-rate schedule) stays a metric.
 */
function settingsToConfig(run: Run, cols: Column[], file: string, aliases?: AliasTable): void {
  for (const col of cols) {
    if (canonicalOf(col.base, aliases) === undefined) continue;
    const s = run.metrics.find(col.name);
    if (!s || s.count === 0) continue;
    const v = s.value;
    if (!v.every((x) => x === v[0])) continue;
    run.metrics.delete(col.name);
    run.config[col.name] = v[0];
    run.configFrom[col.name] = file;
  }
}

/**
 * Whether a header says "one row per run/point with scale columns" rather than "a metric log". A parameter
 * count column decides; a tokens or FLOPs column alone does not when there is a step column, since metric logs
 * count tokens seen along the steps (unless a run/model column says the rows belong to several runs).
 */
export function isSummaryHeader(header: string[]): boolean {
  const bases = header.map((h) => parseColumn(h).base);
  const has = (names: readonly string[]) => bases.some((b) => names.includes(b));
  if (has(SCALE_COLUMNS.N)) return true;
  if (!has(SCALE_COLUMNS.D) && !has(SCALE_COLUMNS.C)) return false;
  return !has(STEP_KEYS) || has(MULTI_RUN_KEYS);
}

export const summaryTableFormat: FormatDef = {
  format: 'summary-table',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const out: RunSource[] = [];
    for (const f of pool) {
      const ext = extname(f.name).toLowerCase();
      if (ext !== '.csv' && ext !== '.tsv') continue;
      const head = await ctx.head(f.path);
      if (looksBinary(head)) continue;
      const first = head.toString('utf8').split(/\r?\n/)[0] ?? '';
      if (!isSummaryHeader(splitCsvLine(first, first.includes('\t') ? '\t' : ','))) continue;
      out.push({ id: runId(ctx.root, f.path), format: 'summary-table', dir: f.dir, files: [f.path], configFiles: [] });
    }
    return out;
  },
  open: (src, opts) => new SummaryTableReader(src, opts),
};
