import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitDataset } from '../../../src/core/fit/engine';
import type { FitDataset } from '../../../src/contract/fit';

const TRUTH = { floor: 0.25, ceil: 0.9, midpoint: 22, slope: 1.5 };
const acc = (C: number, t = TRUTH) =>
  t.floor + (t.ceil - t.floor) / (1 + Math.exp(-t.slope * (Math.log10(C) - t.midpoint)));

function data(ys: (C: number, i: number) => number, Cs: number[]): FitDataset {
  return {
    points: Cs.map((C, i) => ({ x: { C }, y: ys(C, i), runId: `r${i}` })),
    xNames: ['C'],
    yName: 'accuracy',
    definitions: {},
  };
}
const GRID = Array.from({ length: 13 }, (_, i) => 10 ** (19 + i * 0.5));

test('sigmoid (issue #11 item 8): an accuracy of exactly 0 or 1 fits; the known curve comes back', () => {
  // A curve from 0 to 1 whose end points round to exactly 0 and 1 (as a benchmark's accuracies do).
  const full = { floor: 0, ceil: 1, midpoint: 22, slope: 1.5 };
  const d = data((C, i) => (i === 0 ? 0 : i === 12 ? 1 : acc(C, full)), GRID);
  const fit = fitDataset(d, { law: 'sigmoid' });
  assert.ok(Math.abs(fit.params.midpoint.value - 22) < 0.05, `midpoint ${fit.params.midpoint.value}`);
  assert.ok(Math.abs(fit.params.slope.value - 1.5) < 0.1, `slope ${fit.params.slope.value}`);
  assert.ok(fit.params.ceil.value <= 1 && fit.params.floor.value >= 0);
});

test('accuracy-like values bound the ceiling to 1 (even when the data stop short of the plateau)', () => {
  // Only the rising half of a curve whose plateau is above the data: unbounded, the ceiling runs away.
  const rising = GRID.slice(0, 7);
  const d = data((C) => acc(C, { floor: 0.05, ceil: 1.4, midpoint: 23, slope: 1 }) * 0.7, rising);
  const fit = fitDataset(d, { law: 'sigmoid', bootstrap: 40, seed: 2 });
  assert.ok(fit.params.ceil.value <= 1, `ceil ${fit.params.ceil.value}`);
  assert.ok(fit.params.ceil.ci95 && fit.params.ceil.ci95[1] <= 1, `ceil interval ${String(fit.params.ceil.ci95)}`);
  // Values outside [0, 1] are not accuracies: no bound unless asked.
  const scores = data((C) => 100 * acc(C), GRID);
  assert.ok(fitDataset(scores, { law: 'sigmoid' }).params.ceil.value > 50);
  assert.throws(
    () => fitDataset(scores, { law: 'sigmoid', bounded: true }).params.ceil.value > 1 || assert.fail(),
    /./,
  );
});

test('a step-like sigmoid is named: steeper than the spacing of the data', () => {
  const d = data((C) => (Math.log10(C) < 22.2 ? 0.1 : 0.8), GRID);
  const fit = fitDataset(d, { law: 'sigmoid' });
  assert.ok(
    fit.warnings.some((w) => /^step-like sigmoid: it rises within .* decades, less than the 0\.50 decades/.test(w)),
    fit.warnings.join('\n'),
  );
  const smooth = fitDataset(
    data((C) => acc(C), GRID),
    { law: 'sigmoid' },
  );
  assert.ok(!smooth.warnings.some((w) => /step-like/.test(w)));
});
