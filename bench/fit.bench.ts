/**
 * Fit-engine speed and quality on a 250-point Chinchilla-form problem, Huber δ = 1e-3 on log residuals (issue #3):
 * - time to the best objective: one `fitDataset` call (variable-projection grid over the exponents, LM from the
 *   distinct best starts), cold (first call in the process: JIT warm-up included) and warm (median of 5);
 * - the objective it reaches against the standard recipe run in the same process: Hoffmann/Besiroglu/Epoch's
 *   LSE parametrisation, log L̂ = LSE(a − α·ln N, b − β·ln D, e), L-BFGS from every point of the 4,500-start grid
 *   α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}; ours must be equal or lower;
 * - the time for a 1,000-resample bootstrap (the whole `fitDataset` call with bootstrap: 1000).
 * The baseline's L-BFGS is given tight stopping rules (relative objective change 1e-13, gradient 1e-9) so it is not
 * handicapped by scipy's default tolerance, which stops early on an objective this small.
 */
import { performance } from 'node:perf_hooks';
import { fitDataset } from '../src/core/fit/engine';
import { rho, type LossSpec } from '../src/core/fit/loss';
import { normal, rng } from '../src/core/fit/random';
import type { FitDataset, FitPoint } from '../src/contract/fit';

const TARGET_FIT_S = 0.5;
const TARGET_BOOTSTRAP_S = 10;
const DELTA = 1e-3;
/** Besiroglu et al. 2024's refit of Chinchilla Approach 3: the ground truth of the synthetic problem. */
const TRUTH = { E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };
/** The baseline stops after this many seconds even if the grid is unfinished (it reports how far it got). */
const BASELINE_BUDGET_S = Number(process.env.FIT_BENCH_BASELINE_BUDGET_S ?? 600);

/** 25 model sizes × 10 token budgets (2.5 to 160 tokens per parameter), 2% multiplicative noise, 2 gross outliers. */
export function problem(seed = 1): FitDataset {
  const r = rng(seed),
    z = normal(r);
  const points: FitPoint[] = [];
  for (let i = 0; i < 25; i++) {
    const N = 4.4e7 * Math.pow(1.6e10 / 4.4e7, i / 24);
    for (let k = 0; k < 10; k++) {
      const D = N * 2.5 * Math.pow(64, k / 9);
      const L = TRUTH.E + TRUTH.A / Math.pow(N, TRUTH.alpha) + TRUTH.B / Math.pow(D, TRUTH.beta);
      const outlier = points.length === 17 || points.length === 203 ? 1.15 : 1;
      points.push({ x: { N, D }, y: L * Math.exp(0.02 * z()) * outlier, runId: `n${i}-d${k}` });
    }
  }
  return { points, xNames: ['N', 'D'], yName: 'loss', definitions: { N: 'parameters', D: 'tokens' } };
}

interface Lse {
  lnN: Float64Array;
  lnD: Float64Array;
  lnL: Float64Array;
}

/** Σ Huber_δ(LSE(a − α lnN, b − β lnD, e) − ln L) and its gradient in (a, b, e, α, β). */
function lseObjective(d: Lse, x: Float64Array, g: Float64Array): number {
  const [a, b, e, alpha, beta] = x;
  const loss: LossSpec = { kind: 'huber', delta: DELTA };
  g.fill(0);
  let f = 0;
  for (let i = 0; i < d.lnL.length; i++) {
    const t1 = a - alpha * d.lnN[i],
      t2 = b - beta * d.lnD[i];
    const m = Math.max(t1, t2, e);
    const e1 = Math.exp(t1 - m),
      e2 = Math.exp(t2 - m),
      e3 = Math.exp(e - m);
    const s = e1 + e2 + e3;
    const r = m + Math.log(s) - d.lnL[i];
    f += rho(loss, r);
    const psi = Math.abs(r) <= DELTA ? r : Math.sign(r) * DELTA;
    const w1 = e1 / s,
      w2 = e2 / s,
      w3 = e3 / s;
    g[0] += psi * w1;
    g[1] += psi * w2;
    g[2] += psi * w3;
    g[3] -= psi * w1 * d.lnN[i];
    g[4] -= psi * w2 * d.lnD[i];
  }
  return f;
}

