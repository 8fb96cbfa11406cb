/**
 * Predictions from a finished fit: the value, its 95% interval from the bootstrap draws, and whether it is an
 * interpolation or an extrapolation (with how many decades beyond the data). Pure and fast, no fitting: the hover
 * calls this on every mouse move. The law and the draws' parameter vectors are built once per fit object.
 */
import { chinchillaOptimal } from '../laws/chinchilla';
import { annealingAreas, DEFAULT_LAMBDA } from '../laws/lrAnnealing';
import { lawFor } from '../laws/registry';
import type { LawDef } from '../laws/types';
import { approx, MAX_DRAW_RATIO_SPREAD } from './design';
import { FitError } from '../errors';
import { predictionInterval } from './intervals';
import { quantileSorted } from './linalg';
import type { FitResult, OptimalAllocation, Prediction } from '../../contract/fit';

interface Model {
  law: LawDef;
  /** The fit's variable names (dataset names) in the law's order. */
  vars: string[];
  theta: number[];
  draws: number[][];
}

const models = new WeakMap<FitResult, Model>();

/** A record read from a file may lack any key, whatever its type says. */
function entry<T>(rec: Record<string, T> | undefined, key: string): T | undefined {
  return rec && Object.hasOwn(rec, key) ? rec[key] : undefined;
}

function modelOf(fit: FitResult): Model {
  const cached = models.get(fit);
  // A caller may swap params or draws on the same object (the plot does); rebuild when they change.
  if (cached && cached.theta.length === Object.keys(fit.params).length && sameParams(cached, fit)) return cached;
  const vars = fit.variables ?? variablesFromParams(fit);
  let law: LawDef;
  try {
    law = lawFor(fit.law, fit.custom, {
      breaks: fit.breaks ?? (typeof entry(fit.params, 'c2')?.value === 'number' ? 2 : 1),
      xNames: fit.law === 'loglinear' ? vars : undefined,
    });
  } catch (e) {
    throw new FitError(e instanceof Error ? e.message : String(e));
  }
  const vector = (rec: Record<string, number>, what: string): number[] =>
    law.params.map((q) => {
      const v = rec[q.name];
      if (typeof v !== 'number') throw new FitError(`${what} has no value for parameter ${q.name} of law ${fit.law}`);
      return v;
    });
  const theta = vector(Object.fromEntries(Object.entries(fit.params).map(([k, p]) => [k, p.value])), 'the fit');
  const draws = (fit.draws ?? []).map((d, i) => vector(d, `bootstrap draw ${i + 1}`));
  const m: Model = {
    law,
    vars:
      law.variables.length === 1 && law.variables[0] === 'x'
        ? vars.slice(0, 1)
        : law.name === 'loglinear'
          ? vars
          : law.variables.slice(),
    theta,
    draws,
  };
  models.set(fit, m);
  return m;
}

function sameParams(m: Model, fit: FitResult): boolean {
  return (
    m.law.params.every((q, j) => entry(fit.params, q.name)?.value === m.theta[j]) &&
    m.draws.length === (fit.draws?.length ?? 0)
  );
}

/** Older artifacts without `variables`: the domain's keys are the variables. */
function variablesFromParams(fit: FitResult): string[] {
  // Older artifacts may lack the domain too.
  const domain: FitResult['domain'] | undefined = (fit as Partial<FitResult>).domain;
  const keys = Object.keys(domain ?? {});
  if (keys.length) return keys;
  if (fit.law === 'chinchilla' || fit.law === 'kaplan') return ['N', 'D'];
  if (fit.law === 'lr_annealing') return ['S1', 'S2'];
  return ['x'];
}

function xVector(m: Model, at: Record<string, number>): number[] {
  const keys = Object.keys(at);
  return m.vars.map((v) => {
    let val = entry(at, v);
    // A one-variable law also takes x=… or a single value under any name.
    if (val === undefined && m.vars.length === 1) val = entry(at, 'x') ?? (keys.length === 1 ? at[keys[0]] : undefined);
    if (typeof val !== 'number' || Number.isNaN(val)) {
      throw new FitError(`prediction needs a value for ${v} (the fit's variables: ${m.vars.join(', ')})`);
    }
    return val;
  });
}

