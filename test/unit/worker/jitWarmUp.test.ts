// The worker's JIT warm-up: it runs the default fit's code paths on made-up data, stops at once when a job waits,
// and leaves later fits' results untouched (the engine is pure). Its speed-up is measured in bench/fit, not here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { candidateLaws, fitDataset } from '../../../src/core/fit/engine';
import { sizeVariable, MIN_SIZES } from '../../../src/core/fit/crossValidate';
import { warmUp, warmUpDataset } from '../../../src/worker/jitWarmUp';

describe('jitWarmUp', () => {
  it('fits the way the default fit does: every N, D law, with folds and resamples', () => {
    const data = warmUpDataset();
    assert.deepEqual(candidateLaws(data), ['chinchilla', 'kaplan', 'loglinear']);
    const sizes = new Set(data.points.map((p) => p.x[sizeVariable(data) ?? '']));
    assert.ok(sizes.size >= MIN_SIZES, `${sizes.size} sizes: enough for leave-one-size-out`);
    let polls = 0;
    assert.equal(
      warmUp(() => {
        polls++;
        return false;
      }),
      true,
      'it runs to the end on its own data',
    );
    assert.ok(polls > 20, `the warm-up polls for a waiting job at every start and resample (${polls} polls)`);
  });

  it('stops at the first poll that finds a job waiting', () => {
    let polls = 0;
    assert.equal(
      warmUp(() => ++polls >= 3),
      false,
    );
    assert.equal(polls, 3, 'no poll after the interruption');
  });

  it('leaves a later fit exactly as it would have been', () => {
    const data = warmUpDataset();
    data.points = data.points.map((p, i) => ({ ...p, y: p.y * (1 + 0.01 * Math.cos(i)), runId: `r${i}` }));
    const options = { law: 'auto' as const, bootstrap: 30, seed: 3 };
    const before = { ...fitDataset(data, options), elapsedMs: 0 };
    warmUp(() => false);
    assert.deepEqual({ ...fitDataset(data, options), elapsedMs: 0 }, before);
  });
});
