/**
 * One law fitted to one dataset: prepare, search and refine, backtest, bootstrap, then everything a reader needs
 * to trust (or distrust) the result: metrics, diagnostics, warnings, the data's domain.
 */
import { chinchillaOptimal } from '../laws/chinchilla';
import { DEFAULT_LAMBDA } from '../laws/lrAnnealing';
import { lawFor } from '../laws/registry';
import type { LawDef } from '../laws/types';
import { bootstrap, resolveMode } from './bootstrap';
import { analyseDesign } from './design';
import { FitCancelledError, FitError } from '../errors';
import { backtest } from './holdout';
import { computeOptimalCi, estimateNoise, intervalQuality } from './intervals';
import { quantileSorted } from './linalg';
import type { LossSpec } from './loss';
import { metrics } from './metrics';
import { prepare, type Prepared } from './prepare';
import type { Progress } from './progress';
import { rng } from './random';
import { atBounds, refine, type CoreFit } from './solve';
import { findStarts } from './starts';
import { bootstrapWarnings, stepWarnings } from './fitWarnings';
import { conditioning, trustWarnings } from './trust';
import type { FitDataset, FitOptions, FitResult, LawName, LossKind, ParamEstimate, Space } from '../../contract/fit';

/** Options with the engine's defaults filled in (loss and space stay open: their defaults depend on the law). */
export interface EngineOptions {
  loss?: LossKind;
  space?: Space;
  delta: number;
  bootstrap: number;
  holdout: number;
  holdoutBy?: string;
  seed: number;
  custom?: FitOptions['custom'];
  breaks?: 1 | 2;
  lambda?: number;
  bounded?: boolean;
  bootstrapMode: NonNullable<FitOptions['bootstrapMode']>;
  /** `auto`: a backtest that cannot run for one law becomes a warning instead of failing that law. */
  softHoldout?: boolean;
}

/** Distinct starts refined per law: enough that several land in the best basin (reported), few enough to stay fast. */
function maxStarts(law: LawDef): number {
  if (law.name === 'bnsl') return law.breaks === 2 ? 24 : 16;
  return law.vp ? 8 : 12;
}

/**
 * Local minima besides the best that each bootstrap resample also refits from. Laws with one or two nonlinear
 * parameters and projected coefficients have one basin in practice; broken power laws and free-form formulas do
 * not, and refitting those only from the full-data optimum keeps resamples in its basin (intervals too narrow).
 */
function bootstrapAlternatives(law: LawDef): number {
  if (law.name === 'bnsl') return law.breaks === 2 ? 3 : 2;
  return law.name === 'custom' ? 2 : 0;
}

/**
 * Accuracy against log-compute is additive noise on a bounded scale, not multiplicative: sigmoid defaults to least
 * squares on linear residuals. Every other law defaults to Huber on log residuals (Hoffmann et al.; Besiroglu et al.).
 */
function residualDefaults(name: LawName): { loss: LossKind; space: Space } {
  return name === 'sigmoid' ? { loss: 'lsq', space: 'linear' } : { loss: 'huber', space: 'log' };
}

export function buildLaw(
  name: LawName,
  o: Pick<EngineOptions, 'custom' | 'breaks' | 'bounded'>,
  xNames: string[],
): LawDef {
  try {
    return lawFor(name, o.custom, {
      breaks: o.breaks,
      xNames: name === 'loglinear' ? xNames : undefined,
      bounded: o.bounded,
    });
  } catch (e) {
    // ExprError (custom formula) and the registry's errors reach the user as fit errors.
    throw new FitError(e instanceof Error ? e.message : String(e));
  }
}

export function solveCore(prep: Prepared, rand: () => number, progress: Progress): CoreFit & { grid: number[][] } {
  const starts = findStarts(prep, rand, maxStarts(prep.law));
  if (!starts.length) {
    throw new FitError(
      `law ${prep.law.name} cannot be evaluated on this data from any starting point (the model is undefined${prep.space === 'log' ? ' or not positive' : ''} everywhere tried); check the variables and, for a custom law, its formula and start ranges`,
    );
  }
  const core = refine(prep, starts, 300, (i) => {
    progress.report(i / starts.length, `refining start ${i + 1} of ${starts.length}`);
  });
  if (!Number.isFinite(core.objective) || !core.theta.every(Number.isFinite)) {
    throw new FitError(`the ${prep.law.name} fit diverged: no start reached a finite objective`);
  }
  return { ...core, grid: starts };
}

