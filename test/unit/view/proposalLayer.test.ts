// The Plan view's proposed runs appear on the scaling and IsoFLOP plots, at the loss the fit predicts for them, only
// once the plan for the current fit is finished.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChartModel, ChartSlot, JsonObject } from '../../../src/contract/panel';
import { defaultViewOptions } from '../../../src/contract/panel';
import type { PlanResult } from '../../../src/contract/plan';
import { lawEvaluator } from '../../../src/core/view/lawEval';
import { buildPanelState } from '../../../src/core/view/panelState';
import { chinchillaFit } from './fixtures';

const run = (N: number, D: number) => ({ N, D, C: 6 * N * D, tokensPerParam: D / N });
const plan: PlanResult = {
  target: { C: 1e23 },
  objective: 'loss',
  budget: 1e21,
  estimate: 2.1,
  intervalNow: [2.0, 2.3],
  expectedInterval: [2.05, 2.15],
  proposals: [
    { ...run(1e9, 8e10), expectedInterval: [2.03, 2.2] },
    { ...run(5e8, 2e10), expectedInterval: [2.05, 2.15] },
  ],
  alternatives: [],
  identifiable: true,
  warnings: [],
};

function drawn(slot: ChartSlot): ChartModel {
  assert.ok(slot.available, 'the chart is drawn');
  return slot;
}
const layerNames = (m: ChartModel) => ((m.spec.layer ?? []) as JsonObject[]).map((l) => l.name);

test('a finished plan draws its runs on the scaling plot at the predicted loss, with cost share and interval', () => {
  const { fit, data } = chinchillaFit();
  const state = buildPanelState({ fit, dataset: data, plan: { status: 'ready', result: plan } }, defaultViewOptions());
  const scaling = drawn(state.charts.scaling);
  assert.ok(layerNames(scaling).includes('proposals'));
  const rows = scaling.data.proposals;
  assert.equal(rows.length, 2);
  const evaluate = lawEvaluator(fit);
  for (const [i, p] of plan.proposals.entries()) {
    assert.equal(rows[i].x, p.C, 'the scaling plot of a chinchilla fit is drawn against C');
    assert.ok(Math.abs((rows[i].y as number) - evaluate({ N: p.N, D: p.D, C: p.C })) < 1e-12);
    assert.equal(rows[i].share, p.C / plan.target.C);
  }
  assert.equal(rows[0].after, '[2.03, 2.2]');
  assert.match(scaling.caption, /Plan view proposes/);

  const byN = drawn(
    buildPanelState(
      { fit, dataset: data, plan: { status: 'ready', result: plan } },
      { ...defaultViewOptions(), scalingX: 'N' },
    ).charts.scaling,
  );
  assert.deepEqual(
    byN.data.proposals.map((r) => r.x),
    plan.proposals.map((p) => p.N),
  );
});

test('the IsoFLOP view draws the proposals against N, inside its y range', () => {
  const { fit, data } = chinchillaFit();
  const iso = drawn(
    buildPanelState({ fit, dataset: data, plan: { status: 'ready', result: plan } }, defaultViewOptions()).charts
      .isoflop,
  );
  assert.ok(layerNames(iso).includes('proposals'));
  const rows = iso.data.proposals;
  assert.deepEqual(
    rows.map((r) => r.N),
    plan.proposals.map((p) => p.N),
  );
  const points = (iso.spec.layer as JsonObject[]).find((l) => l.name === 'points') as JsonObject;
  const domain = (((points.encoding as JsonObject).y as JsonObject).scale as JsonObject).domain as number[];
  for (const r of rows) assert.ok((r.y as number) >= domain[0] && (r.y as number) <= domain[1], 'inside the y range');
});

test('no plan, a running plan or an empty one: no proposal layer', () => {
  const { fit, data } = chinchillaFit();
  for (const p of [
    undefined,
    { status: 'running' as const },
    { status: 'ready' as const, result: { ...plan, proposals: [] } },
  ]) {
    const state = buildPanelState({ fit, dataset: data, plan: p }, defaultViewOptions());
    for (const slot of [state.charts.scaling, state.charts.isoflop]) {
      const m = drawn(slot);
      assert.ok(!layerNames(m).includes('proposals'));
      assert.deepEqual(m.data.proposals, []);
    }
  }
});
