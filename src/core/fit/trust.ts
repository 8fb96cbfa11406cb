/**
 * Warnings that say when an optimum should not be taken at face value: parameters pinned at a bound, flat
 * directions (parameters that trade off), designs that barely identify the law, few points per parameter.
 */
import { designWarnings, type Prepared } from './prepare';
import type { Conditioning, CoreFit } from './solve';

/** Above this (JᵀJ against relative parameter changes) some combination of parameters is barely determined. */
export const ILL_CONDITIONED = 1e10;

export function trustWarnings(prep: Prepared, core: CoreFit, cond: Conditioning, bounds: string[], raw: number[]): string[] {
  const law = prep.law;
  const out: string[] = [];
  if (bounds.length) {
    const vals = bounds.map((b) => `${b} = ${fmt(raw[law.params.findIndex((q) => q.name === b)])}`).join(', ');
    out.push(`${bounds.length === 1 ? 'parameter' : 'parameters'} at a bound (${vals}): the optimum is constrained there, so ${bounds.length === 1 ? 'this value is' : 'these values are'} not a free estimate`);
  }
  if (!Number.isFinite(cond.conditionNumber)) {
    out.push('the fit is degenerate at the optimum (singular Jacobian): some parameter has no effect on the fitted values');
  } else if (cond.conditionNumber > ILL_CONDITIONED) {
    const along = cond.flat.length ? `: ${cond.flat.join(', ')} trade off against each other and are poorly determined individually` : '';
    out.push(`ill-conditioned optimum (condition number ${cond.conditionNumber.toExponential(1)})${along}`);
  }
  out.push(...designWarnings(prep));
  const p = law.paramCount;
  if (prep.n < 2 * p) out.push(`only ${prep.n} points for ${p} parameters: the fit has little data left over to check it`);
  if (core.starts >= 4 && core.startsReachingBest === 1) {
    out.push(`only 1 of ${core.starts} starts reached the best objective: the minimum is narrow or the objective has several basins`);
  }
  return out;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : String(v);
}
