import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chinchilla } from '../../../src/core/laws/chinchilla';
import { runAt } from '../../../src/core/plan/candidates';
import { information, objectiveGradient, screenSets, sensitivity, varianceProxy } from '../../../src/core/plan/fisher';
import { TRUTH_THETA } from './truth';

const data = [2e7, 5e7, 1e8].flatMap((N) => [10, 20, 40].map((r) => ({ N, D: N * r })));

test('sensitivity is d ln L / d ln θ (checked against finite differences)', () => {
  const [N, D] = [3e8, 6e9];
  const s = sensitivity(TRUTH_THETA, N, D);
  for (let k = 0; k < 5; k++) {
    const up = TRUTH_THETA.slice(),
      down = TRUTH_THETA.slice();
    up[k] *= 1 + 1e-6;
    down[k] *= 1 - 1e-6;
    const fd = (Math.log(chinchilla.f(up, [N, D])) - Math.log(chinchilla.f(down, [N, D]))) / 2e-6;
    assert.ok(Math.abs(s[k] - fd) < 1e-6 * Math.max(1, Math.abs(fd)), `parameter ${k}: ${s[k]} vs ${fd}`);
  }
});

test('a run never adds variance, and a far, off-ratio run shrinks it more than a near one', () => {
  const g = objectiveGradient(TRUTH_THETA, { C: 1e22 }, 'loss');
  const base = information(TRUTH_THETA, data);
  const v0 = varianceProxy(base, g);
  const near = information(TRUTH_THETA, [...data, { N: 1e8, D: 2e9 }]);
  const far = information(TRUTH_THETA, [...data, { N: 2e9, D: 4e10 }]);
  assert.ok(varianceProxy(near, g) <= v0 && varianceProxy(far, g) < varianceProxy(near, g));
});

test('the screen returns the best set of each size, every one within the budget', () => {
  const budget = 1e20;
  const pool = [1, 0.5, 0.1].flatMap((s) => [5, 20, 80].map((r) => runAt(budget * s, r)));
  const g = objectiveGradient(TRUTH_THETA, { C: 1e22 }, 'n_opt');
  const sets = screenSets(information(TRUTH_THETA, data), TRUTH_THETA, g, pool, budget, 3);
  assert.ok(sets.length >= 1 && sets.length <= 3);
  sets.forEach((s, i) => {
    assert.equal(s.runs.length, i + 1);
    assert.ok(s.runs.reduce((t, r) => t + r.C, 0) <= budget * (1 + 1e-9));
  });
  // The best single run is the best over the whole affordable pool.
  const base = information(TRUTH_THETA, data);
  const best = Math.min(...pool.map((r) => varianceProxy(information(TRUTH_THETA, [...data, r]), g)));
  assert.ok(Math.abs(sets[0].variance - best) <= 1e-9 * best, `${sets[0].variance} vs ${best}`);
  assert.ok(varianceProxy(base, g) > sets[0].variance);
});
