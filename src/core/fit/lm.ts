/**
 * Our own bounded Levenberg–Marquardt for robust (Huber) or plain least squares.
 *
 * Why not `ml-levenberg-marquardt` alone (it serves as a first stage for custom laws, see mlLm.ts): it minimises
 * plain sums of squares only (Huber needs reweighting inside the iteration), its bounds merely clamp after a step
 * (a parameter pinned at a bound keeps getting pushed and stalls the damping), its finite-difference Jacobian uses
 * one absolute `gradientDifference` (wrong scale across parameters spanning decades; 0 breaks it), and it
 * allocates ml-matrix objects every iteration (the 1,000-resample bootstrap runs thousands of fits).
 * Here: analytic Jacobians where a law has them, relative forward-difference steps otherwise, an active set for
 * bounds (a parameter at a bound whose gradient points outward is frozen for the step), and for Huber two
 * candidate steps per iteration — Newton on the Huber Hessian (exact once the set of small residuals settles, so
 * the final digits converge fast) and the IRLS majoriser (robust far from the optimum) — keeping the better, with
 * accepted IRLS steps extended along their direction while that keeps lowering the objective.
 */
import { solveSPD } from './linalg';
import { totalLoss, type LossSpec } from './loss';

export interface LmProblem {
  n: number;
  p: number;
  /** Residuals at θ into r; false when the model is undefined there (e.g. non-positive in log space). */
  residuals(theta: Float64Array, r: Float64Array): boolean;
  /** ∂r_i/∂θ_j into J (row-major n×p). Absent: relative forward differences. */
  jacobian?(theta: Float64Array, r: Float64Array, J: Float64Array): void;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  weights: ArrayLike<number>;
  loss: LossSpec;
  /** Typical magnitude per parameter: the finite-difference step when θ_j is near 0. */
  typical?: ArrayLike<number>;
}

export interface LmResult {
  theta: Float64Array;
  objective: number;
  iterations: number;
  converged: boolean;
}

export function lmMinimize(prob: LmProblem, theta0: ArrayLike<number>, maxIter = 200): LmResult {
  const { n, p, lower, upper, weights: w, loss } = prob;
  const clip = (t: Float64Array): void => {
    for (let j = 0; j < p; j++) t[j] = Math.min(upper[j], Math.max(lower[j], t[j]));
  };
  let theta = Float64Array.from(theta0);
  clip(theta);
  let r = new Float64Array(n);
  if (!prob.residuals(theta, r)) return { theta, objective: Infinity, iterations: 0, converged: false };
  let f = totalLoss(loss, r, w, n);
  if (!Number.isFinite(f)) return { theta, objective: Infinity, iterations: 0, converged: false };
  const J = new Float64Array(n * p);
  const rt = new Float64Array(n);
  const g = new Float64Array(p),
    Hn = new Float64Array(p * p),
    Hi = new Float64Array(p * p);
  let trial = new Float64Array(p);
  let rTrial = new Float64Array(n);
  const ext = new Float64Array(p),
    rExt = new Float64Array(n);
  // Step-system buffers, reused: a bootstrap runs thousands of these fits.
  const A = new Float64Array(p * p),
    b = new Float64Array(p),
    x = new Float64Array(p),
    work = new Float64Array(2 * p * p),
    dScale = new Float64Array(p);
  const delta = loss.kind === 'huber' ? loss.delta : Infinity;
  let mu = 1e-3;
  let quiet = 0;
  let it = 0;
  let converged = false;
  for (; it < maxIter; it++) {
    if (prob.jacobian) prob.jacobian(theta, r, J);
    else fdJacobian(prob, theta, r, J, rt);
    g.fill(0);
    Hn.fill(0);
    Hi.fill(0);
    let inside = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(r[i]);
      const isIn = a <= delta;
      if (isIn) inside += w[i] > 0 ? 1 : 0;
      const psi = isIn ? r[i] : Math.sign(r[i]) * delta;
      const wi = w[i];
      const wIrls = wi * (isIn ? 1 : delta / a);
      const wNewton = isIn ? wi : 0;
      const row = i * p;
      for (let j = 0; j < p; j++) {
        const Jj = J[row + j];
        if (Jj === 0) continue;
        g[j] += wi * psi * Jj;
        for (let k = 0; k <= j; k++) {
          const jk = Jj * J[row + k];
          Hi[j * p + k] += wIrls * jk;
          if (wNewton) Hn[j * p + k] += wNewton * jk;
        }
      }
    }
    const free: number[] = [];
    for (let j = 0; j < p; j++) {
      const atLo = theta[j] <= lower[j] && g[j] > 0;
      const atHi = theta[j] >= upper[j] && g[j] < 0;
      if (!atLo && !atHi && Hi[j * p + j] > 0) free.push(j);
    }
    if (free.length === 0) {
      converged = true;
      break;
    }
    const m = free.length;
    const modes: Float64Array[] = loss.kind === 'huber' && inside >= m ? [Hn, Hi] : [Hi];
    let accepted = false;
    let fNew = f;
    let usedIrls = false;
    for (let tries = 0; tries < 14 && !accepted; tries++) {
      for (const H of modes) {
        // Solved in variables scaled by √diag(Hi) (Jacobi preconditioning): parameters of very different scale
        // (A ≈ 400 next to α ≈ 0.3 on raw N) would otherwise make the Cholesky factor lose the weak directions.
        for (let a = 0; a < m; a++) dScale[a] = 1 / Math.sqrt(Hi[free[a] * p + free[a]]);
        for (let a = 0; a < m; a++) {
          const ja = free[a];
          b[a] = -g[ja] * dScale[a];
          for (let c = 0; c <= a; c++) {
            const jc = free[c];
            const v = (ja >= jc ? H[ja * p + jc] : H[jc * p + ja]) * dScale[a] * dScale[c];
            A[a * m + c] = v;
            A[c * m + a] = v;
          }
          A[a * m + a] += mu;
        }
        if (!solveSPD(A, b, m, x, work)) continue;
        trial.set(theta);
        for (let a = 0; a < m; a++) trial[free[a]] += x[a] * dScale[a];
        clip(trial);
        if (!prob.residuals(trial, rTrial)) continue;
        const ft = totalLoss(loss, rTrial, w, n);
        if (ft < f) {
          accepted = true;
          fNew = ft;
          usedIrls = H === Hi && loss.kind === 'huber';
          break;
        }
      }
      if (!accepted) mu *= 10;
    }
    if (!accepted) {
      converged = true;
      break;
    }
    if (usedIrls) fNew = extrapolate(prob, theta, trial, rTrial, fNew, clip, ext, rExt);
    let step = 0;
    for (let j = 0; j < p; j++) step = Math.max(step, Math.abs(trial[j] - theta[j]) / (Math.abs(theta[j]) + 1e-12));
    const df = f - fNew;
    const tSwap = theta;
    theta = trial;
    trial = tSwap;
    const rSwap = r;
    r = rTrial;
    rTrial = rSwap;
    f = fNew;
    mu = Math.max(mu / 10, 1e-12);
    // Three iterations in a row that change the objective by under 1e-12 (relative) or the parameters by under 1e-13:
    // converged for every use of the fit (the parameters are then good to about 1e-6).
    quiet = df <= 1e-12 * f || step < 1e-13 ? quiet + 1 : 0;
    if (quiet >= 3) {
      converged = true;
      it++;
      break;
    }
  }
  return { theta, objective: f, iterations: it, converged };
}

