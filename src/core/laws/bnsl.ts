/**
 * bnsl: y = a + b·x^(−c0)·Π_i (1 + (x/d_i)^(1/f_i))^(−c_i·f_i), 1 or 2 breaks (Caballero et al. 2023).
 * Linear in (a, b); the 4 or 7 nonlinear parameters get random candidates with (a, b) projected out, then LM.
 */
import { coefficient, defineLaw, irreducible, logScale, signedExponent } from './define';
import type { LawDef, ParamDef, Vec } from './types';

/** ln(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function shape(t: Vec, x: number, breaks: number): number {
  let lg = -t[2] * Math.log(x);
  for (let i = 0; i < breaks; i++) {
    const c = t[3 + 3 * i],
      d = t[4 + 3 * i],
      f = t[5 + 3 * i];
    lg -= c * f * softplus(Math.log(x / d) / f);
  }
  return Math.exp(lg);
}

function make(breaks: 1 | 2): LawDef {
  const params: ParamDef[] = [
    irreducible([0, 1], 'a'),
    coefficient('b', [0.1, 10]),
    signedExponent('c0', 10, [-0.5, 2]),
  ];
  for (let i = 1; i <= breaks; i++) {
    params.push(signedExponent(`c${i}`, 10, [-1, 3]), logScale(`d${i}`, [1, 1e6]), {
      name: `f${i}`,
      min: 1e-4,
      max: 100,
      start: [0.03, 3],
      log: true,
    });
  }
  const tail =
    breaks === 1 ? '(1 + (x/d1)^(1/f1))^(-c1*f1)' : '(1 + (x/d1)^(1/f1))^(-c1*f1) * (1 + (x/d2)^(1/f2))^(-c2*f2)';
  const ltail =
    breaks === 1
      ? '\\left(1+(x/d_1)^{1/f_1}\\right)^{-c_1 f_1}'
      : '\\prod_{i=1}^{2}\\left(1+(x/d_i)^{1/f_i}\\right)^{-c_i f_i}';
  return defineLaw({
    name: 'bnsl',
    formula: `y = a + b * x^(-c0) * ${tail}`,
    latex: `y = a + b\\,x^{-c_0}${ltail}`,
    params,
    variables: ['x'],
    breaks,
    f: (t, x) => t[0] + t[1] * shape(t, x[0], breaks),
    grad(t, x, out) {
      const X = x[0];
      const g = shape(t, X, breaks);
      const bg = t[1] * g;
      out[0] = 1;
      out[1] = g;
      out[2] = -bg * Math.log(X);
      for (let i = 0; i < breaks; i++) {
        const c = t[3 + 3 * i],
          d = t[4 + 3 * i],
          f = t[5 + 3 * i];
        const lxd = Math.log(X / d);
        const lz = lxd / f;
        const lnq = softplus(lz);
        const zq = 1 / (1 + Math.exp(-lz)); // z/(1+z)
        out[3 + 3 * i] = -bg * f * lnq;
        out[4 + 3 * i] = (bg * c * zq) / d;
        out[5 + 3 * i] = bg * (-c * lnq + (c * zq * lxd) / f);
      }
      return t[0] + bg;
    },
    // x' = x/s: b' x'^(−c0) = b' s^c0 x^(−c0), and x'/d' = x/(s·d').
    unscale(t, s) {
      const o = t.slice();
      o[1] = t[1] * Math.pow(s[0], t[2]);
      for (let i = 0; i < breaks; i++) o[4 + 3 * i] = t[4 + 3 * i] * s[0];
      return o;
    },
    canonical(t) {
      if (breaks === 1 || t[4] <= t[7]) return t;
      return [t[0], t[1], t[2], t[6], t[7], t[8], t[3], t[4], t[5]];
    },
    vp: {
      linear: [0, 1],
      nonneg: [true, true],
      candidates(cols, rand) {
        let lo = Infinity,
          hi = -Infinity;
        for (const v of cols[0]) {
          lo = Math.min(lo, Math.log(v));
          hi = Math.max(hi, Math.log(v));
        }
        const out: number[][] = [];
        const count = breaks === 1 ? 600 : 2500;
        for (let k = 0; k < count; k++) {
          const t = new Array<number>(params.length).fill(0);
          t[2] = -0.5 + 2.5 * rand();
          const ds: number[] = [];
          for (let i = 0; i < breaks; i++) ds.push(Math.exp(lo + (hi - lo) * rand()));
          ds.sort((p, q) => p - q);
          for (let i = 0; i < breaks; i++) {
            t[3 + 3 * i] = -1 + 4 * rand();
            t[4 + 3 * i] = ds[i];
            t[5 + 3 * i] = Math.exp(Math.log(0.03) + Math.log(100) * rand());
          }
          out.push(t);
        }
        return out;
      },
      basis(t, x, out) {
        out[0] = 1;
        out[1] = shape(t, x[0], breaks);
      },
    },
  });
}

export const bnsl2 = make(2);
const bnsl1 = make(1);
/** The registry's bnsl (1 break); its keyed `evaluate` also takes 2-break parameters (c2, d2, f2 present). */
export const bnsl: LawDef = {
  ...bnsl1,
  evaluate: (params, x) => (typeof params.c2 === 'number' ? bnsl2.evaluate(params, x) : bnsl1.evaluate(params, x)),
};
