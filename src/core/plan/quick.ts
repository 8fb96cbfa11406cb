/**
 * What one more run would do to the interval at a target, instantly: the fit's bootstrap interval now, narrowed by
 * the Fisher-information ratio √(Var after / Var before) of adding that run. For the hover, where there is no time
 * to simulate; `scaling-lens plan` gives the simulated answer. Everything that depends only on the fit (its data's
 * information, its draws) is computed once per fit object.
 */
import { addRun, information, objectiveGradient, sensitivity, varianceProxy } from './fisher';
import { fitThetas, objectiveValue, spread, type Theta } from './objective';
import type { FitArtifact, FitResult } from '../../contract/fit';

export interface QuickNarrowing {
  /** Target compute (FLOPs): the loss there at the compute-optimal split. */
  C: number;
  now: [number, number];
  after: [number, number];
}

interface FitState {
  theta: Theta;
  draws: Theta[];
  points: { N: number; D: number }[];
  info: Float64Array;
  maxC: number;
  /** Per target C: the gradient, the variance proxy now, the estimate and the interval now (last few targets). */
  targets: Map<number, { g: Float64Array; v0: number; estimate: number; now: [number, number] } | undefined>;
}

/** Runs within this relative distance of a fitted run in both N and D are that run: nothing new to learn. */
const SAME_RUN = 5e-3;
/** The default target when the caller names none: this many times the larger of the run's and the data's compute. */
export const DEFAULT_TARGET_FACTOR = 100;

const states = new WeakMap<object, FitState | null>();

function stateOf(fit: FitResult | FitArtifact): FitState | null {
  const cached = states.get(fit);
  if (cached !== undefined) return cached;
  let state: FitState | null = null;
  const data = (fit as Partial<FitArtifact>).data;
  if (fit.law === 'chinchilla' && data && (fit.draws?.length ?? 0) >= 20) {
    const { theta, draws } = fitThetas(fit);
    const points = data.points.map((p) => ({ N: p.x.N, D: p.x.D })).filter((p) => p.N > 0 && p.D > 0);
    if (theta.every(Number.isFinite) && points.length >= 6)
      state = {
        theta,
        draws,
        points,
        info: information(theta, points),
        maxC: Math.max(...points.map((p) => 6 * p.N * p.D)),
        targets: new Map(),
      };
  }
  states.set(fit, state);
  return state;
}

function targetOf(
  s: FitState,
  C: number,
): { g: Float64Array; v0: number; estimate: number; now: [number, number] } | undefined {
  if (s.targets.has(C)) return s.targets.get(C);
  if (s.targets.size >= 8) s.targets.clear();
  const g = objectiveGradient(s.theta, { C }, 'loss');
  const estimate = objectiveValue(s.theta, { C }, 'loss');
  const q = spread(s.draws.map((d) => objectiveValue(d, { C }, 'loss')));
  const v0 = varianceProxy(s.info, g);
  const t =
    q && estimate > 0 && Number.isFinite(v0) ? { g, v0, estimate, now: [q.lo, q.hi] as [number, number] } : undefined;
  s.targets.set(C, t);
  return t;
}

/**
 * The interval at target C (default: DEFAULT_TARGET_FACTOR × the larger of this run's and the data's compute) now and
 * once a run of N parameters on D tokens is added; undefined when the fit cannot say (not a chinchilla artifact
 * with draws) or the run already is one of the fit's runs.
 */
export function narrowingByRun(
  fit: FitResult | FitArtifact,
  N: number,
  D: number,
  C?: number,
): QuickNarrowing | undefined {
  if (!(N > 0 && D > 0)) return undefined;
  const s = stateOf(fit);
  if (!s) return undefined;
  if (s.points.some((p) => Math.abs(p.N / N - 1) < SAME_RUN && Math.abs(p.D / D - 1) < SAME_RUN)) return undefined;
  const target = C ?? DEFAULT_TARGET_FACTOR * Math.max(6 * N * D, s.maxC);
  const t = targetOf(s, target);
  if (!t) return undefined;
  const I = Float64Array.from(s.info);
  addRun(I, sensitivity(s.theta, N, D));
  const shrink = Math.sqrt(Math.min(1, varianceProxy(I, t.g) / t.v0));
  const scaled = (bound: number): number => t.estimate * Math.pow(bound / t.estimate, shrink);
  return { C: target, now: t.now, after: [scaled(t.now[0]), scaled(t.now[1])] };
}
