/** Synthetic ladders with a known chinchilla truth, for the planner's tests. */
import { toArtifact } from '../../../src/core/fit/artifact';
import { fitDataset } from '../../../src/core/fit/engine';
import { normal, rng } from '../../../src/core/fit/random';
import type { FitArtifact, FitDataset, FitPoint } from '../../../src/contract/fit';

/** Besiroglu et al. 2024's refit of Chinchilla Approach 3. */
export const TRUTH = { E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };
export const TRUTH_THETA = [TRUTH.E, TRUTH.A, TRUTH.B, TRUTH.alpha, TRUTH.beta];

export const trueLoss = (N: number, D: number): number =>
  TRUTH.E + TRUTH.A / N ** TRUTH.alpha + TRUTH.B / D ** TRUTH.beta;

/** One final-loss point per run at each (N, tokens/param), with multiplicative noise sigma. */
export function ladder(sizes: number[], ratios: number[], sigma: number, seed: number): FitDataset {
  const z = normal(rng(seed));
  const points: FitPoint[] = [];
  for (const N of sizes)
    for (const r of ratios)
      points.push({ x: { N, D: N * r }, y: trueLoss(N, N * r) * Math.exp(sigma * z()), runId: `n${N}-r${r}` });
  return { points, xNames: ['N', 'D'], yName: 'loss', definitions: { N: 'parameters', D: 'tokens' } };
}

/** The dataset plus the given runs, their losses drawn from the truth with noise sigma. */
export function withRuns(
  data: FitDataset,
  runs: readonly { N: number; D: number }[],
  sigma: number,
  seed: number,
): FitDataset {
  const z = normal(rng(seed));
  const added = runs.map((r, i) => ({
    x: { N: r.N, D: r.D },
    y: trueLoss(r.N, r.D) * Math.exp(sigma * z()),
    runId: `added-${i}`,
  }));
  return { ...data, points: [...data.points, ...added] };
}

export function fitArtifact(data: FitDataset, bootstrap: number, seed: number): FitArtifact {
  return toArtifact(fitDataset(data, { law: 'chinchilla', bootstrap, seed }), data);
}
