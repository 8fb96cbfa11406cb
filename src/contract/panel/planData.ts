/**
 * The Plan view's model: which runs to train next so the prediction at the target compute is tight. The host
 * builds it (src/core/view/planView) from the planner's result, which the fit worker computes on request; it lives
 * in the panel state so a restored panel shows the last plan. Plain data only.
 */

/**
 * What the planner tightens at the target: the loss, the compute-optimal N, or the compute-optimal tokens per
 * parameter. The same union as PlanObjective in src/contract/plan.ts, spelled out because this folder imports
 * nothing from outside it (the host passes one for the other, so the compiler checks they agree).
 */
export type PlanObjectiveId = 'loss' | 'n_opt' | 'tokens_per_param';

export const PLAN_OBJECTIVES: readonly PlanObjectiveId[] = ['loss', 'n_opt', 'tokens_per_param'];

/** How the Plan view names each objective: "the 95% interval of the <name> at the target". */
export const PLAN_OBJECTIVE_NAMES: Readonly<Record<PlanObjectiveId, string>> = {
  loss: 'loss',
  n_opt: 'compute-optimal N',
  tokens_per_param: 'compute-optimal tokens per parameter',
};

/** The most runs the Plan tab lets the user ask for (the CLI allows more; each adds seconds of refits). */
export const MAX_PLAN_RUNS = 5;

/** What the user chose for the next plan; each absent one is the planner's default. */
export interface PlanChoice {
  /** Target compute in FLOPs; default 100× the largest run's. */
  targetC?: number;
  /** Total FLOPs the proposed runs may use; default 1% of the target compute. */
  budget?: number;
  objective?: PlanObjectiveId;
  /** An integer from 1 to MAX_PLAN_RUNS; default 3. */
  maxRuns?: number;
}

/** One proposed run as the Plan view lists it. */
export interface PlanRunRow {
  N: number;
  D: number;
  C: number;
  tokensPerParam: number;
  /** The run's compute over the target compute (0.01 = 1%). */
  costShare: number;
  /** Expected 95% interval of the objective after adding this run and the ones above it. */
  expectedInterval: [number, number];
  /** Width and depth from the runs' own architecture pattern, when their configs show one. */
  dModel?: number;
  nLayers?: number;
}

export type PlanViewStatus = 'idle' | 'running' | 'ready' | 'error' | 'unavailable';

export interface PlanView {
  status: PlanViewStatus;
  /** One sentence: why planning is unavailable, what is running, the error, or what the plan says. */
  message: string;
  /** The compute the plan aims at: the user's, or 100× the largest run's. */
  targetC: number;
  /** Whether targetC is the default (100× the largest run) rather than one the user typed. */
  targetIsDefault: boolean;
  /** The budget in FLOPs: the finished plan's, else the user's, else the default (1% of targetC). */
  budget: number;
  /** Whether budget is the default share of the target rather than one the user typed. */
  budgetIsDefault: boolean;
  /** The finished plan's objective, else the user's choice, else the default (the loss). */
  objective: PlanObjectiveId;
  /** The most runs the plan may propose: the user's choice, else the default. */
  maxRuns: number;
  /** The planner's warnings, shown first (not identifiable, nothing narrows the interval). */
  warnings: string[];
  /** Present when status is 'ready'. */
  result?: {
    objective: PlanObjectiveId;
    estimate: number;
    budget: number;
    intervalNow: [number, number];
    expectedInterval: [number, number];
    identifiable: boolean;
    proposals: PlanRunRow[];
    /** How many designs the planner weighed. */
    alternatives: number;
  };
  /** The fitted runs' (N, D), drawn beside the proposals in the (N, D) plane. */
  runs: { N: number; D: number }[];
  /** The config snippet the copy button puts on the clipboard. */
  snippet?: string;
}
