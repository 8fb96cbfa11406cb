/**
 * The run planner's data contract: which runs to train next so the prediction at a target is tight. The shape of
 * PlanResult is the JSON `scaling-lens plan --json` prints (snake_case, part of the CLI contract), and what the
 * panel's Plan view and the hover read. Plain data only.
 */

/** What the planner tightens: the loss at the target, or (for a compute target) the compute-optimal N or D/N there. */
export type PlanObjective = 'loss' | 'n_opt' | 'tokens_per_param';

/** The target: a compute budget (the compute-optimal split there) or one (N, D) run; C is always filled (6·N·D). */
export interface PlanTarget {
  C: number;
  N?: number;
  D?: number;
}

/** One run to train: N parameters on D tokens, C = 6·N·D FLOPs. */
export interface PlannedRun {
  N: number;
  D: number;
  C: number;
  tokensPerParam: number;
}

export interface PlanProposal extends PlannedRun {
  /** Expected 95% interval of the objective after adding this run and the proposals before it. */
  expectedInterval: [number, number];
}

/** One design the planner weighed: a set of runs, its cost and its expected interval. */
export interface PlanAlternative {
  /** Short description, e.g. "1 run, whole budget at 20 tokens/param" or "best 2-run set". */
  label: string;
  runs: PlannedRun[];
  cTotal: number;
  expectedInterval: [number, number];
  /** Expected spread of the objective over its spread now (1 = no narrowing), measured on the central 68% of the
   * draws (less noisy than the tails) in log space: what designs are ranked by. */
  widthRatio: number;
  chosen: boolean;
  /** Only when the fit is not identifiable (then designs are ranked by it): the expected 95% interval of the
   * compute-optimal tokens per parameter at the target's compute. */
  tokensPerParamInterval?: [number, number];
}

export interface PlanResult {
  target: PlanTarget;
  objective: PlanObjective;
  /** Total FLOPs the proposals may use. */
  budget: number;
  /** The objective at the target from the fit as it is. */
  estimate: number;
  intervalNow: [number, number];
  /** After adding every proposal. */
  expectedInterval: [number, number];
  proposals: PlanProposal[];
  alternatives: PlanAlternative[];
  /** Whether the runs so far separate the N and D effects; when not, the plan aims at that first. */
  identifiable: boolean;
  warnings: string[];
}
