import { basename, dirname, join, relative } from 'node:path';
import { deriveScale } from '../../config/derive';
import { errorMessage, loadConfigs, setLogFiles, SingleRunReader } from '../common';
import { nonFiniteValue } from '../lines/number';
import { sniffText } from '../nearby';
import { RunFolders } from '../runFolders';
import { TextTail } from '../tail';
import type { FileEntry, FormatDef, RunSource, ScanContext } from '../types';
import { filesUnder } from '../walk';

const METRICS_DIR = '/plots/metrics/';
/** dvclive 0.x (2021–2022) wrote `<dir>/scalars/<name>.tsv` beside `<dir>.json`. */
const OLD_METRICS_DIR = '/scalars/';

/** One metric TSV: its tail and the columns its header named. */
interface MetricFile {
  name: string;
  tail: TextTail;
  /** 'text' once sniffed; a binary file is never read. */
  sniff: 'text' | 'binary' | undefined;
  stepCol: number;
  timeCol: number;
  valueCol: number;
}

/**
 * A DVCLive folder: `plots/metrics/<name>.tsv`, one file per metric, appended one row per log_metric() call,
 * header `step\t<name>` or `timestamp\tstep\t<name>` (timestamps in ms). The metric is named by its path under
 * plots/metrics (`train/loss`), since the header holds only the basename in recent versions. `params.yaml` is the
 * config. `metrics.json` is not read: it only repeats each metric's last value, which the TSVs already give.
 */
export class DvcliveReader extends SingleRunReader {
  private readonly files = new Map<string, MetricFile>();
  private configLoaded = false;

  /** The folder of the metric files: `plots/metrics` (dvclive ≥ 1.0), or `scalars` in the 0.x layout. */
  private get metricsDir(): string {
    const old = this.src.files.some((f) => f.startsWith(join(this.src.dir, 'scalars')));
    return old ? join(this.src.dir, 'scalars') : join(this.src.dir, 'plots', 'metrics');
  }

  async update(): Promise<boolean> {
    if (!this.configLoaded) {
      this.configLoaded = true;
      await loadConfigs(this.run, this.src.configFiles, this.sink);
    }
    // A metric logged for the first time after the scan (val/loss at the first eval) is a new file: list again.
    const listed = (await filesUnder(this.metricsDir)).filter((p) => p.endsWith('.tsv'));
    const paths = [...new Set([...this.src.files, ...listed])];
    setLogFiles(this.run, paths);
    let changed = false;
    for (const p of paths) changed = (await this.readFile(p)) || changed;
    if (changed) deriveScale(this.run, this.opts);
    return changed;
  }

  private async readFile(path: string): Promise<boolean> {
    let mf = this.files.get(path);
    if (!mf) {
      const name = relative(this.metricsDir, path)
        .split('\\')
        .join('/')
        .replace(/\.tsv$/, '');
      mf = { name, tail: new TextTail(path), sniff: undefined, stepCol: -1, timeCol: -1, valueCol: -1 };
      this.files.set(path, mf);
    }
    const m = mf;
    if (m.sniff === 'binary') return false;
    if (m.sniff === undefined) {
      const sniff = await sniffText(path, this.sink);
      if (sniff === 'unreadable') return false; // tried again at the next update
      m.sniff = sniff;
      if (sniff === 'binary') return false;
    }
    let changed = false;
    const onLine = (line: string, no: number) => {
      changed = this.line(m, line, no) || changed;
    };
    try {
      const res = await m.tail.read(onLine, {
        // Live(resume=False) rewrote the file: the old points are another run's. This runs before the new lines.
        onReset: () => {
          this.sink.reset(m.tail.path);
          this.run.metrics.get(m.name).clear();
          m.valueCol = -1;
        },
      });
      if (res.reset) changed = true;
    } catch (e) {
      const err = e as NodeJS.ErrnoException | null | undefined;
      if (err && err.code === 'ENOENT') return false; // removed between listing and reading
      this.sink.add(path, `cannot read: ${errorMessage(e)}`, undefined, 'error');
    }
    return changed;
  }

  private line(m: MetricFile, line: string, no: number): boolean {
    if (!line.trim()) return false;
    const cells = line.split('\t');
    const path = m.tail.path;
    if (m.valueCol < 0) {
      const lower = cells.map((c) => c.trim().toLowerCase());
      m.stepCol = lower.indexOf('step');
      m.timeCol = lower.indexOf('timestamp');
      m.valueCol = lower.findIndex((_, i) => i !== m.stepCol && i !== m.timeCol);
      if (m.valueCol < 0) {
        this.sink.add(path, 'header has no value column; file skipped', `line ${no}`, 'error');
        m.valueCol = cells.length; // no row can have this column: every row is skipped below
      }
      return false;
    }
    const cell = cells[m.valueCol]?.trim() ?? '';
    // nan/inf are data (a diverged loss): kept
    const v = cell === '' ? NaN : (nonFiniteValue(cell) ?? Number(cell));
    if (Number.isNaN(v) && nonFiniteValue(cell) === undefined) {
      this.sink.add(path, `"${cell.slice(0, 40)}" is not a number; row skipped`, `line ${no}`);
      return false;
    }
    const s = m.stepCol >= 0 ? Number(cells[m.stepCol]) : NaN;
    const series = this.run.metrics.get(m.name);
    const step = Number.isFinite(s) ? s : series.logged;
    // DVCLive writes milliseconds; seconds match the other readers' time column.
    const t = m.timeCol >= 0 ? Number(cells[m.timeCol]) / 1000 : NaN;
    series.push(step, v, NaN, t);
    return true;
  }
}

export const dvcliveFormat: FormatDef = {
  format: 'dvclive',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const folders = new RunFolders();
    for (const f of pool) {
      if (!f.name.endsWith('.tsv')) continue;
      const p = f.path.split('\\').join('/');
      // Detected by layout, not by the folder's name: Live(dir=...) can be anything. The 0.x `scalars/` layout is
      // claimed only beside its summary (`<dir>.json`) or in a folder named dvclive: `scalars` alone is too common.
      let at = p.lastIndexOf(METRICS_DIR);
      if (at < 0) {
        at = p.lastIndexOf(OLD_METRICS_DIR);
        if (at < 0) continue;
        const live = f.path.slice(0, at);
        if (basename(live) !== 'dvclive' && !(await ctx.filesIn(dirname(live))).has(`${basename(live)}.json`)) continue;
      }
      const dir = f.path.slice(0, at);
      if (relative(ctx.root, dir).startsWith('..')) continue;
      folders.add(dir, f.path);
    }
    return folders.sources('dvclive', ctx);
  },
  open: (src, opts) => new DvcliveReader(src, opts),
};
