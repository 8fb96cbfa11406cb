/**
 * Evaluating a finished fit along drawn curves. `predict` (src/core/fit/predict) is the reference, but it also
 * computes the regime and an interval per call; a plot evaluates the law tens of thousands of times (IsoFLOP
 * scans, learning-curve overlays), so this builds the law and its parameter vector once and calls `f` directly.
 * Variable binding follows predict's: the fit's variables in the law's order; a one-variable law takes its single
 * variable. A test checks the two agree.
 */
import type { FitResult } from '../../contract/fit';
import { lawFor } from '../laws/registry';

export type Evaluator = (at: Record<string, number>) => number;

/** The fit's input variables (dataset names), in the law's order. */
export function fitVariables(fit: FitResult): string[] {
  return fit.variables ?? Object.keys(fit.domain ?? {});
}

export function lawEvaluator(fit: FitResult): Evaluator {
  const vars = fitVariables(fit);
  let law;
  try {
    law = lawFor(fit.law, fit.custom, {
      breaks: fit.breaks ?? (typeof fit.params.c2?.value === 'number' ? 2 : 1),
      xNames: fit.law === 'loglinear' ? vars : undefined,
    });
  } catch {
    return () => NaN;
  }
  const theta = law.params.map((p) => fit.params[p.name]?.value ?? NaN);
  if (theta.some((t) => !Number.isFinite(t))) return () => NaN;
  const bound =
    law.variables.length === 1 && law.variables[0] === 'x'
      ? vars.slice(0, 1)
      : law.name === 'loglinear'
        ? vars
        : law.variables.slice();
  const x = new Float64Array(bound.length);
  const f = law.f;
  return (at) => {
    for (let j = 0; j < bound.length; j++) {
      const v = at[bound[j]];
      if (typeof v !== 'number') return NaN;
      x[j] = v;
    }
    return f(theta, x);
  };
}
