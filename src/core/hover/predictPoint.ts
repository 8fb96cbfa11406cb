/**
 * What the active fit says about the point a config describes: the predicted loss with its interval, whether that
 * is inside the fitted data, and (for a chinchilla fit) the compute-optimal split at the same compute. Only
 * evaluates the fit (no fitting happens on hover). Variables are matched by name, case-insensitively, so a fit over
 * {N, D}, {C} or {N} alone all work from the same config.
 */
import { computeOptimal, predict } from '../fit/predict';
import type { FitArtifact, FitResult, Prediction } from '../../contract/fit';
import { lookup, mayBeAbsent } from '../util/maybe';
import type { ScaleResolution } from './resolveScale';

export type HoverFit = FitResult | FitArtifact;

export interface FitIdentity {
  law: string;
  runs: number;
  /** YYYY-MM-DD of the artifact, when known. */
  date?: string;
  /** Where the fit came from, as the caller names it ("panel", "fits/chinchilla.json"). */
  label?: string;
  /** What the fit's N means, from the artifact's definitions (e.g. "non-embedding parameters"). */
  nDefinition?: string;
}

export interface OptimalSplit {
  nOpt: number;
  dOpt: number;
  tokensPerParam: number;
  loss: number;
  ci95?: [number, number];
  /** False when the fit's runs cannot separate N and D: the split is then shown as a refusal, not a number. */
  identifiable: boolean;
  reason?: string;
}

export interface PointPrediction {
  fit: FitIdentity;
  /** The variables handed to predict(), in the fit's names. */
  at: Record<string, number>;
  prediction?: Prediction;
  /** Variables of the fit this config cannot give (e.g. D without steps). */
  missing: string[];
  /** Each variable outside the fitted range, with decades beyond it. */
  beyond: { name: string; decades: number; side: 'below' | 'above' }[];
  optimal?: OptimalSplit;
  /** (D/N of this config) / (D_opt/N_opt at the same C); 1 = compute-optimal. */
  ratioToOptimal?: number;
  /** predict() refused (e.g. a law needing a learning-rate schedule). */
  error?: string;
  /** The fit's verdict on its own intervals, when it was bootstrapped and it is not 'ok'. */
  intervalQuality?: 'rough' | 'unreliable';
}

function isArtifact(fit: HoverFit): fit is FitArtifact {
  // A fit is either an artifact (read from a file) or the live result; only artifacts carry their kind and data.
  const maybe = fit as Partial<FitArtifact>;
  return maybe.kind === 'scaling-lens-fit' && typeof maybe.data === 'object';
}

export function fitVariables(fit: HoverFit): string[] {
  if (isArtifact(fit) && fit.data.xNames.length) return fit.data.xNames;
  if (fit.variables?.length) return fit.variables;
  const domain = Object.keys(mayBeAbsent(fit.domain) ?? {});
  return domain.length ? domain : fit.law === 'chinchilla' || fit.law === 'kaplan' ? ['N', 'D'] : [];
}

export function fitIdentity(fit: HoverFit, label?: string): FitIdentity {
  const id: FitIdentity = { law: fit.law, runs: fit.nRuns };
  if (isArtifact(fit)) {
    if (/^\d{4}-\d\d-\d\d/.test(fit.created)) id.date = fit.created.slice(0, 10);
    const nDef = Object.entries(mayBeAbsent(fit.data.definitions) ?? {}).find(([k]) => k.toLowerCase() === 'n');
    if (nDef) id.nDefinition = nDef[1];
  }
  if (label) id.label = label;
  return id;
}

/** Whether the fit's N counts embeddings, when its definitions say so; undefined when they are silent. */
export function fitCountsEmbeddings(fit: HoverFit): boolean | undefined {
  const def = fitIdentity(fit).nDefinition?.toLowerCase();
  if (!def) return undefined;
  if (/non[- ]?embedding|without embedding|excluding embedding/.test(def)) return false;
  if (/total|with embedding|including embedding|all parameters/.test(def)) return true;
  return undefined;
}

function valueFor(name: string, scale: ScaleResolution): number | undefined {
  const n = name.toLowerCase();
  if (['n', 'params', 'n_params', 'parameters', 'num_params'].includes(n)) return scale.N?.value;
  if (['d', 'tokens', 'train_tokens', 'n_tokens', 'num_tokens'].includes(n)) return scale.D?.value;
  if (['c', 'flops', 'compute', 'train_flops'].includes(n)) return scale.C?.value;
  if (['lr', 'learning_rate', 'eta'].includes(n)) return scale.lr;
  return undefined;
}

export function predictPoint(fit: HoverFit, scale: ScaleResolution, label?: string): PointPrediction {
  const out: PointPrediction = { fit: fitIdentity(fit, label), at: {}, missing: [], beyond: [] };
  const vars = fitVariables(fit);
  for (const v of vars) {
    const x = valueFor(v, scale);
    if (x === undefined || !(x > 0)) out.missing.push(v);
    else out.at[v] = x;
  }
  if (!vars.length) out.error = 'the fit does not name its variables';
  if (out.missing.length || out.error) return out;

  for (const [name, x] of Object.entries(out.at)) {
    const dom = lookup(fit.domain, name);
    if (!dom || !(dom[0] > 0) || !(dom[1] > 0)) continue;
    if (x > dom[1]) out.beyond.push({ name, decades: Math.log10(x / dom[1]), side: 'above' });
    else if (x < dom[0]) out.beyond.push({ name, decades: Math.log10(dom[0] / x), side: 'below' });
  }
  if (fit.intervalQuality && fit.intervalQuality !== 'ok') out.intervalQuality = fit.intervalQuality;
  try {
    out.prediction = predict(fit, out.at);
  } catch (e) {
    out.error = e instanceof Error ? e.message : String(e);
    return out;
  }

  const C = scale.C?.value;
  const hasND = vars.some((v) => v.toLowerCase() === 'n') && vars.some((v) => v.toLowerCase() === 'd');
  if (C !== undefined && C > 0 && (fit.law === 'chinchilla' || (fit.computeOptimal && hasND))) {
    try {
      const opt = computeOptimal(fit, C);
      out.optimal = {
        nOpt: opt.nOpt,
        dOpt: opt.dOpt,
        tokensPerParam: opt.tokensPerParam,
        loss: opt.loss,
        ...(opt.ci95 ? { ci95: opt.ci95 } : {}),
        identifiable: opt.identifiable,
        ...(opt.reason ? { reason: opt.reason } : {}),
      };
      // A split the runs cannot determine is no yardstick for this config's tokens per parameter.
      if (opt.identifiable && scale.N && scale.D && opt.tokensPerParam > 0)
        out.ratioToOptimal = scale.D.value / scale.N.value / opt.tokensPerParam;
    } catch {
      // No closed-form optimum for this fit: the hover simply leaves that line out.
    }
  }
  return out;
}