function interval(values: number[]): [number, number] | undefined {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length < 2) return undefined;
  return [quantileSorted(finite, 0.025), quantileSorted(finite, 0.975)];
}

/**
 * Interpolation inside the data's joint domain; else the largest distance beyond it, in decades, with the reason.
 * Each variable is checked against its range, and N, D fits also against the ranges of tokens per parameter and of
 * compute: a point inside the N and D ranges at 5,000 tokens/param, or above the largest compute, is extrapolation.
 */
export function regimeOf(
  fit: FitResult,
  point: Record<string, number>,
): { regime: Prediction['regime']; decadesBeyond: number; regimeReason?: string } {
  let decades = 0;
  let reason: string | undefined;
  const check = (x: number, dom: [number, number] | undefined, what: (x: string, lo: string, hi: string) => string) => {
    if (!dom) return;
    const [lo, hi] = dom;
    const tol = 1e-9 * Math.max(Math.abs(lo), Math.abs(hi));
    if (x >= lo - tol && x <= hi + tol) return;
    // Decades only mean something for positive quantities; a signed variable is "outside" without a distance.
    const d = x > 0 && lo > 0 ? (x < lo ? Math.log10(lo / x) : Math.log10(x / hi)) : 0;
    if (d >= decades || reason === undefined) {
      decades = Math.max(decades, d);
      reason = what(approx(x), approx(lo), approx(hi));
    }
  };
  for (const [v, x] of Object.entries(point))
    check(x, entry(fit.domain, v), (x, lo, hi) => `${v} = ${x}; the data span ${lo}–${hi}`);
  const joint = fit.design?.joint;
  const { N, D } = point;
  if (joint && N > 0 && D > 0) {
    check(D / N, joint.tokensPerParam, (x, lo, hi) => `${x} tokens/param; the data span ${lo}–${hi}`);
    check(6 * N * D, joint.C, (x, lo, hi) => `C = ${x} FLOPs; the data span ${lo}–${hi}`);
  }
  // Every point outside the domain leaves its reason, so a reason means extrapolation.
  return reason !== undefined
    ? { regime: 'extrapolation', decadesBeyond: decades, regimeReason: reason }
    : { regime: 'interpolation', decadesBeyond: 0 };
}

/** The prediction interval beside the mean's, when the fit measured its run-to-run noise. */
function withPi(out: Prediction, fit: FitResult): Prediction {
  if (fit.noise) {
    const pi = predictionInterval(out.value, out.ci95, fit.noise);
    if (pi) out.pi95 = pi;
  }
  return out;
}

/** The law's value at `at` (the fit's variables by name); chinchilla also takes {C} alone: the compute-optimal point. */
export function predict(fit: FitResult, at: Record<string, number>): Prediction {
  const m = modelOf(fit);
  if (fit.law === 'chinchilla' && typeof at.C === 'number' && !m.vars.every((v) => typeof at[v] === 'number')) {
    const opt = computeOptimal(fit, at.C);
    const point = { N: opt.nOpt, D: opt.dOpt };
    const { loss, ci95, ...optimal } = opt;
    const out: Prediction = { at: { ...at }, value: loss, ...regimeOf(fit, point), optimal };
    if (ci95) out.ci95 = ci95;
    return withPi(out, fit);
  }
  const x = xVector(m, at);
  const value = m.law.f(m.theta, x);
  const point = Object.fromEntries(m.vars.map((v, j) => [v, x[j]]));
  const out: Prediction = { at: { ...at }, value, ...regimeOf(fit, point) };
  if (m.draws.length) {
    const ci = interval(m.draws.map((d) => m.law.f(d, x)));
    if (ci) out.ci95 = ci;
  }
  return withPi(out, fit);
}

