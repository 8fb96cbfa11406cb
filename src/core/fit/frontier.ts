/**
 * The compute-optimal frontier xOpt(C) = coef·C^exponent, three ways (Hoffmann et al. 2022):
 *  - envelope (Approach 1): for each compute budget, the lowest loss over all training curves and the allocation
 *    (N or D) of the run that reaches it; then a power law through those optima.
 *  - isoflop (Approach 2, isoflop.ts): per fixed budget, a parabola of loss in ln(x) near its minimum; its vertex is
 *    that budget's optimum; then a power law through the vertices.
 *  - parametric: the closed form of a chinchilla fit, N_opt = G·(C/6)^a, D_opt = (C/6)^b / G.
 * Pure: no I/O, so the CLI, the worker and the panel share it.
 */
import { chinchillaOptimal } from '../laws/chinchilla';
import type { FitResult } from '../../contract/fit';
import { FrontierError } from '../errors';

export type FrontierMethod = 'envelope' | 'isoflop' | 'parametric' | 'vpnls';

/** One observation: a run's loss at compute C with allocation x (the --alloc variable, e.g. N or D). */
export interface FrontierPoint {
  runId: string;
  C: number;
  x: number;
  loss: number;
  step?: number;
}

export interface PowerLaw {
  exponent: number;
  coef: number;
}

export interface FrontierBudget {
  C: number;
  xOpt: number;
  lossOpt: number;
  /** envelope: the run whose curve is lowest at this budget. */
  run?: string;
  /** isoflop: why this budget is listed but left out of the power law (its minimum on the grid's edge). */
  excluded?: string;
}

export interface FrontierResult {
  method: FrontierMethod;
  alloc: string;
  /** xOpt(C) = coef·C^exponent, C in the units of the input's C; isoflop bootstraps its 95% intervals. */
  opt: PowerLaw & { ci95?: { exponent: [number, number]; coef: [number, number] } };
  /** lossOpt(C) = coef·C^exponent through the budgets' optimal losses (a plain power law, as GPT-3 Fig. 3.1). */
  loss: PowerLaw;
  budgets: FrontierBudget[];
  warnings: string[];
}

export { FrontierError };

/** Least-squares power law y = coef·x^exponent through positive pairs (a line in log–log). */
export function fitPowerLaw(xs: number[], ys: number[]): PowerLaw {
  const lx: number[] = [];
  const ly: number[] = [];
  xs.forEach((x, i) => {
    if (x > 0 && ys[i] > 0 && Number.isFinite(x) && Number.isFinite(ys[i])) {
      lx.push(Math.log(x));
      ly.push(Math.log(ys[i]));
    }
  });
  const n = lx.length;
  if (n < 2) return { exponent: NaN, coef: NaN };
  const mx = lx.reduce((a, b) => a + b, 0) / n;
  const my = ly.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
  }
  if (!(sxx > 0)) return { exponent: NaN, coef: NaN };
  const exponent = sxy / sxx;
  return { exponent, coef: Math.exp(my - exponent * mx) };
}

export function usable(points: FrontierPoint[]): FrontierPoint[] {
  const ok = points.filter(
    (p) => p.C > 0 && p.x > 0 && Number.isFinite(p.C) && Number.isFinite(p.x) && Number.isFinite(p.loss),
  );
  if (!ok.length)
    throw new FrontierError('no usable points: C and the allocated variable must be positive and the loss a number');
  return ok;
}

function byRun(points: FrontierPoint[]): Map<string, FrontierPoint[]> {
  const runs = new Map<string, FrontierPoint[]>();
  for (const p of points) {
    const list = runs.get(p.runId);
    if (list) list.push(p);
    else runs.set(p.runId, [p]);
  }
  for (const list of runs.values()) list.sort((a, b) => a.C - b.C);
  return runs;
}

export function finish(
  method: FrontierMethod,
  alloc: string,
  budgets: FrontierBudget[],
  warnings: string[],
  forOpt = budgets,
): FrontierResult {
  if (budgets.length < 2)
    throw new FrontierError(
      `${method}: ${budgets.length} usable compute budget${budgets.length === 1 ? '' : 's'}; a power law needs at least 2${warnings.length ? ` (${warnings.join('; ')})` : ''}`,
    );
  const opt = fitPowerLaw(
    forOpt.map((b) => b.C),
    forOpt.map((b) => b.xOpt),
  );
  const loss = fitPowerLaw(
    budgets.map((b) => b.C),
    budgets.map((b) => b.lossOpt),
  );
  if (!Number.isFinite(opt.exponent))
    warnings.push(`the optimal ${alloc} does not vary over the budgets, so no exponent can be fitted`);
  else if (forOpt.length < 3)
    warnings.push(`the exponent rests on ${forOpt.length} budgets; add budgets for a trustworthy frontier`);
  return { method, alloc, opt, loss, budgets, warnings };
}

