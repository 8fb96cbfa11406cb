/**
 * kaplan: L(N, D) = [(Nc/N)^(alphaN/alphaD) + Dc/D]^alphaD (Kaplan et al. 2020, eq. 1.5).
 * With p = alphaN/alphaD, L^(1/alphaD) = Nc^p·N^(−p) + Dc·D^(−1) is linear in (Nc^p, Dc): variable projection
 * over (alphaN, alphaD) finds the basin; Nc and Dc are refined on a log scale since they span decades.
 */
import { defineLaw, logScale } from './define';
import { gridTheta, linspace } from './types';

export const kaplan = defineLaw({
  name: 'kaplan',
  formula: 'L = ((Nc / N)^(alphaN / alphaD) + Dc / D)^alphaD',
  latex: 'L(N, D) = \\left[\\left(\\frac{N_c}{N}\\right)^{\\alpha_N/\\alpha_D} + \\frac{D_c}{D}\\right]^{\\alpha_D}',
  params: [
    logScale('Nc', [1e10, 1e15]),
    logScale('Dc', [1e10, 1e15]),
    // Kept off zero: both divide (p = alphaN/alphaD, the projected target L^(1/alphaD)).
    { name: 'alphaN', min: 1e-3, max: 3, start: [0.03, 0.5] },
    { name: 'alphaD', min: 1e-3, max: 3, start: [0.03, 0.5] },
  ],
  variables: ['N', 'D'],
  f(t, x) {
    return Math.pow(Math.pow(t[0] / x[0], t[2] / t[3]) + t[1] / x[1], t[3]);
  },
  grad(t, x, out) {
    const [Nc, Dc, aN, aD] = [t[0], t[1], t[2], t[3]];
    const p = aN / aD;
    const r = Nc / x[0];
    const rp = Math.pow(r, p);
    const u = rp + Dc / x[1];
    const L = Math.pow(u, aD);
    const dLdu = aD * Math.pow(u, aD - 1);
    const lr = Math.log(r);
    out[0] = (dLdu * p * rp) / Nc;
    out[1] = dLdu / x[1];
    out[2] = (dLdu * rp * lr) / aD;
    out[3] = L * Math.log(u) - (dLdu * rp * lr * aN) / (aD * aD);
    return L;
  },
  unscale: (t, s) => [t[0] * s[0], t[1] * s[1], t[2], t[3]],
  vp: {
    linear: [0, 1],
    nonneg: [true, true],
    candidates: () =>
      gridTheta(4, [
        { index: 2, values: linspace(0.02, 1, 25) },
        { index: 3, values: linspace(0.02, 1, 25) },
      ]),
    basis(t, x, out) {
      out[0] = Math.pow(x[0], -t[2] / t[3]);
      out[1] = 1 / x[1];
    },
    target: (y, t) => Math.pow(y, 1 / t[3]),
    dlog: (u, t) => t[3] / u,
    assign(t, c) {
      // A zero coefficient means "term absent"; a tiny positive scale keeps the log parametrisation finite.
      t[0] = Math.pow(Math.max(c[0], 1e-300), t[3] / t[2]) || 1e-12;
      t[1] = Math.max(c[1], 1e-12);
    },
  },
});
