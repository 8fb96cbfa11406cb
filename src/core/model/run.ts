import type { MetricTable } from './series';

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
  severity: 'error' | 'warning';
}

export interface Run {
  /** Stable id: the run's folder relative to the scanned root, plus a suffix when one folder holds several runs. */
  id: string;
  format: FormatName;
  /** Absolute folder the run lives in. */
  dir: string;
  /** Absolute paths of every file the run was read from. */
  files: string[];
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

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}${d.position ? `:${d.position}` : ''}: ${d.severity}: ${d.message}`;
}
