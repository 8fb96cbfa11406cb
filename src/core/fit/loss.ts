/** Robust losses on residuals: Huber (quadratic within δ, linear beyond) and least squares, ρ = ½r² inside. */

export type LossSpec = { kind: 'huber'; delta: number } | { kind: 'lsq' };

export function rho(loss: LossSpec, r: number): number {
  if (loss.kind === 'lsq') return 0.5 * r * r;
  const a = Math.abs(r);
  return a <= loss.delta ? 0.5 * r * r : loss.delta * (a - 0.5 * loss.delta);
}

/** Σ w_i·ρ(r_i), summed (not averaged: Besiroglu et al. found averaging made L-BFGS stop early). */
export function totalLoss(loss: LossSpec, r: ArrayLike<number>, w: ArrayLike<number>, n = r.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += w[i] * rho(loss, r[i]);
  return s;
}
