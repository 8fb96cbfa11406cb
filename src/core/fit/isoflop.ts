/**
 * Approach 2 (Hoffmann et al. 2022), done the way it stays unbiased: per IsoFLOP budget, a parabola of loss in ln x
 * fitted on a window around the budget's empirical minimum (not the whole curve: a parabola is only a Taylor
 * approximation, and on wide or off-centre grids the far points drag the vertex); a budget whose lowest loss sits on
 * the grid's edge is listed but excluded (its optimum may lie beyond the grid); then a power law through the
 * vertices, with a bootstrap of points within each budget for the exponent's and coefficient's intervals.
 */
import { formatShort } from '../../contract/format';
import { FrontierError } from '../errors';
import { finish, fitPowerLaw, groupBudgets, usable } from './frontier';
import type { FrontierBudget, FrontierPoint, FrontierResult } from './frontier';
import { percentile95 } from './intervals';
import { rng } from './random';

export interface IsoflopOptions {
  /** Points whose C lies within this relative distance of a budget's first C share that budget (default 0.1). */
  tolerance?: number;
  /** Half-width of each budget's window around its lowest point, in decades of x (default 0.5). */
  window?: number;
  /** Resamples for opt.ci95 (default 200; 0 = none). */
  bootstrap?: number;
  seed?: number;
}

const DEFAULT_WINDOW = 0.5;
/** Points kept on each side of the minimum even when the window is narrower than the grid's spacing. */
const MIN_PER_SIDE = 3;

/** Least-squares parabola loss = a·u² + b·u + c; undefined when the 3×3 system is singular. */
export function parabola(u: number[], y: number[]): [number, number, number] | undefined {
  const S = [0, 0, 0, 0, 0];
  const T = [0, 0, 0];
  u.forEach((ui, i) => {
    let p = 1;
    for (let k = 0; k < 5; k++, p *= ui) S[k] += p;
    T[0] += y[i];
    T[1] += y[i] * ui;
    T[2] += y[i] * ui * ui;
  });
  // Normal equations in (c, b, a), solved by Cramer's rule (3×3, centred u keeps it well conditioned).
  const M = [
    [S[0], S[1], S[2]],
    [S[1], S[2], S[3]],
    [S[2], S[3], S[4]],
  ];
  const det = (m: number[][]): number =>
    m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const D = det(M);
  if (!(Math.abs(D) > 1e-12 * Math.max(1, Math.abs(S[4]) ** 1.5))) return undefined;
  const col = (j: number) => det(M.map((row, i) => row.map((v, k) => (k === j ? T[i] : v))));
  return [col(2) / D, col(1) / D, col(0) / D];
}

type Vertex =
  | { kind: 'ok'; xOpt: number; lossOpt: number; outside: boolean }
  | { kind: 'edge'; x: number; loss: number }
  | { kind: 'small' }
  | { kind: 'concave' };

/** One budget's optimum: the windowed parabola's vertex, or why there is none. `pts` sorted by x. */
function budgetVertex(pts: FrontierPoint[], window: number): Vertex {
  if (new Set(pts.map((p) => p.x)).size < 3) return { kind: 'small' };
  let iMin = 0;
  pts.forEach((p, i) => {
    if (p.loss < pts[iMin].loss) iMin = i;
  });
  if (iMin === 0 || iMin === pts.length - 1) return { kind: 'edge', x: pts[iMin].x, loss: pts[iMin].loss };
  const lx = pts.map((p) => Math.log(p.x));
  // A hair of slack so a grid spaced exactly at the window's width keeps both ends (symmetric windows stay so).
  const w = window * Math.LN10 * (1 + 1e-9);
  let lo = iMin,
    hi = iMin;
  while (lo > 0 && (lx[iMin] - lx[lo - 1] <= w || iMin - lo < MIN_PER_SIDE)) lo--;
  while (hi < pts.length - 1 && (lx[hi + 1] - lx[iMin] <= w || hi - iMin < MIN_PER_SIDE)) hi++;
  const win = pts.slice(lo, hi + 1);
  const mid = (lx[lo] + lx[hi]) / 2;
  const fit = parabola(
    win.map((p) => Math.log(p.x) - mid),
    win.map((p) => p.loss),
  );
  if (!fit || !(fit[0] > 0)) return { kind: 'concave' };
  const [a, b, c] = fit;
  const uStar = -b / (2 * a);
  return {
    kind: 'ok',
    xOpt: Math.exp(mid + uStar),
    lossOpt: c - (b * b) / (4 * a),
    outside: Math.abs(uStar) > (lx[hi] - lx[lo]) / 2,
  };
}

const geoMeanC = (g: FrontierPoint[]): number => Math.exp(g.reduce((s, p) => s + Math.log(p.C), 0) / g.length);

/**
 * Approach 2: one final point per run, grouped into budgets of (nearly) equal C; each budget's optimum from its
 * windowed parabola; budgets with their minimum on the grid's edge listed with `excluded` and left out of the fit.
 */