/** Loss and allocation of a run's curve at compute C, interpolated linearly in ln C (x in log). */
function curveAt(curve: FrontierPoint[], C: number): { loss: number; x: number } | undefined {
  if (C < curve[0].C || C > curve[curve.length - 1].C) return undefined;
  let i = 0;
  while (i < curve.length - 1 && curve[i + 1].C < C) i++;
  const a = curve[i];
  const b = curve[Math.min(i + 1, curve.length - 1)];
  if (b.C === a.C) return { loss: Math.min(a.loss, b.loss), x: a.x };
  const t = (Math.log(C) - Math.log(a.C)) / (Math.log(b.C) - Math.log(a.C));
  return { loss: a.loss + t * (b.loss - a.loss), x: Math.exp(Math.log(a.x) + t * (Math.log(b.x) - Math.log(a.x))) };
}

export interface EnvelopeOptions {
  /** Budgets, log-spaced over the compute the curves cover (default 60). */
  budgets?: number;
}

/**
 * Approach 1: each run's points form its training curve over C (checkpoints at C = 6·N·D_t). At log-spaced budgets
 * the lowest curve wins. Every budget counts for the loss frontier; the allocation's exponent uses only budgets
 * where a real choice was made (see below).
 */
export function envelopeFrontier(input: FrontierPoint[], alloc: string, opts: EnvelopeOptions = {}): FrontierResult {
  const runs = byRun(usable(input));
  const warnings: string[] = [];
  const curves = [...runs.entries()].filter(([, c]) => c.length >= 2);
  const pointRuns = runs.size - curves.length;
  if (pointRuns)
    warnings.push(
      `${pointRuns} run${pointRuns === 1 ? ' has' : 's have'} a single point, so no training curve; the envelope needs checkpoints (intermediate losses)`,
    );
  if (curves.length < 2)
    throw new FrontierError(
      `envelope: ${curves.length} training curve${curves.length === 1 ? '' : 's'} with several points; the lower envelope needs at least 2 runs' curves`,
    );
  const lo = Math.min(...curves.map(([, c]) => c[0].C));
  const hi = Math.max(...curves.map(([, c]) => c[c.length - 1].C));
  const n = Math.max(2, opts.budgets ?? 60);
  const allX = curves.flatMap(([, c]) => c.map((p) => p.x));
  const xMin = Math.min(...allX);
  const xMax = Math.max(...allX);
  const budgets: FrontierBudget[] = [];
  // Budgets only one curve reaches offer no choice of allocation, and where the winner is the largest or smallest
  // allocation of all runs the optimum may lie beyond them (the low end: the smallest model wins by default; the
  // high end: the largest). Both count for the loss frontier but would flatten the allocation's exponent.
  const interior: FrontierBudget[] = [];
  let single = 0;
  let edge = 0;
  // The envelope is monotone: a budget never does worse than a smaller budget already did (spending less compute is
  // always possible), so a smaller run that reached a lower loss earlier keeps winning past the end of its curve.
  let bestSoFar: FrontierBudget | undefined;
  let carried = 0;
  let early = 0;
  for (let k = 0; k < n; k++) {
    // The ends exactly: exp(log(hi)) may round past the last point and miss every curve.
    const C = k === 0 ? lo : k === n - 1 ? hi : Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * k) / (n - 1));
    let best: FrontierBudget | undefined;
    const offered: number[] = [];
    for (const [runId, curve] of curves) {
      const at = curveAt(curve, C);
      if (!at) continue;
      offered.push(at.x);
      if (!best || at.loss < best.lossOpt) best = { C, xOpt: at.x, lossOpt: at.loss, run: runId };
    }
    if (!best) continue;
    if (bestSoFar && bestSoFar.lossOpt < best.lossOpt) {
      best = { ...bestSoFar, C };
      carried++;
    } else if (best.run !== undefined) {
      const curve = runs.get(best.run);
      if (curve && C < curve[curve.length - 1].C * (1 - 1e-9)) early++;
    }
    bestSoFar = best;
    budgets.push(best);
    if (offered.length < 2) single++;
    else if (best.xOpt >= xMax * (1 - 1e-9) || best.xOpt <= xMin * (1 + 1e-9)) edge++;
    else interior.push(best);
  }
  const forOpt = interior.length >= 2 ? interior : budgets;
  if (forOpt === interior && interior.length < budgets.length) {
    const why = [
      single ? `${single} reached by a single run's curve (no choice of ${alloc})` : '',
      edge ? `${edge} won by the largest or smallest ${alloc} of all runs (the optimum may lie beyond them)` : '',
    ].filter(Boolean);
    warnings.push(
      `of ${budgets.length} budgets, ${why.join(' and ')}: they count for the loss frontier, not for the ${alloc} exponent`,
    );
  } else if (forOpt !== interior)
    warnings.push(
      `fewer than 2 budgets have their optimum strictly inside the runs' range of ${alloc}; the ${alloc} exponent uses every budget and is biased toward the ends of that range`,
    );
  const winners = new Set(forOpt.map((b) => b.run));
  const distinct = new Set(forOpt.map((b) => b.xOpt.toPrecision(6))).size;
  if (winners.size < 3)
    warnings.push(
      `the envelope is formed by only ${winners.size} run${winners.size === 1 ? '' : 's'} (${[...winners].join(', ')}); the exponent is poorly determined`,
    );
  else if (distinct <= winners.size)
    warnings.push(
      `the envelope's optimal ${alloc} takes only the ${distinct} values of the runs on it (a staircase); more sizes make the exponent finer`,
    );
  if (carried)
    warnings.push(
      `${carried} budget${carried === 1 ? '' : 's'} kept the optimum of a smaller budget: a run that had already reached a lower loss with less compute beats every curve there (the envelope is monotone in compute)`,
    );
  if (early)
    warnings.push(
      `${early} of ${budgets.length} budgets are won by an intermediate checkpoint of a run planned for more compute`,
    );
  warnings.push(
    'Approach 1 takes intermediate checkpoints as if training had stopped there; with a learning-rate schedule tuned to the full run, mid-run losses are higher than a run planned for that budget, which pushes the envelope toward larger models',
  );
  return finish('envelope', alloc, budgets, warnings, forOpt);
}

