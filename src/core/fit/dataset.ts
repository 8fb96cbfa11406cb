import { parseScaleNumber } from '../config/values';
import { parseColumn } from '../ingest/readers/summaryTable';
import type { Run } from '../model/run';
import type { Series } from '../model/series';
import {
  type DatasetBuild,
  type DatasetSelection,
  Definitions,
  listNames,
  plural,
  TRAIN_FROM,
  Y_CANDIDATES,
} from './datasetCommon';
import type { FitPoint } from '../../contract/fit';

export { DatasetError, Y_CANDIDATES, type DatasetBuild, type DatasetSelection } from './datasetCommon';
export { datasetFromTable, datasetFromTableText } from './table';

const SCALE_NAMES = new Set(['N', 'D', 'C']);

/** A metric by name: exact, then case-insensitive, then without a header unit ("model size" finds "Model Size (B)"). */
export function findSeries(run: Run, name: string): Series | undefined {
  const exact = run.metrics.find(name);
  if (exact) return exact;
  const lower = name.trim().toLowerCase();
  const all = run.metrics.all();
  return all.find((s) => s.name.toLowerCase() === lower) ?? all.find((s) => parseColumn(s.name).base === lower);
}

/** y chosen for each run: the named metric, or (no --y) the run's validation loss in its own logger's spelling. */
interface YChoice {
  yName: string;
  series: Map<Run, Series>;
  definition: string;
  /** What a run without it lacks, for the skip warning: 'a logged "val_loss"', 'a logged validation loss'. */
  missing: string;
  warnings: string[];
}

const hasPoints = (s: Series | undefined): s is Series => s !== undefined && s.count > 0;

/**
 * Without --y: loggers spell the validation loss differently (val/loss, eval_loss, val_loss…), so each run's own
 * spelling is taken, as long as it is a validation loss; training losses only when no run logs a validation loss
 * (mixing the two would be wrong). `prefer: 'training'` swaps the order, for laws fitted on whole training curves. The fitted metric is named after the spelling when all runs share one.
 */
export function chooseY(runs: Run[], y: string | undefined, prefer: 'validation' | 'training' = 'validation'): YChoice {
  const series = new Map<Run, Series>();
  if (y) {
    for (const run of runs) {
      const s = findSeries(run, y);
      if (hasPoints(s)) series.set(run, s);
    }
    return { yName: y, series, definition: `"${y}"`, missing: `a logged "${y}"`, warnings: [] };
  }
  const families: [string, string[]][] = [
    ['validation loss', Y_CANDIDATES.slice(0, TRAIN_FROM)],
    ['training loss', Y_CANDIDATES.slice(TRAIN_FROM)],
  ];
  // Whole-curve laws want the dense training curve; point laws the validation loss.
  if (prefer === 'training') families.reverse();
  for (const [family, names] of families) {
    for (const run of runs) {
      const s = names.map((n) => findSeries(run, n)).find(hasPoints);
      if (s) series.set(run, s);
    }
    if (!series.size) continue;
    const counts = new Map<string, number>();
    for (const s of series.values()) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
    const spellings = [...counts.entries()].map(([n, c]) => `"${n}" in ${plural(c, 'run')}`).join(', ');
    const yName = counts.size === 1 ? [...counts.keys()][0] : family;
    return {
      yName,
      series,
      definition: counts.size === 1 ? `"${yName}"` : `the ${family} (${spellings})`,
      missing: `a logged ${family}`,
      warnings: [`no --y given: fitting the ${family} (${spellings})`],
    };
  }
  return {
    yName: 'val_loss',
    series,
    definition: '"val_loss"',
    missing: 'a logged validation or training loss',
    warnings: [],
  };
}

/** Index of the last point at or before `step` (series are logged in step order); the first point if none. */
function indexAtStep(s: Series, step: number): number {
  let best = -1;
  for (let i = 0; i < s.count; i++) if (s.step[i] <= step && Number.isFinite(s.value[i])) best = i;
  return best >= 0 ? best : 0;
}

