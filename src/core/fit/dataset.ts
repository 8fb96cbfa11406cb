import { parseScaleNumber } from '../config/values';
import { parseColumn } from '../ingest/readers/summaryTable';
import type { Run } from '../model/run';
import type { Series } from '../model/series';
import { type DatasetBuild, type DatasetSelection, Definitions, listNames, plural, Y_CANDIDATES } from './datasetCommon';
import type { FitPoint } from './types';

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

/** The first default y candidate that any run logs (one metric for all runs: mixing val and train loss is wrong). */
export function defaultY(runs: Run[]): string | undefined {
  for (const c of Y_CANDIDATES) if (runs.some((r) => (findSeries(r, c)?.count ?? 0) > 0)) return c;
  return undefined;
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
  if (s && s.count) return { value: s.value[indexAtStep(s, step)], definition: `metric "${s.name}" at the point's step` };
  const key = name in run.config ? name : Object.keys(run.config).find((k) => k.toLowerCase() === name.toLowerCase());
  if (key !== undefined) {
    const v = parseScaleNumber(run.config[key]);
    if (v !== undefined) return { value: v, definition: `config "${key}"${run.configFrom[key] ? ` (${run.configFrom[key]})` : ''}` };
  }
  const fact = run.facts[name];
  if (fact) return { value: fact.value, definition: fact.provenance };
  return undefined;
}

/** The run's last step over every metric: the denominator of the step-proportional D estimate. */
function lastStepOf(run: Run): number {
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
  let yName = sel.y;
  if (!yName) {
    yName = defaultY(runs) ?? 'val_loss';
    if (runs.length) warnings.push(`no --y given: fitting "${yName}" (the first present of ${Y_CANDIDATES.slice(0, 4).join(', ')}, …, loss, train_loss)`);
  }
  const points: FitPoint[] = [];
  const missing = new Map<string, string[]>();
  let nonPositive = 0;
  for (const run of runs) {
    const r = runPoints(run, yName, sel.x, checkpoints, drop, defs);
    nonPositive += r.nonPositive;
    if (r.missing) missing.set(r.missing, [...(missing.get(r.missing) ?? []), run.id]);
    else points.push(...r.points);
  }
  for (const [what, ids] of missing) warnings.push(`skipped ${plural(ids.length, 'run')} without ${what}: ${listNames(ids)}`);
  if (nonPositive) warnings.push(`dropped ${plural(nonPositive, 'point')} with a zero, negative or missing value of ${sel.x.join('/')} (scaling variables must be positive)`);
  defs.add(
    yName,
    checkpoints
      ? `"${yName}" at every logged point after the first ${Math.round(drop * 100)}% of each run's tokens (or steps, when tokens are not logged)`
      : `last logged value of "${yName}" in each run`,
  );
  const definitions = defs.toRecord();
  return { dataset: { points, xNames: [...sel.x], yName, definitions }, warnings };
}

function runPoints(run: Run, yName: string, xNames: string[], checkpoints: boolean, drop: number, defs: Definitions): RunPoints {
  const ys = findSeries(run, yName);
  const out: RunPoints = { points: [], nonPositive: 0 };
  const finite: number[] = [];
  if (ys) for (let i = 0; i < ys.count; i++) if (Number.isFinite(ys.value[i])) finite.push(i);
  if (!ys || !finite.length) return { ...out, missing: `a logged "${yName}"` };
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
        [D, dDef] = atEnd ? [run.D.value, run.D.provenance] : [(run.D.value * step) / lastStep, `D_final × step/last_step (D_final: ${run.D.provenance})`];
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
        if (!checkpoints && run.C && (!Number.isFinite(D) || !run.D || Math.abs(D - run.D.value) <= 1e-9 * run.D.value)) {
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