/** Groups points into IsoFLOP budgets: sorted by C, a budget takes points within `tol` (relative) of its first. */
export function groupBudgets<T extends { C: number }>(points: T[], tol: number): T[][] {
  const sorted = [...points].sort((a, b) => a.C - b.C);
  const groups: T[][] = [];
  for (const p of sorted) {
    const g = groups.at(-1);
    if (g && p.C <= g[0].C * (1 + tol)) g.push(p);
    else groups.push([p]);
  }
  return groups;
}

type ChinchillaParams = { E: number; A: number; B: number; alpha: number; beta: number };

function chinchillaParams(fit: Pick<FitResult, 'law' | 'params'>): ChinchillaParams {
  if (fit.law !== 'chinchilla')
    throw new FrontierError(`the parametric frontier needs a chinchilla fit; this one is ${fit.law}`);
  const v = (k: keyof ChinchillaParams) => {
    // An artifact read from disk may lack a parameter whatever its type says.
    if (!Object.hasOwn(fit.params, k) || !Number.isFinite(fit.params[k].value))
      throw new FrontierError(`chinchilla fit without a value for ${k}`);
    return fit.params[k].value;
  };
  return { E: v('E'), A: v('A'), B: v('B'), alpha: v('alpha'), beta: v('beta') };
}

/**
 * From a chinchilla fit: N_opt = G·(C/6)^a, D_opt = (C/6)^b / G with C = 6·N·D, so the power law is exact:
 * exponent a (or b), coefficient G·6^(−a) (or 6^(−b)/G). Budgets are evaluated at the given C values.
 */
export function parametricFrontier(
  fit: Pick<FitResult, 'law' | 'params' | 'warnings'>,
  alloc: 'N' | 'D',
  budgetsC: number[],
  method: 'parametric' | 'vpnls' = 'parametric',
): FrontierResult {
  const p = chinchillaParams(fit);
  const ref = chinchillaOptimal(p, 6);
  const opt: PowerLaw =
    alloc === 'N'
      ? { exponent: ref.a, coef: ref.G * Math.pow(6, -ref.a) }
      : { exponent: ref.b, coef: Math.pow(6, -ref.b) / ref.G };
  const Cs = [...new Set(budgetsC.filter((c) => c > 0 && Number.isFinite(c)))].sort((a, b) => a - b);
  const budgets = Cs.map((C) => {
    const o = chinchillaOptimal(p, C);
    return { C, xOpt: alloc === 'N' ? o.nOpt : o.dOpt, lossOpt: o.loss };
  });
  const warnings = [
    `the ${method} frontier takes C = 6·N·D (FLOPs); with C counted another way, x_opt(C) shifts by that factor`,
    ...fit.warnings.map((w) => `chinchilla fit: ${w}`),
  ];
  const loss = fitPowerLaw(
    budgets.map((b) => b.C),
    budgets.map((b) => b.lossOpt),
  );
  if (budgets.length >= 2)
    warnings.push(
      'the loss frontier of a chinchilla fit is E plus power laws, not a plain power law: "loss" is its average log–log slope over the budgets',
    );
  return { method, alloc, opt, loss, budgets, warnings };
}
