import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { deriveScale } from '../../config/derive';
import { parseConfigYaml } from '../../config/yaml';
import type { ConfigValue, Diagnostic, Run } from '../../model/run';
import { DiagnosticSink, errorMessage, newRun, runId } from '../common';
import { FileSignatures } from '../fileSignatures';
import { sniffText } from '../nearby';
import { isDirectory } from '../probe';
import { TextTail } from '../tail';
import type { FileEntry, FormatDef, ReaderOptions, RunReader, RunSource, ScanContext } from '../types';
import { filesUnder } from '../walk';
import { isUnder } from '../catalogPaths';

/** Spellings of non-finite floats: Python's str() gives nan/inf/-inf; other writers use NaN/Infinity. */
const NON_FINITE = /^[-+]?(?:nan|inf|infinity)$/i;
/** A number written the way str(int)/str(float) writes one, so "1e-3" becomes 0.001 but "0012" stays text. */
const CLEAN_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;
/** MLflow's RunStatus enum, as the file store writes it in meta.yaml. */
const STATUS: Record<number, string> = { 1: 'RUNNING', 2: 'SCHEDULED', 3: 'FINISHED', 4: 'FAILED', 5: 'KILLED' };

type Yaml = Record<string, unknown>;

async function readYaml(path: string): Promise<Yaml | undefined> {
  const data = parseConfigYaml(await readFile(path, 'utf8'));
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Yaml) : undefined;
}

/** A param's text as config: a number when it reads cleanly as one, else the string (the alias table parses more). */
export function paramValue(text: string): ConfigValue {
  return CLEAN_NUMBER.test(text) ? Number(text) : text;
}

/** A param or tag key as a config key: "/" nests in MLflow, "." nests in configs and in the alias table. */
function configKey(key: string): string {
  return key.split('/').join('.');
}

/**
 * One run of an MLflow file store (`<store>/<experiment_id>/<run_id>/`): `meta.yaml`, `metrics/<key>` with one
 * "<timestamp_ms> <value> [<step>]" line per logged point (keys with "/" are subfolders), `params/<key>` holding
 * the value, `tags/<key>`. Metric files only grow, so each is tailed. The run keeps its path as id; its readable
 * name goes into config as `mlflow.run_name`. A run deleted after the scan (lifecycle_stage: deleted) disappears.
 */
export class MlflowReader implements RunReader {
  readonly run: Run;
  private deleted = false;
  get runs(): Run[] {
    return this.deleted ? [] : [this.run];
  }
  readonly diagnostics: Diagnostic[] = [];
  private readonly sink = new DiagnosticSink(this.diagnostics);
  private readonly tails = new Map<string, TextTail>();
  private readonly signatures = new FileSignatures();
  /** Metric files with binary content: reported once, never parsed. */
  private readonly binary = new Set<string>();

  constructor(
    private readonly src: RunSource,
    private readonly opts: ReaderOptions,
  ) {
    this.run = newRun(src, opts);
  }

  async update(): Promise<boolean> {
    const dir = this.src.dir;
    let changed = await this.readMeta();
    // Params and tags are written once each, but new ones arrive while the run goes on.
    changed = (await this.readKeyFiles(join(dir, 'params'), (k) => configKey(k), true)) || changed;
    changed =
      (await this.readKeyFiles(
        join(dir, 'tags'),
        (k) => (k === 'mlflow.runName' ? 'mlflow.run_name' : undefined),
        false,
      )) || changed;
    const metricsDir = join(dir, 'metrics');
    const metricFiles = await filesUnder(metricsDir);
    // metric files first, then meta.yaml, params/ and tags/: the files the run's config came from
    this.run.files = [...new Set([...metricFiles, ...this.src.files.filter((f) => !isUnder(f, metricsDir))])];
    for (const f of metricFiles)
      changed = (await this.readMetric(f, relative(metricsDir, f).split('\\').join('/'))) || changed;
    if (changed) deriveScale(this.run, this.opts);
    return changed;
  }

  private async readMeta(): Promise<boolean> {
    const metaPath = join(this.src.dir, 'meta.yaml');
    if (!(await this.signatures.changedIfPresent(metaPath))) return false;
    this.sink.reset(metaPath);
    try {
      const meta = await readYaml(metaPath);
      if (!meta) {
        this.sink.add(metaPath, 'meta.yaml is not a mapping', undefined, 'error');
        return false;
      }
      this.deleted = meta.lifecycle_stage === 'deleted';
      const set = (k: string, v: unknown) => {
        if (typeof v === 'string' || typeof v === 'number') {
          this.run.config[k] = v;
          this.run.configFrom[k] = metaPath;
        }
      };
      if (typeof meta.run_name === 'string' && meta.run_name) set('mlflow.run_name', meta.run_name);
      set('mlflow.run_id', meta.run_id ?? meta.run_uuid);
      set('mlflow.experiment_id', meta.experiment_id);
      if (typeof meta.status === 'number') set('mlflow.status', STATUS[meta.status] ?? meta.status);
      const expMeta = join(dirname(this.src.dir), 'meta.yaml');
      try {
        const exp = await readYaml(expMeta);
        if (exp && typeof exp.name === 'string') {
          this.run.config['mlflow.experiment_name'] = exp.name;
          this.run.configFrom['mlflow.experiment_name'] = expMeta;
        }
      } catch {
        // an experiment folder without a readable meta.yaml: the name is a nicety
      }
      return true;
    } catch (e) {
      this.sink.add(metaPath, `cannot read meta.yaml: ${errorMessage(e).split('\n')[0]}`, undefined, 'error');
      return false;
    }
  }

