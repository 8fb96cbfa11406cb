import type { Run } from '../../src/core/model/run';
import { MetricTable } from '../../src/core/model/series';

export const TRUTH = { E: 1.8, A: 400, B: 1200, alpha: 0.34, beta: 0.3 };

/**
 * Runs on a grid of N and D whose final val_loss follows a Chinchilla law with 1% deterministic noise; each logs
 * three points of val_loss (steps 100, 200, 300), the last one the law's value.
 */
export function chinchillaRuns(count = 16): Run[] {
  return Array.from({ length: count }, (_, i) => {
    const N = 1e7 * 10 ** ((i % 4) / 1.5);
    const D = 2e8 * 10 ** (Math.floor(i / 4) / 1.5);
    const loss =
      (TRUTH.E + TRUTH.A / N ** TRUTH.alpha + TRUTH.B / D ** TRUTH.beta) * (1 + 0.01 * Math.sin(i * 12.9898));
    const metrics = new MetricTable();
    const s = metrics.get('val_loss');
    s.push(100, loss * 1.3);
    s.push(200, loss * 1.1);
    s.push(300, loss);
    return {
      id: `run${String(i).padStart(2, '0')}`,
      format: 'jsonl',
      dir: `/runs/run${i}`,
      files: [`/runs/run${i}/log.jsonl`],
      config: {},
      configFrom: {},
      metrics,
      N: { value: N, provenance: 'test' },
      D: { value: D, provenance: 'test' },
      facts: {},
    };
  });
}
