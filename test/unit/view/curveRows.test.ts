import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultViewOptions, type ChartModel, type ChartSlot, type Row } from '../../../src/contract/panel';
import { curvesChart } from '../../../src/core/view/curvesView';
import { diffPanelState } from '../../../src/core/view/panelDelta';
import { buildPanelState } from '../../../src/core/view/panelState';
import type { CurveInput } from '../../../src/core/view/types';
import { chinchillaFit, law } from './fixtures';

function model(slot: ChartSlot): ChartModel {
  assert.ok(slot.available, slot.available ? '' : slot.reason);
  return slot;
}

function curve(runId: string, N: number, n: number): CurveInput {
  const step = Float64Array.from({ length: n }, (_, i) => (i + 1) * 10);
  const tokens = Float64Array.from(step, (s) => s * 1e5);
  return { runId, metric: 'loss', step, value: Float64Array.from(tokens, (t) => law(N, t)), tokens, N };
}

/** The same run with one more point logged: a new input object, as runCurves.ts makes after an append. */
function appended(c: CurveInput): CurveInput {
  const n = c.step.length + 1;
  const step = Float64Array.from({ length: n }, (_, i) => (i + 1) * 10);
  const tokens = Float64Array.from(step, (s) => s * 1e5);
  return { ...c, step, tokens, value: Float64Array.from(tokens, (t) => law(c.N ?? 1e8, t)) };
}

const byRun = (rows: Row[], run: string): Row[] => rows.filter((r) => r.run === run);

test('an append rebuilds the appended run’s rows only: the others keep their row objects', () => {
  const curves = Array.from({ length: 300 }, (_, i) => curve(`run-${i}`, 1e7 * (1 + (i % 7)), 40));
  const opts = defaultViewOptions();
  const before = model(curvesChart(curves, undefined, opts));
  const next = [...curves];
  next[17] = appended(curves[17]);
  const after = model(curvesChart(next, undefined, opts));
  for (const run of ['run-0', 'run-16', 'run-18', 'run-299']) {
    const a = byRun(before.data.smoothed, run);
    const b = byRun(after.data.smoothed, run);
    assert.ok(a.length > 0 && a.every((r, i) => r === b[i]), `${run}: the same row objects`);
  }
  const changed = byRun(after.data.smoothed, 'run-17');
  assert.ok(!changed.some((r) => before.data.smoothed.includes(r)), 'the appended run has new rows');
  assert.equal(changed.at(-1)?.x, 410 * 1e5, 'ending at the appended point');
});

test('other options or another fit rebuild every run’s rows', () => {
  const curves = [curve('a', 1e8, 50), curve('b', 3e8, 50)];
  const opts = defaultViewOptions();
  const first = model(curvesChart(curves, undefined, opts)).data.smoothed;
  const steps = model(curvesChart(curves, undefined, { ...opts, curveX: 'step' })).data.smoothed;
  assert.ok(!steps.some((r) => first.includes(r)), 'new rows against steps');
  assert.equal(steps.at(-1)?.x, 500, 'x is the step');
  const { fit } = chinchillaFit();
  const fitted = model(curvesChart(curves, fit, opts));
  assert.ok(fitted.data.law.length > 0, 'the law is drawn once there is a fit');
  assert.ok(!fitted.data.smoothed.some((r) => first.includes(r)), 'new rows for the new fit');
});

