/**
 * Warnings that say when an optimum should not be taken at face value: parameters pinned at a bound, flat
 * directions (parameters that trade off), designs that barely identify the law, few points per parameter.
 */
import { formatPlain } from '../../contract/format';
import { symEigen } from './linalg';
import { designWarnings, type Prepared } from './prepare';
import { makeProblem, toInternal, type CoreFit } from './solve';

/** Above this (JᵀJ against relative parameter changes) some combination of parameters is barely determined. */
export const ILL_CONDITIONED = 1e10;

export function trustWarnings(
  prep: Prepared,
  core: CoreFit,
  cond: Conditioning,
  bounds: string[],
  raw: number[],
): string[] {
  const law = prep.law;
  const out: string[] = [];
  if (bounds.length) {
    const vals = bounds.map((b) => `${b} = ${formatPlain(raw[law.params.findIndex((q) => q.name === b)])}`).join(', ');
    out.push(
      `${bounds.length === 1 ? 'parameter' : 'parameters'} at a bound (${vals}): the optimum is constrained there, so ${bounds.length === 1 ? 'this value is' : 'these values are'} not a free estimate`,
    );
  }
  if (!Number.isFinite(cond.conditionNumber)) {
    out.push(
      'the fit is degenerate at the optimum (singular Jacobian): some parameter has no effect on the fitted values',
    );
  } else if (cond.conditionNumber > ILL_CONDITIONED) {
    const along = cond.flat.length
      ? `: ${cond.flat.join(', ')} trade off against each other and are poorly determined individually`
      : '';
    out.push(`ill-conditioned optimum (condition number ${cond.conditionNumber.toExponential(1)})${along}`);
  }
  out.push(...designWarnings(prep));
  const p = law.paramCount;
  if (prep.n < 2 * p)
    out.push(`only ${prep.n} points for ${p} parameters: the fit has little data left over to check it`);
  if (core.starts >= 4 && core.startsReachingBest === 1) {
    out.push(
      `only 1 of ${core.starts} starts reached the best objective: the minimum is narrow or the objective has several basins`,
    );
  }
  return out;
}

export interface Conditioning {
  /** Largest over smallest eigenvalue of JᵀJ, J against relative parameter changes. */
  conditionNumber: number;
  /** Parameters that dominate the flattest direction (|component| ≥ 0.3 of the unit eigenvector). */
  flat: string[];
}

/**
 * Conditioning at θ: JᵀJ with J against relative parameter changes (∂r/∂ln|θ|; absolute where θ = 0), so the
 * number is unit-free and comparable across laws, plus the parameters that move together along its flattest
 * direction (what trades off against what).
 */
export function conditioning(prep: Prepared, theta: number[]): Conditioning {
  const law = prep.law;
  const p = law.paramCount;
  const prob = makeProblem(prep);
  const v = toInternal(law, theta);
  const r = new Float64Array(prep.n),
    rt = new Float64Array(prep.n);
  if (!prob.residuals(v, r)) return { conditionNumber: Infinity, flat: [] };
  const cols: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    // Central differences in the relative parameter: unit-free, and analytic structure is not needed here.
    const base = law.params[j].log ? 1 : Math.abs(theta[j]) > 1e-12 ? Math.abs(theta[j]) : 1;
    const h = 1e-6 * base;
    const col = new Float64Array(prep.n);
    const t = Float64Array.from(v);
    t[j] = v[j] + h;
    const okP = prob.residuals(t, rt);
    const rp = Float64Array.from(rt);
    t[j] = v[j] - h;
    const okM = prob.residuals(t, rt);
    for (let i = 0; i < prep.n; i++)
      col[i] =
        okP && okM
          ? ((rp[i] - rt[i]) / (2 * h)) * base
          : okP
            ? ((rp[i] - r[i]) / h) * base
            : ((r[i] - rt[i]) / h) * base;
    cols.push(col);
  }
  const S = new Float64Array(p * p);
  for (let a = 0; a < p; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < prep.n; i++) s += cols[a][i] * cols[b][i];
      S[a * p + b] = s;
      S[b * p + a] = s;
    }
  if (!S.every(Number.isFinite)) return { conditionNumber: Infinity, flat: [] };
  const { values, vectors } = symEigen(S, p);
  const cond = values[0] > 0 ? values[p - 1] / values[0] : Infinity;
  const flat = law.params.filter((_, j) => Math.abs(vectors[0][j]) >= 0.3).map((q) => q.name);
  return { conditionNumber: cond, flat };
}
