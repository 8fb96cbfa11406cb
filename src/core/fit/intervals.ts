/**
 * What the bootstrap's intervals are worth and what surrounds them: run-to-run noise for prediction intervals,
 * intervals on the compute-optimal coefficients, and a verdict on the intervals themselves (ok, rough, unreliable)
 * with the reasons a reader needs.
 */
import { chinchillaOptimal } from '../laws/chinchilla';
import { countConfigurations } from './design';
import { quantileSorted } from './linalg';
import type { Prepared } from './prepare';
import { makeProblem, toInternal } from './solve';
import type { ComputeOptimal, IntervalQuality, Noise } from '../../contract/fit';

/** Fewer resamples than this give percentiles that move by several percent between seeds. */
export const MIN_RESAMPLES = 100;
/** Share of draws at one bound above which an interval is cut by the bound rather than by the data. */
const PILED_ON_BOUND = 0.1;

/**
 * Standard deviation of one observation around the law, in the residual space. Replicates (several runs of one
 * configuration) measure it directly; otherwise the fit's residuals, with n − p degrees of freedom.
 */
export function estimateNoise(prep: Prepared, theta: number[]): Noise | undefined {
  const groups = new Map<string, number[]>();
  prep.rawRows.forEach((row, i) => {
    if (!(prep.w[i] > 0)) return;
    const key = Array.from(row, (v) => v.toPrecision(9)).join('|');
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  let ss = 0,
    dof = 0;
  for (const g of groups.values()) {
    if (new Set(g.map((i) => prep.runIds[i])).size < 2) continue;
    const mean = g.reduce((s, i) => s + prep.ty[i], 0) / g.length;
    ss += g.reduce((s, i) => s + (prep.ty[i] - mean) ** 2, 0);
    dof += g.length - 1;
  }
  if (dof >= 2) return { sd: Math.sqrt(ss / dof), space: prep.space, dof, source: 'replicates' };
  const r = new Float64Array(prep.n);
  if (!makeProblem(prep).residuals(toInternal(prep.law, theta), r)) return undefined;
  let rss = 0,
    n = 0;
  r.forEach((v, i) => {
    if (prep.w[i] > 0) {
      rss += v * v;
      n++;
    }
  });
  const df = n - prep.law.paramCount;
  return df >= 1 ? { sd: Math.sqrt(rss / df), space: prep.space, dof: df, source: 'residuals' } : undefined;
}

/** Two-sided 97.5% quantile of Student's t (Cornish–Fisher expansion; exact enough for interval widths). */
export function t975(dof: number): number {
  const z = 1.959964;
  if (!(dof > 0) || !Number.isFinite(dof)) return z;
  const z3 = z ** 3,
    z5 = z ** 5,
    z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * dof) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * dof ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * dof ** 3)
  );
}

/**
 * The prediction interval of a new observation at a point whose mean is `value` with interval `ci` (absent without
 * a bootstrap): each side of the mean's interval combined in quadrature with the noise's t-quantile, in the residual
 * space.
 */
export function predictionInterval(
  value: number,
  ci: [number, number] | undefined,
  noise: Noise,
): [number, number] | undefined {
  const log = noise.space === 'log';
  if (log && !(value > 0)) return undefined;
  const to = (v: number): number => (log ? Math.log(v) : v);
  const from = (v: number): number => (log ? Math.exp(v) : v);
  const m = to(value);
  const e = t975(noise.dof) * noise.sd;
  const lo = ci && (!log || ci[0] > 0) ? m - to(ci[0]) : 0;
  const hi = ci && (!log || ci[1] > 0) ? to(ci[1]) - m : 0;
  return [from(m - Math.hypot(Math.max(lo, 0), e)), from(m + Math.hypot(Math.max(hi, 0), e))];
}

export function percentile95(values: number[]): [number, number] | undefined {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length >= 2 ? [quantileSorted(s, 0.025), quantileSorted(s, 0.975)] : undefined;
}

/** Intervals on a, b and G of the compute-optimal allocation, from the chinchilla draws. */
export function computeOptimalCi(draws: Record<string, number>[]): ComputeOptimal['ci95'] {
  const a: number[] = [],
    b: number[] = [],
    G: number[] = [];
  for (const d of draws) {
    if (!(d.alpha > 0 && d.beta > 0 && d.A > 0 && d.B > 0)) continue;
    const o = chinchillaOptimal({ E: d.E, A: d.A, B: d.B, alpha: d.alpha, beta: d.beta }, 6);
    a.push(o.a);
    b.push(o.b);
    G.push(o.G);
  }
  const ca = percentile95(a),
    cb = percentile95(b),
    cG = percentile95(G);
  return ca && cb && cG ? { a: ca, b: cb, G: cG } : undefined;
}

/**
 * Whether the intervals can be read at face value. Unreliable: configurations ≤ parameters + 2 (the resamples barely
 * differ from the fit), or no intervals at all. Rough: too few resamples, draws piling on a bound, or fewer than
 * three configurations per parameter. Each reason is a warning.
 */
export function intervalQuality(
  prep: Prepared,
  draws: number[][],
  B: number,
): { quality: IntervalQuality; reasons: string[] } {
  const p = prep.law.paramCount;
  const configs = countConfigurations(prep.rawRows);
  const unreliable: string[] = [];
  const rough: string[] = [];
  if (configs <= p + 2)
    unreliable.push(
      `intervals unreliable: ${configs} configurations for ${p} parameters (needs more than ${p + 2}); read them as a lower bound on the uncertainty`,
    );
  if (draws.length < 2) unreliable.push('intervals unreliable: fewer than 2 resamples converged');
  if (B < MIN_RESAMPLES) rough.push(`intervals rough: ${B} resamples (use ${MIN_RESAMPLES} or more)`);
  else if (configs < 3 * p)
    rough.push(
      `intervals rough: ${configs} configurations for ${p} parameters (3 per parameter or more hold the nominal coverage)`,
    );
  prep.law.params.forEach((q, j) => {
    for (const [bound, side] of [
      [q.min, 'lower'],
      [q.max, 'upper'],
    ] as const) {
      if (!Number.isFinite(bound) || !draws.length) continue;
      const tol = 1e-6 * Math.max(1, Math.abs(bound));
      const at = draws.filter((d) => Math.abs(d[j] - bound) <= tol).length;
      if (at > PILED_ON_BOUND * draws.length)
        rough.push(
          `intervals rough: ${Math.round((100 * at) / draws.length)}% of the resamples put ${q.name} at its ${side} bound (${bound}); its interval is cut there, not by the data`,
        );
    }
  });
  const quality: IntervalQuality = unreliable.length ? 'unreliable' : rough.length ? 'rough' : 'ok';
  return { quality, reasons: [...unreliable, ...rough] };
}
