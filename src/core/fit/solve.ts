/**
 * The optimisation core for one law on prepared data: residuals and Jacobian in the engine's internal
 * parametrisation (normalised x; ln θ for `log` parameters), starts from variable projection (or random draws
 * when the law has no linear structure), LM refinement of each start, and the trust diagnostics.
 */
import type { LawDef } from '../laws/types';
import { nnlsGram, symEigenvalues } from './linalg';
import { lmMinimize, type LmProblem } from './lm';
import { totalLoss } from './loss';
import type { Prepared } from './prepare';

/** θ (law params, normalised units) ↔ the optimiser's variables (ln θ for log parameters). */
export const toInternal = (law: LawDef, t: ArrayLike<number>): Float64Array => Float64Array.from(law.params, (p, j) => (p.log ? Math.log(t[j]) : t[j]));
export const fromInternal = (law: LawDef, v: ArrayLike<number>): number[] => law.params.map((p, j) => (p.log ? Math.exp(v[j]) : v[j]));

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
  const residuals = (v: Float64Array, r: Float64Array): boolean => {
    setTheta(v);
    for (let i = 0; i < n; i++) {
      const m = law.f(theta, rows[i]);
      if (isLog ? !(m > 0) : !Number.isFinite(m)) return false;
      r[i] = isLog ? ty[i] - Math.log(m) : ty[i] - m;
      if (!Number.isFinite(r[i])) return false;
    }
    return true;
  };
  const grad = law.grad;
  const jacobian = grad
    ? (v: Float64Array, _r: Float64Array, J: Float64Array): void => {
      setTheta(v);
      for (let i = 0; i < n; i++) {
        const m = grad(theta, rows[i], gbuf);
        const s = isLog ? -1 / m : -1;
        for (let j = 0; j < p; j++) J[i * p + j] = s * gbuf[j] * (logIdx[j] ? theta[j] : 1);
      }
    }
    : undefined;
  return {
    n, p, residuals, jacobian, weights: w, loss: prep.loss,
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

/** Variable projection: solve the linear coefficients of candidate θ by weighted NNLS; returns θ with them set. */
function project(prep: Prepared, cand: number[], phi: Float64Array, G: Float64Array, h: Float64Array, c: Float64Array): number[] | undefined {
  const vp = prep.law.vp!;
  const k = vp.linear.length;
  G.fill(0); h.fill(0);
  for (let i = 0; i < prep.n; i++) {
    const y = prep.y[i];
    const u = vp.target ? vp.target(y, cand) : y;
    const d = vp.dlog ? vp.dlog(u, cand) : 1 / u;
    // Weight so that the linear residual in u approximates the residual in the fit's space (log or linear).
    const s = prep.space === 'log' ? d : d * y;
    const wi = prep.w[i] * s * s;
    if (!Number.isFinite(u) || !Number.isFinite(wi)) return undefined;
    vp.basis(cand, prep.rows[i], phi);
    for (let a = 0; a < k; a++) {
      if (!Number.isFinite(phi[a])) return undefined;
      h[a] += wi * phi[a] * u;
      for (let b = 0; b <= a; b++) G[a * k + b] += wi * phi[a] * phi[b];
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) G[b * k + a] = G[a * k + b];
  nnlsGram(G, h, k, vp.nonneg, c);
  const t = cand.slice();
  if (vp.assign) vp.assign(t, c);
  else vp.linear.forEach((j, a) => { t[j] = c[a]; });
  return t;
}

/**
 * Starting points in normalised units, best first, mutually distinct in their nonlinear parameters.
 * With structure: every VP candidate is scored at its projected coefficients. Without: seeded draws from the
 * parameters' start ranges (log-uniform across wide positive ranges).
 */
export function findStarts(prep: Prepared, rand: () => number, maxStarts: number): number[][] {
  const law = prep.law;
  const prob = makeProblem(prep);
  const r = new Float64Array(prep.n);
  const scored: { t: number[]; f: number }[] = [];
  let nonlinear: number[];
  if (law.vp) {
    const k = law.vp.linear.length;
    const phi = new Float64Array(k), G = new Float64Array(k * k), h = new Float64Array(k), c = new Float64Array(k);
    nonlinear = law.params.map((_, j) => j).filter((j) => !law.vp!.linear.includes(j));
    for (const cand of law.vp.candidates(prep.cols, rand)) {
      const t = project(prep, cand, phi, G, h, c);
      if (!t) continue;
      const f = objectiveAt(prep, prob, t, r);
      if (Number.isFinite(f)) scored.push({ t, f });
    }
  } else {
    nonlinear = law.params.map((_, j) => j);
    const draw = (lo: number, hi: number): number =>
      lo > 0 && hi / lo >= 100 ? Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rand()) : lo + (hi - lo) * rand();
    const cands = [law.params.map((q) => (q.start[0] > 0 && q.start[1] / q.start[0] >= 100 ? Math.sqrt(q.start[0] * q.start[1]) : (q.start[0] + q.start[1]) / 2))];
    for (let s = 0; s < 96; s++) cands.push(law.params.map((q) => draw(q.start[0], q.start[1])));
    for (const t of cands) {
      const f = objectiveAt(prep, prob, t, r);
      if (Number.isFinite(f)) scored.push({ t, f });
    }
  }
  scored.sort((a, b) => a.f - b.f);
  const span = nonlinear.map((j) => {
    let lo = Infinity, hi = -Infinity;
    for (const s of scored) {
      const v = law.params[j].log ? Math.log(s.t[j]) : s.t[j];
      lo = Math.min(lo, v); hi = Math.max(hi, v);
    }
    return hi > lo ? hi - lo : 1;
  });
  const picked: number[][] = [];
  for (const s of scored) {
    const near = picked.some((q) => nonlinear.every((j, a) => {
      const d = law.params[j].log ? Math.log(s.t[j]) - Math.log(q[j]) : s.t[j] - q[j];
      return Math.abs(d) <= 0.08 * span[a];
    }));
    if (!near) picked.push(s.t);
    if (picked.length >= maxStarts) break;
  }
  return picked;
}

export interface CoreFit {
  /** Best θ in normalised units (canonical order). */
  theta: number[];
  objective: number;
  starts: number;
  startsReachingBest: number;
}

/** LM from each start; the best objective wins. */
export function refine(prep: Prepared, starts: number[][], maxIter = 300): CoreFit {
  const prob = makeProblem(prep);
  const results = starts.map((s) => lmMinimize(prob, toInternal(prep.law, s), maxIter));
  let best = results[0];
  for (const res of results) if (res.objective < best.objective) best = res;
  const tol = Math.max(1e-8 * Math.abs(best.objective), 1e-18);
  const reaching = results.filter((res) => res.objective - best.objective <= tol).length;
  let theta = fromInternal(prep.law, best.theta);
  if (prep.law.canonical) theta = prep.law.canonical(theta);
  return { theta, objective: best.objective, starts: starts.length, startsReachingBest: reaching };
}

/** Warm-started refit (bootstrap resamples): one LM run from θ. */
export function refit(prep: Prepared, theta: number[], maxIter = 100): { theta: number[]; objective: number } {
  const res = lmMinimize(makeProblem(prep), toInternal(prep.law, theta), maxIter);
  let t = fromInternal(prep.law, res.theta);
  if (prep.law.canonical) t = prep.law.canonical(t);
  return { theta: t, objective: res.objective };
}

/** Parameters within a hair of a finite bound (normalised units; bounds of rescaled parameters are sign bounds). */
export function atBounds(law: LawDef, theta: number[]): string[] {
  return law.params.filter((q, j) => {
    const v = theta[j];
    const near = (b: number): boolean => Number.isFinite(b) && Math.abs(v - b) <= 1e-9 * Math.max(1, Math.abs(b));
    return near(q.min) || near(q.max);
  }).map((q) => q.name);
}

/** Condition number of JᵀJ with J against relative parameter changes (∂r/∂ln|θ|; absolute where θ = 0). */
export function conditionNumber(prep: Prepared, theta: number[]): number {
  const law = prep.law;
  const p = law.paramCount;
  const prob = makeProblem(prep);
  const v = toInternal(law, theta);
  const r = new Float64Array(prep.n), rt = new Float64Array(prep.n);
  if (!prob.residuals(v, r)) return Infinity;
  const cols: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    // Central differences in the relative parameter: unit-free, and analytic structure is not needed here.
    const base = law.params[j].log ? 1 : Math.abs(theta[j]) > 1e-12 ? Math.abs(theta[j]) : 1;
    const h = 1e-6 * base;
    const col = new Float64Array(prep.n);
    const t = Float64Array.from(v);
    t[j] = v[j] + h;
    const okP = prob.residuals(t, rt);
    const rp = Float64Array.from(rt);
    t[j] = v[j] - h;
    const okM = prob.residuals(t, rt);
    for (let i = 0; i < prep.n; i++) col[i] = okP && okM ? ((rp[i] - rt[i]) / (2 * h)) * base : okP ? ((rp[i] - r[i]) / h) * base : ((r[i] - rt[i]) / h) * base;
    cols.push(col);
  }
  const S = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b <= a; b++) {
    let s = 0;
    for (let i = 0; i < prep.n; i++) s += cols[a][i] * cols[b][i];
    S[a * p + b] = s; S[b * p + a] = s;
  }
  const ev = symEigenvalues(S, p);
  return ev[0] > 0 ? ev[p - 1] / ev[0] : Infinity;
}