const rawTheta = (prep: Prepared, theta: number[]): number[] =>
  prep.law.unscale ? prep.law.unscale(theta, prep.scale) : theta.slice();

/**
 * A law solved on a dataset, before its bootstrap: what `auto` computes for every candidate and then finishes twice
 * for the one it picks (without and with resamples), instead of solving that law again from scratch.
 */
export interface SolvedLaw {
  name: LawName;
  o: EngineOptions;
  law: LawDef;
  prep: Prepared;
  lossKind: LossKind;
  space: Space;
  core: CoreFit & { grid: number[][] };
  holdout?: FitResult['holdout'];
  warnings: string[];
  /** Draws the search took from rng(o.seed): the bootstrap continues the same stream after them. */
  drawsTaken: number;
}

/** Prepares, searches and refines, and backtests: everything of a fit up to its bootstrap. */
export function solveLaw(name: LawName, data: FitDataset, o: EngineOptions, progress: Progress): SolvedLaw {
  // Accuracy-like data (every value in [0, 1]) bound the sigmoid's floor and ceiling to [0, 1] unless told otherwise.
  const bounded = o.bounded ?? (name === 'sigmoid' && data.points.every((p) => p.y >= 0 && p.y <= 1));
  const law = buildLaw(name, { ...o, bounded }, data.xNames);
  const defaults = residualDefaults(name);
  const lossKind = o.loss ?? defaults.loss;
  const space = o.space ?? defaults.space;
  const loss: LossSpec = lossKind === 'huber' ? { kind: 'huber', delta: o.delta } : { kind: 'lsq' };
  const prep = prepare(law, data, space, loss, o.lambda);
  const stream = rng(o.seed);
  let drawsTaken = 0;
  const rand = (): number => {
    drawsTaken++;
    return stream();
  };
  const wHold = o.holdout > 0 ? 1 : 0;
  const core = solveCore(prep, rand, progress.span(0, 1 / (1 + wHold), `fitting ${name}`));
  const warnings: string[] = [];

  let holdout: FitResult['holdout'];
  if (o.holdout > 0) {
    try {
      const bt = backtest(
        prep,
        o.holdout,
        o.holdoutBy,
        rng(o.seed + 1),
        maxStarts(law),
        progress.span(1 / (1 + wHold), 1, `${name} backtest`),
      );
      holdout = { areMean: bt.areMean, points: bt.points };
    } catch (e) {
      if (!o.softHoldout || !(e instanceof FitError) || e instanceof FitCancelledError) throw e;
      warnings.push(`no backtest: ${e.message}`);
    }
  }
  return { name, o, law, prep, lossKind, space, core, holdout, warnings, drawsTaken };
}

export function fitLaw(name: LawName, data: FitDataset, o: EngineOptions, progress: Progress): FitResult {
  // Stage weights: one full fit, one backtest fit, and resamples at roughly 1/20 of a full fit each.
  const fits = o.holdout > 0 ? 2 : 1;
  const solved = fits / (fits + o.bootstrap / 20);
  return finishLaw(solveLaw(name, data, o, progress.span(0, solved)), o.bootstrap, progress.span(solved, 1));
}

/**
 * A solved law's result with `B` bootstrap resamples (0: none): the same result, to the last bit, as fitLaw with
 * the solved options and that bootstrap. Leaves `solved` as it was, so it can be finished again.
 */
