/**
 * The run planner: which (N, D) runs to train next, within a compute budget, so the 95% interval of the objective
 * at the target is as narrow as possible. A Fisher-information screen finds the best set of each size among the
 * candidates in a few milliseconds; those sets and the reference designs (one whole-budget run at 5–80 tokens per
 * parameter) are then simulated (refits on added runs drawn from the fit's bootstrap draws) and the narrowest
 * expected interval wins. Works from a fit artifact alone: it holds the data, the estimate and the draws.
 */
import { candidateRuns, referenceRuns } from './candidates';
import { information, objectiveGradient, screenSets } from './fisher';
import { fitThetas, objectiveValue, spread, type Theta } from './objective';
import { applyOffsets, expectedOffsets, type ExpectedOffsets, type SimulationSetup } from './simulate';
import { PlanError } from '../errors';
import { analyseDesign } from '../fit/design';
import { computeOptimal } from '../fit/predict';
import type { FitArtifact, FitDataset } from '../../contract/fit';
import type { PlanAlternative, PlannedRun, PlanObjective, PlanResult, PlanTarget } from '../../contract/plan';

export interface PlanRequest {
  /** C alone (the compute-optimal split there), or N and D. */
  target: { C?: number; N?: number; D?: number };
  /** Total FLOPs of the proposed runs; default DEFAULT_BUDGET_SHARE of the target's compute. */
  budget?: number;
  maxRuns?: number;
  objective?: PlanObjective;
  /** Bootstrap resamples per simulated world (default: as many as the fit's draws, at most 100) and worlds. */
  resamples?: number;
  worlds?: number;
  seed?: number;
}

export const DEFAULT_BUDGET_SHARE = 0.01;
export const DEFAULT_MAX_RUNS = 3;
const MAX_RESAMPLES = 50;
/** Simulated worlds per design: more worlds average out which truth the added runs were drawn from. */
const WORLDS = 4;
/** Designs within this share of the narrowest expected width tie; the cheapest of them is proposed. */
const TIE = 0.02;

function resolveTarget(t: PlanRequest['target']): PlanTarget {
  const pos = (v: number | undefined): boolean => v !== undefined && v > 0 && Number.isFinite(v);
  if (pos(t.N) && pos(t.D)) return { N: t.N, D: t.D, C: 6 * (t.N as number) * (t.D as number) };
  if (pos(t.C) && t.N === undefined && t.D === undefined) return { C: t.C as number };
  throw new PlanError('the target is C=<FLOPs> alone, or N=…,D=… (all positive)');
}

function checkFit(fit: FitArtifact): { theta: Theta; draws: Theta[]; data: FitDataset } {
  if (fit.law !== 'chinchilla')
    throw new PlanError(
      `planning needs a chinchilla fit over N and D (it weighs runs by their N and D); this one is ${fit.law}`,
    );
  const { theta, draws } = fitThetas(fit);
  if (!theta.every(Number.isFinite)) throw new PlanError('the fit lacks a chinchilla parameter (E, A, B, alpha, beta)');
  if (draws.length < 20)
    throw new PlanError(
      `planning needs the fit's bootstrap draws (it has ${draws.length}); refit with --bootstrap 200 or more`,
    );
  const points = fit.data.points.filter((p) => p.x.N > 0 && p.x.D > 0);
  if (points.length < 6) throw new PlanError('the fit artifact holds fewer than 6 data points with N and D');
  const data: FitDataset = {
    points: points.map((p) => ({ x: { N: p.x.N, D: p.x.D }, y: p.y, runId: p.runId, step: p.step })),
    xNames: ['N', 'D'],
    yName: fit.data.yName,
    definitions: fit.data.definitions,
  };
  return { theta, draws, data };
}

/**
 * Whether the runs separate the N and D effects, judged as `predict` judges it (the fit's design report, then the
 * spread of the draws' compute-optimal D/N at C). Artifacts written before the design report get one from their data.
 */
function identifiability(fit: FitArtifact, data: FitDataset, C: number): { identifiable: boolean; reason: string } {
  const design =
    fit.design ??
    analyseDesign(
      ['N', 'D'],
      data.points.map((p) => [p.x.N, p.x.D]),
      5,
    );
  try {
    const opt = computeOptimal({ ...fit, design }, C);
    return { identifiable: opt.identifiable, reason: opt.reason ?? '' };
  } catch {
    return {
      identifiable: false,
      reason: 'a term of the law vanished from the fit, so it has no compute-optimal split',
    };
  }
}

interface Design {
  label: string;
  runs: PlannedRun[];
  offsets?: ExpectedOffsets;
}

const designKey = (runs: readonly PlannedRun[]): string =>
  runs
    .map((r) => `${r.N.toPrecision(6)}:${r.D.toPrecision(6)}`)
    .sort()
    .join('|');

const total = (runs: readonly PlannedRun[]): number => runs.reduce((s, r) => s + r.C, 0);

