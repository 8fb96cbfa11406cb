/**
 * A fresh worker runs its first fit several times slower than later ones: V8 interprets the engine's hot loops
 * (LM steps, the laws' residuals and gradients, variable projection) until it has seen them run. The first fit is
 * the one a user waits for after "Fit Scaling Law…", and the worker starts while they answer its prompts, so it
 * spends that idle time fitting a small made-up dataset the way the default fit runs (auto over N and D: every
 * candidate law, leave-one-size-out folds, a backtest, bootstrap resamples). Measured on the examples: the default
 * fit took ~500-600 ms cold and ~250-350 ms after this warm-up. The warm-up's result is thrown away; it shares no
 * state with later fits (the engine is pure), so their results are unchanged to the last bit.
 */
import { fitDataset } from '../core/fit/engine';
import type { FitDataset } from '../contract/fit';

/** Resamples in the warm-up: enough for V8 to optimise the bootstrap loop, few enough to stay well under a second. */
const WARM_UP_RESAMPLES = 20;

/** Chinchilla-shaped losses on 5 model sizes × 3 token budgets with a little deterministic scatter. */
export function warmUpDataset(): FitDataset {
  const points: FitDataset['points'] = [];
  for (let i = 0; i < 5; i++)
    for (let k = 0; k < 3; k++) {
      const N = 2e7 * 30 ** (i / 4);
      const D = N * 10 * 4 ** (k / 2);
      const L = 1.8 + 480 / N ** 0.34 + 2000 / D ** 0.36;
      points.push({ x: { N, D }, y: L * (1 + 0.005 * Math.sin(7 * i + 3 * k)), runId: `warm-up-${i}-${k}` });
    }
  return { points, xNames: ['N', 'D'], yName: 'loss', definitions: { N: 'parameters', D: 'tokens' } };
}

/**
 * Runs the warm-up fit; `interrupted` is polled at every start and resample, and when it returns true the warm-up
 * stops at once (a real job is waiting). Returns whether it ran to the end.
 */
export function warmUp(interrupted: () => boolean): boolean {
  try {
    fitDataset(warmUpDataset(), {
      law: 'auto',
      bootstrap: WARM_UP_RESAMPLES,
      holdout: 0,
      seed: 1,
      isCancelled: interrupted,
    });
    return true;
  } catch {
    // Interrupted (FitCancelledError), or a fault on made-up data the user never sees: the real fits run anyway.
    return false;
  }
}
