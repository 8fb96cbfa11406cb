/**
 * passk: −ln(pass@k) = a·k^(−b) (Brown et al. 2024; Schaeffer et al. 2025). The law returns pass@k itself, so log
 * residuals are ln(pass@k) + a·k^(−b): additive on −ln pass@k, linear in `a` for fixed `b`.
 */
import { coefficient, defineLaw, signedExponent } from './define';
import { powerProjection, unscalePower } from './power';
import { linspace } from './types';

export const passk = defineLaw({
  name: 'passk',
  formula: 'pass@k = exp(-a * k^(-b))',
  latex: '-\\ln \\mathrm{pass@}k = a\\,k^{-b}',
  params: [coefficient('a', [0.1, 10]), signedExponent('b', 5, [0.05, 1])],
  variables: ['x'],
  f: (t, x) => Math.exp(-t[0] * Math.pow(x[0], -t[1])),
  grad(t, x, out) {
    const p = Math.pow(x[0], -t[1]);
    const f = Math.exp(-t[0] * p);
    out[0] = -f * p;
    out[1] = f * t[0] * p * Math.log(x[0]);
    return f;
  },
  unscale: unscalePower,
  // The engine projects on the target u = −ln pass@k (so the power term's column-wise basis goes unused).
  vp: { ...powerProjection(linspace(-1, 3, 81)), target: (y) => -Math.log(y), dlog: () => -1 },
});
