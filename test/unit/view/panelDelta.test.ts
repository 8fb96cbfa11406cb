import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyPanelDelta,
  defaultViewOptions,
  parseHostMessage,
  type ChartModel,
  type PanelChange,
  type PanelState,
  type Row,
} from '../../../src/contract/panel';
import { changedRows, diffPanelState } from '../../../src/core/view/panelDelta';
import { buildPanelState } from '../../../src/core/view/panelState';
import type { CurveInput } from '../../../src/core/view/types';
import { chinchillaFit, law } from './fixtures';

/** A run's loss curve at size N, `n` points up to D tokens. */
function curve(runId: string, N: number, D: number, n: number): CurveInput {
  const step = Float64Array.from({ length: n }, (_, i) => (i + 1) * 10);
  const tokens = Float64Array.from(step, (s) => (s / step[n - 1]) * D);
  const value = Float64Array.from(tokens, (t, i) => law(N, t) * (1 + 0.02 * Math.sin(i)));
  return { runId, metric: 'train/loss', step, value, tokens, N, D };
}

/** The same curve with `extra` more points logged (a log append). */
function grown(c: CurveInput, extra: number): CurveInput {
  const n = c.step.length + extra;
  const dStep = c.step[1] - c.step[0];
  const dTok = (c.tokens as Float64Array)[1] - (c.tokens as Float64Array)[0];
  const step = Float64Array.from({ length: n }, (_, i) => (i + 1) * dStep);
  const tokens = Float64Array.from({ length: n }, (_, i) => (i + 1) * dTok);
  const value = Float64Array.from(tokens, (t, i) => law(c.N ?? 1e8, t) * (1 + 0.02 * Math.sin(i)));
  return { ...c, step, value, tokens };
}

const runs = (k: number): CurveInput[] =>
  Array.from({ length: k }, (_, i) => curve(`run-${i}`, 1e7 * 1.3 ** i, 2e8 * 1.1 ** i, 300));

function build(curves: CurveInput[], builtAt: number): PanelState {
  const { fit, data } = chinchillaFit();
  return buildPanelState({ fit, dataset: data, curves }, defaultViewOptions(), builtAt);
}

/** Each data set as a sorted list of row JSON: order does not matter to a plot. */
function canonical(state: PanelState): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, slot] of Object.entries(state.charts))
    if (slot.available)
      for (const [name, rows] of Object.entries(slot.data))
        out[`${id}/${name}`] = rows.map((r) => JSON.stringify(r)).sort();
  return out;
}

function roundTrip(prev: PanelState, next: PanelState, changes: PanelChange[]): void {
  const delta = { type: 'delta' as const, base: prev.builtAt, builtAt: next.builtAt, changes };
  const wire = JSON.parse(JSON.stringify(delta)) as unknown;
  const parsed = parseHostMessage(wire);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  assert.equal(parsed.value.type, 'delta');
  const applied = applyPanelDelta(prev, delta);
  assert.deepEqual(canonical(applied), canonical(next));
  assert.deepEqual(applied.summary, next.summary);
  assert.equal(applied.builtAt, next.builtAt);
}

test('a log append to one of many runs is sent as that run’s rows only, and applying it gives the new state', () => {
  const curves = runs(60);
  const prev = build(curves, 1);
  const next = build(
    curves.map((c, i) => (i === 7 ? grown(c, 40) : c)),
    2,
  );
  const changes = diffPanelState(prev, next);
  assert.ok(changes, 'a delta, not the full state');
  const data = changes.filter((c) => c.type === 'seriesChanged');
  assert.ok(data.length >= 1);
  for (const c of data) assert.deepEqual(c.runs, ['run-7'], `${c.chart}/${c.dataset} changes run-7 only`);
  const smoothed = (next.charts.curves as ChartModel).data.smoothed;
  assert.ok(changedRows(changes) < smoothed.length / 10, `${changedRows(changes)} rows sent of ${smoothed.length}`);
  roundTrip(prev, next, changes);
});

