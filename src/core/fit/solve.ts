/**
 * The optimisation core for one law on prepared data: residuals and Jacobian in the engine's internal
 * parametrisation (normalised x; ln θ for `log` parameters), LM refinement of each start (the starts come from
 * starts.ts), warm refits for the bootstrap, and the parameters left at a bound.
 */
import type { LawDef } from '../laws/types';
import { lmMinimize, type LmProblem, type LmResult } from './lm';
import { mlLmStage } from './mlLm';
import { totalLoss } from './loss';
import type { Prepared } from './prepare';

/** θ (law params, normalised units) ↔ the optimiser's variables (ln θ for log parameters). */
export const toInternal = (law: LawDef, t: ArrayLike<number>): Float64Array =>
  Float64Array.from(law.params, (p, j) => (p.log ? Math.log(t[j]) : t[j]));
export const fromInternal = (law: LawDef, v: ArrayLike<number>): number[] =>
  law.params.map((p, j) => (p.log ? Math.exp(v[j]) : v[j]));

export function makeProblem(prep: Prepared): LmProblem {
  const { law, n, rows, ty, w } = prep;
  const p = law.paramCount;
  const isLog = prep.space === 'log';
  const logIdx = law.params.map((q) => !!q.log);
  const theta = new Float64Array(p);
  const gbuf = new Float64Array(p);
  const setTheta = (v: Float64Array): void => {
    for (let j = 0; j < p; j++) theta[j] = logIdx[j] ? Math.exp(v[j]) : v[j];
  };
  const fLog = law.fLog?.bind(law),
    gradLog = law.gradLog?.bind(law),
    plainGrad = law.grad?.bind(law),
    lrows = prep.logRows;
  const f = fLog
    ? (t: Float64Array, i: number): number => fLog(t, rows[i], lrows[i])
    : (t: Float64Array, i: number): number => law.f(t, rows[i]);
  const residuals = (v: Float64Array, r: Float64Array): boolean => {
    setTheta(v);
    for (let i = 0; i < n; i++) {
      const m = f(theta, i);
      if (isLog ? !(m > 0) : !Number.isFinite(m)) return false;
      r[i] = isLog ? ty[i] - Math.log(m) : ty[i] - m;
      if (!Number.isFinite(r[i])) return false;
    }
    return true;
  };
  const grad = gradLog
    ? (t: Float64Array, i: number, out: Float64Array): number => gradLog(t, rows[i], lrows[i], out)
    : plainGrad
      ? (t: Float64Array, i: number, out: Float64Array): number => plainGrad(t, rows[i], out)
      : undefined;
  const jacobian = grad
    ? (v: Float64Array, _r: Float64Array, J: Float64Array): void => {
        setTheta(v);
        for (let i = 0; i < n; i++) {
          const m = grad(theta, i, gbuf);
          const s = isLog ? -1 / m : -1;
          for (let j = 0; j < p; j++) J[i * p + j] = s * gbuf[j] * (logIdx[j] ? theta[j] : 1);
        }
      }
    : undefined;
  return {
    n,
    p,
    residuals,
    jacobian,
    weights: w,
    loss: prep.loss,
    lower: law.params.map((q) => (q.log ? Math.log(Math.max(q.min, 0)) : q.min)),
    upper: law.params.map((q) => (q.log ? Math.log(q.max) : q.max)),
    typical: law.params.map((q) => (q.log ? 1 : Math.max(Math.abs(q.start[0]), Math.abs(q.start[1]), 1e-3))),
  };
}

/** Objective at θ (normalised units); Infinity where the model is undefined. */
export function objectiveAt(prep: Prepared, prob: LmProblem, t: ArrayLike<number>, r: Float64Array): number {
  if (!prob.residuals(toInternal(prep.law, t), r)) return Infinity;
  const f = totalLoss(prep.loss, r, prep.w, prep.n);
  return Number.isFinite(f) ? f : Infinity;
}

