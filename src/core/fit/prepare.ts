/**
 * Turns a FitDataset into the engine's working form for one law: validated, x mapped to the law's variables and
 * divided by a per-variable scale (geometric mean) for conditioning, y transformed to the residual space.
 * Unusable data throws FitError with a message a user can act on.
 */
import { annealingAreas, DEFAULT_LAMBDA } from '../laws/lrAnnealing';
import type { LawDef } from '../laws/types';
import { FitError } from '../errors';
import type { LossSpec } from './loss';
import type { FitDataset, FitPoint, Space } from '../../contract/fit';

export interface Prepared {
  law: LawDef;
  n: number;
  /** Dataset variable names bound to the law's variables, in the law's order. */
  varNames: string[];
  /** Normalised x per point (law order) and per variable. */
  rows: Float64Array[];
  cols: Float64Array[];
  /** ln of the normalised x per point (NaN where x ≤ 0), for laws with a log fast path (fLog/gradLog). */
  logRows: Float64Array[];
  /** Raw x per point (law order), for predictions in user units. */
  rawRows: Float64Array[];
  y: Float64Array;
  /** y in residual space: ln y (log) or y (linear). */
  ty: Float64Array;
  w: Float64Array;
  scale: number[];
  points: FitPoint[];
  runIds: string[];
  space: Space;
  loss: LossSpec;
}

/** lr_annealing points from whole curves: each logged step becomes a point at its (S1, S2). */
export function curvePoints(data: FitDataset, lambda = DEFAULT_LAMBDA): FitPoint[] {
  const out: FitPoint[] = [];
  for (const [runId, c] of Object.entries(data.curves ?? {})) {
    if (c.step.length !== c.lr.length || c.step.length !== c.loss.length)
      throw new FitError(`curve ${runId}: step, lr and loss differ in length`);
    if (c.step.length === 0) continue;
    const { S1, S2 } = annealingAreas(c.step, c.lr, lambda);
    c.step.forEach((s, i) => {
      const k = Math.round(s);
      if (k < 1 || !(c.loss[i] > 0) || !Number.isFinite(c.loss[i])) return;
      out.push({ x: { S1: S1[k], S2: S2[k] }, y: c.loss[i], runId, step: s });
    });
  }
  return out;
}

/** Which dataset variables the law reads. One-variable laws (['x']) take the dataset's only x. */
export function bindVariables(law: LawDef, data: FitDataset): string[] {
  if (law.variables.length === 1 && law.variables[0] === 'x') {
    if (data.xNames.length !== 1) {
      throw new FitError(
        `law ${law.name} takes one variable; the dataset has ${data.xNames.length ? data.xNames.join(', ') : 'none'} (choose one x)`,
      );
    }
    return [data.xNames[0]];
  }
  const missing = law.variables.filter((v) => !data.xNames.includes(v) && !data.points.every((p) => v in p.x));
  if (missing.length) {
    throw new FitError(
      `law ${law.name} needs variable(s) ${missing.join(', ')}; the dataset has ${data.xNames.join(', ') || 'none'}`,
    );
  }
  return law.variables.slice();
}

