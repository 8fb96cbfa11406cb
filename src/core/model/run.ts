import type { MetricTable, Series } from './series';

/** The log families Scaling Lens reads. Names are part of the CLI's JSON contract. */
export type FormatName =
  | 'hf-trainer'
  | 'lightning-csv'
  | 'dvclive'
  | 'csv'
  | 'jsonl'
  | 'tensorboard'
  | 'mlflow'
  | 'mlflow-sqlite'
  | 'wandb-offline'
  | 'summary-table';

export type ConfigValue = string | number | boolean | null;

/** A scale quantity with the sentence that says where it came from, e.g. "6ND" or "n_params in config.yaml". */
export interface Scale {
  value: number;
  provenance: string;
}

/** A problem in one input file. Readers skip the bad part and go on. */
export interface Diagnostic {
  file: string;
  /** "line 12", "byte 4096", "record 7": where in the file, when known. */
  position?: string;
  message: string;
  /** 'info' says something true about the data that is not a problem (a restart), so nothing is skipped. */
  severity: 'error' | 'warning' | 'info';
}

export interface Run {
  /** Stable id: the run's folder relative to the scanned root, plus a suffix when one folder holds several runs. */
  id: string;
  format: FormatName;
  /** Absolute folder the run lives in. */
  dir: string;
  /**
   * Absolute paths of every file the run's data came from: metric logs first, then the config, params, hparams and
   * meta files its `config` was read from (provenance: which file a value came from).
   */
  files: string[];
  /** The config files among `files` (kept apart so a reader that relists its logs keeps them). */
  configFiles?: string[];
  /** Flattened config: nested keys joined with dots. */
  config: Record<string, ConfigValue>;
  /** The file each config key came from (absolute path), for provenance messages. */
  configFrom: Record<string, string>;
  metrics: MetricTable;
  N?: Scale;
  D?: Scale;
  C?: Scale;
  /** Other scale facts a reader found, e.g. total_flos or tokens seen; inputs to the N/D/C derivation. */
  facts: Partial<Record<string, Scale>>;
}

/** The run's loss series that became NaN/±Inf: the step it diverged at. */
export function divergence(run: Run): { metric: string; step: number; count: number } | undefined {
  // the first by name of the loss series that went non-finite, found without sorting every run's series (this is
  // asked of every run whenever diagnostics are listed)
  let found: Series | undefined;
  for (const s of run.metrics.unordered())
    if (s.nonfiniteCount > 0 && /loss/i.test(s.name) && (!found || s.name < found.name)) found = s;
  return found && { metric: found.name, step: found.firstNonfiniteStep, count: found.nonfiniteCount };
}

/**
 * What the data of a run says beyond its points: a warning when it holds no metric value at all, a warning when its loss became non-finite (the run diverged: a
 * researcher must see it, not a healthy-looking last value), an info note when steps went backwards (a job restarted
 * from a checkpoint and logged those steps again; both stretches are kept).
 */
export function dataDiagnostics(run: Run, explained = false): Diagnostic[] {
  const file = run.files[0] ?? run.dir;
  const out: Diagnostic[] = [];
  // a log that holds no metric value at all (a header-only CSV, a W&B file cut after its header) is never silent;
  // `explained`: the reader already said what is wrong with its files
  if (!run.metrics.unordered().length && !explained)
    out.push({ file, message: "no metric values in this run's files", severity: 'warning' });
  const div = divergence(run);
  if (div)
    out.push({
      file,
      message: `diverged at step ${div.step}: "${div.metric}" is NaN/Inf from there (${div.count} non-finite point${div.count === 1 ? '' : 's'})`,
      severity: 'warning',
    });
  // the series with most restarts; among equals, the first by name
  let restarts = 0;
  let first = NaN;
  let by = '';
  for (const s of run.metrics.unordered()) {
    if (s.restarts > restarts || (s.restarts === restarts && restarts > 0 && s.name < by)) {
      restarts = s.restarts;
      first = s.firstRestartStep;
      by = s.name;
    }
  }
  if (restarts)
    out.push({
      file,
      message: `steps go back ${restarts === 1 ? 'once' : `${restarts} times`} (a restart from a checkpoint?), first to step ${first}; the repeated steps are kept`,
      severity: 'info',
    });
  return out;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}${d.position ? `:${d.position}` : ''}: ${d.severity}: ${d.message}`;
}
