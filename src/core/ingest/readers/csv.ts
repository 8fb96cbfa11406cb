import { extname } from 'node:path';
import { deriveScale } from '../../config/derive';
import type { Series } from '../../model/series';
import {
  errorMessage,
  loadConfigs,
  NON_METRIC_KEYS,
  pickKey,
  stepFields,
  TIME_KEYS,
  TOKEN_KEYS,
  SingleRunReader,
} from '../common';
import { nonFiniteValue, parseNumber } from '../lines/number';
import { reportBinary, runPerLogFile } from '../nearby';
import { MAX_LINE_BYTES, TextTail } from '../tail';
import type { FileEntry, FormatDef, ReaderOptions, RunSource, ScanContext } from '../types';
import { splitCsvLine } from './csvLine';
import { isSummaryHeader } from './summaryTable';

/** What a column is: a metric, one of the x-axes, or ignored (bookkeeping such as `epoch`, or a text column). */
const METRIC = 0;
const STEP = 1;
const TOKENS = 2;
const TIME = 3;
const IGNORED = 4;

/** Cell states of the row being read. */
const EMPTY = 0;
const NUMBER = 1;
const BAD = 2;

/**
 * A metric log as CSV or TSV: a header, then one row per logged step. Rows may be sparse (Lightning writes
 * train and val metrics on different rows with empty cells). Rows are scanned in place in the decoded chunk
 * (no split, no string per cell); a row with quotes takes the general path through splitCsvLine.
 * A file truncated or rewritten from the top (a restarted run) is read again with a clean table.
 */
export class CsvReader extends SingleRunReader {
  private readonly tail: TextTail;
  private readonly file: string;
  private header: string[] | undefined;
  private delimiter = 44;
  private roles = new Int8Array(0);
  private series: (Series | undefined)[] = [];
  private values = new Float64Array(0);
  private states = new Uint8Array(0);
  private rowIndex = 0;
  /** The step column when it is also a metric (`epoch`, `iteration`), else -1. */
  private stepMetric = -1;
  private started = false;
  private binary = false;
  private changed = false;
  /** The row being read, to quote a bad cell in its diagnostic (a string is only made then). */
  private rowText = '';
  private rowStart = 0;
  private rowEnd = 0;
  private rowCells: string[] | undefined;

  constructor(src: RunSource, opts: ReaderOptions) {
    super(src, opts);
    this.file = src.files[0];
    this.tail = new TextTail(this.file);
  }

  async update(): Promise<boolean> {
    const file = this.file;
    if (!this.started) {
      this.started = true;
      this.changed = true;
      await loadConfigs(this.run, this.src.configFiles, this.sink);
    }
    if (this.binary) return false;
    try {
      const res = await this.tail.readRanges(this.onRange, {
        rejectBinary: true,
        onReset: () => {
          this.sink.reset(file);
          this.run.metrics.clear();
          this.header = undefined;
          this.rowIndex = 0;
        },
        onOverlong: (no) => {
          this.sink.add(file, `line longer than ${MAX_LINE_BYTES >> 20} MiB; skipped`, `line ${no}`);
        },
      });
      if (res.binary) this.binary = reportBinary(this.sink, file);
      if (res.reset) this.changed = true;
    } catch (e) {
      this.sink.add(file, `cannot read: ${errorMessage(e)}`, undefined, 'error');
    }
    if (this.changed) deriveScale(this.run, this.opts);
    return this.takeChanged();
  }