test('runs added and removed are their own changes', () => {
  const curves = runs(30);
  const prev = build(curves, 10);
  const next = build([...curves.slice(1), curve('run-new', 3e8, 6e9, 300)], 11);
  const changes = diffPanelState(prev, next);
  assert.ok(changes);
  const smoothedChanges = changes.filter((c) => 'dataset' in c && c.chart === 'curves' && c.dataset === 'smoothed');
  assert.deepEqual(
    smoothedChanges.map((c) => c.type),
    ['runsAdded', 'runsRemoved'],
  );
  const removed = smoothedChanges[1];
  assert.ok(removed.type === 'runsRemoved');
  assert.deepEqual(removed.runs, ['run-0']);
  roundTrip(prev, next, changes);
});

test('a new fit replaces the fit’s data sets and its numbers', () => {
  const curves = runs(10);
  const prev = build(curves, 20);
  const { fit, data } = chinchillaFit();
  const refit = { ...fit, params: { ...fit.params, E: { ...fit.params.E, value: fit.params.E.value * 1.05 } } };
  const next = buildPanelState({ fit: refit, dataset: data, curves }, defaultViewOptions(), 21);
  const changes = diffPanelState(prev, next);
  assert.ok(changes);
  assert.ok(changes.some((c) => c.type === 'fitReplaced'));
  assert.ok(changes.some((c) => c.type === 'datasetReplaced' && c.chart === 'scaling'));
  // The IsoFLOP view's y domain follows the fit: its spec changes, so it is sent whole.
  assert.ok(changes.some((c) => c.type === 'chartReplaced' && c.chart === 'isoflop'));
  roundTrip(prev, next, changes);
});

test('an unchanged state is no change; new options, or changes carrying most rows, need the full state', () => {
  const curves = runs(5);
  const prev = build(curves, 30);
  assert.deepEqual(diffPanelState(prev, build(curves, 31)), []);
  const { fit, data } = chinchillaFit();
  const options = defaultViewOptions();
  options.axes.curves = { x: 'linear', y: 'log' };
  assert.equal(diffPanelState(prev, buildPanelState({ fit, dataset: data, curves }, options, 32)), undefined);
  // Without a fit the learning curves lose their law layer (a new spec holding most rows): the full state is simpler.
  assert.equal(diffPanelState(prev, buildPanelState({ curves }, defaultViewOptions(), 33)), undefined);
});

test('the webview validator rejects malformed deltas and extra fields', () => {
  const row: Row = { run: 'a', x: 1, y: 2 };
  const ok = { type: 'delta', base: 1, builtAt: 2, changes: [] };
  assert.ok(parseHostMessage(ok).ok);
  const bad: [unknown, RegExp][] = [
    [{ ...ok, extra: 1 }, /unexpected field\(s\) extra/],
    [{ ...ok, builtAt: 1 }, /increasing/],
    [{ ...ok, changes: [{ type: 'runsAdded', chart: 'curves', dataset: 'smoothed', rows: [row], more: 1 }] }, /more/],
    [{ ...ok, changes: [{ type: 'runsAdded', chart: 'nope', dataset: 'smoothed', rows: [row] }] }, /unknown chart/],
    [{ ...ok, changes: [{ type: 'runsAdded', chart: 'curves', dataset: 'smoothed', rows: [{ x: {} }] }] }, /flat/],
    [{ ...ok, changes: [{ type: 'runsRemoved', chart: 'curves', dataset: 'smoothed', runs: [3] }] }, /run ids/],
    [{ ...ok, changes: [{ type: 'explode', chart: 'curves', dataset: 'smoothed' }] }, /unknown change type/],
    [
      {
        ...ok,
        changes: [{ type: 'header', title: 't', status: { kind: 'odd', message: '' }, xChoices: [], excludedCount: 0 }],
      },
      /status/,
    ],
    [{ type: 'status', status: { kind: 'ready', message: 'x' }, extra: true }, /extra/],
  ];
  for (const [message, error] of bad) {
    const parsed = parseHostMessage(message);
    assert.ok(!parsed.ok, JSON.stringify(message));
    assert.match(parsed.error, error);
  }
});

test('a delta for a plot that is not drawn cannot be applied', () => {
  const prev = buildPanelState({}, defaultViewOptions(), 40);
  assert.throws(
    () =>
      applyPanelDelta(prev, {
        type: 'delta',
        base: 40,
        builtAt: 41,
        changes: [{ type: 'runsAdded', chart: 'curves', dataset: 'smoothed', rows: [] }],
      }),
    /not drawn/,
  );
});
