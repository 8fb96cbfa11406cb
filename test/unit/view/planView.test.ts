import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlanResult } from '../../../src/contract/plan';
import { diffPanelState } from '../../../src/core/view/panelDelta';
import { buildPanelState } from '../../../src/core/view/panelState';
import { buildPlanView, DEFAULT_TARGET_FACTOR } from '../../../src/core/view/planView';
import { defaultViewOptions } from '../../../src/contract/panel';
import { chinchillaFit } from './fixtures';

function result(C: number, warnings: string[] = []): PlanResult {
  const run = (N: number, D: number) => ({ N, D, C: 6 * N * D, tokensPerParam: D / N });
  return {
    target: { C },
    objective: 'loss',
    budget: C / 100,
    estimate: 2.1,
    intervalNow: [2.0, 2.3],
    expectedInterval: [2.05, 2.15],
    proposals: [
      { ...run(12 * 16 * 1024 ** 2, 4e9), expectedInterval: [2.03, 2.2] },
      { ...run(12 * 8 * 512 ** 2, 2e9), expectedInterval: [2.05, 2.15] },
    ],
    alternatives: [],
    identifiable: warnings.length === 0,
    warnings,
  };
}

test('the default target is 100× the largest run; before a request the view invites one', () => {
  const { fit, data } = chinchillaFit();
  const largest = Math.max(...data.points.map((p) => 6 * p.x.N * p.x.D));
  const v = buildPlanView(fit, data, undefined);
  assert.ok(v);
  assert.equal(v.status, 'idle');
  assert.equal(v.targetC, DEFAULT_TARGET_FACTOR * largest);
  assert.equal(v.targetIsDefault, true);
  assert.equal(v.runs.length, data.points.length);
  assert.deepEqual(
    [v.budget, v.budgetIsDefault, v.objective, v.maxRuns],
    [v.targetC / 100, true, 'loss', 3],
    'the planner’s defaults: 1% of the target, the loss, 3 runs',
  );
  assert.equal(buildPlanView(undefined, data, undefined), undefined, 'no fit, no Plan view');
});

test('a plan lists each run with its cost share and interval, and a snippet with the runs’ shape', () => {
  const { fit, data } = chinchillaFit();
  const C = 1e22;
  const gpt = (L: number) => ({ N: 12 * L * (64 * L) ** 2, dModel: 64 * L, nLayers: L });
  const v = buildPlanView(fit, data, {
    status: 'ready',
    targetC: C,
    result: result(C),
    architectures: [gpt(4), gpt(6), gpt(8)],
  });
  assert.ok(v?.result && v.snippet);
  assert.equal(v.status, 'ready');
  assert.equal(v.targetIsDefault, false);
  assert.deepEqual(v.result.intervalNow, [2.0, 2.3]);
  const [first, second] = v.result.proposals;
  assert.equal(first.costShare, first.C / C);
  assert.deepEqual([first.dModel, first.nLayers], [1024, 16]);
  assert.deepEqual([second.dModel, second.nLayers], [512, 8]);
  assert.match(v.snippet, /n_params: 201326592\n {4}n_tokens: 4000000000\n {4}d_model: 1024\n {4}n_layers: 16/);
  assert.match(v.snippet, /\[2\.00, 2\.30\] now, \[2\.05, 2\.15\] expected/);
  const plain = buildPlanView(fit, data, { status: 'ready', result: result(C) });
  assert.ok(plain?.snippet && !/d_model/.test(plain.snippet), 'no architecture pattern, no d_model');
});

test('the user’s budget, objective and max runs are shown before the plan; the plan shows what it used', () => {
  const { fit, data } = chinchillaFit();
  const choice = { targetC: 1e22, budget: 3e20, objective: 'n_opt', maxRuns: 5 } as const;
  const idle = buildPlanView(fit, data, { status: 'idle', ...choice });
  assert.deepEqual(
    [idle?.targetC, idle?.budget, idle?.budgetIsDefault, idle?.objective, idle?.maxRuns],
    [1e22, 3e20, false, 'n_opt', 5],
  );
  const used = { ...result(1e22), objective: 'n_opt' as const, budget: 3e20 };
  const ready = buildPlanView(fit, data, { status: 'ready', ...choice, result: used });
  assert.ok(ready);
  assert.equal(ready.result?.objective, 'n_opt');
  assert.match(ready.message, /budget of 3\.00e\+20 FLOPs: the 95% interval of the compute-optimal N at the target/);
  const byDefault = buildPlanView(fit, data, { status: 'ready', result: result(1e22) });
  assert.match(
    byDefault?.message ?? '',
    /budget of 1\.00e\+20 FLOPs \(the default, 1% of the target\): .* of the loss at/,
  );
});

test('the planner’s warnings reach the view; running, errors and unplannable fits say so', () => {
  const { fit, data } = chinchillaFit();
  const warned = buildPlanView(fit, data, { status: 'ready', result: result(1e22, ['not identifiable: …']) });
  assert.ok(warned?.result);
  assert.deepEqual(warned.warnings, ['not identifiable: …']);
  assert.equal(warned.result.identifiable, false);
  assert.equal(buildPlanView(fit, data, { status: 'running' })?.status, 'running');
  assert.match(buildPlanView(fit, data, { status: 'error', error: 'boom' })?.message ?? '', /Planning failed: boom/);
  assert.match(buildPlanView({ ...fit, law: 'kaplan' }, data, undefined)?.message ?? '', /chinchilla/);
  assert.match(buildPlanView({ ...fit, draws: fit.draws?.slice(0, 5) }, data, undefined)?.message ?? '', /bootstrap/);
});

test('the panel state carries the plan, so a restored panel shows it', () => {
  const { fit, data } = chinchillaFit();
  const s = buildPanelState(
    { fit, dataset: data, plan: { status: 'ready', result: result(1e22) } },
    defaultViewOptions(),
    1,
  );
  assert.equal(s.plan?.status, 'ready');
  assert.equal(buildPanelState({}, defaultViewOptions(), 1).plan, undefined);
  const idle = buildPanelState({ fit, dataset: data }, defaultViewOptions(), 2);
  assert.equal(diffPanelState(idle, s), undefined, 'a changed plan is sent as a full state');
  assert.ok(diffPanelState(idle, { ...idle, builtAt: 3 }), 'an unchanged plan leaves deltas alone');
});