test('tooltip points carry their numbers formatted; the tooltip only reads fields', () => {
  const c = model(curvesChart([curve('a', 1e8, 30)], undefined, defaultViewOptions()));
  const hover = c.data.smoothed.filter((r) => r.hover === true);
  assert.ok(hover.length > 0);
  const p = hover[hover.length - 1];
  const step = (p.x as number) / 1e5;
  assert.ok(step > 100, `a late point (step ${step})`);
  assert.equal(p.stepText, String(step));
  assert.equal(p.tokensText, `${step / 100}e7`);
  assert.equal(p.smoothedText, (p.y as number).toFixed(4));
  assert.match(String(p.rawText), /^\d+\.\d{4}$/);
  const tip = JSON.stringify(c.spec).match(/"tooltip":\{"expr":"([^"\\]|\\.)*"\}/)?.[0] ?? '';
  assert.match(tip, /datum\.stepText/);
  assert.doesNotMatch(tip, /format\(/, 'no format() call per point');
});

test('a log append at 1,000 runs is a delta of that run’s rows', () => {
  const { fit, data } = chinchillaFit();
  const curves = Array.from({ length: 1000 }, (_, i) => curve(`run-${i}`, 1e7 * (1 + (i % 9)), 100));
  const opts = defaultViewOptions();
  const a = buildPanelState({ fit, dataset: data, curves }, opts, 1);
  const next = [...curves];
  next[500] = appended(curves[500]);
  const b = buildPanelState({ fit, dataset: data, curves: next }, opts, 2);
  const changes = diffPanelState(a, b);
  assert.ok(changes, 'a delta, not the whole state');
  const data2 = changes.filter((c) => c.type === 'seriesChanged');
  assert.deepEqual(
    data2.map((c) => [c.chart, c.dataset, c.runs]),
    [['curves', 'smoothed', ['run-500']]],
  );
  assert.equal(b.charts.isoflop, a.charts.isoflop, 'the plots of the fit alone are not rebuilt');
  assert.equal(b.charts.residuals, a.charts.residuals);
});

test('above 200 runs the smoothed curves are one path: each run ends with a break row, drawn in data order', () => {
  const curves = Array.from({ length: 201 }, (_, i) => curve(`run-${i}`, 1e7 * (1 + (i % 7)), 30));
  const c = model(curvesChart(curves, undefined, defaultViewOptions()));
  const rows = byRun(c.data.smoothed, 'run-5');
  assert.equal(rows.at(-1)?.y, null, 'the run ends with a break');
  assert.ok(rows.slice(0, -1).every((r) => typeof r.y === 'number'));
  assert.equal(c.data.smoothed.filter((r) => r.y === null).length, 201, 'one break per run');
  assert.equal(c.drawn, c.data.smoothed.length - 201, 'breaks are not counted as drawn points');
  const smoothed = (c.spec.layer as { name: string; encoding: Record<string, unknown> }[]).find(
    (l) => l.name === 'smoothed',
  );
  assert.ok(smoothed);
  assert.deepEqual(smoothed.encoding.order, { value: null }, 'no sort: the rows come in order');
  assert.deepEqual(
    smoothed.encoding.detail,
    { field: 'band', type: 'quantitative' },
    'a path per size band, not per run',
  );
  const fewer = model(curvesChart(curves.slice(0, 200), undefined, defaultViewOptions()));
  assert.ok(!fewer.data.smoothed.some((r) => r.y === null), 'at 200 runs a line per run, no breaks');
});

test('dense curves are coloured by model size: one band per half-decade of N, one colour when an N is unknown', () => {
  const sizes = [1.2e7, 2.9e7, 4e7, 9.9e7, 1.5e8, 7e8];
  const curves = Array.from({ length: 240 }, (_, i) => curve(`run-${i}`, sizes[i % sizes.length], 20));
  const c = model(curvesChart(curves, undefined, defaultViewOptions()));
  const bandOf = (run: string) => new Set(byRun(c.data.smoothed, run).map((r) => r.band));
  assert.deepEqual(
    sizes.map((_, i) => [...bandOf(`run-${i}`)]),
    [[1e7], [1e7], [10 ** 7.5], [10 ** 7.5], [1e8], [10 ** 8.5]],
    'every row of a run (break row included) carries its half-decade',
  );
  const layer = (m: ChartModel) =>
    (m.spec.layer as { name: string; mark: Record<string, unknown>; encoding: Record<string, unknown> }[]).find(
      (l) => l.name === 'smoothed',
    );
  const smoothed = layer(c);
  assert.equal((smoothed?.encoding.stroke as { field?: string } | undefined)?.field, 'band');
  assert.equal(smoothed?.mark.color, undefined, 'the colour comes from the size');
  assert.match(c.caption, /coloured by model size/);

  const unknown = [...curves];
  unknown[3] = { ...curves[3], N: undefined };
  const one = model(curvesChart(unknown, undefined, defaultViewOptions()));
  assert.ok(!one.data.smoothed.some((r) => 'band' in r), 'no bands when a run has no N');
  assert.equal(layer(one)?.encoding.stroke, undefined);
  assert.equal(typeof layer(one)?.mark.color, 'string', 'one theme colour');
  assert.match(one.caption, /one colour above 200 runs/);
});
