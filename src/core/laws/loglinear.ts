/**
 * loglinear: ln y = c + Σ_i a_i·ln x_i, for hyperparameter laws (optimal LR or batch size against N and D,
 * "Predictable Scale: Part I"). Any number of variables: `makeLoglinear(names)` binds them; parameters are `c`
 * and `a_<name>`. Linear in every parameter after the log, so variable projection solves it outright.
 */
import { defineLaw, free } from './define';
import type { LawDef, ParamDef } from './types';

export function makeLoglinear(names: string[]): LawDef {
  if (names.length === 0) throw new Error('loglinear needs at least one variable');
  const k = names.length;
  const params: ParamDef[] = [free('c', [-10, 10])];
  for (const n of names) params.push(free(`a_${n}`, [-1, 1]));
  return defineLaw({
    name: 'loglinear',
    formula: `ln y = c + ${names.map((n) => `a_${n} * ln ${n}`).join(' + ')}`,
    latex: `\\ln y = c + ${names.map((n) => `a_{${n}}\\ln ${n}`).join(' + ')}`,
    params,
    variables: names.slice(),
    f(t, x) {
      let s = t[0];
      for (let i = 0; i < k; i++) s += t[i + 1] * Math.log(x[i]);
      return Math.exp(s);
    },
    grad(t, x, out) {
      let s = t[0];
      for (let i = 0; i < k; i++) s += t[i + 1] * Math.log(x[i]);
      const f = Math.exp(s);
      out[0] = f;
      for (let i = 0; i < k; i++) out[i + 1] = f * Math.log(x[i]);
      return f;
    },
    unscale(t, s) {
      const o = t.slice();
      for (let i = 0; i < k; i++) o[0] -= t[i + 1] * Math.log(s[i]);
      return o;
    },
    vp: {
      linear: params.map((_, i) => i),
      nonneg: params.map(() => false),
      candidates: () => [new Array<number>(k + 1).fill(0)],
      basis(_t, x, out) {
        out[0] = 1;
        for (let i = 0; i < k; i++) out[i + 1] = Math.log(x[i]);
      },
      target: (y) => Math.log(y),
      dlog: () => 1,
    },
  });
}

/**
 * The registry's loglinear: declared over one variable `x`, but its keyed `evaluate` takes whatever variables the
 * fit used (reading `a_<name>` for each key of x), so a fitted {c, a_N, a_D} evaluates without rebinding.
 */
export const loglinear: LawDef = {
  ...makeLoglinear(['x']),
  evaluate(params, x) {
    const keys = Object.keys(x);
    const named = keys.filter((k) => typeof params[`a_${k}`] === 'number');
    if (named.length === 0 && keys.length === 1 && typeof params.a_x === 'number')
      return Math.exp(params.c + params.a_x * Math.log(x[keys[0]]));
    if (named.length === 0) throw new Error(`loglinear: no a_<variable> parameter for ${keys.join(', ')}`);
    let s = params.c;
    for (const k of named) s += params[`a_${k}`] * Math.log(x[k]);
    return Math.exp(s);
  },
};
