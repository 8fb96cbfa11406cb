// A new page's first message leaves out large learning curves; the delta right behind it puts them back, so the
// page ends up holding exactly the state the host built.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPanelDelta, defaultViewOptions, parseHostMessage, type PanelState } from '../../../src/contract/panel';
import { CURVES_PENDING, DEFER_CURVES_ABOVE_ROWS, firstPaintMessages } from '../../../src/core/view/firstPaint';
import { buildPanelState } from '../../../src/core/view/panelState';
import { countRows } from '../../../src/core/view/specParts';
import type { CurveInput } from '../../../src/core/view/types';
import { chinchillaFit, law } from './fixtures';

function curves(runs: number, points: number): CurveInput[] {
  return Array.from({ length: runs }, (_, r) => {
    const N = 1e7 * (1 + r);
    const step = Float64Array.from({ length: points }, (_, i) => (i + 1) * 10);
    const tokens = Float64Array.from(step, (s) => s * 1e5);
    return { runId: `run-${r}`, metric: 'loss', step, tokens, value: Float64Array.from(tokens, (t) => law(N, t)), N };
  });
}

function stateWith(runs: number, points: number): PanelState {
  const { fit, data } = chinchillaFit();
  return buildPanelState({ fit, dataset: data, curves: curves(runs, points) }, defaultViewOptions(), 1_000);
}

test('large learning curves follow the state in a delta; applied, the page holds the state the host built', () => {
  const state = stateWith(12, 2_000);
  assert.ok(state.charts.curves.available);
  assert.ok(countRows(state.charts.curves.data) > DEFER_CURVES_ABOVE_ROWS);
  const { now, next } = firstPaintMessages(state);
  assert.ok(now.type === 'state' && next?.type === 'delta');
  for (const m of [now, next]) assert.ok(parseHostMessage(JSON.parse(JSON.stringify(m))).ok, 'each validates');
  assert.deepEqual(now.state.charts.curves, { available: false, reason: CURVES_PENDING });
  assert.equal(now.state.charts.scaling, state.charts.scaling, 'the scaling plot goes out at once');
  assert.ok(JSON.stringify(now).length < JSON.stringify(state).length / 2, 'the first message is the small one');
  assert.deepEqual(applyPanelDelta(now.state, next), state);
});

test('small learning curves go with the state in one message', () => {
  const state = stateWith(3, 50);
  assert.deepEqual(firstPaintMessages(state), { now: { type: 'state', state } });
});
