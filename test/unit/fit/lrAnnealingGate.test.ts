/** Issue #11 item 7: lr_annealing fits after the warmup found in the schedule, and a quality gate marks poor fits. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { warmupEnd } from '../../../src/core/fit/datasetCurves';
import { fitDataset } from '../../../src/core/fit/engine';
import { annealingAreas } from '../../../src/core/laws/lrAnnealing';
import { Series } from '../../../src/core/model/series';
import type { FitDataset } from '../../../src/contract/fit';

function series(steps: number[], values: number[]): Series {
  const s = new Series('lr');
  steps.forEach((st, i) => {
    s.push(st, values[i]);
  });
  return s;
}

const steps = Array.from({ length: 100 }, (_, i) => (i + 1) * 20);
const cosine = steps.map((s) => 1e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * s) / 2000))));

test('the warmup ends where the schedule first reaches its peak; no rise, no warmup', () => {
  const warm = steps.map((s, i) => (s <= 200 ? (1e-3 * s) / 200 : cosine[i]));
  assert.equal(warmupEnd(series(steps, warm)), 200);
  assert.equal(warmupEnd(series(steps, cosine)), 0);
  assert.equal(warmupEnd(series([1], [1e-3])), 0);
});

test('a fit that misses the curves fails the quality gate: quality poor, with the reason', () => {
  const truth = { L0: 2.2, A: 1.1, alpha: 0.45, C: 0.25 };
  const wsd = steps.map((s) => (s <= 1600 ? 1e-3 : 1e-3 * (1 - (0.9 * (s - 1600)) / 400)));
  const curves: FitDataset['curves'] = {};
  for (const [name, lr] of [
    ['cosine', cosine],
    ['wsd', wsd],
  ] as const) {
    const { S1, S2 } = annealingAreas(steps, lr);
    curves[name] = {
      step: steps,
      lr,
      loss: steps.map((s) => truth.L0 + truth.A * S1[s] ** -truth.alpha - truth.C * S2[s]),
    };
  }
  const data = (c: NonNullable<FitDataset['curves']>): FitDataset => ({
    points: [],
    xNames: [],
    yName: 'loss',
    definitions: {},
    curves: c,
  });
  const good = fitDataset(data(curves), { law: 'lr_annealing' });
  assert.equal(good.quality, undefined);
  // Loss that rises and falls with no relation to the schedule: the law cannot follow it.
  const noisy = Object.fromEntries(
    Object.entries(curves).map(([k, c]) => [k, { ...c, loss: c.step.map((s) => 3 + 0.3 * Math.sin(s / 37)) }]),
  );
  const bad = fitDataset(data(noisy), { law: 'lr_annealing' });
  assert.equal(bad.quality, 'poor');
  assert.ok(
    bad.warnings.some((w) => /^poor lr_annealing fit \(R² .* under 0\.9/.test(w)),
    bad.warnings.join('\n'),
  );
});
