import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import {
  envelopeFrontier,
  fitPowerLaw,
  groupBudgets,
  isoflopFrontier,
  parametricFrontier,
  type FrontierPoint,
} from '../../../src/core/fit/frontier';
import { datasetFromTable } from '../../../src/core/fit/table';
import { chinchillaOptimal } from '../../../src/core/laws/chinchilla';

type P = { E: number; A: number; B: number; alpha: number; beta: number };
const loss = (p: P, N: number, D: number) => p.E + p.A / N ** p.alpha + p.B / D ** p.beta;

/** IsoFLOP grids: 9 model sizes per budget, spaced `step` decades, centred `shift(C)` decades from the true optimum. */
function isoflopData(p: P, budgets: number[], shift: (C: number) => number, step = 0.125): FrontierPoint[] {
  const out: FrontierPoint[] = [];
  for (const C of budgets) {
    const centre = chinchillaOptimal(p, C).nOpt * 10 ** shift(C);
    for (let k = -4; k <= 4; k++) {
      const N = centre * 10 ** (k * step);
      out.push({ runId: `C${C.toExponential(1)}-k${k}`, C, x: N, loss: loss(p, N, C / (6 * N)) });
    }
  }
  return out;
}

const BUDGETS = [1e18, 3e18, 1e19, 3e19, 1e20, 3e20, 1e21];

test('fitPowerLaw recovers an exact power law', () => {
  const xs = [1e18, 1e19, 1e20, 1e21];
  const law = fitPowerLaw(
    xs,
    xs.map((x) => 3e-4 * x ** 0.52),
  );
  assert.ok(Math.abs(law.exponent - 0.52) < 1e-12);
  assert.ok(Math.abs(law.coef / 3e-4 - 1) < 1e-9);
});

test('isoflop: alpha = beta and grids centred on the optimum give the exact exponent, with only the general bias warning', () => {
  const p: P = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.3, beta: 0.3 };
  const r = isoflopFrontier(
    isoflopData(p, BUDGETS, () => 0),
    'N',
  );
  const ref = chinchillaOptimal(p, 6);
  assert.equal(r.method, 'isoflop');
  assert.equal(r.budgets.length, BUDGETS.length);
  assert.ok(Math.abs(r.opt.exponent - 0.5) < 1e-6, `exponent ${r.opt.exponent}`);
  assert.ok(Math.abs(r.opt.coef / (ref.G * 6 ** -ref.a) - 1) < 1e-5, `coef ${r.opt.coef}`);
  for (const b of r.budgets) assert.ok(Math.abs(b.xOpt / chinchillaOptimal(p, b.C).nOpt - 1) < 1e-6);
  assert.equal(r.warnings.length, 1, r.warnings.join('\n'));
  assert.match(r.warnings[0], /biased.*α ≠ β.*not centred/);
});

test('isoflop: alpha != beta with a grid centred on a wrong guess is biased, and says so', () => {
  // The bias grows with |α − β| and with how far the grids drift off the optimum across budgets.
  const p: P = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.5, beta: 0.25 };
  const truth = 0.25 / (0.5 + 0.25);
  // The experimenter centres each grid on N ∝ C^0.5, so the offset from the true optimum drifts with C.
  const drift = (C: number) => (0.5 - truth) * Math.log10(C / 1e18);
  const r = isoflopFrontier(isoflopData(p, BUDGETS, drift, 0.25), 'N');
  assert.ok(Math.abs(r.opt.exponent - truth) > 0.01, `expected a biased exponent, got ${r.opt.exponent} vs ${truth}`);
  assert.ok(Math.abs(r.opt.exponent - truth) < 0.05, 'the bias is a few hundredths, not a failure');
  assert.ok(
    r.warnings.some((w) => /off-centre/.test(w)),
    r.warnings.join('\n'),
  );
  // The same law on centred grids lands much closer.
  const centred = isoflopFrontier(
    isoflopData(p, BUDGETS, () => 0, 0.25),
    'N',
  );
  assert.ok(Math.abs(centred.opt.exponent - truth) < Math.abs(r.opt.exponent - truth) / 3);
});

test('isoflop: a budget whose grid misses the optimum is named in an edge warning; tiny budgets are skipped', () => {
  const p: P = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
  const pts = isoflopData(p, BUDGETS, (C) => (C === 1e20 ? 1.2 : 0));
  pts.push({ runId: 'lonely1', C: 5e22, x: 1e10, loss: 2 }, { runId: 'lonely2', C: 5e22, x: 2e10, loss: 2.1 });
  const r = isoflopFrontier(pts, 'N');
  const edge = r.warnings.find((w) => /edge of the N grid/.test(w));
  assert.ok(edge && /1\.00e\+20/.test(edge), r.warnings.join('\n'));
  assert.ok(
    r.warnings.some((w) => /fewer than 3 distinct N.*5\.00e\+22/.test(w)),
    r.warnings.join('\n'),
  );
  assert.equal(r.budgets.length, BUDGETS.length);
});

