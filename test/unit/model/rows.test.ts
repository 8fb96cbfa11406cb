import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricTable } from '../../../src/core/model/series';
import { rng } from '../../../src/core/fit/random';

/** Every stored point of every series of a table, as plain arrays. */
function dump(t: MetricTable): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of t.all())
    out[s.name] = {
      step: Array.from(s.step),
      value: Array.from(s.value),
      tokens: Array.from(s.tokens),
      time: Array.from(s.time),
      logged: s.logged,
      count: s.count,
      thinned: s.thinned,
      first: s.first(),
      last: s.last(),
      nonfinite: [s.nonfiniteCount, s.firstNonfiniteStep],
      restarts: [s.restarts, s.firstRestartStep],
    };
  return out;
}

test('series fed record by record (shared rows) hold exactly what point-by-point series hold', () => {
  for (const [seed, maxPoints, records] of [
    [1, 8, 60],
    [2, 20_000, 300],
    [3, 16, 40],
    [4, 4, 100],
  ]) {
    const r = rng(seed);
    const shared = new MetricTable(maxPoints);
    const alone = new MetricTable(maxPoints);
    // dense metrics, one every 5th record, one starting late, one that stops, tokens and time arriving late
    const present = (name: string, i: number): boolean =>
      name === 'loss' || name === 'lr' || name === 'iter' || name === 'epochish'
        ? true
        : name === 'val'
          ? i % 5 === 0
          : name === 'late'
            ? i >= 3
            : name === 'stops'
              ? i < 7
              : r() < 0.5;
    for (let i = 0; i < records; i++) {
      const step = i === 30 ? 5 : i * 10; // one restart
      const tokens = i >= 4 ? i * 1000 : NaN;
      const time = i % 3 === 0 ? 1e9 + i : NaN;
      shared.rows.push(step, tokens, time);
      if (i === 12) shared.rows.reserve(100); // a reserve after the start changes nothing
      for (const name of ['loss', 'lr', 'val', 'late', 'stops', 'random', 'iter', 'epochish']) {
        if (!present(name, i)) continue;
        // `iter` is the step (its values are the step column); `epochish` is the step until record 25
        const v =
          name === 'iter' || (name === 'epochish' && i < 25)
            ? step
            : name === 'loss' && i === 20
              ? NaN
              : Math.sin(i + name.length);
        shared.get(name).pushRow(shared.rows, v);
        alone.get(name).push(step, v, tokens, time);
      }
    }
    assert.deepEqual(dump(shared), dump(alone), `seed ${seed}, maxPoints ${maxPoints}`);
  }
});

test('a table cleared mid-log starts new rows; a series pushed point by point after sharing keeps its points', () => {
  const t = new MetricTable();
  t.rows.reserve(3);
  for (let i = 0; i < 3; i++) {
    t.rows.push(i, NaN, NaN);
    t.get('loss').pushRow(t.rows, i);
  }
  const loss = t.get('loss');
  const view = loss.step;
  assert.equal(loss.step, view, 'the same view while nothing changes');
  loss.push(10, 5); // a reader that pushes directly: the series takes its own columns
  assert.deepEqual(Array.from(loss.step), [0, 1, 2, 10]);
  assert.deepEqual(Array.from(loss.value), [0, 1, 2, 5]);
  t.clear();
  t.rows.push(7, NaN, NaN);
  t.get('loss').pushRow(t.rows, 1);
  assert.deepEqual([Array.from(t.get('loss').step), t.get('loss').logged], [[7], 1]);
});

test('rows and series loaded at once hold what record-by-record pushes hold, and go on the same after', () => {
  const n = 50;
  const step = Float64Array.from({ length: n }, (_, i) => (i === 30 ? 5 : i * 10)); // one restart
  const tokens = Float64Array.from({ length: n }, (_, i) => (i >= 4 ? i * 1000 : NaN)); // tokens arriving late
  const time = new Float64Array(n).fill(NaN); // never a time
  const columns: Record<string, Float64Array> = {
    iter: step.slice(), // the step itself: no value column of its own
    loss: Float64Array.from({ length: n }, (_, i) => (i === 20 ? Infinity : Math.sin(i))),
    lr: Float64Array.from({ length: n }, (_, i) => 1e-3 * (1 - i / n)),
  };
  const pushed = new MetricTable();
  const loaded = new MetricTable();
  pushed.rows.reserve(n);
  for (let i = 0; i < n; i++) {
    pushed.rows.push(step[i], tokens[i], time[i]);
    for (const [name, col] of Object.entries(columns)) pushed.get(name).pushRow(pushed.rows, col[i]);
  }
  loaded.rows.load(step, tokens, time);
  for (const [name, col] of Object.entries(columns)) loaded.get(name).loadShared(loaded.rows, col);
  assert.deepEqual(dump(loaded), dump(pushed));
  // what comes next: a record where `lr` is missing (it leaves the rows) and `iter` stops being the step
  for (const t of [pushed, loaded]) {
    t.rows.push(600, 60_000, 7);
    t.get('loss').pushRow(t.rows, 0.5);
    t.get('iter').pushRow(t.rows, 61);
  }
  assert.deepEqual(dump(loaded), dump(pushed));
  assert.throws(() => {
    loaded.rows.load(step, tokens, time);
  }, /fresh rows only/);
});
