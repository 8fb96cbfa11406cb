/** Synthetic inputs for the view tests: a Chinchilla-law dataset with known parameters, fitted for real. */
import { fitDataset } from '../../../src/core/fit/engine';
import type { FitDataset, FitPoint, FitResult } from '../../../src/contract/fit';

export const TRUE = { E: 1.8, A: 400, B: 1200, alpha: 0.34, beta: 0.3 };
export const law = (N: number, D: number): number => TRUE.E + TRUE.A / N ** TRUE.alpha + TRUE.B / D ** TRUE.beta;

/** 5 model sizes × 3 token budgets (the example folder's design), ±1% deterministic noise. */
export function chinchillaData(): FitDataset {
  const points: FitPoint[] = [];
  const sizes = [9.4e6, 3.8e7, 1.1e8, 3e8, 1e9];
  let k = 0;
  for (const N of sizes) {
    for (const tpp of [5, 20, 80]) {
      const D = N * tpp;
      const noise = 1 + 0.01 * Math.sin(12.9898 * ++k);
      points.push({ x: { N, D }, y: law(N, D) * noise, runId: `run-${N.toExponential(1)}-${tpp}`, step: 1000 * tpp });
    }
  }
  return { points, xNames: ['N', 'D'], yName: 'val_loss', definitions: { N: 'parameters', D: 'tokens' } };
}

let cached: { fit: FitResult; data: FitDataset } | undefined;
export function chinchillaFit(): { fit: FitResult; data: FitDataset } {
  if (!cached) {
    const data = chinchillaData();
    cached = { fit: fitDataset(data, { law: 'chinchilla', bootstrap: 30, holdout: 2, seed: 7 }), data };
  }
  return cached;
}
