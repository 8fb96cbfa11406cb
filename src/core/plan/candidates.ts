/**
 * The runs the planner may propose. Each candidate is a compute share of the budget at a tokens-per-parameter
 * ratio, so sizes range from the data's up towards the target's as the budget allows, and ratios run from a few to
 * a few hundred: the spread in D/N that separates the N and D effects. The reference designs (one whole-budget run
 * at a conventional ratio) are always weighed too, so a plan never loses to the obvious choice unnoticed.
 */
import type { PlannedRun } from '../../contract/plan';

/** Tokens per parameter of the candidate grid: a few to a few hundred. */
export const CANDIDATE_RATIOS = [3, 5, 10, 20, 40, 80, 160, 320] as const;
/** Ratios of the reference designs: a single run spending the whole budget. */
export const REFERENCE_RATIOS = [5, 10, 20, 40, 80] as const;
/** Shares of the budget one candidate run may take: whole, half, a third… down to a hundredth. */
const BUDGET_SHARES = [1, 1 / 2, 1 / 3, 1 / 10, 1 / 30, 1 / 100] as const;

/** The run of compute C at D/N = ratio (C = 6·N·D). */
export function runAt(C: number, ratio: number): PlannedRun {
  const N = Math.sqrt(C / (6 * ratio));
  const D = ratio * N;
  return { N, D, C: 6 * N * D, tokensPerParam: ratio };
}

export function runOf(N: number, D: number): PlannedRun {
  return { N, D, C: 6 * N * D, tokensPerParam: D / N };
}

/**
 * Candidate single runs within the budget. Runs smaller than a tenth of the data's smallest model are left out:
 * they sit where the fit is already tight and cannot move the extrapolation.
 */
export function candidateRuns(budget: number, dataMinN: number): PlannedRun[] {
  const out: PlannedRun[] = [];
  for (const share of BUDGET_SHARES)
    for (const r of CANDIDATE_RATIOS) {
      const run = runAt(budget * share, r);
      if (run.N >= dataMinN / 10 && run.D >= 1) out.push(run);
    }
  return out;
}

export function referenceRuns(budget: number): PlannedRun[] {
  return REFERENCE_RATIOS.map((r) => runAt(budget, r));
}