/** A non-scale variable at a step: a metric's value then, else a numeric config value, else a reader's fact. */
function otherVariable(run: Run, name: string, step: number): { value: number; definition: string } | undefined {
  const s = findSeries(run, name);
  if (s && s.count)
    return { value: s.value[indexAtStep(s, step)], definition: `metric "${s.name}" at the point's step` };
  const key = name in run.config ? name : Object.keys(run.config).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key !== undefined) {
    const v = parseScaleNumber(run.config[key]);
    if (v !== undefined)
      return { value: v, definition: `config "${key}"${run.configFrom[key] ? ` (${run.configFrom[key]})` : ''}` };
  }
  const fact = run.facts[name];
  if (fact) return { value: fact.value, definition: fact.provenance };
  return undefined;
}

/** The run's last step over every metric: the denominator of the step-proportional D estimate. */
export function lastStepOf(run: Run): number {
  let last = 0;
  for (const s of run.metrics.all()) for (let i = 0; i < s.count; i++) if (s.step[i] > last) last = s.step[i];
  return last;
}

interface RunPoints {
  points: FitPoint[];
  missing?: string;
  nonPositive: number;
}

/**
 * Fit points from runs. Final mode: each run's last logged y, with D (and C) at that point. Checkpoint mode: every
 * logged y after the first `dropFraction` of the run's tokens (or steps), D per point from the tokens column or else
 * D_final·step/last_step, C = 6·N·D at the point; each run is one cluster for the bootstrap. Runs missing a needed
 * variable are skipped with a warning that names them.
 */
export function datasetFromRuns(runs: Run[], sel: DatasetSelection): DatasetBuild {
  const warnings: string[] = [];
  const defs = new Definitions();
  const checkpoints = sel.checkpoints === true;
  const drop = sel.dropFraction ?? 0.1;
  const y = chooseY(runs, sel.y);
  warnings.push(...y.warnings);
  const points: FitPoint[] = [];
  const missing = new Map<string, string[]>();
  let nonPositive = 0;
  // NaN/±Inf values (a diverged run) stay in the series as data; a fit cannot use them, and says how many it skipped
  let nonFinite = 0;
  for (const run of runs) {
    const ys = y.series.get(run);
    nonFinite += ys?.nonfiniteCount ?? 0;
    const r: RunPoints = ys
      ? runPoints(run, ys, sel.x, checkpoints, drop, defs)
      : { points: [], nonPositive: 0, missing: y.missing };
    nonPositive += r.nonPositive;
    if (r.missing) missing.set(r.missing, [...(missing.get(r.missing) ?? []), run.id]);
    else points.push(...r.points);
  }
  for (const [what, ids] of missing)
    warnings.push(
      `skipped ${plural(ids.length, 'run')} without ${what}: ${listNames(ids)}${what.startsWith('a logged') ? otherSpellings(runs, ids) : ''}`,
    );
  if (nonFinite)
    warnings.push(
      `skipped ${plural(nonFinite, 'non-finite (NaN/Inf) value')} of the fitted metric (diverged runs are fitted on their finite points)`,
    );
  if (nonPositive)
    warnings.push(
      `dropped ${plural(nonPositive, 'point')} with a zero, negative or missing value of ${sel.x.join('/')} (scaling variables must be positive)`,
    );
  defs.add(
    y.yName,
    checkpoints
      ? `${y.definition} at every logged point after the first ${Math.round(drop * 100)}% of each run's tokens (or steps, when tokens are not logged)`
      : `last logged value of ${y.definition} in each run`,
  );
  const definitions = defs.toRecord();
  return { dataset: { points, xNames: [...sel.x], yName: y.yName, definitions }, warnings };
}

/** A hint for skipped runs: the loss-like metrics they do log, so the user can pick one or drop --y. */
function otherSpellings(runs: Run[], ids: string[]): string {
  const names = new Set<string>();
  for (const run of runs) {
    if (!ids.includes(run.id)) continue;
    for (const n of Y_CANDIDATES) {
      const s = findSeries(run, n);
      if (hasPoints(s)) names.add(s.name);
    }
  }
  return names.size
    ? ` (they log ${[...names]
        .slice(0, 6)
        .map((n) => `"${n}"`)
        .join(', ')}; without --y each run's validation loss is taken whatever its name)`
    : '';
}

