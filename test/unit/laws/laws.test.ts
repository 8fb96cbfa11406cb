import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chinchillaOptimal } from '../../../src/core/laws/chinchilla';
import { annealingAreas } from '../../../src/core/laws/lrAnnealing';
import { isLawName, LAWS, lawFor } from '../../../src/core/laws/registry';
import type { LawDef } from '../../../src/core/laws/types';

/** A plausible parameter vector and x points (raw units) per law, away from bounds. */
const SAMPLES: { law: LawDef; theta: number[]; xs: number[][] }[] = [
  { law: LAWS.power, theta: [3.2, 0.12], xs: [[1e6], [3e8], [1e10]] },
  { law: LAWS.saturating, theta: [1.7, 60, 0.3], xs: [[1e6], [3e8], [1e10]] },
  {
    law: LAWS.chinchilla,
    theta: [1.69, 406.4, 410.7, 0.34, 0.28],
    xs: [
      [7e7, 5e9],
      [1e9, 2e10],
      [1.6e10, 5e11],
    ],
  },
  {
    law: LAWS.kaplan,
    theta: [8.8e13, 5.4e13, 0.076, 0.095],
    xs: [
      [1e7, 1e8],
      [1e9, 1e10],
      [1e10, 1e11],
    ],
  },
  { law: lawFor('bnsl'), theta: [0.41, 2.28, 0.055, 5.66, 612.6, 0.059], xs: [[160], [600], [900]] },
  {
    law: lawFor('bnsl', undefined, { breaks: 2 }),
    theta: [0.5, 5, 0.2, 0.8, 1e3, 0.5, -0.5, 1e5, 0.3],
    xs: [[10], [2e3], [1e6]],
  },
  {
    law: LAWS.lr_annealing,
    theta: [2.5, 0.8, 0.5, 0.3],
    xs: [
      [1, 0],
      [30, 0.4],
      [100, 1],
    ],
  },
  { law: LAWS.sigmoid, theta: [0.25, 0.9, 22, 1.5], xs: [[1e19], [1e22], [1e25]] },
  { law: LAWS.passk, theta: [2.5, 0.4], xs: [[1], [100], [1e4]] },
  {
    law: lawFor('loglinear', undefined, { xNames: ['N', 'D'] }),
    theta: [-3, -0.3, 0.2],
    xs: [
      [1e7, 1e9],
      [1e10, 1e11],
    ],
  },
];

test('every law: analytic gradient matches central differences', () => {
  for (const { law, theta, xs } of SAMPLES) {
    assert.ok(law.grad, `${law.name} has a gradient`);
    for (const x of xs) {
      const g = new Float64Array(law.paramCount);
      const f = law.grad(theta, x, g);
      assert.ok(Math.abs(f - law.f(theta, x)) <= 1e-12 * Math.abs(f), `${law.name}: grad returns f`);
      theta.forEach((v, j) => {
        const h = 1e-6 * Math.max(Math.abs(v), 1e-3);
        const tp = theta.slice(),
          tm = theta.slice();
        tp[j] = v + h;
        tm[j] = v - h;
        const fd = (law.f(tp, x) - law.f(tm, x)) / (2 * h);
        // Relative to the derivative, with a floor at what differences of f can resolve (f·1e-9 per unit of θ_j).
        const tol = 1e-5 * Math.abs(fd) + (1e-9 * Math.abs(f)) / Math.max(Math.abs(v), 1e-3);
        assert.ok(
          Math.abs(g[j] - fd) <= tol,
          `${law.name} ∂/∂${law.params[j].name} at x=${x.join(', ')}: ${g[j]} vs ${fd}`,
        );
      });
    }
  }
});

test('log fast paths (fLog/gradLog) agree with f and grad', () => {
  for (const { law, theta, xs } of SAMPLES) {
    if (!law.fLog) continue;
    for (const x of xs) {
      const lx = x.map((v) => (v > 0 ? Math.log(v) : NaN));
      const f = law.f(theta, x);
      assert.ok(Math.abs(law.fLog(theta, x, lx) - f) <= 1e-12 * Math.abs(f), law.name);
      const g1 = new Float64Array(law.paramCount),
        g2 = new Float64Array(law.paramCount);
      law.grad!(theta, x, g1);
      law.gradLog!(theta, x, lx, g2);
      g1.forEach((v, j) => {
        assert.ok(Math.abs(v - g2[j]) <= 1e-12 * Math.max(1, Math.abs(v)), `${law.name} gradLog ${j}`);
      });
    }
  }
});

test('unscale: θ fitted on x/s predicts the same y on raw x', () => {
  for (const { law, theta, xs } of SAMPLES) {
    if (!law.unscale) continue;
    const s = xs[0].map((_, j) => 3.7 * 10 ** j + 1.3);
    const raw = law.unscale(theta, s);
    for (const x of xs) {
      const xn = x.map((v, j) => v / s[j]);
      const a = law.f(theta, xn),
        b = law.f(raw, x);
      assert.ok(Math.abs(a - b) <= 1e-10 * Math.abs(a), `${law.name}: ${a} vs ${b}`);
    }
  }
});

