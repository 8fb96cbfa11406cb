import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emaSmooth } from '../../../src/core/view/smoothing';

const close = (a: number, b: number, tol = 1e-12) => {
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
};

test('weight 0 returns the values unchanged', () => {
  assert.deepEqual([...emaSmooth([3, 1, 4, 1, 5], 0)], [3, 1, 4, 1, 5]);
});

test('debiasing: the first smoothed value is the first value, a constant stays constant', () => {
  const s = emaSmooth([7, 7, 7, 7], 0.9);
  for (const v of s) close(v, 7);
  close(emaSmooth([10, 0], 0.6)[0], 10);
});

test('matches the debiased EMA computed by hand', () => {
  // w = 0.5: m1 = 0.5·2 = 1 → 1/(1-0.5) = 2; m2 = 0.5·1 + 0.5·4 = 2.5 → 2.5/(1-0.25) = 3.333…; m3 = 1.25 + 0.5·6 = 4.25 → 4.25/0.875
  const s = emaSmooth([2, 4, 6], 0.5);
  close(s[0], 2);
  close(s[1], 2.5 / 0.75);
  close(s[2], 4.25 / 0.875);
});

test('without debiasing the start would sag towards 0; with it a step stays between its levels', () => {
  const s = emaSmooth([5, 5, 5, 1, 1, 1], 0.8);
  for (const v of s) assert.ok(v >= 1 - 1e-12 && v <= 5 + 1e-12, `${v} within [1, 5]`);
  assert.ok(s[3] > 1 && s[3] < 5, 'the drop is smoothed');
});

test('non-finite values pass through and do not poison later points', () => {
  const s = emaSmooth([4, NaN, Infinity, 4], 0.7);
  assert.ok(Number.isNaN(s[1]));
  assert.equal(s[2], Infinity);
  close(s[3], 4);
});

test('rejects a weight outside [0, 1)', () => {
  assert.throws(() => emaSmooth([1], 1), /smoothing weight/);
  assert.throws(() => emaSmooth([1], -0.1), /smoothing weight/);
});
