import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricTable } from '../../../src/core/model/series';
import { sharedColumn } from '../../../src/core/model/sharedColumns';

/** The very same memory (small columns are cut from one slab, so the buffer alone does not say). */
const same = (a: Float64Array, b: Float64Array) => a.buffer === b.buffer && a.byteOffset === b.byteOffset;

test('equal step columns are kept once; a different, a NaN-holding or a -0 column is its own', () => {
  const steps = Float64Array.from({ length: 200 }, (_, i) => i * 10);
  const a = sharedColumn(steps);
  assert.notEqual(a, steps, 'the caller may reuse what it passed: it is copied');
  assert.equal(sharedColumn(Float64Array.from(steps)), a);
  const other = Float64Array.from(steps);
  other[150] = 1501;
  assert.notEqual(sharedColumn(other), a);
  const withNaN = Float64Array.from({ length: 5 }, (_, i) => (i === 2 ? NaN : i));
  assert.equal(sharedColumn(Float64Array.from(withNaN)), sharedColumn(withNaN), 'NaN equals NaN');
  const zero = Float64Array.of(0, 1, 2);
  const negativeZero = Float64Array.of(-0, 1, 2);
  assert.notEqual(sharedColumn(negativeZero), sharedColumn(zero));
});

test('two runs loaded with the same steps share them, and a record pushed to one leaves the other as it was', () => {
  const n = 50;
  const step = () => Float64Array.from({ length: n }, (_, i) => i * 10);
  const tokens = () => Float64Array.from({ length: n }, (_, i) => i * 65536);
  const none = () => new Float64Array(n).fill(NaN);
  const [a, b] = [new MetricTable(), new MetricTable()];
  for (const t of [a, b]) {
    t.rows.load(step(), tokens(), none());
    t.get('loss').loadShared(
      t.rows,
      Float64Array.from({ length: n }, (_, i) => 1 / (i + 1)),
    );
  }
  assert.ok(same(a.get('loss').step, b.get('loss').step), 'one step column for both');
  a.rows.push(500, 500 * 65536, NaN);
  a.get('loss').pushRow(a.rows, 0.01);
  a.rows.push(3, 7, NaN); // a restart: steps go back
  a.get('loss').pushRow(a.rows, 0.5);
  assert.deepEqual(Array.from(b.get('loss').step), Array.from(step()));
  assert.deepEqual(Array.from(b.get('loss').tokens), Array.from(tokens()));
  assert.deepEqual(Array.from(a.get('loss').step.slice(-3)), [490, 500, 3]);
});

test('equal value columns (one learning-rate schedule) are shared, except one as long as maxPoints, thinned in place', () => {
  const load = (maxPoints: number, n: number) => {
    const t = new MetricTable(maxPoints);
    t.rows.load(
      Float64Array.from({ length: n }, (_, i) => i),
      new Float64Array(n).fill(NaN),
      new Float64Array(n).fill(NaN),
    );
    t.get('lr').loadShared(
      t.rows,
      Float64Array.from({ length: n }, (_, i) => 3e-4 * (1 - i / n)),
    );
    return t;
  };
  const [a, b] = [load(100, 40), load(100, 40)];
  assert.ok(same(a.get('lr').value, b.get('lr').value));
  const [full, other] = [load(40, 40), load(40, 40)];
  assert.ok(!same(full.get('lr').value, other.get('lr').value));
  full.get('lr').push(40, 0); // at the cap: thins its own columns in place
  assert.equal(other.get('lr').value[1], 3e-4 * (1 - 1 / 40));
});