export function planRuns(fit: FitArtifact, req: PlanRequest): PlanResult {
  const target = resolveTarget(req.target);
  const objective = req.objective ?? 'loss';
  const budget = req.budget ?? DEFAULT_BUDGET_SHARE * target.C;
  if (!(budget > 0) || !Number.isFinite(budget))
    throw new PlanError(`the budget must be positive FLOPs, not ${budget}`);
  const maxRuns = req.maxRuns ?? DEFAULT_MAX_RUNS;
  if (!Number.isInteger(maxRuns) || maxRuns < 1 || maxRuns > 10)
    throw new PlanError(`--max-runs must be an integer from 1 to 10, not ${maxRuns}`);
  const { theta, draws, data } = checkFit(fit);
  const estimate = objectiveValue(theta, target, objective);
  const now = spread(draws.map((d) => objectiveValue(d, target, objective)));
  if (!Number.isFinite(estimate) || !now)
    throw new PlanError(
      `the fit gives no ${objective} at the target (a term of the law vanished, so there is no compute-optimal split)`,
    );
  const intervalNow: [number, number] = [now.lo, now.hi];
  const points = data.points.map((p) => ({ N: p.x.N, D: p.x.D }));
  const ident = identifiability(fit, data, target.C);
  // Not identifiable: the split itself is unknown, so the runs are chosen to pin down D/N first.
  const rankBy: PlanObjective = ident.identifiable ? objective : 'tokens_per_param';

  const pool = candidateRuns(budget, Math.min(...points.map((p) => p.N)));
  const g = objectiveGradient(theta, target, rankBy);
  const screened = screenSets(information(theta, points), theta, g, pool, budget, maxRuns);
  const designs = new Map<string, Design>();
  const add = (label: string, runs: PlannedRun[]): void => {
    const key = designKey(runs);
    if (!designs.has(key)) designs.set(key, { label, runs });
  };
  screened.forEach((s) => {
    add(`best ${s.runs.length}-run design of the screen`, s.runs);
  });
  for (const r of referenceRuns(budget)) add(`1 run, whole budget at ${r.tokensPerParam} tokens/param`, [r]);

  const objectives: PlanObjective[] = rankBy === objective ? [objective] : [objective, rankBy];
  const setup: SimulationSetup = {
    data,
    space: fit.options.space,
    loss: fit.options.loss === 'lsq' ? { kind: 'lsq' } : { kind: 'huber', delta: fit.options.delta },
    theta,
    draws,
    sigma: fit.metrics.rmseLog > 0 ? fit.metrics.rmseLog : 0.01,
    resamples: req.resamples ?? Math.min(MAX_RESAMPLES, draws.length),
    worlds: req.worlds ?? WORLDS,
    mode: fit.diagnostics.bootstrapMode,
    seed: req.seed ?? 1,
    target,
    objectives,
  };
  // Designs are ranked by the central 68% (low Monte Carlo noise); the 95% interval is what they report.
  const width = (d: Design, o: PlanObjective): number => {
    const sigma = d.offsets?.[o].sigma;
    return sigma !== undefined && Number.isFinite(sigma) ? sigma : Infinity;
  };
  for (const d of designs.values()) d.offsets = expectedOffsets(setup, d.runs);
  const ranked = [...designs.values()].sort((a, b) => width(a, rankBy) - width(b, rankBy));
  const bestWidth = width(ranked[0], rankBy);
  if (!Number.isFinite(bestWidth))
    throw new PlanError('no simulated design could be refitted; the fit may be too unstable to plan from');
  const chosen = ranked
    .filter((d) => width(d, rankBy) <= bestWidth * (1 + TIE))
    .reduce((a, b) => {
      const ca = total(a.runs),
        cb = total(b.runs);
      // Equal cost (up to rounding): the narrower one.
      if (Math.abs(ca - cb) <= 1e-6 * Math.max(ca, cb)) return width(b, rankBy) < width(a, rankBy) ? b : a;
      return cb < ca ? b : a;
    });

  const interval = (off: ExpectedOffsets | undefined, o: PlanObjective = objective): [number, number] =>
    applyOffsets(o === objective ? estimate : objectiveValue(theta, target, o), off?.[o].ci ?? [NaN, NaN]);
  const proposals = chosen.runs.map((r, i) => {
    const prefix = chosen.runs.slice(0, i + 1);
    const off = i + 1 === chosen.runs.length ? chosen.offsets : expectedOffsets(setup, prefix);
    return { ...r, expectedInterval: interval(off) };
  });
  // Ratios of the central 68% (what designs are ranked by), so the table reads in the order it was decided.
  const nowSigma = Math.log(now.q84 / now.q16) / 2;
  const alternatives: PlanAlternative[] = ranked.map((d) => {
    const ci = interval(d.offsets);
    const alt: PlanAlternative = {
      label: d.label,
      runs: d.runs,
      cTotal: total(d.runs),
      expectedInterval: ci,
      widthRatio: width(d, objective) / nowSigma,
      chosen: d === chosen,
    };
    if (rankBy !== objective) alt.tokensPerParamInterval = interval(d.offsets, rankBy);
    return alt;
  });
  const expected = interval(chosen.offsets);
  const warnings: string[] = [];
  if (!ident.identifiable)
    warnings.push(
      `not identifiable from these runs: ${ident.reason}. The proposals are chosen to separate N from D first.`,
    );
  if (width(chosen, objective) >= nowSigma)
    warnings.push('no design within the budget is expected to narrow the interval; raise --budget');
  return {
    target,
    objective,
    budget,
    estimate,
    intervalNow: intervalNow,
    expectedInterval: expected,
    proposals,
    alternatives,
    identifiable: ident.identifiable,
    warnings,
  };
}
