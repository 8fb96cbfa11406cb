/**
 * The fit engine's entry point: validates options, fits one law or (`auto`) every law the data supports and keeps
 * the best by backtest error then AIC. Synchronous and pure: the worker and the CLI call it the same way; progress
 * and cancellation go through the options' callbacks. Every failure leaves as a FitError with a message for the user.
 */
import { isLawName } from '../laws/registry';
import { FitCancelledError, FitError } from '../errors';
import { leaveOneSizeOut } from './crossValidate';
import { finishLaw, fitLaw, solveLaw, type EngineOptions, type SolvedLaw } from './fitLaw';
import { rootProgress, type Progress } from './progress';
import type { FitDataset, FitOptions, FitResult, LawComparison, LawName } from '../../contract/fit';
import type { FitRunOptions } from './hooks';

export const DEFAULT_DELTA = 1e-3;
const MAX_BOOTSTRAP = 100_000;
/** The bootstrap units a caller may ask for; `auto` picks one from the data (see resolveMode). */
export const BOOTSTRAP_MODES = ['auto', 'cluster', 'block', 'point', 'residual'] as const;

/**
 * Options and datasets reach the engine from the worker's messages and from files as well as from typed callers, so
 * their fields are checked as what they may really be: anything.
 */
type Unchecked<T> = { [K in keyof T]?: unknown };

const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function resolveOptions(o: FitOptions): EngineOptions {
  const u: Unchecked<FitOptions> = o;
  const bad = (m: string): never => {
    throw new FitError(m);
  };
  if (u.loss !== undefined && u.loss !== 'huber' && u.loss !== 'lsq')
    bad(`loss must be huber or lsq, not ${shown(u.loss)}`);
  if (u.space !== undefined && u.space !== 'log' && u.space !== 'linear')
    bad(`space must be log or linear, not ${shown(u.space)}`);
  const delta = o.delta ?? DEFAULT_DELTA;
  if (!(delta > 0) || !Number.isFinite(delta)) bad(`Huber delta must be a positive number, not ${delta}`);
  const B = o.bootstrap ?? 0;
  if (!Number.isInteger(B) || B < 0 || B > MAX_BOOTSTRAP)
    bad(`bootstrap must be an integer between 0 and ${MAX_BOOTSTRAP}, not ${B}`);
  const k = o.holdout ?? 0;
  if (!Number.isInteger(k) || k < 0) bad(`holdout must be a non-negative integer, not ${k}`);
  if (u.breaks !== undefined && u.breaks !== 1 && u.breaks !== 2)
    bad(`bnsl breaks must be 1 or 2, not ${shown(u.breaks)}`);
  if (o.lambda !== undefined && !(o.lambda >= 0 && o.lambda < 1))
    bad(`lr_annealing lambda must be in [0, 1), not ${o.lambda}`);
  const seed = o.seed ?? 0;
  if (!Number.isFinite(seed)) bad(`seed must be a number, not ${seed}`);
  const mode = o.bootstrapMode ?? 'auto';
  const askedMode: unknown = mode;
  if (!BOOTSTRAP_MODES.some((m) => m === askedMode))
    bad(`bootstrapMode must be ${BOOTSTRAP_MODES.join(', ')}, not ${String(askedMode)}`);
  return {
    loss: o.loss,
    space: o.space,
    delta,
    bootstrap: B,
    holdout: k,
    holdoutBy: o.holdoutBy,
    seed,
    custom: o.custom,
    breaks: o.breaks,
    lambda: o.lambda,
    bounded: o.bounded,
    bootstrapMode: mode,
  };
}

function checkData(data: Unchecked<FitDataset> | null | undefined): void {
  if (!data || !Array.isArray(data.points)) throw new FitError('no data: the dataset has no list of points');
  const curves = data.curves && typeof data.curves === 'object' ? Object.keys(data.curves).length : 0;
  if (data.points.length === 0 && curves === 0)
    throw new FitError(`no points to fit${typeof data.yName === 'string' && data.yName ? ` (${data.yName})` : ''}`);
}

