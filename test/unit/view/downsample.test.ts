import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawable, lttb, minMaxEnvelope } from '../../../src/core/view/downsample';

/** A noisy decaying loss curve with one spike, deterministic. */
function curve(n: number): { x: Float64Array; y: Float64Array; spike: number } {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let s = 12345;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < n; i++) {
    x[i] = (i + 1) * 1000;
    y[i] = 2 + 10 * Math.pow(i + 1, -0.3) + 0.05 * (rand() - 0.5);
  }
  const spike = Math.floor(n * 0.7);
  y[spike] = 40;
  return { x, y, spike };
}

const ascending = (idx: number[]) => idx.every((v, i) => i === 0 || v > idx[i - 1]);

test('lttb keeps the first and last point, at most the threshold count, in order, and the spike', () => {
  const { x, y, spike } = curve(100_000);
  const idx = lttb(x, y, 1000);
  assert.equal(idx.length, 1000, 'evenly spaced x: every bucket has points');
  assert.equal(idx[0], 0);
  assert.equal(idx[idx.length - 1], 99_999);
  assert.ok(ascending(idx));
  assert.ok(idx.includes(spike), 'the spike is the largest triangle of its bucket');
});

test('lttb keeps the shape: thinned curve stays within the data and follows its trend', () => {
  const { x, y } = curve(20_000);
  const idx = lttb(x, y, 400, 'log');
  // Equal buckets in log x: the first decade of steps (1e3..1e4, 9 points of 20k) keeps most of its points.
  const early = idx.filter((i) => x[i] < 1e4).length;
  assert.ok(early >= 5, `${early} points in the first decade`);
  const linear = lttb(x, y, 400, 'linear');
  assert.ok(linear.filter((i) => x[i] < 1e4).length <= 2, 'linear buckets give the first decade almost nothing');
  assert.ok(idx.length <= 400 && idx.length >= 300, `${idx.length} points kept (empty log buckets are skipped)`);
});

test('lttb returns every drawable point when there are fewer than the threshold', () => {
  assert.deepEqual(lttb([1, 2, 3], [3, 2, 1], 10), [0, 1, 2]);
  assert.deepEqual(lttb([1, 2, NaN, 4], [3, 2, 1, NaN], 10), [0, 1]);
  assert.throws(
    () =>
      lttb(
        new Float64Array(10).map((_, i) => i),
        new Float64Array(10),
        2,
      ),
    /threshold/,
  );
});

test('minMaxEnvelope keeps each bucket’s extremes: the global min, max and spike survive', () => {
  const { x, y, spike } = curve(100_000);
  const idx = minMaxEnvelope(x, y, 500);
  assert.ok(idx.length <= 2 * 500 + 2);
  assert.ok(ascending(idx));
  assert.ok(idx.includes(spike));
  let lo = 0;
  for (let i = 0; i < y.length; i++) if (y[i] < y[lo]) lo = i;
  assert.ok(idx.includes(lo), 'global minimum kept');
  assert.equal(idx[0], 0);
  assert.equal(idx[idx.length - 1], 99_999);
});

test('drawable drops non-finite points and, on a log axis, x ≤ 0', () => {
  assert.deepEqual(Array.from(drawable([0, 1, 2, 3], [1, NaN, 1, 1], 'log')), [2, 3]);
  assert.deepEqual(Array.from(drawable([0, 1, 2, 3], [1, NaN, 1, 1], 'linear')), [0, 2, 3]);
});
