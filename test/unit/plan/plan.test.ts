import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toArtifact } from '../../../src/core/fit/artifact';
import { fitDataset } from '../../../src/core/fit/engine';
import { PlanError } from '../../../src/core/errors';
import { planRuns } from '../../../src/core/plan/plan';
import { fitArtifact, ladder } from './truth';

const FAST = { resamples: 10, worlds: 1 };
const spread = fitArtifact(ladder([2e7, 5e7, 1e8, 2e8], [5, 20, 80], 0.01, 7), 30, 7);

test('proposals fit the budget and the run limit; the designs weighed include the whole-budget references', () => {
  const plan = planRuns(spread, { target: { C: 1e22 }, budget: 2e20, maxRuns: 2, ...FAST });
  assert.ok(plan.proposals.length >= 1 && plan.proposals.length <= 2);
  assert.ok(plan.proposals.reduce((s, p) => s + p.C, 0) <= 2e20 * (1 + 1e-9));
  for (const p of plan.proposals)
    assert.ok(Math.abs(p.C / (6 * p.N * p.D) - 1) < 1e-9 && p.D / p.N === p.tokensPerParam);
  assert.equal(plan.alternatives.filter((a) => a.chosen).length, 1);
  for (const r of [5, 10, 20, 40, 80])
    assert.ok(
      plan.alternatives.some((a) => a.runs.length === 1 && a.runs[0].tokensPerParam === r && a.cTotal === a.runs[0].C),
    );
  assert.deepEqual(plan.expectedInterval, plan.proposals[plan.proposals.length - 1].expectedInterval);
  assert.ok(plan.intervalNow[0] < plan.estimate && plan.estimate < plan.intervalNow[1]);
  assert.equal(plan.budget, 2e20);
});

test('the default budget is 1% of the target compute; an (N, D) target gets C = 6ND', () => {
  const plan = planRuns(spread, { target: { N: 1e9, D: 2e10 }, maxRuns: 1, ...FAST });
  assert.equal(plan.target.C, 6 * 1e9 * 2e10);
  assert.ok(Math.abs(plan.budget / (0.01 * plan.target.C) - 1) < 1e-12);
  const nOpt = planRuns(spread, { target: { C: 1e22 }, objective: 'n_opt', maxRuns: 1, ...FAST });
  assert.equal(nOpt.objective, 'n_opt');
  assert.ok(nOpt.estimate > 1e8 && nOpt.estimate < 1e11, `N_opt ${nOpt.estimate}`);
});

test('runs all at one ratio: not identifiable, said so, and the plan varies tokens per parameter', () => {
  const collinear = fitArtifact(ladder([1e7, 2e7, 5e7, 1e8, 2e8, 5e8], [20], 0.01, 3), 30, 3);
  const plan = planRuns(collinear, { target: { C: 1e22 }, maxRuns: 2, ...FAST });
  assert.equal(plan.identifiable, false);
  assert.match(plan.warnings[0], /^not identifiable from these runs: tokens per parameter barely varies/);
  assert.ok(
    plan.proposals.some((p) => p.tokensPerParam <= 10 || p.tokensPerParam >= 40),
    `a proposal off 20 tokens/param: ${plan.proposals.map((p) => p.tokensPerParam).join(', ')}`,
  );
});

test('clear errors: not a chinchilla fit, no bootstrap draws, a bad target or run limit', () => {
  const data = ladder([2e7, 5e7, 1e8], [5, 20, 80], 0.01, 1);
  const noDraws = toArtifact(fitDataset(data, { law: 'chinchilla', seed: 1 }), data);
  assert.throws(
    () => planRuns(noDraws, { target: { C: 1e22 } }),
    (e: unknown) => e instanceof PlanError && /--bootstrap/.test(e.message),
  );
  const kaplan = toArtifact(fitDataset(data, { law: 'kaplan', bootstrap: 20, seed: 1 }), data);
  assert.throws(() => planRuns(kaplan, { target: { C: 1e22 } }), /needs a chinchilla fit.*kaplan/);
  assert.throws(() => planRuns(spread, { target: { C: 1e22, N: 1e9 } }), /C=<FLOPs> alone, or N=…,D=…/);
  assert.throws(() => planRuns(spread, { target: { C: -1 } }), PlanError);
  assert.throws(() => planRuns(spread, { target: { C: 1e22 }, maxRuns: 0 }), /max-runs/);
  assert.throws(() => planRuns(spread, { target: { C: 1e22 }, budget: 0 }), /budget must be positive/);
});
