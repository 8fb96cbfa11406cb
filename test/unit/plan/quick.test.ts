import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_TARGET_FACTOR, narrowingByRun } from '../../../src/core/plan/quick';
import { computeOptimal } from '../../../src/core/fit/predict';
import { fitArtifact, ladder } from './truth';

const fit = fitArtifact(ladder([2e7, 5e7, 1e8, 2e8], [5, 20, 80], 0.01, 11), 40, 11);

test('the interval now is the fit´s own at the target; a new run narrows it, a bigger one more', () => {
  const small = narrowingByRun(fit, 3e8, 6e9, 1e22);
  const big = narrowingByRun(fit, 2e9, 4e10, 1e22);
  assert.ok(small && big);
  assert.deepEqual(small.now, computeOptimal(fit, 1e22).ci95);
  const w = (ci: [number, number]): number => ci[1] - ci[0];
  assert.ok(w(small.after) < w(small.now) && w(big.after) < w(small.after), `${w(small.after)} ${w(big.after)}`);
  const est = computeOptimal(fit, 1e22).loss;
  assert.ok(big.after[0] < est && est < big.after[1], 'narrowed about the estimate');
});

test('no line for a run the fit already has, a fit without data or draws, or a non-chinchilla law', () => {
  assert.equal(narrowingByRun(fit, 1e8, 2e9), undefined);
  assert.equal(narrowingByRun({ ...fit, draws: [] }, 3e8, 6e9), undefined);
  assert.equal(narrowingByRun({ ...fit, law: 'kaplan' }, 3e8, 6e9), undefined);
  const { data: _data, ...result } = fit;
  assert.equal(narrowingByRun(result, 3e8, 6e9), undefined);
});

test('the default target is a hundred times the larger of the run´s and the data´s compute', () => {
  const q = narrowingByRun(fit, 3e8, 6e9);
  assert.ok(q);
  assert.ok(Math.abs(q.C / (DEFAULT_TARGET_FACTOR * 6 * 2e8 * 2e8 * 80) - 1) < 1e-12);
  const huge = narrowingByRun(fit, 1e10, 2e11);
  assert.ok(huge && Math.abs(huge.C / (DEFAULT_TARGET_FACTOR * 6 * 1e10 * 2e11) - 1) < 1e-12);
});
