/**
 * chinchilla: L(N, D) = E + A/N^alpha + B/D^beta (Hoffmann et al. 2022, Approach 3; Besiroglu et al. 2024).
 * Linear in (E, A, B) for fixed (alpha, beta): the engine searches a dense 2-D exponent grid with the
 * coefficients projected out by NNLS, then refines all five jointly.
 */
import { coefficient, defineLaw, exponent, irreducible } from './define';
import { gridTheta, linspace, powColumn } from './types';

export const chinchilla = defineLaw({
  name: 'chinchilla',
  formula: 'L = E + A / N^alpha + B / D^beta',
  latex: 'L(N, D) = E + \\frac{A}{N^{\\alpha}} + \\frac{B}{D^{\\beta}}',
  params: [
    irreducible([0.5, 3]),
    coefficient('A', [10, 1e4]),
    coefficient('B', [10, 1e4]),
    exponent('alpha', 3, [0.1, 1]),
    exponent('beta', 3, [0.1, 1]),
  ],
  variables: ['N', 'D'],
  f: (t, x) => t[0] + t[1] * Math.pow(x[0], -t[3]) + t[2] * Math.pow(x[1], -t[4]),
  grad(t, x, out) {
    const pn = Math.pow(x[0], -t[3]);
    const pd = Math.pow(x[1], -t[4]);
    out[0] = 1;
    out[1] = pn;
    out[2] = pd;
    out[3] = -t[1] * pn * Math.log(x[0]);
    out[4] = -t[2] * pd * Math.log(x[1]);
    return t[0] + t[1] * pn + t[2] * pd;
  },
  fLog: (t, _x, lx) => t[0] + t[1] * Math.exp(-t[3] * lx[0]) + t[2] * Math.exp(-t[4] * lx[1]),
  gradLog(t, _x, lx, out) {
    const pn = Math.exp(-t[3] * lx[0]);
    const pd = Math.exp(-t[4] * lx[1]);
    out[0] = 1;
    out[1] = pn;
    out[2] = pd;
    out[3] = -t[1] * pn * lx[0];
    out[4] = -t[2] * pd * lx[1];
    return t[0] + t[1] * pn + t[2] * pd;
  },
  unscale: (t, s) => [t[0], t[1] * Math.pow(s[0], t[3]), t[2] * Math.pow(s[1], t[4]), t[3], t[4]],
  vp: {
    linear: [0, 1, 2],
    nonneg: [true, true, true],
    // Steps of 0.0825 from 0.02 to 2: the projected objective is smooth in the exponents, so every basin over the
    // published range (0.07–0.9) has nodes in it, and LM from the best distinct nodes does the rest.
    candidates: () =>
      gridTheta(5, [
        { index: 3, values: linspace(0.02, 2, 25) },
        { index: 4, values: linspace(0.02, 2, 25) },
      ]),
    basis(t, x, out) {
      out[0] = 1;
      out[1] = Math.pow(x[0], -t[3]);
      out[2] = Math.pow(x[1], -t[4]);
    },
    basisColumns(t, cols, out) {
      out[0].fill(1);
      out[1].set(powColumn(cols[0], t[3]));
      out[2].set(powColumn(cols[1], t[4]));
    },
  },
});

/** Closed-form compute-optimal allocation under C = 6·N·D. */
export function chinchillaOptimal(
  p: { E: number; A: number; B: number; alpha: number; beta: number },
  C: number,
): {
  a: number;
  b: number;
  G: number;
  nOpt: number;
  dOpt: number;
  loss: number;
} {
  const s = p.alpha + p.beta;
  const a = p.beta / s;
  const b = p.alpha / s;
  const G = Math.pow((p.alpha * p.A) / (p.beta * p.B), 1 / s);
  const nOpt = G * Math.pow(C / 6, a);
  const dOpt = Math.pow(C / 6, b) / G;
  const loss = p.E + p.A * Math.pow(nOpt, -p.alpha) + p.B * Math.pow(dOpt, -p.beta);
  return { a, b, G, nOpt, dOpt, loss };
}