test('groupBudgets joins points within the tolerance and separates distinct budgets', () => {
  const mk = (C: number): FrontierPoint => ({ runId: String(C), C, x: 1, loss: 1 });
  const g = groupBudgets([mk(1e18), mk(1.05e18), mk(3e18), mk(2.9e18), mk(1e19)], 0.1);
  assert.deepEqual(
    g.map((x) => x.length),
    [2, 2, 1],
  );
});

test('envelope: the lower envelope of training curves recovers the optimal-N exponent', () => {
  // B chosen so the optimum sits at 20 tokens per parameter, inside the curves (D_opt/N_opt = G^-2, G = (A/B)^(1/2α)).
  const p: P = { E: 1.69, A: 406.4, B: 406.4 / (20 ** -0.5) ** 0.6, alpha: 0.3, beta: 0.3 };
  const pts: FrontierPoint[] = [];
  // 25 model sizes over 2.5 decades, each trained to 200 tokens/param, a checkpoint every 1/40 of training.
  for (let i = 0; i < 25; i++) {
    const N = 1e7 * 10 ** (i * 0.1);
    for (let k = 1; k <= 40; k++) {
      const D = (200 * N * k) / 40;
      pts.push({ runId: `n${i}`, C: 6 * N * D, x: N, loss: loss(p, N, D), step: k });
    }
  }
  const r = envelopeFrontier(pts, 'N', { budgets: 80 });
  assert.ok(Math.abs(chinchillaOptimal(p, 1e20).dOpt / chinchillaOptimal(p, 1e20).nOpt - 20) < 0.1);
  assert.ok(Math.abs(r.opt.exponent - 0.5) < 0.01, `exponent ${r.opt.exponent}`);
  // At the ends of the compute range the smallest/largest model wins by default: named and left out of the exponent.
  assert.ok(
    r.warnings.some((w) => /won by the largest or smallest N of all runs/.test(w)),
    r.warnings.join('\n'),
  );
  assert.ok(r.loss.exponent < 0, `loss falls with compute: ${JSON.stringify(r.loss)}`);
  for (const b of r.budgets) {
    // Never below the true compute-optimal loss, and close to the law at the winning run's point.
    assert.ok(b.run && b.lossOpt >= chinchillaOptimal(p, b.C).loss - 1e-9, `budget ${b.C} below the frontier`);
    assert.ok(
      Math.abs(b.lossOpt / loss(p, b.xOpt, b.C / (6 * b.xOpt)) - 1) < 5e-3,
      'interpolation along a curve is close',
    );
  }
  assert.ok(r.warnings.some((w) => /intermediate checkpoints/.test(w)));
});

test('envelope: final points only (no curves) is a clear error', () => {
  const pts = [1, 2, 3].map((i) => ({ runId: `r${i}`, C: 10 ** (18 + i), x: 10 ** (8 + i / 2), loss: 3 - i / 10 }));
  assert.throws(() => envelopeFrontier(pts, 'N'), /needs at least 2 runs' curves/);
});

test('parametric: the closed form of a chinchilla fit', () => {
  const p: P = { E: 1.8, A: 400, B: 1200, alpha: 0.34, beta: 0.3 };
  const params = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { value: v }]));
  const r = parametricFrontier({ law: 'chinchilla', params, warnings: [] }, 'D', [1e20, 1e22, 1e24]);
  const o = chinchillaOptimal(p, 1e22);
  assert.ok(Math.abs(r.opt.exponent - 0.34 / 0.64) < 1e-12);
  assert.ok(Math.abs((r.opt.coef * 1e22 ** r.opt.exponent) / o.dOpt - 1) < 1e-9);
  assert.ok(Math.abs(r.budgets[1].lossOpt - o.loss) < 1e-12);
  assert.throws(() => parametricFrontier({ law: 'power', params, warnings: [] }, 'N', [1]), /needs a chinchilla fit/);
});

const GPT3 = resolve(__dirname, '../../../../shared/data/colpret_hitchhiker/gpt3_learning_curves.csv');

test('envelope on the GPT-3 learning curves: loss frontier exponent near the published -0.048', async (t) => {
  if (!existsSync(GPT3)) {
    t.skip(`shared data not found at ${GPT3}`);
    return;
  }
  const b = await datasetFromTable(GPT3, { x: ['C', 'N'], y: 'val_loss' });
  const PF_DAY = 8.64e19;
  const pts = b.dataset.points.map((q) => ({ runId: q.runId, C: q.x.C / PF_DAY, x: q.x.N, loss: q.y }));
  const r = envelopeFrontier(pts, 'N');
  assert.ok(Math.abs(r.loss.exponent - -0.048) < 0.01, `loss exponent ${r.loss.exponent}`);
  assert.ok(Math.abs(r.loss.coef - 2.57) < 0.3, `coef ${r.loss.coef}`);
  assert.ok(new Set(r.budgets.map((x) => x.run)).size >= 6, 'most GPT-3 sizes take a turn on the envelope');
});