export function isoflopFrontier(input: FrontierPoint[], alloc: string, opts: IsoflopOptions = {}): FrontierResult {
  const points = usable(input);
  const window = opts.window ?? DEFAULT_WINDOW;
  const warnings: string[] = [
    `Approach 2 fits each budget's parabola on the points within ${window} decades of its lowest loss (at least ${MIN_PER_SIDE} on each side where there are); with few points near the minimum, or α ≠ β on coarse grids, it can still be biased: compare with --method parametric`,
  ];
  const groups = groupBudgets(points, opts.tolerance ?? 0.1).map((g) => [...g].sort((a, b) => a.x - b.x));
  const budgets: FrontierBudget[] = [];
  const used: FrontierBudget[] = [];
  const usedGroups: FrontierPoint[][] = [];
  const small: string[] = [];
  const concave: string[] = [];
  const outside: string[] = [];
  for (const g of groups) {
    const C = geoMeanC(g);
    const v = budgetVertex(g, window);
    if (v.kind === 'small') small.push(formatShort(C));
    else if (v.kind === 'concave') concave.push(formatShort(C));
    else if (v.kind === 'edge')
      budgets.push({
        C,
        xOpt: v.x,
        lossOpt: v.loss,
        excluded: `lowest loss at the ${v.x === g[0].x ? 'smallest' : 'largest'} ${alloc} of the grid: the optimum may lie beyond it`,
      });
    else {
      const b = { C, xOpt: v.xOpt, lossOpt: v.lossOpt };
      budgets.push(b);
      used.push(b);
      usedGroups.push(g);
      if (v.outside) outside.push(formatShort(C));
    }
  }
  const list = (xs: string[]) =>
    xs.length > 6 ? `${xs.slice(0, 6).join(', ')} and ${xs.length - 6} more` : xs.join(', ');
  if (small.length)
    warnings.push(
      `budgets skipped with fewer than 3 distinct ${alloc} values (a parabola needs 3): C = ${list(small)}`,
    );
  if (concave.length)
    warnings.push(`budgets skipped because the parabola has no minimum (opens downward): C = ${list(concave)}`);
  const excluded = budgets.filter((b) => b.excluded);
  if (excluded.length)
    warnings.push(
      `budgets excluded because their lowest loss is on the edge of the ${alloc} grid (listed with "excluded"): C = ${list(excluded.map((b) => formatShort(b.C)))}`,
    );
  if (outside.length) warnings.push(`parabola vertex outside its window (extrapolated) at C = ${list(outside)}`);
  if (used.length < 2) {
    const sizes = groups.map((g) => g.length);
    throw new FrontierError(
      `isoflop: ${used.length} usable budget${used.length === 1 ? '' : 's'} (a power law needs 2). Points are grouped into budgets of equal C (within ${Math.round((opts.tolerance ?? 0.1) * 100)}%) and each budget needs 3 or more distinct ${alloc} with its lowest loss inside the grid; ` +
        `here ${groups.length} budget${groups.length === 1 ? '' : 's'} of ${Math.min(...sizes)}–${Math.max(...sizes)} points${concave.length ? `, ${concave.length} without a minimum` : ''}${excluded.length ? `, ${excluded.length} with the minimum on the grid's edge` : ''}. ` +
        'Is this an IsoFLOP design? Otherwise use --method envelope or parametric',
    );
  }
  const result = finish('isoflop', alloc, used, warnings);
  result.budgets = budgets.sort((a, b) => a.C - b.C);
  const ci = bootstrapOpt(usedGroups, window, opts.bootstrap ?? 200, opts.seed ?? 0);
  if (ci) result.opt.ci95 = ci;
  return result;
}

/** Resamples each used budget's points with replacement, redoes every vertex and the power law through them. */
function bootstrapOpt(
  groups: FrontierPoint[][],
  window: number,
  B: number,
  seed: number,
): { exponent: [number, number]; coef: [number, number] } | undefined {
  if (B < 2) return undefined;
  const rand = rng(seed);
  const exps: number[] = [],
    coefs: number[] = [];
  for (let b = 0; b < B; b++) {
    const Cs: number[] = [],
      xs: number[] = [];
    for (const g of groups) {
      const re = Array.from({ length: g.length }, () => g[Math.floor(rand() * g.length)]).sort((p, q) => p.x - q.x);
      const v = budgetVertex(re, window);
      if (v.kind !== 'ok') continue;
      Cs.push(geoMeanC(g));
      xs.push(v.xOpt);
    }
    if (Cs.length < 2) continue;
    const law = fitPowerLaw(Cs, xs);
    if (Number.isFinite(law.exponent)) {
      exps.push(law.exponent);
      coefs.push(law.coef);
    }
  }
  const e = percentile95(exps),
    c = percentile95(coefs);
  return e && c ? { exponent: e, coef: c } : undefined;
}
