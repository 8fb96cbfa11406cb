/** saturating: y = E + A·x^(−alpha) (Hestness 2017; Henighan et al. 2020): power law plus irreducible term. */
import { coefficient, defineLaw, exponent, irreducible } from './define';
import { gridTheta, linspace, powColumn } from './types';

export const saturating = defineLaw({
  name: 'saturating',
  formula: 'y = E + A * x^(-alpha)',
  latex: 'y = E + A\\,x^{-\\alpha}',
  params: [irreducible([0, 3]), coefficient('A', [1e-3, 1e3]), exponent('alpha', 5, [0.05, 1])],
  variables: ['x'],
  f: (t, x) => t[0] + t[1] * Math.pow(x[0], -t[2]),
  grad(t, x, out) {
    const p = Math.pow(x[0], -t[2]);
    out[0] = 1;
    out[1] = p;
    out[2] = -t[1] * p * Math.log(x[0]);
    return t[0] + t[1] * p;
  },
  fLog: (t, _x, lx) => t[0] + t[1] * Math.exp(-t[2] * lx[0]),
  gradLog(t, _x, lx, out) {
    const p = Math.exp(-t[2] * lx[0]);
    out[0] = 1;
    out[1] = p;
    out[2] = -t[1] * p * lx[0];
    return t[0] + t[1] * p;
  },
  unscale: (t, s) => [t[0], t[1] * Math.pow(s[0], t[2]), t[2]],
  vp: {
    linear: [0, 1],
    nonneg: [true, true],
    candidates: () => gridTheta(3, [{ index: 2, values: linspace(0.02, 3, 60) }]),
    basis(t, x, out) {
      out[0] = 1;
      out[1] = Math.pow(x[0], -t[2]);
    },
    basisColumns(t, cols, out) {
      out[0].fill(1);
      out[1].set(powColumn(cols[0], t[2]));
    },
  },
});
