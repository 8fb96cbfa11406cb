/**
 * Bootstrap: resample, refit from the best fit and from a fresh start grid on the resample (a warm start alone keeps
 * every resample in the full data's basin, which makes intervals too narrow), keep each resample's parameters. The
 * resampling unit respects how points were produced: checkpoints of one run are correlated, so whole runs are
 * resampled (cluster bootstrap); with too few runs for that, blocks of consecutive points within each run
 * (moving-block bootstrap) keep local correlation without collapsing to a handful of distinct datasets; independent
 * single points are resampled as points, except on small designs, where resampling points would drop whole
 * configurations (a 6-point design loses its only large model in a third of resamples): there the design stays fixed
 * and residuals are resampled onto the fitted values.
 */
import { countConfigurations } from './design';
import { t975 } from './intervals';
import { FitError } from '../errors';
import type { Prepared } from './prepare';
import { subset } from './prepare';
import { makeProblem, objectiveAt, refit, toInternal } from './solve';
import type { BootstrapMode, FitOptions } from '../../contract/fit';

export type BootMode = BootstrapMode;

export const MIN_CLUSTERS = 10;

/** What a resample drew, in words for reports. */
export const BOOT_MODE_WORDS: Record<BootMode, string> = {
  cluster: 'whole runs',
  block: 'blocks of points',
  point: 'single points',
  residual: 'residuals on the fixed design',
};
/** Starts of the grid re-scored on each resample; the best few are refitted besides the full data's optimum. */
const RESAMPLE_STARTS = 2;

/** The grid starts that score best on this resample (so a resample can leave the full data's basin). */
function bestGridStarts(sub: Prepared, grid: number[][]): number[][] {
  if (!grid.length) return [];
  const prob = makeProblem(sub);
  const r = new Float64Array(sub.n);
  return grid
    .map((t) => ({ t, f: objectiveAt(sub, prob, t, r) }))
    .filter((s) => Number.isFinite(s.f))
    .sort((a, b) => a.f - b.f)
    .slice(0, RESAMPLE_STARTS)
    .map((s) => s.t);
}

export function resolveMode(prep: Prepared, asked: FitOptions['bootstrapMode']): BootMode {
  if (asked && asked !== 'auto') return asked;
  const runs = new Map<string, number>();
  for (const r of prep.runIds) runs.set(r, (runs.get(r) ?? 0) + 1);
  if (Math.max(...runs.values()) <= 1)
    return countConfigurations(prep.rawRows) < 3 * prep.law.paramCount ? 'residual' : 'point';
  return runs.size >= MIN_CLUSTERS ? 'cluster' : 'block';
}

/**
 * Residual bootstrap on the fixed design: fitted values plus residuals drawn with replacement, centred and inflated
 * by √(n/(n−p)) because fitted residuals are smaller than the noise that produced them, and by t(n−p)/z because that
 * noise is itself estimated from n − p degrees of freedom: percentiles of the plain resamples behave like a z
 * interval where a t interval is due (test/unit/fit/bootstrap.test.ts measures the difference).
 */
function residualResampler(prep: Prepared, theta: number[]): (rand: () => number) => Prepared {
  const r = new Float64Array(prep.n);
  if (!makeProblem(prep).residuals(toInternal(prep.law, theta), r))
    throw new FitError('residual bootstrap: the fitted law is undefined at some point of the data');
  const mean = r.reduce((s, v) => s + v, 0) / prep.n;
  const dof = Math.max(1, prep.n - prep.law.paramCount);
  const inflate = Math.sqrt(prep.n / dof) * (t975(dof) / t975(Infinity));
  const centred = Array.from(r, (v) => (v - mean) * inflate);
  const fitted = Array.from(prep.ty, (t, i) => t - r[i]);
  const isLog = prep.space === 'log';
  return (rand) => {
    const ty = Float64Array.from(fitted, (f) => f + centred[Math.floor(rand() * prep.n)]);
    return { ...prep, ty, y: isLog ? ty.map(Math.exp) : Float64Array.from(ty) };
  };
}

/** Indices of each run's points, in step order when steps are known. */
function runGroups(prep: Prepared): number[][] {
  const groups = new Map<string, number[]>();
  prep.runIds.forEach((r, i) => {
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  });
  const out = [...groups.values()];
  for (const g of out) g.sort((a, b) => (prep.points[a].step ?? a) - (prep.points[b].step ?? b));
  return out;
}

export function resampleIndices(prep: Prepared, mode: BootMode, rand: () => number, groups: number[][]): number[] {
  const pick = (m: number): number => Math.floor(rand() * m);
  if (mode === 'point') return Array.from({ length: prep.n }, () => pick(prep.n));
  if (mode === 'cluster') {
    const out: number[] = [];
    for (let g = 0; g < groups.length; g++) out.push(...groups[pick(groups.length)]);
    return out;
  }
  const out: number[] = [];
  for (const g of groups) {
    const len = Math.max(1, Math.round(Math.cbrt(g.length)));
    const starts = g.length - len + 1;
    for (let filled = 0; filled < g.length;) {
      const s = pick(starts);
      for (let q = 0; q < len && filled < g.length; q++, filled++) out.push(g[s + q]);
    }
  }
  return out;
}

export interface BootOutcome {
  draws: number[][];
  mode: BootMode;
  failures: number;
}

/**
 * `theta`: best fit in normalised units; `alternatives`: other local minima of the full data to refit from as well
 * (multimodal laws); `grid`: the start grid of the full fit, re-scored on every resample. Returns raw-unit parameter
 * draws. `tick(i)` runs before each resample (progress, cancellation).
 */
export function bootstrap(
  prep: Prepared,
  theta: number[],
  B: number,
  rand: () => number,
  mode: BootMode,
  tick: (i: number) => void,
  alternatives: number[][] = [],
  grid: number[][] = [],
): BootOutcome {
  const groups = runGroups(prep);
  const residual = mode === 'residual' ? residualResampler(prep, theta) : undefined;
  const draws: number[][] = [];
  let failures = 0;
  for (let b = 0; b < B; b++) {
    tick(b);
    const sub = residual ? residual(rand) : subset(prep, resampleIndices(prep, mode, rand, groups));
    let fit: { theta: number[]; objective: number };
    try {
      fit = refit(sub, theta, [...alternatives, ...bestGridStarts(sub, grid)]);
    } catch (e) {
      if (e instanceof FitError) throw e;
      failures++;
      continue;
    }
    const raw = prep.law.unscale ? prep.law.unscale(fit.theta, prep.scale) : fit.theta;
    if (!Number.isFinite(fit.objective) || raw.some((v) => !Number.isFinite(v))) {
      failures++;
      continue;
    }
    draws.push(raw);
  }
  return { draws, mode, failures };
}
