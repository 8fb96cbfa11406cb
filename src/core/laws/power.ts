/** power: y = A·x^(−alpha) (Hestness et al. 2017), the power-law region without a floor. */
import { gridTheta, keyed, linspace, powColumn, type LawDef } from './types';

export const power: LawDef = {
  name: 'power',
  formula: 'y = A * x^(-alpha)',
  latex: 'y = A\\,x^{-\\alpha}',
  params: [
    { name: 'A', min: 0, max: Infinity, start: [1e-3, 1e3] },
    // Negative exponents are allowed: some metrics grow with scale.
    { name: 'alpha', min: -5, max: 5, start: [0, 1] },
  ],
  variables: ['x'],
  paramCount: 2,
  evaluate: keyed(() => power),
  f: (t, x) => t[0] * Math.pow(x[0], -t[1]),
  grad(t, x, out) {
    const p = Math.pow(x[0], -t[1]);
    out[0] = p;
    out[1] = -t[0] * p * Math.log(x[0]);
    return t[0] * p;
  },
  fLog: (t, _x, lx) => t[0] * Math.exp(-t[1] * lx[0]),
  gradLog(t, _x, lx, out) {
    const p = Math.exp(-t[1] * lx[0]);
    out[0] = p;
    out[1] = -t[0] * p * lx[0];
    return t[0] * p;
  },
  // A·(x/s)^(−α) = A·s^α·x^(−α)
  unscale: (t, s) => [t[0] * Math.pow(s[0], t[1]), t[1]],
  vp: {
    linear: [0],
    nonneg: [true],
    candidates: () => gridTheta(2, [{ index: 1, values: linspace(-2, 3, 51) }]),
    basis(t, x, out) {
      out[0] = Math.pow(x[0], -t[1]);
    },
    basisColumns(t, cols, out) {
      out[0].set(powColumn(cols[0], t[1]));
    },
  },
};
