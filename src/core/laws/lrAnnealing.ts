/**
 * lr_annealing: L(s) = L0 + A·S1^(−alpha) − C·S2 (Tissue et al. 2024, "Scaling Law with Learning Rate Annealing").
 * S1 = Σ_{i≤s} η_i is the forward area; S2 = Σ_{i≤s} m_i with m_i = λ·m_{i−1} + (η_{i−1} − η_i) is the annealing
 * area with momentum (λ ≈ 0.999). Points carry (S1, S2) computed from each run's logged schedule, so the law is
 * pointwise and the engine fits whole curves; `annealingAreas` turns any schedule into a predictable curve.
 */
import { coefficient, defineLaw, exponent, irreducible } from './define';
import { gridTheta, linspace, powColumn } from './types';

export const DEFAULT_LAMBDA = 0.999;

export const lrAnnealing = defineLaw({
  name: 'lr_annealing',
  formula: 'L = L0 + A * S1^(-alpha) - C * S2',
  latex: 'L(s) = L_0 + A\\,S_1^{-\\alpha} - C\\,S_2',
  params: [
    irreducible([0.5, 3], 'L0'),
    coefficient('A', [0.1, 10]),
    exponent('alpha', 5, [0.1, 1]),
    coefficient('C', [0, 1]),
  ],
  variables: ['S1', 'S2'],
  f: (t, x) => t[0] + t[1] * Math.pow(x[0], -t[2]) - t[3] * x[1],
  grad(t, x, out) {
    const p = Math.pow(x[0], -t[2]);
    out[0] = 1;
    out[1] = p;
    out[2] = -t[1] * p * Math.log(x[0]);
    out[3] = -x[1];
    return t[0] + t[1] * p - t[3] * x[1];
  },
  fLog: (t, x, lx) => t[0] + t[1] * Math.exp(-t[2] * lx[0]) - t[3] * x[1],
  gradLog(t, x, lx, out) {
    const p = Math.exp(-t[2] * lx[0]);
    out[0] = 1;
    out[1] = p;
    out[2] = -t[1] * p * lx[0];
    out[3] = -x[1];
    return t[0] + t[1] * p - t[3] * x[1];
  },
  // S1' = S1/s1, S2' = S2/s2: A' S1'^(−α) = A' s1^α S1^(−α); C' S2' = (C'/s2) S2.
  unscale: (t, s) => [t[0], t[1] * Math.pow(s[0], t[2]), t[2], t[3] / s[1]],
  vp: {
    linear: [0, 1, 3],
    nonneg: [true, true, true],
    candidates: () => gridTheta(4, [{ index: 2, values: linspace(0.02, 2, 60) }]),
    basis(t, x, out) {
      out[0] = 1;
      out[1] = Math.pow(x[0], -t[2]);
      out[2] = -x[1];
    },
    basisColumns(t, cols, out) {
      out[0].fill(1);
      out[1].set(powColumn(cols[0], t[2]));
      for (let i = 0; i < cols[1].length; i++) out[2][i] = -cols[1][i];
    },
  },
});

/**
 * Forward and annealing areas at every step 1..last of a schedule given at logged steps (linear interpolation in
 * between, held flat before the first logged step). Warmup counts as written in the paper's formula: a rising η
 * makes m negative, which only matters during warmup; drop those steps from the fit if they mislead.
 */
export function annealingAreas(
  steps: number[],
  lr: number[],
  lambda = DEFAULT_LAMBDA,
): { S1: Float64Array; S2: Float64Array } {
  if (steps.length !== lr.length || steps.length === 0)
    throw new Error('annealingAreas: steps and lr must be non-empty and of equal length');
  const order = steps.map((s, i) => [s, lr[i]] as const).sort((p, q) => p[0] - q[0]);
  const last = Math.max(1, Math.round(order[order.length - 1][0]));
  const S1 = new Float64Array(last + 1);
  const S2 = new Float64Array(last + 1);
  let k = 0;
  let prevEta = NaN;
  let m = 0;
  for (let i = 1; i <= last; i++) {
    while (k + 1 < order.length && order[k + 1][0] <= i) k++;
    let eta: number;
    if (i <= order[0][0]) eta = order[0][1];
    else if (k + 1 >= order.length) eta = order[order.length - 1][1];
    else {
      const [s0, e0] = order[k];
      const [s1, e1] = order[k + 1];
      eta = s1 === s0 ? e1 : e0 + ((e1 - e0) * (i - s0)) / (s1 - s0);
    }
    if (Number.isNaN(prevEta)) prevEta = eta; // η_0 = η_1: no annealing before the first step
    m = lambda * m + (prevEta - eta);
    S1[i] = S1[i - 1] + eta;
    S2[i] = S2[i - 1] + m;
    prevEta = eta;
  }
  return { S1, S2 };
}