  /** Reads `params/` or `tags/` files into config; `keyFor` maps a key to its config key (undefined: ignore it). */
  private async readKeyFiles(
    dir: string,
    keyFor: (key: string) => string | undefined,
    asValue: boolean,
  ): Promise<boolean> {
    let changed = false;
    for (const f of await filesUnder(dir)) {
      const key = keyFor(relative(dir, f).split('\\').join('/'));
      if (key === undefined || !(await this.signatures.changedIfPresent(f))) continue;
      try {
        const text = await readFile(f, 'utf8');
        if (text.includes('\0')) {
          this.sink.add(f, 'binary content in a param file; not read', 'byte 0', 'error');
          continue;
        }
        // run_name from meta.yaml is authoritative; the tag only fills in for older stores without it.
        if (!asValue && key in this.run.config) continue;
        this.run.config[key] = asValue ? paramValue(text.trim()) : text.trim();
        this.run.configFrom[key] = f;
        changed = true;
      } catch (e) {
        this.sink.add(f, `cannot read: ${errorMessage(e)}`, undefined, 'error');
      }
    }
    return changed;
  }

  private async readMetric(file: string, name: string): Promise<boolean> {
    if (this.binary.has(file)) return false;
    let tail = this.tails.get(file);
    if (!tail) {
      const sniff = await sniffText(file, this.sink);
      if (sniff === 'binary') this.binary.add(file);
      if (sniff !== 'text') return false; // an unreadable file is tried again at the next update
      tail = new TextTail(file);
      this.tails.set(file, tail);
    }
    const series = this.run.metrics.get(name);
    let changed = false;
    const onLine = (line: string, no: number) => {
      const t = line.trim();
      if (!t) return;
      const parts = t.split(' ');
      if (parts.length !== 2 && parts.length !== 3) {
        this.sink.add(
          file,
          `expected "<timestamp> <value> [<step>]", got ${parts.length} fields; line skipped`,
          `line ${no}`,
        );
        return;
      }
      const [ts, raw, stepText] = parts as [string, string, string | undefined];
      // nan/inf/-inf (Python's str()) are data: a diverged run keeps them
      const v = NON_FINITE.test(raw) ? Number(raw.replace(/^([-+]?)inf(inity)?$/i, '$1Infinity')) : Number(raw);
      const step = stepText === undefined ? 0 : Number(stepText); // MLflow: a missing step means 0
      if (raw === '' || (Number.isNaN(v) && !NON_FINITE.test(raw)) || !Number.isFinite(step)) {
        this.sink.add(file, `"${t.slice(0, 60)}" is not a number; line skipped`, `line ${no}`);
        return;
      }
      series.push(step, v, NaN, Number(ts) / 1000); // MLflow timestamps are ms; time is kept in seconds
      changed = true;
    };
    try {
      const res = await tail.read(onLine, {
        // truncated or replaced: the old points go before the new lines of this same read arrive
        onReset: () => {
          this.sink.reset(file);
          series.clear();
        },
      });
      if (res.reset) changed = true;
    } catch (e) {
      this.sink.add(file, `cannot read: ${errorMessage(e)}`, undefined, 'error');
    }
    return changed;
  }
}

export const mlflowFormat: FormatDef = {
  format: 'mlflow',
  async detect(pool: FileEntry[], ctx: ScanContext): Promise<RunSource[]> {
    const out: RunSource[] = [];
    const runDirs: string[] = [];
    const deleted = new Map<string, number>();
    for (const f of pool) {
      if (f.name !== 'meta.yaml') continue;
      if (relative(ctx.root, f.dir).split(/[\\/]/).includes('.trash')) continue; // deleted runs wait there for gc
      // The layout decides, not the folder name: a run folder has meta.yaml beside metrics/ or params/ (a run that
      // logged no params has no params/ folder). Its experiment's meta.yaml may be missing (a copied run folder).
      if (!(await isDirectory(join(f.dir, 'metrics'))) && !(await isDirectory(join(f.dir, 'params')))) continue;
      try {
        const meta = await readYaml(f.path);
        if (meta?.lifecycle_stage === 'deleted') {
          deleted.set(dirname(f.dir), (deleted.get(dirname(f.dir)) ?? 0) + 1);
          continue;
        }
      } catch {
        // unreadable meta.yaml: claim the run anyway so the reader can report it
      }
      runDirs.push(f.dir);
    }
    // Deleted runs are hidden, as MLflow's UI does, but said so: a run that vanished from the list is explained.
    for (const [experiment, n] of deleted) {
      ctx.report({
        file: experiment,
        message: `${n} deleted run${n === 1 ? '' : 's'} hidden (lifecycle_stage: deleted in meta.yaml)`,
        severity: 'info',
      });
    }
    // Each file belongs to the nearest run folder above it, if it sits in meta.yaml/metrics/params/tags of that run
    // (artifacts/ are left for the other formats: a logged Lightning or HF folder is still that format's run).
    const files = new Map<string, string[]>(runDirs.map((d) => [d, []]));
    // no run folder, nothing to own: the pass below walks up from every file of the tree
    if (!runDirs.length) return out;
    for (const f of pool) {
      let child = f.path;
      for (let d = f.dir, depth = 0; depth < 16 && d !== child; child = d, d = dirname(d), depth++) {
        const list = files.get(d);
        if (!list) continue;
        const first = relative(d, child);
        if (child === f.path ? f.name === 'meta.yaml' : ['metrics', 'params', 'tags'].includes(first))
          list.push(f.path);
        break;
      }
    }
    for (const [dir, list] of files)
      out.push({ id: runId(ctx.root, dir), format: 'mlflow', dir, files: list, configFiles: [] });
    return out;
  },
  open: (src, opts) => new MlflowReader(src, opts),
};
