/** Goodness of fit in log space (comparable across laws and residual spaces): RMSE, R², Gaussian AIC/BIC. */
import type { Prepared } from './prepare';

export interface Metrics {
  rmseLog: number;
  r2: number;
  aic: number;
  bic: number;
}

/**
 * `raw` = parameters for raw x. Points where y or the model is not positive are left out of the log metrics, and so
 * are points of weight 0 (excluded from the fit by the user).
 */
export function metrics(prep: Prepared, raw: number[]): Metrics {
  const res: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < prep.n; i++) {
    if (!(prep.w[i] > 0)) continue;
    const m = prep.law.f(raw, prep.rawRows[i]);
    if (prep.y[i] > 0 && m > 0) {
      res.push(Math.log(prep.y[i]) - Math.log(m));
      ly.push(Math.log(prep.y[i]));
    }
  }
  const n = res.length;
  if (n === 0) return { rmseLog: NaN, r2: NaN, aic: NaN, bic: NaN };
  const rss = res.reduce((s, r) => s + r * r, 0);
  const mean = ly.reduce((s, v) => s + v, 0) / n;
  const tss = ly.reduce((s, v) => s + (v - mean) ** 2, 0);
  const k = prep.law.paramCount;
  // Floor the variance so exact (noise-free) fits give large negative, finite criteria.
  const ll = n * Math.log(Math.max(rss / n, 1e-300));
  return {
    rmseLog: Math.sqrt(rss / n),
    r2: tss > 0 ? 1 - rss / tss : NaN,
    aic: ll + 2 * k,
    bic: ll + k * Math.log(n),
  };
}
