/** power: y = A·x^(−alpha) (Hestness et al. 2017), the power-law region without a floor. */
import { coefficient, defineLaw, signedExponent } from './define';
import { gridTheta, linspace, powColumn, type VpSpec } from './types';

export const power = defineLaw({
  name: 'power',
  formula: 'y = A * x^(-alpha)',
  latex: 'y = A\\,x^{-\\alpha}',
  // Negative exponents are allowed: some metrics grow with scale.
  params: [coefficient('A', [1e-3, 1e3]), signedExponent('alpha', 5, [0, 1])],
  variables: ['x'],
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
  unscale: unscalePower,
  vp: powerProjection(linspace(-2, 3, 51)),
});

/**
 * Rescaling of the term A·x^(−alpha) with θ = [A, alpha]: A·(x/s)^(−α) = A·s^α·x^(−α). passk shares this and
 * `powerProjection`: −ln pass@k is the same term in k.
 */
export function unscalePower(t: number[], s: number[]): number[] {
  return [t[0] * Math.pow(s[0], t[1]), t[1]];
}

/** A projected out (non-negative) for each alpha of the grid. */
export function powerProjection(alphas: number[]): VpSpec {
  return {
    linear: [0],
    nonneg: [true],
    candidates: () => gridTheta(2, [{ index: 1, values: alphas }]),
    basis(t, x, out) {
      out[0] = Math.pow(x[0], -t[1]);
    },
    basisColumns(t, cols, out) {
      out[0].set(powColumn(cols[0], t[1]));
    },
  };
}
