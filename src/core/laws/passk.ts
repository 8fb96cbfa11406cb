/**
 * passk: −ln(pass@k) = a·k^(−b) (Brown et al. 2024; Schaeffer et al. 2025). The law returns pass@k itself, so log
 * residuals are ln(pass@k) + a·k^(−b): additive on −ln pass@k, linear in `a` for fixed `b`.
 */
import { gridTheta, keyed, linspace, type LawDef } from './types';

export const passk: LawDef = {
  name: 'passk',
  formula: 'pass@k = exp(-a * k^(-b))',
  latex: '-\\ln \\mathrm{pass@}k = a\\,k^{-b}',
  params: [
    { name: 'a', min: 0, max: Infinity, start: [0.1, 10] },
    { name: 'b', min: -5, max: 5, start: [0.05, 1] },
  ],
  variables: ['x'],
  paramCount: 2,
  evaluate: keyed(() => passk),
  f: (t, x) => Math.exp(-t[0] * Math.pow(x[0], -t[1])),
  grad(t, x, out) {
    const p = Math.pow(x[0], -t[1]);
    const f = Math.exp(-t[0] * p);
    out[0] = -f * p;
    out[1] = f * t[0] * p * Math.log(x[0]);
    return f;
  },
  unscale: (t, s) => [t[0] * Math.pow(s[0], t[1]), t[1]],
  vp: {
    linear: [0],
    nonneg: [true],
    candidates: () => gridTheta(2, [{ index: 1, values: linspace(-1, 3, 81) }]),
    basis(t, x, out) {
      out[0] = Math.pow(x[0], -t[1]);
    },
    target: (y) => -Math.log(y),
    dlog: () => -1,
  },
};