export interface CoreFit {
  /** Best θ in normalised units (canonical order). */
  theta: number[];
  objective: number;
  starts: number;
  startsReachingBest: number;
  /**
   * Other local minima the starts ended in (normalised θ, best first, mutually distinct, the best excluded). Bootstrap
   * resamples of multimodal laws also refit from these: a resample's optimum may sit in another basin.
   */
  alternatives: number[][];
}

/**
 * LM from each start; the best objective wins. Laws without structure (custom) first go down with
 * ml-levenberg-marquardt (least squares, see mlLm.ts) and our LM finishes on the real objective; the plain start is
 * refined too, so the library can only add candidates, never lose the best one. `tick` runs before each start
 * (progress, cancellation).
 */
export function refine(prep: Prepared, starts: number[][], maxIter = 300, tick?: (i: number) => void): CoreFit {
  const prob = makeProblem(prep);
  const useMl = !prep.law.vp;
  const results: LmResult[] = [];
  starts.forEach((s, i) => {
    tick?.(i);
    const v0 = toInternal(prep.law, s);
    results.push(lmMinimize(prob, v0, maxIter));
    if (useMl) {
      const v1 = mlLmStage(prob, v0);
      if (v1) results.push(lmMinimize(prob, v1, maxIter));
    }
  });
  let best = results[0];
  for (const res of results) if (res.objective < best.objective) best = res;
  // Starts that reach the same minimum agree to LM's convergence accuracy, not to the last bit.
  const tol = 1e-6 * Math.abs(best.objective) + 1e-15;
  const reaching = results.filter((res) => res.objective - best.objective <= tol).length;
  let theta = snapToBounds(prep.law, fromInternal(prep.law, best.theta));
  if (prep.law.canonical) theta = prep.law.canonical(theta);
  const alternatives: { v: Float64Array; f: number }[] = [];
  for (const res of [...results].sort((a, b) => a.objective - b.objective)) {
    if (!Number.isFinite(res.objective) || res.objective - best.objective <= tol) continue;
    if (alternatives.some((q) => Math.abs(q.f - res.objective) <= 1e-6 * q.f)) continue;
    alternatives.push({ v: res.theta, f: res.objective });
    if (alternatives.length >= 4) break;
  }
  return {
    theta,
    objective: best.objective,
    starts: results.length,
    startsReachingBest: reaching,
    alternatives: alternatives.map((q) => fromInternal(prep.law, q.v)),
  };
}

/**
 * Warm-started refit (bootstrap resamples): LM from θ, and from each alternative minimum of the full data when
 * given; the lowest objective wins.
 */
export function refit(
  prep: Prepared,
  theta: number[],
  alternatives: number[][] = [],
  maxIter = 500,
): { theta: number[]; objective: number } {
  const prob = makeProblem(prep);
  let res = lmMinimize(prob, toInternal(prep.law, theta), maxIter);
  for (const alt of alternatives) {
    // A short probe into the other basin; only a probe that already beats the warm refit is run to convergence.
    const probe = lmMinimize(prob, toInternal(prep.law, alt), 40);
    if (probe.objective < res.objective) {
      const other = probe.converged ? probe : lmMinimize(prob, probe.theta, maxIter);
      if (other.objective < res.objective) res = other;
    }
  }
  let t = fromInternal(prep.law, res.theta);
  if (prep.law.canonical) t = prep.law.canonical(t);
  return { theta: t, objective: res.objective };
}

const nearBound = (v: number, b: number): boolean =>
  Number.isFinite(b) && Math.abs(v - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** A parameter within a hair of a finite bound is reported at the bound (E = 0, not E = 1e-17). */
function snapToBounds(law: LawDef, theta: number[]): number[] {
  return theta.map((v, j) => {
    const q = law.params[j];
    return nearBound(v, q.min) ? q.min : nearBound(v, q.max) ? q.max : v;
  });
}

/** Parameters within a hair of a finite bound (normalised units; bounds of rescaled parameters are sign bounds). */
export function atBounds(law: LawDef, theta: number[]): string[] {
  return law.params.filter((q, j) => nearBound(theta[j], q.min) || nearBound(theta[j], q.max)).map((q) => q.name);
}
