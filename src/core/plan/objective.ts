/**
 * The quantity a plan tightens, as a function of one chinchilla parameter vector [E, A, B, alpha, beta]: the loss
 * at the target (at the compute-optimal split for a compute target), or the compute-optimal N or D/N at the
 * target's compute. Every function here is cheap: the planner evaluates it for every bootstrap draw of every
 * simulated design.
 */
import { chinchilla, chinchillaOptimal } from '../laws/chinchilla';
import { quantileSorted } from '../fit/linalg';
import type { FitResult } from '../../contract/fit';
import type { PlanObjective, PlanTarget } from '../../contract/plan';

/** Parameters in the chinchilla law's order. */
export type Theta = readonly number[];

const PARAMS = ['E', 'A', 'B', 'alpha', 'beta'] as const;

/** A chinchilla fit's estimate and bootstrap draws as parameter vectors (NaN for a missing parameter). */
export function fitThetas(fit: Pick<FitResult, 'params' | 'draws'>): { theta: number[]; draws: number[][] } {
  return {
    theta: PARAMS.map((k) => (k in fit.params ? fit.params[k].value : NaN)),
    draws: (fit.draws ?? []).map((d) => PARAMS.map((k) => (k in d ? d[k] : NaN))),
  };
}

/** The objective at the target for one parameter vector; NaN where it is undefined (a term vanished). */
export function objectiveValue(t: Theta, target: PlanTarget, objective: PlanObjective): number {
  if (objective === 'loss' && target.N !== undefined && target.D !== undefined)
    return chinchilla.f(t, [target.N, target.D]);
  const [E, A, B, alpha, beta] = t;
  if (!(A > 0 && B > 0 && alpha > 0 && beta > 0)) return NaN;
  const o = chinchillaOptimal({ E, A, B, alpha, beta }, target.C);
  if (objective === 'loss') return o.loss;
  return objective === 'n_opt' ? o.nOpt : o.dOpt / o.nOpt;
}

export interface Spread {
  /** 2.5%, 50% and 97.5% quantiles. */
  lo: number;
  mid: number;
  hi: number;
  /** 16% and 84% quantiles: the central 68%, estimated with far less noise than the tails from few draws. */
  q16: number;
  q84: number;
}

/** Quantiles of the finite values; undefined with fewer than two. */
export function spread(values: readonly number[]): Spread | undefined {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length < 2) return undefined;
  const q = (p: number): number => quantileSorted(s, p);
  return { lo: q(0.025), mid: q(0.5), hi: q(0.975), q16: q(0.16), q84: q(0.84) };
}
