/**
 * custom: a user formula over declared variables and parameters (settings or scaling-laws.json), compiled by the
 * safe parser in expr.ts. No structure is assumed: the engine fits it by multi-start LM from the start ranges.
 */
import type { CustomLawSpec } from '../../contract/fit';
import { compile, checkName, ExprError } from './expr';
import { mayBeAbsent } from '../util/maybe';
import { defineLaw } from './define';
import type { LawDef, ParamDef } from './types';

export function makeCustom(spec: CustomLawSpec): LawDef {
  // The declaration comes from a user's law file or command argument: checked, not trusted from its type.
  if (!mayBeAbsent(spec) || typeof spec.formula !== 'string') throw new ExprError('custom law: a formula is required');
  if (!Array.isArray(spec.variables) || spec.variables.length === 0)
    throw new ExprError('custom law: declare at least one variable');
  const names = Object.keys(mayBeAbsent(spec.params) ?? {});
  if (names.length === 0) throw new ExprError('custom law: declare at least one parameter');
  const params: ParamDef[] = names.map((name) => {
    checkName(name);
    const d = spec.params[name];
    const min = typeof d.min === 'number' ? d.min : -Infinity;
    const max = typeof d.max === 'number' ? d.max : Infinity;
    if (!(min < max)) throw new ExprError(`custom law: parameter ${name} has min ${min} ≥ max ${max}`);
    let start: [number, number];
    if (d.start) start = [d.start[0], d.start[1]];
    else {
      const lo = Number.isFinite(min) ? min : Number.isFinite(max) ? max - 2 : -1;
      start = [lo, Number.isFinite(max) ? max : lo + 2];
    }
    if (!(start[0] <= start[1]) || start[0] < min || start[1] > max)
      throw new ExprError(`custom law: start range of ${name} must lie within its bounds`);
    // A positive parameter whose plausible range spans decades is a scale (A in A/N^alpha): optimised on ln A, the
    // valley between it and an exponent is straight (ln A − alpha·ln N), where on A itself it is a sharp curve
    // that costs LM dozens of iterations.
    const log = min >= 0 && start[0] > 0 && start[1] / start[0] >= 100;
    return log ? { name, min, max, start, log } : { name, min, max, start };
  });
  const fn = compile(spec.formula, spec.variables, names);
  return defineLaw({
    name: 'custom',
    formula: spec.formula,
    latex: spec.formula.replace(/\*\*/g, '^').replace(/\*/g, '\\cdot '),
    params,
    variables: spec.variables.slice(),
    f: (t, x) => fn(x, t),
  });
}
