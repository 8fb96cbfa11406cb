/**
 * `ml-levenberg-marquardt` behind our LmProblem interface, used as the first stage for laws without structure
 * (custom formulas): its plain least-squares LM is a robust way down from a poor random start, and our own LM
 * (lm.ts) then finishes on the real objective (Huber, bounds as an active set).
 *
 * The library's limits, and what this wrapper does about each:
 * - One absolute damping λ·I: parameters spanning decades (A ≈ 400, α ≈ 0.3) get very different effective damping.
 *   We hand it scaled variables u_j = θ_j / s_j with s_j ≈ |θ_j| at the start, so every u_j is O(1).
 * - Finite differences with a fixed `gradientDifference` per parameter, and a parameter whose difference is 0 is
 *   silently dropped from the Jacobian (mis-sized matrices). In scaled variables a fixed 1e-6 step is relative and
 *   never 0.
 * - `weights` enter its error and its step inconsistently (w² in one, 1/w² in the other); we fold √w_i into the
 *   residuals and pass unit weights.
 * - Bounds only clamp after a step; the finishing LM enforces them properly.
 * - A model that is undefined somewhere (NaN) ends its iteration; it returns the best point seen, which is fine
 *   for a first stage.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import type { LmProblem } from './lm';

/** Least-squares descent from theta0 with ml-levenberg-marquardt; undefined when it makes no finite progress. */
export function mlLmStage(prob: LmProblem, theta0: ArrayLike<number>, maxIterations = 60): Float64Array | undefined {
  const { n, p } = prob;
  const s = Array.from({ length: p }, (_, j) =>
    Math.max(Math.abs(theta0[j]), prob.typical ? Math.abs(prob.typical[j]) : 0, 1e-8),
  );
  const sw = Array.from({ length: n }, (_, i) => Math.sqrt(Math.max(prob.weights[i], 0)));
  // The library evaluates the model one x at a time (x = the point index) and keeps two models alive at once for
  // central differences, so each parameter vector gets its own residual vector, computed once.
  const model = (u: number[]) => {
    const theta = Float64Array.from(u, (v, j) => v * s[j]);
    const r = new Float64Array(n);
    const ok = prob.residuals(theta, r);
    return (i: number): number => (ok ? sw[i] * r[i] : NaN);
  };
  const index = Array.from({ length: n }, (_, i) => i);
  let out: number[];
  try {
    out = levenbergMarquardt({ x: index, y: new Array<number>(n).fill(0) }, model, {
      initialValues: Array.from({ length: p }, (_, j) => theta0[j] / s[j]),
      minValues: Array.from({ length: p }, (_, j) => prob.lower[j] / s[j]),
      maxValues: Array.from({ length: p }, (_, j) => prob.upper[j] / s[j]),
      gradientDifference: new Array<number>(p).fill(1e-6),
      centralDifference: true,
      damping: 1e-2,
      maxIterations,
      errorTolerance: 0,
    }).parameterValues;
  } catch {
    return undefined;
  }
  if (!out.every(Number.isFinite)) return undefined;
  return Float64Array.from(out, (u, j) => u * s[j]);
}