/**
 * The IRLS majoriser is tight only at the current residuals, so along a flat valley (parameters that trade off, an
 * L1-like Huber with most residuals beyond δ) its accepted steps are consistently too short: linear convergence
 * over dozens of iterations. Doubling an accepted step while the objective keeps falling recovers most of that.
 * On return trial/rTrial hold the best point along the ray and the result is its objective.
 */
function extrapolate(
  prob: LmProblem,
  theta: Float64Array,
  trial: Float64Array,
  rTrial: Float64Array,
  fTrial: number,
  clip: (t: Float64Array) => void,
  ext: Float64Array,
  rExt: Float64Array,
): number {
  const { n, p } = prob;
  let best = fTrial;
  for (let doubling = 0; doubling < 6; doubling++) {
    for (let j = 0; j < p; j++) ext[j] = theta[j] + 2 * (trial[j] - theta[j]);
    clip(ext);
    if (!prob.residuals(ext, rExt)) break;
    const fe = totalLoss(prob.loss, rExt, prob.weights, n);
    if (!(fe < best)) break;
    best = fe;
    trial.set(ext);
    rTrial.set(rExt);
  }
  return best;
}

/** Forward differences with steps relative to each parameter's magnitude, flipped inward at an upper bound. */
function fdJacobian(prob: LmProblem, theta: Float64Array, r: Float64Array, J: Float64Array, rt: Float64Array): void {
  const { n, p } = prob;
  const t = Float64Array.from(theta);
  for (let j = 0; j < p; j++) {
    const typ = prob.typical ? Math.abs(prob.typical[j]) : 1;
    let h = 1e-7 * Math.max(Math.abs(theta[j]), typ, 1e-10);
    if (theta[j] + h > prob.upper[j]) h = -h;
    t[j] = theta[j] + h;
    const ok = prob.residuals(t, rt);
    for (let i = 0; i < n; i++) J[i * p + j] = ok ? (rt[i] - r[i]) / h : 0;
    t[j] = theta[j];
  }
}