/**
 * Compute-optimal allocation of a chinchilla fit under C = 6·N·D (closed form): a = β/(α+β), b = α/(α+β),
 * G = (αA/(βB))^(1/(α+β)), N_opt = G·(C/6)^a, D_opt = (C/6)^b / G. The intervals are over the draws, each at its own
 * optimal allocation. Not identifiable when the design cannot separate N and D (fit.design) or when the draws place
 * the optimum anywhere over more than three decades of tokens per parameter.
 */
export function computeOptimal(
  fit: FitResult,
  C: number,
): OptimalAllocation & { loss: number; ci95?: [number, number] } {
  if (fit.law !== 'chinchilla')
    throw new FitError(`a compute-optimal allocation needs a chinchilla fit; this one is ${fit.law}`);
  if (!(C > 0) || !Number.isFinite(C)) throw new FitError(`compute budget C must be a positive number, not ${C}`);
  const m = modelOf(fit);
  const asRecord = (t: number[]) => ({ E: t[0], A: t[1], B: t[2], alpha: t[3], beta: t[4] });
  const p = asRecord(m.theta);
  if (!(p.alpha > 0 && p.beta > 0 && p.A > 0 && p.B > 0)) {
    throw new FitError(
      'no compute-optimal allocation: it needs A, B, alpha and beta all positive (a term vanished from this fit)',
    );
  }
  const o = chinchillaOptimal(p, C);
  const out: OptimalAllocation & { loss: number; ci95?: [number, number] } = {
    nOpt: o.nOpt,
    dOpt: o.dOpt,
    tokensPerParam: o.dOpt / o.nOpt,
    identifiable: fit.design?.identifiable ?? true,
    loss: o.loss,
  };
  if (fit.design?.identifiable === false && fit.design.reason) out.reason = fit.design.reason;
  if (m.draws.length) {
    const opts = m.draws.map((d) => asRecord(d)).filter((d) => d.alpha > 0 && d.beta > 0 && d.A > 0 && d.B > 0);
    const at = opts.map((d) => chinchillaOptimal(d, C));
    const ci = interval(at.map((q) => q.loss));
    if (ci) out.ci95 = ci;
    const n = interval(at.map((q) => q.nOpt)),
      d = interval(at.map((q) => q.dOpt)),
      r = interval(at.map((q) => q.dOpt / q.nOpt));
    if (n) out.nOptCi95 = n;
    if (d) out.dOptCi95 = d;
    if (r) {
      out.tokensPerParamCi95 = r;
      if (out.identifiable && r[1] / r[0] > MAX_DRAW_RATIO_SPREAD) {
        out.identifiable = false;
        out.reason = `the bootstrap draws put the optimum anywhere from ${approx(r[0])} to ${approx(r[1])} tokens/param: these runs cannot separate the N and D effects; vary tokens per parameter`;
      }
    }
  }
  return out;
}

/**
 * lr_annealing: the whole loss curve of any learning-rate schedule (steps and lr as logged or planned), with a 95%
 * band when the fit has draws.
 */
export function predictSchedule(
  fit: FitResult,
  steps: number[],
  lr: number[],
): { step: number; value: number; ci95?: [number, number] }[] {
  if (fit.law !== 'lr_annealing')
    throw new FitError(`a schedule prediction needs an lr_annealing fit; this one is ${fit.law}`);
  const m = modelOf(fit);
  const { S1, S2 } = annealingAreas(steps, lr, fit.lambda ?? DEFAULT_LAMBDA);
  return steps
    .filter((s) => Math.round(s) >= 1)
    .map((s) => {
      const k = Math.round(s);
      const x = [S1[k], S2[k]];
      const row: { step: number; value: number; ci95?: [number, number] } = { step: s, value: m.law.f(m.theta, x) };
      if (m.draws.length) {
        const ci = interval(m.draws.map((d) => m.law.f(d, x)));
        if (ci) row.ci95 = ci;
      }
      return row;
    });
}
