/**
 * Which run a table row belongs to, shared by the folder reader (summary tables) and `fit <table.csv>`: the
 * bootstrap resamples runs, and replicate runs of one configuration measure the run-to-run noise behind `pi95`, so
 * a model size must never be mistaken for a run.
 */
import { STEP_KEYS, TOKEN_KEYS } from '../common';

/** Columns that name a run. */
export const RUN_KEYS = ['run', 'run_id', 'run_name', 'name'];
/** Replicate seeds: with a size column, size + seed names the run. */
export const SEED_KEYS = ['seed', 'run_seed', 'random_seed'];
/** Columns that name a model size, not a run: several seeds (or budgets) of one size are several runs. */
export const SIZE_KEYS = ['model', 'model_name', 'model name', 'size'];

/** The columns that decide a row's run, by index (−1 when absent). */
export interface RunColumns {
  run: number;
  seed: number;
  size: number;
  /** Columns that advance along one run's rows (steps, tokens seen): with them, a size's rows are a curve. */
  progress: number[];
}

/** `bases`: the header's names in lower case without units. */
export function runColumns(bases: string[]): RunColumns {
  const first = (keys: readonly string[]) => bases.findIndex((b) => keys.includes(b));
  const progress = bases.flatMap((b, i) => (STEP_KEYS.includes(b) || TOKEN_KEYS.includes(b) ? [i] : []));
  return { run: first(RUN_KEYS), seed: first(SEED_KEYS), size: first(SIZE_KEYS), progress };
}

/** Whether the rows carry any column that names runs or sizes. */
export const namesRuns = (c: RunColumns): boolean => c.run >= 0 || c.seed >= 0 || c.size >= 0;

/**
 * A namer for the rows of one table, in file order. Rules:
 * - a `run` column names the run (with the seed, when there is a seed column too);
 * - else a `seed` column: the size (if any) and the seed;
 * - else a size column without steps or tokens: each row is a run of its own (`<size>`, then `<size> #k`), since a
 *   row per size and budget is a separate training run, and identical rows are replicates;
 * - a size column with steps or tokens: the size's rows are one run's curve. Nothing in such a table tells a second
 *   run of a size from the same run's next rows reliably (published curves are digitised: their token counts repeat
 *   and jitter backwards, and train and validation curves come in separate blocks), so one run per size is the
 *   conservative reading: the bootstrap then resamples sizes, wider rather than falsely narrow;
 * - else undefined: the caller names the row (each row its own run).
 */
export function rowRunNamer(cols: RunColumns): (cells: string[]) => string | undefined {
  const cell = (cells: string[], c: number): string => (c >= 0 ? (cells[c] ?? '').trim() : '');
  const rowsOfSize = new Map<string, number>();
  return (cells) => {
    const run = cell(cells, cols.run);
    const seed = cell(cells, cols.seed);
    if (run) return seed ? `${run} seed ${seed}` : run;
    const size = cell(cells, cols.size);
    if (seed) return size ? `${size} seed ${seed}` : `seed ${seed}`;
    if (!size || cols.progress.length) return size || undefined;
    const k = (rowsOfSize.get(size) ?? 0) + 1;
    rowsOfSize.set(size, k);
    return k === 1 ? size : `${size} #${k}`;
  };
}