  private takeChanged(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  private setHeader(line: string): void {
    const tab = line.includes('\t') || this.file.endsWith('.tsv');
    this.delimiter = tab ? 9 : 44;
    const header = splitCsvLine(line, tab ? '\t' : ',').map((h) => h.trim());
    const lower = header.map((h) => h.toLowerCase());
    const find = (keys: readonly string[]) => {
      const k = pickKey(lower, keys);
      return k === undefined ? -1 : lower.indexOf(k);
    };
    const roles = new Int8Array(header.length).fill(METRIC);
    lower.forEach((h, i) => {
      if (NON_METRIC_KEYS.has(h) || h === '') roles[i] = IGNORED;
    });
    // the x-axes last; a step column that means something of its own (epoch, iteration) is also kept as a metric
    for (const [role, keys] of [
      [STEP, stepFields(this.opts.aliases)],
      [TOKENS, TOKEN_KEYS],
      [TIME, TIME_KEYS],
    ] as const) {
      const c = find(keys);
      if (c >= 0) roles[c] = role;
      if (c >= 0 && role === STEP) this.stepMetric = NON_METRIC_KEYS.has(lower[c]) ? -1 : c;
    }
    this.header = header;
    this.roles = roles;
    this.series = header.map(() => undefined);
    this.values = new Float64Array(header.length);
    this.states = new Uint8Array(header.length);
  }

  private readonly onRange = (text: string, start: number, end: number, no: number): void => {
    if (!this.header) {
      const line = text.slice(start, end);
      if (line.trim()) this.setHeader(line);
      return;
    }
    const cols = this.header.length;
    const values = this.values;
    const states = this.states;
    const delim = this.delimiter;
    let cells = 0;
    let blank = true;
    for (let i = start; ;) {
      let j = text.indexOf(delim === 44 ? ',' : '\t', i);
      if (j < 0 || j > end) j = end;
      let a = i;
      let b = j;
      while (a < b && text.charCodeAt(a) === 32) a++;
      while (b > a && text.charCodeAt(b - 1) === 32) b--;
      if (a < b) {
        blank = false;
        if (text.charCodeAt(a) === 34) {
          this.quotedRow(text.slice(start, end), no);
          return;
        }
        if (cells < cols) {
          const v = parseNumber(text, a, b);
          values[cells] = v;
          states[cells] = Number.isFinite(v) ? NUMBER : BAD;
        }
      } else if (cells < cols) states[cells] = EMPTY;
      cells++;
      if (j >= end) break;
      i = j + 1;
    }
    if (blank) return;
    if (cells !== cols) {
      this.sink.add(this.file, `row has ${cells} cells, header has ${cols}; row skipped`, `line ${no}`);
      return;
    }
    this.rowText = text;
    this.rowStart = start;
    this.rowEnd = end;
    this.rowCells = undefined;
    this.row(no);
  };

  /** A row with quoted cells: split properly, then the same rules. */
  private quotedRow(line: string, no: number): void {
    const cells = splitCsvLine(line, this.delimiter === 44 ? ',' : '\t');
    const cols = this.roles.length;
    if (cells.length !== cols) {
      this.sink.add(this.file, `row has ${cells.length} cells, header has ${cols}; row skipped`, `line ${no}`);
      return;
    }
    for (let c = 0; c < cols; c++) {
      const cell = cells[c].trim();
      const v = cell === '' ? NaN : parseNumber(cell, 0, cell.length);
      this.states[c] = cell === '' ? EMPTY : Number.isFinite(v) ? NUMBER : BAD;
      this.values[c] = v;
    }
    this.rowCells = cells;
    this.row(no);
  }

  private cellText(c: number): string {
    this.rowCells ??= this.rowText.slice(this.rowStart, this.rowEnd).split(this.delimiter === 44 ? ',' : '\t');
    return this.rowCells[c].trim();
  }

  /** Pushes the parsed row (values/states). */
  private row(no: number): void {
    const { roles, values, states } = this;
    let step = this.rowIndex;
    let tokens = NaN;
    let time = NaN;
    for (let c = 0; c < roles.length; c++) {
      if (states[c] !== NUMBER) continue;
      const r = roles[c];
      if (r === STEP) step = values[c];
      else if (r === TOKENS) tokens = values[c];
      else if (r === TIME) time = values[c];
    }
    this.rowIndex++;
    const rows = this.run.metrics.rows;
    rows.push(step, tokens, time);
    const sm = this.stepMetric;
    if (sm >= 0 && states[sm] === NUMBER)
      (this.series[sm] ??= this.run.metrics.get((this.header as string[])[sm])).pushRow(rows, values[sm]);
    for (let c = 0; c < roles.length; c++) {
      const r = roles[c];
      if (r !== METRIC) continue;
      const st = states[c];
      if (st === NUMBER) {
        (this.series[c] ??= this.run.metrics.get((this.header as string[])[c])).pushRow(rows, values[c]);
        this.changed = true;
      } else if (st === BAD) {
        const text = this.cellText(c);
        const nonFinite = nonFiniteValue(text);
        if (nonFinite !== undefined) {
          // nan/inf are data (a diverged loss): kept, counted, and shown
          (this.series[c] ??= this.run.metrics.get((this.header as string[])[c])).pushRow(rows, nonFinite);
          this.changed = true;
          continue;
        }
        if (this.series[c] === undefined) {
          roles[c] = IGNORED; // text from the first value on: a label column, not a metric
          continue;
        }
        this.sink.add(
          this.file,
          `${(this.header as string[])[c]}: "${text.slice(0, 40)}" is not a number; cell skipped`,
          `line ${no}`,
        );
      }
    }
  }
}

export const csvFormat: FormatDef = {
  format: 'csv',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const logs: FileEntry[] = [];
    for (const f of pool) {
      const ext = extname(f.name).toLowerCase();
      if (ext !== '.csv' && ext !== '.tsv') continue;
      const head = (await ctx.head(f.path)).toString('utf8');
      const firstLine = head.split('\n')[0] ?? '';
      if (isSummaryHeader(splitCsvLine(firstLine, firstLine.includes('\t') ? '\t' : ','))) continue; // a summary table
      logs.push(f);
    }
    return runPerLogFile(logs, 'csv', ctx);
  },
  open: (src, opts) => new CsvReader(src, opts),
};
