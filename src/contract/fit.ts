/**
 * The fit engine's data contract: what goes in (a FitDataset and FitOptions), what comes out (a FitResult), and the
 * artifact written to disk (FitArtifact). Shared by the core, the CLI, the worker, the panel and the hover provider.
 * Plain data only (JSON-serialisable, no callbacks), so it crosses the worker boundary and lands in files unchanged;
 * the engine's progress and cancellation hooks live beside the engine (core/fit/hooks.ts).
 */

/** Names of the built-in laws; part of the CLI/JSON contract. */
export type LawName =
  | 'power'
  | 'saturating'
  | 'chinchilla'
  | 'kaplan'
  | 'bnsl'
  | 'lr_annealing'
  | 'sigmoid'
  | 'passk'
  | 'loglinear'
  | 'custom';

/** One observation: the law's input variables by name (e.g. {N, D} or {C} or {x}) and the observed y. */
export interface FitPoint {
  x: Record<string, number>;
  y: number;
  /** The run the point came from; the cluster for the bootstrap (whole runs are resampled). */
  runId: string;
  /** Step of the point within its run (final point or checkpoint), for provenance. */
  step?: number;
  weight?: number;
}

export interface FitDataset {
  points: FitPoint[];
  /** Names of the x variables, in the law's order (e.g. ['N', 'D']). */
  xNames: string[];
  /** Name of the y metric (e.g. 'val_loss'). */
  yName: string;
  /** How each variable was defined, e.g. {N: 'non-embedding parameters', D: 'tokens seen', C: '6ND'}. */
  definitions: Record<string, string>;
  /** Auxiliary per-point series some laws need (lr_annealing: the learning-rate schedule per run). */
  curves?: Record<string, { step: number[]; lr: number[]; loss: number[] }>;
}

export type LossKind = 'huber' | 'lsq';
export type Space = 'log' | 'linear';

export interface FitOptions {
  law: LawName | 'auto';
  loss?: LossKind; // default 'huber' for losses
  delta?: number; // Huber δ, default 1e-3
  space?: Space; // residual space, default 'log'
  bootstrap?: number; // resamples, 0 = none
  holdout?: number; // number of largest runs held out for the backtest, 0 = none
  holdoutBy?: string; // x variable ordering the holdout (default: C if present, else first x)
  seed?: number;
  /** For `custom`: the declaration (formula over variables and parameters, bounds, start ranges). */
  custom?: CustomLawSpec;
  /** bnsl: number of breaks (default 1). */
  breaks?: 1 | 2;
  /** lr_annealing: momentum λ of the annealing area S2 (default 0.999). */
  lambda?: number;
  /** Bootstrap unit: 'auto' (default) = whole runs when runs hold several points and there are ≥ 10 runs, blocks of
   * consecutive points within runs when there are fewer runs, single points when each run is one point. */
  bootstrapMode?: 'auto' | 'cluster' | 'block' | 'point';
}

export interface CustomLawSpec {
  name?: string;
  formula: string; // e.g. "E + A/N^alpha + B/D^beta"
  variables: string[]; // e.g. ["N", "D"]
  params: Record<string, { min?: number; max?: number; start?: [number, number] }>;
}

export interface ParamEstimate {
  value: number;
  ci95?: [number, number];
}

export interface HoldoutPoint {
  runId: string;
  x: Record<string, number>;
  y: number;
  predicted: number;
  are: number; // absolute relative error |pred - y| / y
}

export interface FitResult {
  law: LawName;
  formula: string; // plain text
  latex: string;
  params: Record<string, ParamEstimate>;
  objective: number; // value of the minimised objective at the optimum
  nPoints: number;
  nRuns: number;
  metrics: { rmseLog: number; r2: number; aic: number; bic: number };
  computeOptimal?: { a: number; b: number; G: number };
  holdout?: { areMean: number; points: HoldoutPoint[] };
  warnings: string[];
  elapsedMs: number;
  /** How trustworthy the optimum is. */
  diagnostics: {
    starts: number;
    startsReachingBest: number;
    atBounds: string[];
    /** Of JᵀJ at the optimum, J taken against relative parameter changes (∂r/∂ln θ), so it is unit-free. */
    conditionNumber?: number;
    /** How the bootstrap resampled ('cluster' = whole runs) and how many resamples failed to converge. */
    bootstrapMode?: 'cluster' | 'block' | 'point';
    bootstrapFailures?: number;
  };
  /** The data's domain per x variable (min, max), for interpolation/extrapolation labels. */
  domain: Record<string, [number, number]>;
  /** Bootstrap parameter draws (kept so predictions get intervals); absent without bootstrap. */
  draws?: Record<string, number>[];
  options: { loss: LossKind; delta: number; space: Space; bootstrap: number; holdout: number };
  custom?: CustomLawSpec;
  /** The dataset's variable names bound to the law's variables, in the law's order (e.g. ['C'] for a power law in C). */
  variables?: string[];
  /** bnsl: number of breaks fitted. */
  breaks?: 1 | 2;
  /** lr_annealing: the momentum λ used for S2. */
  lambda?: number;
  /** `auto`: every candidate law fitted, with its metrics and backtest error; the chosen one is `law`. */
  comparison?: LawComparison[];
}

export interface LawComparison {
  law: LawName;
  aic: number;
  bic: number;
  rmseLog: number;
  areMean?: number;
}

/** What `--out fit.json` writes: the result plus enough provenance to reproduce a prediction. */
export interface FitArtifact extends FitResult {
  kind: 'scaling-lens-fit';
  engineVersion: string;
  created: string; // ISO time
  data: {
    xNames: string[];
    yName: string;
    definitions: Record<string, string>;
    runs: string[];
    points: { runId: string; step?: number; x: Record<string, number>; y: number }[];
  };
}

export interface Prediction {
  at: Record<string, number>;
  value: number;
  ci95?: [number, number];
  /** 'interpolation' inside the data's domain, else 'extrapolation' with how many decades beyond it. */
  regime: 'interpolation' | 'extrapolation';
  decadesBeyond: number;
  /** chinchilla at a compute budget ({C}): the allocation the prediction was made at. */
  optimal?: { nOpt: number; dOpt: number; tokensPerParam: number };
}
