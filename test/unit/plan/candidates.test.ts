import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateRuns, referenceRuns, runAt } from '../../../src/core/plan/candidates';

test('a run at compute C and ratio r has C = 6·N·D and D = r·N', () => {
  const run = runAt(1e21, 20);
  assert.ok(Math.abs(run.C / 1e21 - 1) < 1e-12 && Math.abs(run.D / run.N - 20) < 1e-9);
});

test('candidates stay within the budget, span a few to a few hundred tokens/param, skip tiny models', () => {
  const runs = candidateRuns(1e20, 1e7);
  assert.ok(runs.every((r) => r.C <= 1e20 * (1 + 1e-9) && r.N >= 1e6));
  const ratios = runs.map((r) => r.tokensPerParam);
  assert.ok(Math.min(...ratios) <= 5 && Math.max(...ratios) >= 200);
  assert.equal(candidateRuns(1e20, 1e12).length, 0, 'nothing smaller than a tenth of the data is proposed');
  assert.deepEqual(
    referenceRuns(1e20).map((r) => r.tokensPerParam),
    [5, 10, 20, 40, 80],
  );
});