function runPoints(
  run: Run,
  ys: Series,
  xNames: string[],
  checkpoints: boolean,
  drop: number,
  defs: Definitions,
): RunPoints {
  const out: RunPoints = { points: [], nonPositive: 0 };
  const finite: number[] = [];
  for (let i = 0; i < ys.count; i++) if (Number.isFinite(ys.value[i])) finite.push(i);
  if (!finite.length) return { ...out, missing: `a finite "${ys.name}"` };
  const hasC = xNames.includes('C');
  if ((xNames.includes('N') || (hasC && !run.C)) && !run.N) return { ...out, missing: 'N' };
  // In final mode a run's own C serves; otherwise C comes from D at the point.
  const needD = xNames.includes('D') || (hasC && (checkpoints || !run.C));
  const hasTokens = finite.some((i) => Number.isFinite(ys.tokens[i]) && ys.tokens[i] > 0);
  if (needD && !run.D && !hasTokens) return { ...out, missing: 'D (no token count in its config or log)' };
  const lastStep = lastStepOf(run);
  let maxTokens = run.D?.value ?? 0;
  for (const i of finite) if (ys.tokens[i] > maxTokens) maxTokens = ys.tokens[i];
  let indices = checkpoints ? finite : [finite[finite.length - 1]];
  if (checkpoints && drop > 0) {
    indices = indices.filter((i) => {
      const tok = ys.tokens[i];
      if (Number.isFinite(tok) && maxTokens > 0) return tok > drop * maxTokens;
      return lastStep > 0 ? ys.step[i] > drop * lastStep : true;
    });
  }
  for (const i of indices) {
    const step = ys.step[i];
    const x: Record<string, number> = {};
    let ok = true;
    // D at this point: the logged token count when there is one, else the run's total pro rata by step.
    let D = NaN;
    let dDef = '';
    if (needD || hasC) {
      const tok = ys.tokens[i];
      if (Number.isFinite(tok) && tok > 0) [D, dDef] = [tok, 'tokens seen at the point (logged)'];
      else if (run.D) {
        const atEnd = !checkpoints || lastStep <= 0 || step >= lastStep;
        [D, dDef] = atEnd
          ? [run.D.value, run.D.provenance]
          : [(run.D.value * step) / lastStep, `D_final × step/last_step (D_final: ${run.D.provenance})`];
      }
    }
    for (const name of xNames) {
      let v: number | undefined;
      if (name === 'N') {
        v = run.N?.value;
        if (run.N) defs.add('N', run.N.provenance);
      } else if (name === 'D') {
        v = D;
        defs.add('D', dDef);
      } else if (name === 'C') {
        if (
          !checkpoints &&
          run.C &&
          (!Number.isFinite(D) || !run.D || Math.abs(D - run.D.value) <= 1e-9 * run.D.value)
        ) {
          v = run.C.value;
          defs.add('C', run.C.provenance);
        } else if (run.N && Number.isFinite(D)) {
          v = 6 * run.N.value * D;
          defs.add('C', '6·N·D at the point');
        } else if (run.C && run.D && Number.isFinite(D)) {
          v = (run.C.value * D) / run.D.value;
          defs.add('C', `C_final × D/D_final (C_final: ${run.C.provenance})`);
        }
      } else {
        const o = otherVariable(run, name, step);
        if (!o) return { ...out, missing: `"${name}" (not a metric, config value or fact of the run)` };
        v = o.value;
        defs.add(name, o.definition);
      }
      if (v === undefined || !Number.isFinite(v) || (SCALE_NAMES.has(name) && v <= 0)) ok = false;
      else x[name] = v;
    }
    if (!ok) {
      out.nonPositive++;
      continue;
    }
    out.points.push({ x, y: ys.value[i], runId: run.id, step });
  }
  return out;
}