/** Limited-memory BFGS (m = 10) with a backtracking Armijo line search; returns the objective reached. */
function lbfgs(d: Lse, x0: number[], maxIter = 2000): number {
  const p = x0.length,
    M = 10;
  const x = Float64Array.from(x0),
    g = new Float64Array(p),
    xn = new Float64Array(p),
    gn = new Float64Array(p),
    dir = new Float64Array(p);
  const S: Float64Array[] = [],
    Y: Float64Array[] = [],
    RHO: number[] = [];
  let f = lseObjective(d, x, g);
  if (!Number.isFinite(f)) return Infinity;
  const alphaBuf = new Float64Array(M);
  for (let it = 0; it < maxIter; it++) {
    // Two-loop recursion: dir = −H·g.
    for (let j = 0; j < p; j++) dir[j] = -g[j];
    for (let k = S.length - 1; k >= 0; k--) {
      let s = 0;
      for (let j = 0; j < p; j++) s += S[k][j] * dir[j];
      alphaBuf[k] = RHO[k] * s;
      for (let j = 0; j < p; j++) dir[j] -= alphaBuf[k] * Y[k][j];
    }
    if (S.length) {
      const k = S.length - 1;
      let sy = 0,
        yy = 0;
      for (let j = 0; j < p; j++) {
        sy += S[k][j] * Y[k][j];
        yy += Y[k][j] * Y[k][j];
      }
      for (let j = 0; j < p; j++) dir[j] *= sy / yy;
    }
    for (let k = 0; k < S.length; k++) {
      let yd = 0;
      for (let j = 0; j < p; j++) yd += Y[k][j] * dir[j];
      const beta = RHO[k] * yd;
      for (let j = 0; j < p; j++) dir[j] += S[k][j] * (alphaBuf[k] - beta);
    }
    let slope = 0,
      gmax = 0;
    for (let j = 0; j < p; j++) {
      slope += g[j] * dir[j];
      gmax = Math.max(gmax, Math.abs(g[j]));
    }
    if (gmax < 1e-9) break;
    if (!(slope < 0)) {
      for (let j = 0; j < p; j++) dir[j] = -g[j];
      slope = -g.reduce((s, v) => s + v * v, 0);
      S.length = Y.length = RHO.length = 0;
    }
    let step = S.length ? 1 : 1 / Math.max(1, Math.sqrt(-slope));
    let fn = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      for (let j = 0; j < p; j++) xn[j] = x[j] + step * dir[j];
      fn = lseObjective(d, xn, gn);
      if (fn <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fn < f)) break;
    const s = new Float64Array(p),
      y = new Float64Array(p);
    let sy = 0;
    for (let j = 0; j < p; j++) {
      s[j] = xn[j] - x[j];
      y[j] = gn[j] - g[j];
      sy += s[j] * y[j];
    }
    if (sy > 1e-16) {
      S.push(s);
      Y.push(y);
      RHO.push(1 / sy);
      if (S.length > M) {
        S.shift();
        Y.shift();
        RHO.shift();
      }
    }
    const df = f - fn;
    x.set(xn);
    g.set(gn);
    f = fn;
    if (df <= 1e-13 * Math.abs(f)) break;
  }
  return f;
}

/** The Epoch/Besiroglu grid, shuffled (seeded) so that a run cut short by the time budget still spans it. */
function epochGrid(): number[][] {
  const out: number[][] = [];
  const range = (lo: number, hi: number, step: number) =>
    Array.from({ length: Math.round((hi - lo) / step) + 1 }, (_, i) => lo + i * step);
  for (const a of range(0, 25, 5))
    for (const b of range(0, 25, 5))
      for (const e of range(-1, 1, 0.5))
        for (const al of range(0, 2, 0.5)) for (const be of range(0, 2, 0.5)) out.push([a, b, e, al, be]);
  const r = rng(99);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function baseline(data: FitDataset): {
  objective: number;
  starts: number;
  reachingBest: number;
  seconds: number;
  complete: boolean;
} {
  const d: Lse = {
    lnN: Float64Array.from(data.points, (p) => Math.log(p.x.N)),
    lnD: Float64Array.from(data.points, (p) => Math.log(p.x.D)),
    lnL: Float64Array.from(data.points, (p) => Math.log(p.y)),
  };
  const grid = epochGrid();
  const t0 = performance.now();
  const results: number[] = [];
  for (const start of grid) {
    results.push(lbfgs(d, start));
    if ((performance.now() - t0) / 1000 > BASELINE_BUDGET_S) break;
  }
  const best = Math.min(...results);
  return {
    objective: best,
    starts: results.length,
    reachingBest: results.filter((f) => f - best <= 1e-6 * best).length,
    seconds: (performance.now() - t0) / 1000,
    complete: results.length === grid.length,
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const data = problem();
  const opts = { law: 'chinchilla' as const, loss: 'huber' as const, delta: DELTA, space: 'log' as const };
  // CPU time beside wall time: on a shared 2-core machine the wall clock also measures the neighbours.
  const cpu0 = process.cpuUsage();
  let t = performance.now();
  const cold = fitDataset(data, opts);
  const coldS = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const coldCpuS = (cpu.user + cpu.system) / 1e6;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    fitDataset(data, opts);
    warm.push((performance.now() - t) / 1000);
  }
  warm.sort((a, b) => a - b);
  t = performance.now();
  const boot = fitDataset(data, { ...opts, bootstrap: 1000, seed: 1 });
  const bootS = (performance.now() - t) / 1000;
  const base = baseline(data);
  const p = (k: keyof typeof TRUTH) => cold.params[k].value;
  return {
    problem: '250 points (25 N × 10 D), chinchilla, Huber δ=1e-3 on log residuals, 2% noise + 2 outliers',
    fit_time_s_cold: round(coldS),
    fit_cpu_s_cold: round(coldCpuS),
    fit_time_s_warm_median: round(warm[2]),
    target_fit_s: TARGET_FIT_S,
    objective: cold.objective,
    starts: cold.diagnostics.starts,
    starts_reaching_best: cold.diagnostics.startsReachingBest,
    baseline_multistart_objective: base.objective,
    baseline_multistart_starts: base.starts,
    baseline_multistart_starts_reaching_best: base.reachingBest,
    baseline_multistart_time_s: round(base.seconds),
    baseline_grid_complete: base.complete,
    // "Equal" within floating-point rounding of a sum of 250 terms.
    objective_le_baseline: cold.objective <= base.objective * (1 + 1e-12),
    objective_rel_diff_vs_baseline: (cold.objective - base.objective) / base.objective,
    bootstrap_1000_s: round(bootS),
    bootstrap_failures: boot.diagnostics.bootstrapFailures,
    target_bootstrap_s: TARGET_BOOTSTRAP_S,
    params: { E: p('E'), A: p('A'), B: p('B'), alpha: p('alpha'), beta: p('beta') },
    alpha_ci95: boot.params.alpha.ci95,
    beta_ci95: boot.params.beta.ci95,
    truth: TRUTH,
  };
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}