export function prepare(law: LawDef, data: FitDataset, space: Space, loss: LossSpec, lambda?: number): Prepared {
  const points =
    law.name === 'lr_annealing' && data.curves && Object.keys(data.curves).length
      ? curvePoints(data, lambda)
      : data.points;
  const bound = law.name === 'lr_annealing' ? ['S1', 'S2'] : bindVariables(law, { ...data, points });
  const k = bound.length;
  const n = points.length;
  const p = law.paramCount;
  if (n < p + 1)
    throw new FitError(
      `too few points for law ${law.name}: ${n} point(s) for ${p} parameters (need at least ${p + 1})`,
    );
  // Variables the built-in laws raise to powers or take logs of must be positive; S2 (an area) may be 0.
  const positive = bound.map((v) => law.name !== 'custom' && !(law.name === 'lr_annealing' && v === 'S2'));
  const rawRows: Float64Array[] = [];
  const y = new Float64Array(n),
    ty = new Float64Array(n),
    w = new Float64Array(n);
  points.forEach((pt, i) => {
    const row = new Float64Array(k);
    bound.forEach((v, j) => {
      const val = pt.x[v];
      if (typeof val !== 'number' || !Number.isFinite(val))
        throw new FitError(`point ${i + 1} (run ${pt.runId}) has no finite value for ${v}`);
      if (positive[j] && !(val > 0))
        throw new FitError(`point ${i + 1} (run ${pt.runId}): ${v} = ${val}, but law ${law.name} needs ${v} > 0`);
      row[j] = val;
    });
    rawRows.push(row);
    if (!Number.isFinite(pt.y))
      throw new FitError(`point ${i + 1} (run ${pt.runId}) has a non-finite ${data.yName || 'y'}`);
    if (space === 'log' && !(pt.y > 0)) {
      throw new FitError(
        `non-positive ${data.yName || 'y'} (${pt.y}) at point ${i + 1} (run ${pt.runId}) cannot be fitted in log space; use linear space`,
      );
    }
    const wt = pt.weight ?? 1;
    if (!(wt >= 0) || !Number.isFinite(wt))
      throw new FitError(`point ${i + 1} (run ${pt.runId}) has an invalid weight ${wt}`);
    y[i] = pt.y;
    ty[i] = space === 'log' ? Math.log(pt.y) : pt.y;
    w[i] = wt;
  });
  checkDistinct(law, bound, rawRows);
  const scale = bound.map((_, j) => (law.unscale ? scaleOf(rawRows.map((r) => r[j])) : 1));
  const rows = rawRows.map((r) => r.map((v, j) => v / scale[j]));
  const cols = bound.map((_, j) => Float64Array.from(rows, (r) => r[j]));
  const logRows = rows.map((r) => r.map((v) => (v > 0 ? Math.log(v) : NaN)));
  return {
    law,
    n,
    varNames: bound,
    rows,
    cols,
    logRows,
    rawRows,
    y,
    ty,
    w,
    scale,
    points,
    runIds: points.map((q) => q.runId),
    space,
    loss,
  };
}

/** Geometric mean when all values are positive (then x/scale is O(1) on a log scale), else the largest magnitude. */
function scaleOf(v: number[]): number {
  if (v.every((x) => x > 0)) return Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length);
  const m = Math.max(...v.map(Math.abs));
  return m > 0 ? m : 1;
}

function checkDistinct(law: LawDef, names: string[], rows: Float64Array[]): void {
  names.forEach((v, j) => {
    const distinct = new Set(rows.map((r) => r[j])).size;
    const need = names.length === 1 && law.name !== 'custom' ? law.paramCount : 2;
    if (distinct < need) {
      if (law.name === 'lr_annealing' && v === 'S2') {
        throw new FitError(
          'the annealing area S2 is the same at every point: no schedule decays, so the annealing term of lr_annealing cannot be fitted; include a run whose learning rate decays',
        );
      }
      throw new FitError(`too few distinct values of ${v} for law ${law.name}: ${distinct} (need at least ${need})`);
    }
  });
}

/** Warnings for designs that barely identify the law (a few distinct N or D). */
export function designWarnings(prep: Prepared): string[] {
  const out: string[] = [];
  prep.varNames.forEach((v, j) => {
    const distinct = new Set(prep.rawRows.map((r) => r[j])).size;
    if (prep.varNames.length > 1 && distinct < 4)
      out.push(`only ${distinct} distinct values of ${v}: its exponent is poorly determined`);
  });
  return out;
}

/** The same prepared data restricted to (possibly repeated) point indices. */
export function subset(prep: Prepared, idx: number[]): Prepared {
  const pick = <T>(a: ArrayLike<T>): T[] => idx.map((i) => a[i]);
  const rows = pick(prep.rows);
  return {
    ...prep,
    n: idx.length,
    rows,
    cols: prep.varNames.map((_, j) => Float64Array.from(rows, (r) => r[j])),
    logRows: pick(prep.logRows),
    rawRows: pick(prep.rawRows),
    y: Float64Array.from(pick(prep.y)),
    ty: Float64Array.from(pick(prep.ty)),
    w: Float64Array.from(pick(prep.w)),
    points: pick(prep.points),
    runIds: pick(prep.runIds),
  };
}
