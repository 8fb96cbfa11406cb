/**
 * What a design (the set of configurations trained) can determine, before and after fitting: the spread of tokens
 * per parameter, the log-span of N and D, how well the N and D exponents are separated, configurations against
 * parameters. One module so the fit's diagnostics, the identifiability of the compute-optimal split and the run
 * planner judge a design the same way. Pure: works on raw configurations, fitted or planned.
 */
import { symEigenvalues } from './linalg';
import type { DesignCheck, DesignReport, JointDomain } from '../../contract/fit';

/** Below this spread of D/N (decades) the N and D effects cannot be told apart: N and D move together. */
export const MIN_RATIO_DECADES = 0.3;
/** A spread of D/N that separates the exponents comfortably (a factor of ~3 each way around the optimum). */
const GOOD_RATIO_DECADES = 1;
/** Each of N and D should span at least a decade for its exponent to be measured rather than guessed. */
const GOOD_SPAN_DECADES = 1;
/** Condition number of cov(ln N, ln D) above which the two exponents trade off against each other. */
export const MAX_EXPONENT_CONDITIONING = 100;
/** Bootstrap tokens-per-parameter intervals wider than this factor (3 decades) mean the draws cannot place the optimum. */
export const MAX_DRAW_RATIO_SPREAD = 1000;

/** Short, readable numbers for messages: 3 significant digits, thousands separated, exponent form when huge/tiny. */
export function approx(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(1).replace('e+', 'e');
  return Number(v.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function range(values: number[]): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

const decades = ([lo, hi]: [number, number]): number => (lo > 0 && hi > 0 ? Math.log10(hi / lo) : 0);

/** The joint domain of (N, D) points: each axis, their ratio and 6·N·D. Undefined without positive N and D. */
export function jointDomain(nd: { N: number; D: number }[]): JointDomain | undefined {
  const ok = nd.filter((p) => p.N > 0 && p.D > 0 && Number.isFinite(p.N) && Number.isFinite(p.D));
  if (!ok.length) return undefined;
  return {
    N: range(ok.map((p) => p.N)),
    D: range(ok.map((p) => p.D)),
    tokensPerParam: range(ok.map((p) => p.D / p.N)),
    C: range(ok.map((p) => 6 * p.N * p.D)),
  };
}

/** Condition number of the 2×2 covariance of (ln N, ln D): 1 for independent spreads, ∞ when D/N is constant. */
export function exponentConditioning(nd: { N: number; D: number }[]): number {
  const ln = nd.filter((p) => p.N > 0 && p.D > 0).map((p) => [Math.log(p.N), Math.log(p.D)]);
  if (ln.length < 2) return Infinity;
  const m = [0, 1].map((j) => ln.reduce((s, r) => s + r[j], 0) / ln.length);
  const c = [0, 0, 0, 0];
  for (const r of ln)
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) c[a * 2 + b] += (r[a] - m[a]) * (r[b] - m[b]);
  const [lo, hi] = symEigenvalues(c, 2);
  return lo > 1e-12 * Math.max(hi, 1e-300) ? hi / lo : Infinity;
}

/** Distinct configurations among raw x rows (replicate runs of one configuration count once). */
export function countConfigurations(rows: ArrayLike<number>[]): number {
  return new Set(rows.map((r) => Array.from(r, (v) => v.toPrecision(9)).join('|'))).size;
}

/**
 * The design report for points with the given x variables (raw rows in `xNames` order) and a law with `parameters`
 * parameters. N, D designs also get the tokens-per-parameter, span and conditioning checks and identifiability.
 */
export function analyseDesign(xNames: string[], rows: ArrayLike<number>[], parameters: number): DesignReport {
  const configurations = countConfigurations(rows);
  const enough = configurations >= 3 * parameters;
  const configCheck: DesignCheck = {
    name: 'configurations',
    value: `${configurations} configurations for ${parameters} parameters`,
    ok: enough,
    advice: enough
      ? ''
      : configurations <= parameters + 2
        ? `add configurations: with ${configurations} for ${parameters} parameters the fit has almost nothing left to check it, and its intervals cannot be trusted`
        : `add configurations (at least ${3 * parameters} for ${parameters} parameters) for intervals that hold their nominal coverage`,
  };
  // Checks in reading order: the N, D design first (when there is one), configurations last.
  const checks: DesignCheck[] = [];
  const report: DesignReport = { configurations, parameters, checks };
  const done = (): DesignReport => {
    checks.push(configCheck);
    return report;
  };
  const iN = xNames.indexOf('N'),
    iD = xNames.indexOf('D');
  if (iN < 0 || iD < 0) return done();
  const nd = rows.map((r) => ({ N: r[iN], D: r[iD] }));
  const joint = jointDomain(nd);
  if (!joint) return done();
  report.joint = joint;
  const ratioDecades = decades(joint.tokensPerParam);
  const ratioText = `${approx(joint.tokensPerParam[0])}–${approx(joint.tokensPerParam[1])} tokens/param (${ratioDecades.toFixed(1)} decades)`;
  checks.push({
    name: 'tokens_per_param',
    value: ratioText,
    ok: ratioDecades >= GOOD_RATIO_DECADES,
    advice:
      ratioDecades >= GOOD_RATIO_DECADES
        ? ''
        : 'vary tokens per parameter: train some sizes on several token budgets (a decade of D/N or more), so the N and D effects can be told apart',
  });
  for (const [name, v] of [
    ['span_N', 'N'],
    ['span_D', 'D'],
  ] as const) {
    const span = decades(joint[v]);
    checks.push({
      name,
      value: `${v} spans ${span.toFixed(1)} decades (${approx(joint[v][0])}–${approx(joint[v][1])})`,
      ok: span >= GOOD_SPAN_DECADES,
      advice:
        span >= GOOD_SPAN_DECADES
          ? ''
          : `widen ${v}: ${v === 'N' ? 'model sizes' : 'token budgets'} spanning at least a decade measure its exponent instead of extrapolating it`,
    });
  }
  const cond = exponentConditioning(nd);
  report.exponentConditioning = cond;
  checks.push({
    name: 'exponent_conditioning',
    value: `cov(ln N, ln D) condition number ${Number.isFinite(cond) ? approx(cond) : '∞'}`,
    ok: cond <= MAX_EXPONENT_CONDITIONING,
    advice:
      cond <= MAX_EXPONENT_CONDITIONING
        ? ''
        : 'N and D grow together in these runs, so their exponents trade off; add runs off that line (a small model on many tokens, a large one on few)',
  });
  report.identifiable = ratioDecades >= MIN_RATIO_DECADES && Number.isFinite(cond);
  if (!report.identifiable)
    report.reason = `tokens per parameter barely varies (${ratioText}): the runs cannot separate the N and D effects; vary tokens per parameter`;
  return done();
}

/** One line per check that needs attention: "what was measured: advice". */
export function designAdvice(report: DesignReport): string[] {
  return report.checks.filter((c) => !c.ok).map((c) => `design: ${c.value}: ${c.advice}`);
}
