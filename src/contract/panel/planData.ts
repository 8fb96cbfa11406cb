/**
 * The Plan view's model: which runs to train next so the prediction at the target compute is tight. The host
 * builds it (src/core/view/planView) from the planner's result, which the fit worker computes on request; it lives
 * in the panel state so a restored panel shows the last plan. Plain data only.
 */

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
  /** The planner's warnings, shown first (not identifiable, nothing narrows the interval). */
  warnings: string[];
  /** Present when status is 'ready'. */
  result?: {
    objective: string;
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
