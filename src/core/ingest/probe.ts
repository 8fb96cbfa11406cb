/**
 * Existence tests for the marker files and folders that format detection looks for beside a candidate log
 * (hparams.yaml next to a Lightning metrics.csv, metrics/ inside an MLflow run folder). Anything that cannot be
 * stat'ed (missing, unreadable, a dangling link) counts as absent: detection then simply does not claim the run.
 */
import { stat } from 'node:fs/promises';

export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
