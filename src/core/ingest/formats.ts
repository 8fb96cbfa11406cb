import { csvFormat } from './readers/csv';
import { jsonlFormat } from './readers/jsonl';
import { summaryTableFormat } from './readers/summaryTable';
import { mlflowFormat } from './readers/mlflow';
import { mlflowSqliteFormat } from './readers/mlflowSqlite';
import { hfTrainerFormat } from './readers/hfTrainer';
import { dvcliveFormat } from './readers/dvclive';
import { lightningFormat } from './readers/lightning';
import { tensorboardFormat } from './readers/tensorboard';
import { wandbFormat } from './readers/wandb';
import type { FormatDef } from './types';

/**
 * Every log family, most specific first: a format that recognises a layout (MLflow's tree, a Lightning version
 * folder, a dvclive folder) claims its files before the generic CSV/JSONL readers see them.
 */
export const FORMATS: FormatDef[] = [
  mlflowFormat,
  mlflowSqliteFormat,
  hfTrainerFormat,
  dvcliveFormat,
  lightningFormat,
  tensorboardFormat,
  wandbFormat,
  summaryTableFormat,
  jsonlFormat,
  csvFormat,
];
