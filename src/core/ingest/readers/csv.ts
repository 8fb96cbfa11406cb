import { basename, extname } from 'node:path';
import { deriveScale } from '../../config/derive';
import type { Diagnostic, Run } from '../../model/run';
import { DiagnosticSink, errorMessage, loadConfigs, newRun, NON_METRIC_KEYS, pickKey, runId, STEP_KEYS, TIME_KEYS, TOKEN_KEYS } from '../common';
import { binaryCheck, nearbyConfigs } from '../nearby';
import { TextTail } from '../tail';
import type { FileEntry, FormatDef, ReaderOptions, RunReader, RunSource, ScanContext } from '../types';
import { splitCsvLine } from './csvLine';
import { isSummaryHeader } from './summaryTable';

/**
 * A metric log as CSV or TSV: a header, then one row per logged step. Rows may be sparse (Lightning writes
 * train and val metrics on different rows with empty cells), and the header may widen (Lightning rewrites the
 * file): the tail sees the first bytes change and reads it again from the start.
 */
export class CsvReader implements RunReader {
  readonly run: Run;
  get runs(): Run[] {
    return [this.run];
  }
  readonly diagnostics: Diagnostic[] = [];
  private readonly sink = new DiagnosticSink(this.diagnostics);
  private readonly tail: TextTail;
  private header: string[] | undefined;
  private delimiter = ',';
  private stepCol = -1;
  private tokCol = -1;
  private timeCol = -1;
  private rowIndex = 0;
  private started = false;

  constructor(private readonly src: RunSource, private readonly opts: ReaderOptions) {
    this.run = newRun(src);
    this.tail = new TextTail(src.files[0]);
  }

  async update(): Promise<boolean> {
    const file = this.src.files[0];
    if (!this.started) {
      this.started = true;
      await loadConfigs(this.run, this.src.configFiles, this.sink);
      if (await binaryCheck(file, this.sink)) return true;
    }
    let changed = false;
    try {
      const onLine = (line: string, no: number) => {
        changed = this.line(line, no, file) || changed;
      };
      const res = await this.tail.read(onLine);
      if (res.reset) {
        this.sink.reset(file);
        this.run.metrics.clear();
        this.header = undefined;
        this.rowIndex = 0;
        await this.tail.read(onLine);
        changed = true;
      }
    } catch (e) {
      this.sink.add(file, `cannot read: ${errorMessage(e)}`, undefined, 'error');
    }
    if (changed) deriveScale(this.run, this.opts);
    return changed;
  }

  private line(line: string, no: number, file: string): boolean {
    if (!line.trim()) return false;
    if (!this.header) {
      this.delimiter = line.includes('\t') || file.endsWith('.tsv') ? '\t' : ',';
      this.header = splitCsvLine(line, this.delimiter).map((h) => h.trim());
      const lower = this.header.map((h) => h.toLowerCase());
      const find = (keys: readonly string[]) => {
        const k = pickKey(lower, keys);
        return k === undefined ? -1 : lower.indexOf(k);
      };
      this.stepCol = find(STEP_KEYS);
      this.tokCol = find(TOKEN_KEYS);
      this.timeCol = find(TIME_KEYS);
      return false;
    }
    const cells = splitCsvLine(line, this.delimiter);
    if (cells.length !== this.header.length) {
      this.sink.add(file, `row has ${cells.length} cells, header has ${this.header.length}; row skipped`, `line ${no}`);
      return false;
    }
    const num = (i: number) => (i >= 0 && cells[i].trim() !== '' ? Number(cells[i]) : NaN);
    const stepV = num(this.stepCol);
    const step = Number.isFinite(stepV) ? stepV : this.rowIndex;
    this.rowIndex++;
    const tokens = num(this.tokCol);
    const time = num(this.timeCol);
    let any = false;
    for (let i = 0; i < cells.length; i++) {
      if (i === this.stepCol || i === this.tokCol || i === this.timeCol) continue;
      const cell = cells[i].trim();
      if (cell === '') continue; // sparse row: this metric was not logged at this step
      const name = this.header[i];
      if (NON_METRIC_KEYS.has(name.toLowerCase())) continue;
      const v = Number(cell);
      if (Number.isNaN(v) || !Number.isFinite(v)) {
        this.sink.add(file, `${name}: "${cell.slice(0, 40)}" is not a finite number; cell skipped`, `line ${no}`);
        continue;
      }
      this.run.metrics.get(name).push(step, v, tokens, time);
      any = true;
    }
    return any;
  }
}

export const csvFormat: FormatDef = {
  format: 'csv',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const out: RunSource[] = [];
    const perDir = new Map<string, FileEntry[]>();
    for (const f of pool) {
      const ext = extname(f.name).toLowerCase();
      if (ext !== '.csv' && ext !== '.tsv') continue;
      const head = (await ctx.head(f.path)).toString('utf8');
      const firstLine = head.split('\n')[0] ?? '';
      if (isSummaryHeader(splitCsvLine(firstLine, firstLine.includes('\t') ? '\t' : ','))) continue; // a summary table
      const list = perDir.get(f.dir) ?? [];
      list.push(f);
      perDir.set(f.dir, list);
    }
    for (const [dir, files] of perDir) {
      const configs = await nearbyConfigs(dir, ctx);
      for (const f of files) {
        const suffix = files.length > 1 ? basename(f.name, extname(f.name)) : undefined;
        out.push({ id: runId(ctx.root, dir, suffix), format: 'csv', dir, files: [f.path], configFiles: configs });
      }
    }
    return out;
  },
  open: (src, opts) => new CsvReader(src, opts),
};