test('keyed evaluate reads parameters and variables by name', () => {
  const p = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
  assert.equal(LAWS.chinchilla.evaluate(p, { N: 1e9, D: 2e10 }), 1.69 + 406.4 / 1e9 ** 0.34 + 410.7 / 2e10 ** 0.28);
  // One-variable laws take their x under any single name.
  assert.equal(LAWS.power.evaluate({ A: 2, alpha: 0.5 }, { C: 100 }), 0.2);
  // The registry's bnsl evaluates 1- and 2-break parameter sets.
  const two = { a: 0.5, b: 5, c0: 0.2, c1: 0.8, d1: 1e3, f1: 0.5, c2: -0.5, d2: 1e5, f2: 0.3 };
  assert.equal(
    LAWS.bnsl.evaluate(two, { x: 2e3 }),
    lawFor('bnsl', undefined, { breaks: 2 }).f(Object.values(two), [2e3]),
  );
  // loglinear's registry entry takes whatever variables the fit used.
  assert.ok(
    Math.abs(
      LAWS.loglinear.evaluate({ c: -3, a_N: -0.3, a_D: 0.2 }, { N: 1e7, D: 1e9 }) -
        Math.exp(-3 - 0.3 * Math.log(1e7) + 0.2 * Math.log(1e9)),
    ) < 1e-15,
  );
  assert.throws(() => LAWS.chinchilla.evaluate({ E: 1 }, { N: 1, D: 1 }), /missing parameter A/);
  assert.throws(() => LAWS.chinchilla.evaluate(p, { N: 1 }), /needs variable D/);
});

test('registry: names, and laws built from options', () => {
  for (const n of [
    'power',
    'saturating',
    'chinchilla',
    'kaplan',
    'bnsl',
    'lr_annealing',
    'sigmoid',
    'passk',
    'loglinear',
    'custom',
  ])
    assert.ok(isLawName(n), n);
  assert.ok(!isLawName('constructor') && !isLawName('auto') && !isLawName('toString'));
  assert.equal(lawFor('bnsl', undefined, { breaks: 2 }).paramCount, 9);
  assert.deepEqual(
    lawFor('loglinear', undefined, { xNames: ['N', 'D'] }).params.map((p) => p.name),
    ['c', 'a_N', 'a_D'],
  );
  assert.throws(() => lawFor('custom'), /declaration/);
  const c = lawFor('custom', {
    formula: 'E + A/N^alpha',
    variables: ['N'],
    params: { E: { min: 0 }, A: { min: 0, start: [1, 100] }, alpha: { min: 0, max: 2 } },
  });
  assert.equal(c.f([1, 8, 1 / 3], [8]), 1 + 8 / 2);
  assert.deepEqual(c.params.find((p) => p.name === 'alpha')?.start, [0, 2]);
  assert.throws(
    () => lawFor('custom', { formula: 'A*x', variables: ['x'], params: { A: { min: 2, max: 1 } } }),
    /min 2 ≥ max 1/,
  );
  assert.throws(
    () => lawFor('custom', { formula: 'A*x', variables: ['x'], params: { A: { min: 0, max: 1, start: [0, 5] } } }),
    /within its bounds/,
  );
});

test('chinchilla compute-optimal allocation is the minimum of L along C = 6ND', () => {
  const p = { E: 1.8172, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 };
  const C = 5.76e23;
  const o = chinchillaOptimal(p, C);
  assert.ok(Math.abs(6 * o.nOpt * o.dOpt - C) <= 1e-9 * C);
  assert.ok(Math.abs(o.a + o.b - 1) < 1e-15);
  const L = (N: number) => p.E + p.A / N ** p.alpha + p.B / (C / (6 * N)) ** p.beta;
  for (const f of [0.97, 1.03]) assert.ok(L(o.nOpt * f) > o.loss, `moving N by ${f} raises the loss`);
  assert.ok(Math.abs(L(o.nOpt) - o.loss) < 1e-12);
  // Besiroglu et al.'s refit gives roughly 20 tokens per parameter at Chinchilla's budget.
  const tpp = o.dOpt / o.nOpt;
  assert.ok(tpp > 15 && tpp < 35, `tokens per parameter ${tpp}`);
});

test('annealing areas follow the paper: S1 sums lr, S2 sums momentum of the decrease', () => {
  const steps = [1, 2, 3, 4, 5];
  const lr = [1, 1, 0.5, 0.5, 0];
  const { S1, S2 } = annealingAreas(steps, lr, 0.5);
  assert.deepEqual(Array.from(S1), [0, 1, 2, 2.5, 3, 3]);
  // m: 0, 0, 0.5, 0.25, 0.625 → cumulative 0, 0, 0.5, 0.75, 1.375
  assert.deepEqual(Array.from(S2), [0, 0, 0, 0.5, 0.75, 1.375]);
  // Constant schedule: no annealing area; interpolation between logged steps.
  const flat = annealingAreas([1, 10], [2, 2]);
  assert.equal(flat.S1[10], 20);
  assert.equal(flat.S2[10], 0);
  const ramp = annealingAreas([1, 3], [1, 0]);
  assert.deepEqual(Array.from(ramp.S1), [0, 1, 1.5, 1.5]);
});
