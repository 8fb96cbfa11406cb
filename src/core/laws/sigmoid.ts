/**
 * sigmoid: y = floor + (ceil − floor) / (1 + exp(−slope·(log10 x − midpoint))), for accuracy-like metrics against
 * compute. log10 so that `midpoint` reads as a decade (22.5 = 10^22.5 FLOPs) and `slope` is per decade.
 */
import { gridTheta, keyed, linspace, type LawDef } from './types';

export const sigmoid: LawDef = {
  name: 'sigmoid',
  formula: 'y = floor + (ceil - floor) / (1 + exp(-slope * (log10(x) - midpoint)))',
  latex: 'y = \\mathrm{floor} + \\frac{\\mathrm{ceil} - \\mathrm{floor}}{1 + e^{-k(\\log_{10} x - m)}}',
  params: [
    { name: 'floor', min: 0, max: Infinity, start: [0, 0.5] },
    { name: 'ceil', min: 0, max: Infinity, start: [0.5, 1] },
    { name: 'midpoint', min: -Infinity, max: Infinity, start: [18, 26] },
    // Non-negative: a falling curve is expressed by ceil < floor, which keeps the solution unique.
    { name: 'slope', min: 0, max: 100, start: [0.2, 5] },
  ],
  variables: ['x'],
  paramCount: 4,
  evaluate: keyed(() => sigmoid),
  f(t, x) {
    const s = 1 / (1 + Math.exp(-t[3] * (Math.log10(x[0]) - t[2])));
    return t[0] + (t[1] - t[0]) * s;
  },
  grad(t, x, out) {
    const lx = Math.log10(x[0]) - t[2];
    const s = 1 / (1 + Math.exp(-t[3] * lx));
    const ds = (t[1] - t[0]) * s * (1 - s);
    out[0] = 1 - s;
    out[1] = s;
    out[2] = -ds * t[3];
    out[3] = ds * lx;
    return t[0] + (t[1] - t[0]) * s;
  },
  unscale: (t, s) => [t[0], t[1], t[2] + Math.log10(s[0]), t[3]],
  vp: {
    linear: [0, 1],
    nonneg: [true, true],
    candidates(cols) {
      let lo = Infinity,
        hi = -Infinity;
      for (const v of cols[0]) {
        lo = Math.min(lo, Math.log10(v));
        hi = Math.max(hi, Math.log10(v));
      }
      const slopes = linspace(Math.log(0.1), Math.log(30), 24).map(Math.exp);
      return gridTheta(4, [
        { index: 2, values: linspace(lo - 1, hi + 1, 31) },
        { index: 3, values: slopes },
      ]);
    },
    basis(t, x, out) {
      const s = 1 / (1 + Math.exp(-t[3] * (Math.log10(x[0]) - t[2])));
      out[0] = 1 - s;
      out[1] = s;
    },
  },
};