/** Fits `options.law` (or every supported law for `auto`) to the data. Throws FitError on bad data or options. */
export function fitDataset(data: FitDataset, options: FitRunOptions): FitResult {
  const t0 = performance.now();
  const progress = rootProgress(options);
  checkData(data);
  const o = resolveOptions(options);
  const law = options.law;
  if (law !== 'auto' && !isLawName(law)) throw new FitError(`unknown law ${String(law)}`);
  progress.report(0, law === 'auto' ? 'choosing a law' : `fitting ${law}`);
  let result: FitResult;
  try {
    result = law === 'auto' ? fitAuto(data, o, progress, options.holdout) : fitLaw(law, data, o, progress);
  } catch (e) {
    if (e instanceof FitError) throw e;
    // Anything else is an engine fault on this data; it must still reach the user as a fit error, not a crash.
    throw new FitError(`the ${law} fit failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  progress.report(1, 'done');
  result.elapsedMs = performance.now() - t0;
  return result;
}

/** The laws a dataset can support, from its variables and the range of y. */
export function candidateLaws(data: FitDataset): LawName[] {
  const xs = data.xNames;
  if ((data.curves && Object.keys(data.curves).length) || (xs.includes('S1') && xs.includes('S2')))
    return ['lr_annealing'];
  if (xs.includes('N') && xs.includes('D')) return ['chinchilla', 'kaplan', 'loglinear'];
  if (xs.length !== 1) return ['loglinear'];
  const ys = data.points.map((p) => p.y);
  const out: LawName[] = ['power', 'saturating'];
  // A broken power law has 6 parameters; it needs points on both sides of a break to mean anything.
  if (data.points.length >= 12) out.push('bnsl');
  const unit = ys.every((y) => y >= 0 && y <= 1);
  if (unit) out.push('sigmoid');
  if (unit && ys.every((y) => y > 0) && /^k$/i.test(xs[0])) out.push('passk');
  return out;
}

/** Default backtest for `auto` without --holdout: the largest run, when there are enough runs to spare it. */
function autoHoldout(data: FitDataset, asked: number | undefined): number {
  if (asked !== undefined) return asked;
  return new Set(data.points.map((p) => p.runId)).size >= 5 ? 1 : 0;
}

/**
 * With leave-one-size-out errors for every law, they decide; else backtest errors from one or two held-out runs,
 * which are noisy. Either way a difference smaller than the noise level (the best in-sample rmseLog among the
 * candidates, roughly the relative scatter of a point) or than 25% of the best error is no evidence, so such laws
 * tie and AIC decides among them.
 */
export function pickLaw(rows: LawComparison[]): LawComparison {
  const cv = rows.every((r) => r.cvError !== undefined && Number.isFinite(r.cvError));
  const err = (r: LawComparison): number | undefined => (cv ? r.cvError : r.areMean);
  const tested = rows.filter((r) => {
    const e = err(r);
    return e !== undefined && Number.isFinite(e);
  });
  let band = tested.length ? tested : rows;
  if (tested.length) {
    const best = Math.min(...tested.map((r) => err(r) as number));
    const noise = Math.min(...rows.map((r) => (Number.isFinite(r.rmseLog) ? r.rmseLog : Infinity)));
    const margin = Math.max(0.25 * best, Number.isFinite(noise) ? noise : 0);
    band = tested.filter((r) => (err(r) as number) <= best + margin);
  }
  return band.reduce((a, b) => (b.aic < a.aic ? b : a));
}

function fitAuto(data: FitDataset, o: EngineOptions, progress: Progress, askedHoldout: number | undefined): FitResult {
  const laws = candidateLaws(data);
  const k = autoHoldout(data, askedHoldout);
  const trial: EngineOptions = { ...o, bootstrap: 0, holdout: k, softHoldout: true };
  const share = o.bootstrap > 0 ? 0.5 : 1;
  const fits = new Map<LawName, FitResult>();
  const solved = new Map<LawName, SolvedLaw>();
  const skipped: string[] = [];
  const cv = new Map<LawName, { error: number; folds: number }>();
  laws.forEach((name, i) => {
    const span = progress.span((share * i) / laws.length, (share * (i + 1)) / laws.length, `auto: ${name}`);
    try {
      const law = solveLaw(name, data, trial, span.span(0, 0.3, `auto: ${name}`));
      solved.set(name, law);
      fits.set(name, finishLaw(law, 0, span.span(0.3, 0.3)));
      const folds = leaveOneSizeOut(name, data, trial, span.span(0.3, 1, `auto: ${name} cross-validation`));
      if (folds) cv.set(name, folds);
    } catch (e) {
      if (!(e instanceof FitError) || e instanceof FitCancelledError) throw e;
      skipped.push(`${name} (${e.message})`);
    }
  });
  if (!fits.size) throw new FitError(`auto: no candidate law could be fitted: ${skipped.join('; ')}`);
  const comparison: LawComparison[] = [...fits.values()].map((f) => {
    const row: LawComparison = { law: f.law, aic: f.metrics.aic, bic: f.metrics.bic, rmseLog: f.metrics.rmseLog };
    if (f.holdout) row.areMean = f.holdout.areMean;
    const folds = cv.get(f.law);
    if (folds) {
      row.cvError = folds.error;
      row.cvFolds = folds.folds;
    }
    return row;
  });
  const chosen = pickLaw(comparison);
  let result = fits.get(chosen.law) as FitResult;
  // The chosen law is already solved with these options: only its resamples are left to do.
  if (o.bootstrap > 0)
    result = finishLaw(
      solved.get(chosen.law) as SolvedLaw,
      o.bootstrap,
      progress.span(share, 1, `auto: ${chosen.law}`),
    );
  const how =
    chosen.cvError !== undefined && comparison.every((c) => c.cvError !== undefined)
      ? `leave-one-size-out error ${(100 * chosen.cvError).toFixed(2)}% over ${chosen.cvFolds ?? 0} sizes (${comparison.map((c) => `${c.law} ${(100 * (c.cvError ?? NaN)).toFixed(2)}%`).join(', ')}), then AIC ${chosen.aic.toFixed(1)}`
      : chosen.areMean !== undefined
        ? `backtest error ${(100 * chosen.areMean).toFixed(2)}% on the ${k} largest run(s), then AIC ${chosen.aic.toFixed(1)}`
        : `AIC ${chosen.aic.toFixed(1)} (no backtest: ${k ? 'it failed for every law' : 'too few runs to hold one out'})`;
  result.warnings.unshift(`auto: picked ${chosen.law} of ${comparison.map((c) => c.law).join(', ')} by ${how}`);
  if (skipped.length) result.warnings.push(`auto: skipped ${skipped.join('; ')}`);
  result.comparison = comparison;
  return result;
}
