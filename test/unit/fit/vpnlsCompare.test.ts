import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareFrontiers } from '../../../src/core/fit/compare';
import { isoflopFrontier } from '../../../src/core/fit/isoflop';
import { vpnlsFrontier, type SizedPoint } from '../../../src/core/fit/vpnls';
import { chinchillaOptimal } from '../../../src/core/laws/chinchilla';
import { rng, normal } from '../../../src/core/fit/random';

type P = { E: number; A: number; B: number; alpha: number; beta: number };
const TRUTH: P = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const loss = (p: P, N: number, D: number) => p.E + p.A / N ** p.alpha + p.B / D ** p.beta;
const BUDGETS = [1e18, 3e18, 1e19, 3e19, 1e20, 3e20, 1e21];

/** Per budget, `sizes` model sizes spread over `width` decades, centred `offset` decades above the true optimum. */
function grid(
  p: P,
  width: number,
  offset: number | ((C: number) => number),
  sizes: number,
  noise = 0,
  seed = 1,
): SizedPoint[] {
  const draw = normal(rng(seed));
  const out: SizedPoint[] = [];
  for (const C of BUDGETS) {
    const centre = chinchillaOptimal(p, C).nOpt * 10 ** (typeof offset === 'number' ? offset : offset(C));
    for (let k = 0; k < sizes; k++) {
      const N = centre * 10 ** (width * (k / (sizes - 1) - 0.5));
      const D = C / (6 * N);
      out.push({ runId: `C${C}-${k}`, N, D, loss: loss(p, N, D) * (1 + noise * draw()) });
    }
  }
  return out;
}

test('vpnls (issue #11): grids 3 decades wide, a decade off-centre, α ≠ β: exponents within 0.01 without noise', () => {
  for (const [alpha, beta] of [
    [0.34, 0.28],
    [0.5, 0.25],
    [0.25, 0.45],
  ]) {
    const p = { ...TRUTH, alpha, beta };
    const pts = grid(p, 3, 1, 25);
    const byN = vpnlsFrontier(pts, 'N', { bootstrap: 0 });
    const byD = vpnlsFrontier(pts, 'D', { bootstrap: 0 });
    assert.equal(byN.method, 'vpnls');
    assert.ok(
      Math.abs(byN.opt.exponent - beta / (alpha + beta)) < 0.01,
      `α ${alpha}, β ${beta}: a ${byN.opt.exponent}`,
    );
    assert.ok(
      Math.abs(byD.opt.exponent - alpha / (alpha + beta)) < 0.01,
      `α ${alpha}, β ${beta}: b ${byD.opt.exponent}`,
    );
    const ref = chinchillaOptimal(p, 1e20);
    assert.ok(Math.abs((byN.opt.coef * 1e20 ** byN.opt.exponent) / ref.nOpt - 1) < 0.02, 'N_opt at 1e20');
    assert.equal(byN.budgets.length, BUDGETS.length);
    assert.equal(byN.opt.ci95, undefined);
  }
});

test('vpnls: opt.ci95 from the bootstrap draws is a point without noise and opens with noise', () => {
  const exact = vpnlsFrontier(grid(TRUTH, 2, 0, 9), 'N', { bootstrap: 20, seed: 2 }).opt.ci95;
  assert.ok(exact, 'ci95 when bootstrapped');
  assert.ok(exact.exponent[1] - exact.exponent[0] < 1e-6, String(exact.exponent));
  const r = vpnlsFrontier(grid(TRUTH, 2, 0, 9, 0.005, 4), 'N', { bootstrap: 20, seed: 2 });
  const ci = r.opt.ci95;
  assert.ok(ci);
  assert.ok(ci.exponent[1] - ci.exponent[0] > 0.005, String(ci.exponent));
  assert.ok(ci.exponent[0] <= r.opt.exponent && r.opt.exponent <= ci.exponent[1], String(ci.exponent));
  assert.ok(ci.coef[0] <= r.opt.coef && r.opt.coef <= ci.coef[1]);
});

test('vpnls: opt.ci95 covers the true exponent in ≥ 90% of noisy IsoFLOP grids (7 budgets × 7 sizes, 1% noise)', (t) => {
  const TRIALS = 40;
  const truth = TRUTH.beta / (TRUTH.alpha + TRUTH.beta);
  let hits = 0;
  const misses: string[] = [];
  for (let s = 0; s < TRIALS; s++) {
    const r = vpnlsFrontier(grid(TRUTH, 2, 0.3, 7, 0.01, 100 + s), 'N', { bootstrap: 100, seed: s });
    const ci = r.opt.ci95;
    assert.ok(ci, `trial ${s}: no interval`);
    if (ci.exponent[0] <= truth && truth <= ci.exponent[1]) hits++;
    else misses.push(`${r.opt.exponent.toFixed(3)} [${ci.exponent.map((v) => v.toFixed(3)).join(', ')}]`);
  }
  t.diagnostic(`true exponent ${truth.toFixed(3)} covered in ${hits}/${TRIALS}; missed: ${misses.join(' ')}`);
  assert.ok(hits / TRIALS >= 0.9, `covered in ${hits}/${TRIALS}`);
});

test('compare: on a grid that biases Approach 2, its estimated bias has the sign and size of its actual error', () => {
  // Whole-curve parabolas (a window wider than the grid) on coarse, wide, off-centre grids: Approach 2's known bias.
  // The grids drift from centred at the smallest budget to 1.3 decades above the optimum at the largest.
  const pts = grid(TRUTH, 3, (C) => (1.3 * Math.log10(C / 1e18)) / 3, 7, 0.001, 7);
  const truth = TRUTH.beta / (TRUTH.alpha + TRUTH.beta);
  const actual =
    isoflopFrontier(
      pts.map((q) => ({ runId: q.runId, C: 6 * q.N * q.D, x: q.N, loss: q.loss })),
      'N',
      { window: 3, bootstrap: 0 },
    ).opt.exponent - truth;
  const r = compareFrontiers(pts, 'N', { window: 3, bootstrap: 0 });
  assert.deepEqual(
    r.methods.map((m) => m.method),
    ['isoflop', 'parametric', 'vpnls'],
  );
  assert.ok(
    r.warnings.some((w) => /envelope\) skipped: .*no run has more than its final point/.test(w)),
    r.warnings.join('\n'),
  );
  const iso = r.methods[0];
  assert.ok(Math.abs(actual) > 0.015, `the grid must bias isoflop: actual error ${actual}`);
  assert.ok(iso.bias !== undefined && Math.sign(iso.bias) === Math.sign(actual), `bias ${iso.bias} vs ${actual}`);
  assert.ok(Math.abs(iso.bias - actual) < 0.25 * Math.abs(actual), `bias ${iso.bias} vs actual ${actual}`);
  // The law-based methods are unbiased on their own law.
  for (const m of r.methods.slice(1)) assert.ok(Math.abs(m.bias ?? NaN) < 0.005, `${m.method} bias ${m.bias}`);
  assert.ok(r.truth && Math.abs(r.truth.exponent - truth) < 0.01);
});
