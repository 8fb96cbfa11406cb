/**
 * sigmoid: y = floor + (ceil − floor) / (1 + exp(−slope·(log10 x − midpoint))), for accuracy-like metrics against
 * compute. log10 so that `midpoint` reads as a decade (22.5 = 10^22.5 FLOPs) and `slope` is per decade.
 */
import { defineLaw, free } from './define';
import { gridTheta, linspace, type LawDef } from './types';

/** `levelMax` bounds floor and ceil: ∞ for any metric, 1 for accuracy-like ones (`sigmoidBounded`). */
function makeSigmoid(levelMax: number): LawDef {
  return defineLaw({
    name: 'sigmoid',
    formula: 'y = floor + (ceil - floor) / (1 + exp(-slope * (log10(x) - midpoint)))',
    latex: 'y = \\mathrm{floor} + \\frac{\\mathrm{ceil} - \\mathrm{floor}}{1 + e^{-k(\\log_{10} x - m)}}',
    params: [
      { name: 'floor', min: 0, max: levelMax, start: [0, 0.5] },
      { name: 'ceil', min: 0, max: levelMax, start: [0.5, 1] },
      free('midpoint', [18, 26]),
      // Non-negative: a falling curve is expressed by ceil < floor, which keeps the solution unique.
      { name: 'slope', min: 0, max: 100, start: [0.2, 5] },
    ],
    variables: ['x'],
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
  });
}

export const sigmoid = makeSigmoid(Infinity);

/**
 * The same law for accuracy-like metrics (values in [0, 1]): floor and ceiling cannot leave [0, 1], so a ceiling
 * the data do not reach is capped at a perfect score instead of wandering off to 1,620.
 */
export const sigmoidBounded = makeSigmoid(1);
