import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseDesign, approx, designAdvice, exponentConditioning, jointDomain } from '../../../src/core/fit/design';
import { fitDataset } from '../../../src/core/fit/engine';
import { computeOptimal, predict } from '../../../src/core/fit/predict';
import type { FitDataset } from '../../../src/contract/fit';
import { normal, rng } from '../../../src/core/fit/random';

const TRUTH = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const loss = (N: number, D: number) => TRUTH.E + TRUTH.A / N ** TRUTH.alpha + TRUTH.B / D ** TRUTH.beta;

function dataset(nd: { N: number; D: number }[], sigma = 0.01, seed = 3): FitDataset {
  const z = normal(rng(seed));
  return {
    points: nd.map(({ N, D }, i) => ({ x: { N, D }, y: loss(N, D) * Math.exp(sigma * z()), runId: `r${i}` })),
    xNames: ['N', 'D'],
    yName: 'loss',
    definitions: {},
  };
}

const SIZES = [1e7, 3e7, 1e8, 3e8, 1e9, 3e9];
/** Every run at 20 tokens per parameter: N and D collinear, the blind spot. */
const COLLINEAR = SIZES.map((N) => ({ N, D: 20 * N }));
/** Each size at three token budgets: a decade and more of D/N. */
const VARIED = SIZES.flatMap((N) => [4, 20, 100].map((r) => ({ N, D: r * N })));

test('a design at constant tokens per parameter cannot separate N and D: named, with advice', () => {
  const d = analyseDesign(
    ['N', 'D'],
    COLLINEAR.map((p) => [p.N, p.D]),
    5,
  );
  assert.equal(d.identifiable, false);
  assert.match(
    d.reason ?? '',
    /tokens per parameter barely varies \(20–20 tokens\/param \(0\.0 decades\)\).*vary tokens per parameter/,
  );
  assert.equal(d.exponentConditioning, Infinity);
  assert.equal(exponentConditioning(COLLINEAR), Infinity);
  const names = d.checks.map((c) => c.name);
  assert.deepEqual(names, ['tokens_per_param', 'span_N', 'span_D', 'exponent_conditioning', 'configurations']);
  const weak = d.checks.filter((c) => !c.ok).map((c) => c.name);
  assert.deepEqual(weak, ['tokens_per_param', 'exponent_conditioning', 'configurations']);
  for (const c of d.checks) assert.equal(c.ok, c.advice === '', `${c.name}: advice only where needed`);
  assert.equal(designAdvice(d).length, 3);
});

test('a varied design is identifiable; its joint domain holds N, D, D/N and C ranges', () => {
  const d = analyseDesign(
    ['N', 'D'],
    VARIED.map((p) => [p.N, p.D]),
    5,
  );
  assert.equal(d.identifiable, true);
  assert.equal(d.reason, undefined);
  assert.equal(d.configurations, 18);
  assert.ok(d.exponentConditioning! < 100, `${d.exponentConditioning}`);
  const joint = d.joint;
  assert.ok(joint);
  assert.deepEqual(joint, jointDomain(VARIED));
  assert.deepEqual(joint.tokensPerParam, [4, 100]);
  assert.deepEqual(joint.C, [6 * 1e7 * 4e7, 6 * 3e9 * 3e11]);
  assert.ok(d.checks.every((c) => c.ok));
  // One-variable designs only have the configurations check.
  const one = analyseDesign(['C'], [[1], [2], [3]], 2);
  assert.deepEqual(
    one.checks.map((c) => c.name),
    ['configurations'],
  );
  assert.equal(one.identifiable, undefined);
  assert.match(one.checks[0].advice, /almost nothing left to check it/);
});

test('the collinear fit refuses the compute-optimal split; the varied one gives it with intervals', () => {
  const bad = fitDataset(dataset(COLLINEAR), { law: 'chinchilla', bootstrap: 40, seed: 1 });
  assert.ok(bad.warnings.some((w) => /^compute-optimal split not identifiable from these runs/.test(w)));
  const opt = computeOptimal(bad, 1e24);
  assert.equal(opt.identifiable, false);
  assert.match(opt.reason ?? '', /vary tokens per parameter/);
  assert.equal(predict(bad, { C: 1e24 }).optimal?.identifiable, false);
  const good = fitDataset(dataset(VARIED), { law: 'chinchilla', bootstrap: 40, seed: 1 });
  const g = computeOptimal(good, 1e21);
  assert.equal(g.identifiable, true);
  assert.ok(
    g.tokensPerParamCi95 && g.tokensPerParamCi95[0] < g.tokensPerParam && g.tokensPerParam < g.tokensPerParamCi95[1],
  );
  assert.ok(good.computeOptimal?.ci95, 'a, b, G intervals from the draws');
});

test('approx writes numbers for sentences', () => {
  assert.equal(approx(5000), '5,000');
  assert.equal(approx(0.4567), '0.457');
  assert.equal(approx(341.2), '341');
  assert.equal(approx(1.9e7), '1.9e7');
});
