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
export type BootstrapMode = 'cluster' | 'block' | 'point' | 'residual';
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
   * consecutive points within runs when there are fewer runs, single points when each run is one point, and
   * residuals on the fixed design ('residual') when each run is one point and configurations are few. */
  bootstrapMode?: 'auto' | BootstrapMode;
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
  computeOptimal?: ComputeOptimal;
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
    bootstrapMode?: BootstrapMode;
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
  /** What the design (the configurations fitted) can and cannot determine, with advice. */
  design?: DesignReport;
  /** With a bootstrap: whether the 95% intervals can be taken at their word (reasons in `warnings`). */
  intervalQuality?: IntervalQuality;
  /** Run-to-run noise of one observation, for prediction intervals (sd in the residual space). */
  noise?: Noise;
}

export type IntervalQuality = 'ok' | 'rough' | 'unreliable';

/** Compute-optimal allocation N_opt = G·(C/6)^a, D_opt = (C/6)^b / G, with 95% intervals when bootstrapped. */
export interface ComputeOptimal {
  a: number;
  b: number;
  G: number;
  ci95?: { a: [number, number]; b: [number, number]; G: [number, number] };
}

export interface Noise {
  /** Standard deviation of one observation around the law, in the residual space (ln y for log fits). */
  sd: number;
  space: Space;
  /** Degrees of freedom behind `sd` (widens the interval when few). */
  dof: number;
  /** 'replicates': pooled from repeated runs of one configuration; 'residuals': from the fit's residuals. */
  source: 'replicates' | 'residuals';
}

/** One aspect of the design with its measured value and one line of advice (empty when the design is fine there). */
export interface DesignCheck {
  name: 'tokens_per_param' | 'span_N' | 'span_D' | 'exponent_conditioning' | 'configurations';
  /** Human-readable measurement, e.g. "0.46–341 tokens/param (2.9 decades)". */
  value: string;
  ok: boolean;
  advice: string;
}

export interface DesignReport {
  /** Distinct x configurations and the law's parameter count. */
  configurations: number;
  parameters: number;
  /** N, D designs: the joint domain of the fitted points (for extrapolation labels). */
  joint?: JointDomain;
  /** N, D designs: condition number of the covariance of (ln N, ln D); infinite when D/N never varies. */
  exponentConditioning?: number;
  /** Whether the N and D effects (hence the compute-optimal split) can be separated by these runs. */
  identifiable?: boolean;
  /** Why not, in words, when `identifiable` is false. */
  reason?: string;
  checks: DesignCheck[];
}

/** Ranges (min, max) of the fitted points in N, D, tokens per parameter D/N and compute C = 6·N·D. */
export interface JointDomain {
  N: [number, number];
  D: [number, number];
  tokensPerParam: [number, number];
  C: [number, number];
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
  /** Where the law's mean lies (bootstrap over the fit). */
  ci95?: [number, number];
  /** Where a new run's observed value should fall: the mean's uncertainty plus run-to-run noise. */
  pi95?: [number, number];
  /** 'interpolation' inside the data's joint domain, else 'extrapolation' with how many decades beyond it. */
  regime: 'interpolation' | 'extrapolation';
  decadesBeyond: number;
  /** Why it is an extrapolation, in words ("5,000 tokens/param; the data span 0.5–340"). */
  regimeReason?: string;
  /** chinchilla at a compute budget ({C}): the allocation the prediction was made at. */
  optimal?: OptimalAllocation;
}

export interface OptimalAllocation {
  nOpt: number;
  dOpt: number;
  tokensPerParam: number;
  nOptCi95?: [number, number];
  dOptCi95?: [number, number];
  tokensPerParamCi95?: [number, number];
  /** False when these runs cannot separate the N and D effects: the split is then not a number to use. */
  identifiable: boolean;
  reason?: string;
}

// --- What to fit ------------------------------------------------------------------------------------------------
// One type for a fit request, whoever asks: the extension (stored in workspace state for Refit), the CLI (its flags
// parsed into it) and the core (dataset builders take the selection, the engine the options).

/** Which variables and metric to take from runs or a table. */
export interface DatasetSelection {
  /** Law variables in the law's order: 'N', 'D', 'C' or any metric/config/column name. */
  x: string[];
  /** The metric to fit; default the first of Y_CANDIDATES that is present. */
  y?: string;
  /** Every checkpoint instead of each run's final point. */
  checkpoints?: boolean;
  /** In checkpoint mode, the early part of each run to drop, as a fraction of its tokens (or steps). Default 0.1. */
  dropFraction?: number;
  /** Whole loss curves with their learning-rate schedule (the lr_annealing law) instead of points; runs only. */
  curves?: boolean;
  /** Table rows to keep, by column value (e.g. {split: 'fit'}); ignored for runs. */
  where?: Record<string, string>;
}

/** Everything that decides a fit: which data (selection) and how it is fitted (options). */
export interface FitSpec {
  selection: DatasetSelection;
  options: FitOptions;
}
