/**
 * The Fisher-information screen: a linearised, instant estimate of how much a set of added runs would shrink the
 * objective's variance at the target. With J the log-model's Jacobian against relative parameter changes at the
 * fit, the information of the data is JᵀJ/σ²; a run at x adds j(x)j(x)ᵀ/σ², and Var(ln objective) ≈ gᵀI⁻¹g with g
 * the objective's gradient. The screen only ranks designs; the expected intervals come from simulated refits.
 */
import { chinchilla } from '../laws/chinchilla';
import { solveSPD } from '../fit/linalg';
import { objectiveValue, type Theta } from './objective';
import type { PlannedRun, PlanObjective, PlanTarget } from '../../contract/plan';

const P = 5;

/** Relative parameter scale: changes are measured against |θ| (a parameter at 0 is measured absolutely). */
function bases(theta: Theta): number[] {
  return theta.map((v) => (Math.abs(v) > 1e-12 ? Math.abs(v) : 1));
}

/** ∂ln f/∂(relative θ) at one (N, D). */
export function sensitivity(theta: Theta, N: number, D: number): Float64Array {
  const g = new Float64Array(P);
  const f = chinchilla.grad?.(theta, [N, D], g) ?? NaN;
  const b = bases(theta);
  for (let k = 0; k < P; k++) g[k] = (g[k] * b[k]) / f;
  return g;
}

/** Σ j jᵀ over the points (N, D). */
export function information(theta: Theta, points: readonly { N: number; D: number }[]): Float64Array {
  const I = new Float64Array(P * P);
  for (const p of points) addRun(I, sensitivity(theta, p.N, p.D));
  return I;
}

/** Adds one run's sensitivity j to the information: I += j jᵀ. */
export function addRun(I: Float64Array, j: Float64Array): void {
  for (let a = 0; a < P; a++) for (let c = 0; c < P; c++) I[a * P + c] += j[a] * j[c];
}

/** ∇ ln(objective) against relative parameter changes, by central differences. */
export function objectiveGradient(theta: Theta, target: PlanTarget, objective: PlanObjective): Float64Array {
  const g = new Float64Array(P);
  const b = bases(theta);
  for (let k = 0; k < P; k++) {
    const h = 1e-5 * b[k];
    const up = theta.slice(),
      down = theta.slice();
    up[k] += h;
    down[k] -= h;
    const fu = objectiveValue(up, target, objective),
      fd = objectiveValue(down, target, objective);
    g[k] = fu > 0 && fd > 0 ? ((Math.log(fu) - Math.log(fd)) / (2 * h)) * b[k] : 0;
  }
  return g;
}

/** gᵀI⁻¹g in units of σ²; Infinity when the information is singular even with jitter. */
export function varianceProxy(I: Float64Array, g: Float64Array): number {
  const x = new Float64Array(P);
  if (!solveSPD(I, g, P, x)) return Infinity;
  let v = 0;
  for (let k = 0; k < P; k++) v += g[k] * x[k];
  return v > 0 ? v : Infinity;
}

export interface ScreenedSet {
  runs: PlannedRun[];
  variance: number;
}

/**
 * The best set of each size 1…maxRuns within the budget: greedy forward selection started from every candidate
 * (so complementary runs, e.g. two different ratios, are found even when neither is the best alone).
 */
export function screenSets(
  base: Float64Array,
  theta: Theta,
  g: Float64Array,
  pool: readonly PlannedRun[],
  budget: number,
  maxRuns: number,
): ScreenedSet[] {
  const js = pool.map((r) => sensitivity(theta, r.N, r.D));
  const best: (ScreenedSet | undefined)[] = Array.from({ length: maxRuns }, () => undefined);
  pool.forEach((first, i0) => {
    if (first.C > budget * (1 + 1e-9)) return;
    const I = Float64Array.from(base);
    addRun(I, js[i0]);
    const chosen = [i0];
    let spent = first.C;
    for (let size = 1; ; size++) {
      const v = varianceProxy(I, g);
      const slot = best[size - 1];
      if (!slot || v < slot.variance) best[size - 1] = { runs: chosen.map((i) => pool[i]), variance: v };
      if (size >= maxRuns) break;
      let pick = -1,
        pickV = Infinity;
      pool.forEach((r, i) => {
        if (chosen.includes(i) || spent + r.C > budget * (1 + 1e-9)) return;
        const trial = Float64Array.from(I);
        addRun(trial, js[i]);
        const tv = varianceProxy(trial, g);
        if (tv < pickV) {
          pickV = tv;
          pick = i;
        }
      });
      if (pick < 0) break;
      addRun(I, js[pick]);
      chosen.push(pick);
      spent += pool[pick].C;
    }
  });
  return best.filter((s): s is ScreenedSet => s !== undefined);
}
