import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FitDataset, FitResult } from '../../../src/contract/fit';
import { annealingAreas } from '../../../src/core/laws/lrAnnealing';
import { renderSvg } from '../../../src/core/plot/render';
import { scalingSpec } from '../../../src/core/plot/scalingSpec';

const p = { L0: 2.5, A: 1.2, alpha: 0.6, C: 0.4 };
/** A cosine schedule with warmup, and the law's loss through it; the first 10% masked as the dataset builder does. */
function curve(steps: number): { step: number[]; lr: number[]; loss: number[] } {
  const step = Array.from({ length: 100 }, (_, i) => Math.round(((i + 1) * steps) / 100));
  const lr = step.map((s) =>
    s < steps * 0.02 ? (3e-4 * s) / (steps * 0.02) : 3e-5 + 1.35e-4 * (1 + Math.cos((Math.PI * s) / steps)),
  );
  const { S1, S2 } = annealingAreas(step, lr);
  const loss = step.map((s) => (s > steps * 0.1 ? p.L0 + p.A * S1[s] ** -p.alpha - p.C * S2[s] : NaN));
  return { step, lr, loss };
}

test("lr_annealing fits plot loss against step, the law through each run's own schedule", async () => {
  const data: FitDataset = {
    points: [],
    xNames: ['S1', 'S2'],
    yName: 'loss',
    definitions: {},
    curves: { short: curve(2000), long: curve(8000) },
  };
  const fit = {
    law: 'lr_annealing',
    formula: 'L = L0 + A * S1^(-alpha) - C * S2',
    params: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { value: v }])),
    nPoints: 180,
    nRuns: 2,
  } as unknown as FitResult;
  const plot = scalingSpec(fit, data);
  assert.match(plot.description, /vs step/);
  assert.equal(plot.data.points.length, 180, 'the masked warmup is not drawn');
  // Noise-free data: the curve goes through every point.
  for (const pt of plot.data.points) {
    const c = plot.data.curve.find((r) => r.run === pt.run && r.x === pt.x);
    assert.ok(c && Math.abs((c.y as number) - (pt.y as number)) < 1e-12);
  }
  const svg = await renderSvg(plot);
  assert.match(svg, /^<svg/);
});
