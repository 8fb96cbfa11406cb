/**
 * VPNLS (Open-Athena, "Problems with Chinchilla Approach 2"): L(N, D) = E + A/N^α + B/D^β fitted by least squares to
 * every IsoFLOP point at once, (E, A, B) projected out by non-negative least squares on a dense (α, β) grid and then
 * refined. The engine's chinchilla fit already does exactly that (see the law's `vp` and solve.ts), so this module
 * only chooses the objective (plain least squares on the loss, as the paper), derives the frontier in closed form
 * and takes its interval from the engine's own bootstrap draws of the law.
 */
import type { FitOptions, FitResult } from '../../contract/fit';
import { chinchillaOptimal } from '../laws/chinchilla';
import { fitDataset } from './engine';
import { FrontierError, groupBudgets, parametricFrontier, type FrontierResult } from './frontier';
import { percentile95 } from './intervals';

/** One run's final point: its size, its tokens and its loss (C = 6·N·D). */
export interface SizedPoint {
  runId: string;
  N: number;
  D: number;
  loss: number;
}

export interface ChinchillaLaw {
  E: number;
  A: number;
  B: number;
  alpha: number;
  beta: number;
}

export interface VpnlsOptions {
  /** Points whose C lies within this relative distance of a budget's first C share that budget (default 0.1). */
  tolerance?: number;
  /** Resamples for opt.ci95 (default 100; 0 = none): the engine's bootstrap of the chinchilla fit. */
  bootstrap?: number;
  seed?: number;
}

/** Least squares on the loss itself, as VPNLS; the engine's default (Huber on log loss) is Approach 3's. */
export const VPNLS_FIT: Omit<FitOptions, 'law'> = { loss: 'lsq', space: 'linear' };

const DEFAULT_BOOTSTRAP = 100;

export function sizedUsable(points: SizedPoint[]): SizedPoint[] {
  const ok = points.filter((p) => p.N > 0 && p.D > 0 && Number.isFinite(p.N * p.D) && Number.isFinite(p.loss));
  if (!ok.length) throw new FrontierError('no usable points: N and D must be positive and the loss a number');
  return ok;
}

/** Chinchilla fit of the points with the given objective (seeded; `bootstrap` resamples, none by default). */
export function fitChinchilla(points: SizedPoint[], fit: Omit<FitOptions, 'law'>, seed = 0, bootstrap = 0): FitResult {
  return fitDataset(
    {
      points: points.map((p) => ({ runId: p.runId, x: { N: p.N, D: p.D }, y: p.loss })),
      xNames: ['N', 'D'],
      yName: 'loss',
      definitions: {},
    },
    { ...fit, law: 'chinchilla', seed, bootstrap },
  );
}

export function lawOf(fit: Pick<FitResult, 'params'>): ChinchillaLaw {
  const v = (k: keyof ChinchillaLaw) => fit.params[k].value;
  return { E: v('E'), A: v('A'), B: v('B'), alpha: v('alpha'), beta: v('beta') };
}

/** x_opt(C) = coef·C^exponent of a chinchilla law with C = 6·N·D. */
export function lawOpt(p: ChinchillaLaw, alloc: 'N' | 'D'): { exponent: number; coef: number } {
  const r = chinchillaOptimal(p, 6);
  return alloc === 'N'
    ? { exponent: r.a, coef: r.G * Math.pow(6, -r.a) }
    : { exponent: r.b, coef: Math.pow(6, -r.b) / r.G };
}

const budgetGroups = (points: SizedPoint[], tol: number): SizedPoint[][] =>
  groupBudgets(
    points.map((p) => ({ C: 6 * p.N * p.D, p })),
    tol,
  ).map((g) => g.map((q) => q.p));

/**
 * The frontier of a chinchilla law fitted with `fit` to the points (VPNLS by default), in the `parametric` shape:
 * budgets are the data's IsoFLOP groups (C = 6·N·D) evaluated on the law; `opt.ci95` is the frontier of each of the
 * engine's bootstrap draws (single points, or residuals on the fixed design for small grids; each resample refits
 * from the optimum and from the start grid re-scored on it): 95% coverage of the true exponent over 200 noisy
 * synthetic grids, where resampling points within budgets and refitting each from the whole grid gave 90.5% at 25
 * times the cost (vpnlsCompare.test.ts holds the bar at 90% over 40 grids).
 */
export function chinchillaFrontier(
  input: SizedPoint[],
  alloc: 'N' | 'D',
  opts: VpnlsOptions = {},
  fit: Omit<FitOptions, 'law'> = VPNLS_FIT,
  method: 'parametric' | 'vpnls' = 'vpnls',
): FrontierResult & { law: ChinchillaLaw } {
  const points = sizedUsable(input);
  const seed = opts.seed ?? 0;
  const groups = budgetGroups(points, opts.tolerance ?? 0.1);
  const full = fitChinchilla(points, fit, seed, opts.bootstrap ?? DEFAULT_BOOTSTRAP);
  const Cs = groups.map((g) => Math.exp(g.reduce((s, p) => s + Math.log(6 * p.N * p.D), 0) / g.length));
  const result = parametricFrontier(full, alloc, Cs, method);
  const ci = optInterval(full.draws ?? [], alloc);
  if (ci) result.opt.ci95 = ci;
  return { ...result, law: lawOf(full) };
}

/** VPNLS over the whole IsoFLOP surface: least squares on the loss, budgets as for isoflop. */
export function vpnlsFrontier(
  input: SizedPoint[],
  alloc: 'N' | 'D',
  opts: VpnlsOptions = {},
): FrontierResult & { law: ChinchillaLaw } {
  const r = chinchillaFrontier(input, alloc, opts);
  r.warnings.unshift(
    'VPNLS fits L = E + A/N^α + B/D^β to every point by least squares (E, A, B projected out for each α, β); it is exact when the data follow that law, and inherits its misfit when they do not',
  );
  return r;
}

/** 95% intervals of the frontier's exponent and coefficient over a fit's bootstrap draws of the law. */
function optInterval(
  draws: Record<string, number>[],
  alloc: 'N' | 'D',
): { exponent: [number, number]; coef: [number, number] } | undefined {
  const exps: number[] = [],
    coefs: number[] = [];
  for (const d of draws) {
    // A draw where a term vanished (A, B, α or β at 0) has no compute-optimal split: it carries no frontier.
    if (!(d.A > 0 && d.B > 0 && d.alpha > 0 && d.beta > 0)) continue;
    const o = lawOpt({ E: d.E, A: d.A, B: d.B, alpha: d.alpha, beta: d.beta }, alloc);
    if (!Number.isFinite(o.exponent) || !Number.isFinite(o.coef)) continue;
    exps.push(o.exponent);
    coefs.push(o.coef);
  }
  const e = percentile95(exps),
    c = percentile95(coefs);
  return e && c ? { exponent: e, coef: c } : undefined;
}