export function finishLaw(solved: SolvedLaw, B: number, progress: Progress): FitResult {
  const { name, law, prep, lossKind, space, core, holdout } = solved;
  const o = { ...solved.o, bootstrap: B };
  const raw = rawTheta(prep, core.theta);
  const warnings = solved.warnings.slice();
  const params: Record<string, ParamEstimate> = {};
  law.params.forEach((q, j) => {
    params[q.name] = { value: raw[j] };
  });
  let draws: Record<string, number>[] | undefined;
  let quality: ReturnType<typeof intervalQuality> | undefined;
  let bootMode: FitResult['diagnostics']['bootstrapMode'];
  let bootFailures: number | undefined;
  if (B > 0) {
    const mode = resolveMode(prep, o.bootstrapMode);
    const span = progress.span(0, 1, `${name} bootstrap`);
    // The resamples continue the stream the search drew from, as one fit from start to end would.
    const rand = rng(o.seed);
    for (let i = 0; i < solved.drawsTaken; i++) rand();
    const alternatives = core.alternatives.slice(0, bootstrapAlternatives(law));
    const boot = bootstrap(
      prep,
      core.theta,
      B,
      rand,
      mode,
      (i) => {
        span.report(i / B, `resample ${i + 1} of ${B}`);
      },
      alternatives,
      core.grid,
    );
    bootMode = boot.mode;
    bootFailures = boot.failures;
    draws = boot.draws.map((d) => Object.fromEntries(law.params.map((q, j) => [q.name, d[j]])));
    if (boot.draws.length >= 2) {
      law.params.forEach((q, j) => {
        const s = boot.draws.map((d) => d[j]).sort((a, b) => a - b);
        params[q.name].ci95 = [quantileSorted(s, 0.025), quantileSorted(s, 0.975)];
      });
    }
    warnings.push(...bootstrapWarnings(prep, B, boot.draws.length, boot.failures, mode));
    quality = intervalQuality(prep, boot.draws, B);
    warnings.push(...quality.reasons);
  }

  const cond = conditioning(prep, core.theta);
  const bounds = atBounds(law, core.theta);
  warnings.unshift(...trustWarnings(prep, core, cond, bounds, raw));
  if (name === 'sigmoid') warnings.push(...stepWarnings(prep, raw));
  const fitMetrics = metrics(prep, raw);
  // lr_annealing on a real run can land far from the curve with nothing else to say so: a gate the user sees.
  const poor = name === 'lr_annealing' && (!(fitMetrics.r2 >= 0.9) || bounds.length > 0);
  if (poor)
    warnings.push(
      `poor lr_annealing fit (${[!(fitMetrics.r2 >= 0.9) ? `R² ${fitMetrics.r2.toFixed(2)} under 0.9` : '', bounds.length ? `${bounds.join(', ')} at a bound` : ''].filter(Boolean).join('; ')}): the law does not describe these curves; check the learning-rate series and the steps (optimizer steps, not micro-steps)`,
    );

  let computeOptimal: FitResult['computeOptimal'];
  if (name === 'chinchilla') {
    const [, A, B, alpha, beta] = raw;
    if (alpha > 0 && beta > 0 && A > 0 && B > 0) {
      const { a, b, G } = chinchillaOptimal({ E: raw[0], A, B, alpha, beta }, 6);
      computeOptimal = { a, b, G };
      const ci = draws ? computeOptimalCi(draws) : undefined;
      if (ci) computeOptimal.ci95 = ci;
    } else {
      warnings.push(
        'no compute-optimal allocation: it needs A, B, alpha and beta all positive (one term has vanished from the fit)',
      );
    }
  }

  const design = analyseDesign(prep.varNames, prep.rawRows, law.paramCount);
  if (name === 'chinchilla' && design.identifiable === false)
    warnings.push(`compute-optimal split not identifiable from these runs: ${design.reason ?? ''}`);
  const noise = estimateNoise(prep, core.theta);

  const domain: Record<string, [number, number]> = {};
  prep.varNames.forEach((v, j) => {
    let lo = Infinity,
      hi = -Infinity;
    for (const r of prep.rawRows) {
      lo = Math.min(lo, r[j]);
      hi = Math.max(hi, r[j]);
    }
    domain[v] = [lo, hi];
  });

  const result: FitResult = {
    law: name,
    formula: law.formula,
    latex: law.latex,
    params,
    objective: core.objective,
    nPoints: prep.n,
    nRuns: new Set(prep.runIds).size,
    metrics: fitMetrics,
    warnings,
    elapsedMs: 0,
    diagnostics: {
      starts: core.starts,
      startsReachingBest: core.startsReachingBest,
      atBounds: bounds,
      conditionNumber: cond.conditionNumber,
    },
    domain,
    options: { loss: lossKind, delta: o.delta, space, bootstrap: o.bootstrap, holdout: o.holdout },
    variables: prep.varNames.slice(),
  };
  if (computeOptimal) result.computeOptimal = computeOptimal;
  if (holdout) result.holdout = holdout;
  if (draws) result.draws = draws;
  if (bootMode) {
    result.diagnostics.bootstrapMode = bootMode;
    result.diagnostics.bootstrapFailures = bootFailures;
  }
  if (name === 'custom' && o.custom) result.custom = o.custom;
  if (name === 'bnsl') result.breaks = law.breaks === 2 ? 2 : 1;
  if (name === 'lr_annealing') result.lambda = o.lambda ?? DEFAULT_LAMBDA;
  // Issue #11 additions last, so artifacts keep their earlier keys in their earlier order.
  result.design = design;
  if (quality) result.intervalQuality = quality.quality;
  if (noise) result.noise = noise;
  if (poor) result.quality = 'poor';
  return result;
}
