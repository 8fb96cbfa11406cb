import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defaultViewOptions,
  type ChartModel,
  type ChartSlot,
  type JsonObject,
  type PanelState,
} from '../../../src/contract/panel';
import { fitDataset } from '../../../src/core/fit/engine';
import { predict } from '../../../src/core/fit/predict';
import { chinchillaOptimal } from '../../../src/core/laws/chinchilla';
import { CURVE_POINT_BUDGET } from '../../../src/core/view/curvesView';
import { optimalN } from '../../../src/core/view/isoflopView';
import { lawEvaluator } from '../../../src/core/view/lawEval';
import { buildPanelState } from '../../../src/core/view/panelState';
import type { CurveInput } from '../../../src/core/view/types';
import { chinchillaData, chinchillaFit, law } from './fixtures';

function model(slot: ChartSlot): ChartModel {
  assert.ok(slot.available, slot.available ? '' : slot.reason);
  return slot;
}

function layers(spec: JsonObject): JsonObject[] {
  return spec.layer as JsonObject[];
}

/** A run's loss curve following the law at its N, with `n` points and tokens logged. */
function curveFor(runId: string, N: number, D: number, n: number, extra: Partial<CurveInput> = {}): CurveInput {
  const step = Float64Array.from({ length: n }, (_, i) => (i + 1) * 10);
  const tokens = Float64Array.from(step, (s) => (s / step[n - 1]) * D);
  const value = Float64Array.from(tokens, (t, i) => law(N, t) * (1 + 0.02 * Math.sin(i)));
  return {
    runId,
    metric: 'train/loss',
    step,
    value,
    tokens,
    N,
    D,
    format: 'jsonl',
    config: { n_layer: 12, lr: 6e-4 },
    ...extra,
  };
}

test('the fast evaluator agrees with predict()', () => {
  const { fit } = chinchillaFit();
  const ev = lawEvaluator(fit);
  for (const at of [
    { N: 1e7, D: 1e9 },
    { N: 3e9, D: 6e10 },
    { N: 5e8, D: 1e8 },
  ]) {
    const p = predict(fit, at).value;
    assert.ok(Math.abs(ev(at) - p) <= 1e-12 * p, `${ev(at)} vs ${p}`);
  }
  assert.ok(Number.isNaN(ev({ N: 1e9 })), 'a missing variable gives NaN, not a throw');
  const power = fitDataset(
    {
      ...chinchillaData(),
      xNames: ['C'],
      points: chinchillaData().points.map((p) => ({ ...p, x: { C: 6 * p.x.N * p.x.D } })),
    },
    { law: 'power', seed: 1 },
  );
  assert.ok(Math.abs(lawEvaluator(power)({ C: 1e20 }) - predict(power, { C: 1e20 }).value) < 1e-9);
});

test('a fitted state draws all four plots, coloured by theme tokens only', () => {
  const { fit, data } = chinchillaFit();
  const excluded = [{ ...data.points[0], runId: 'excluded-run' }];
  const state = buildPanelState(
    {
      fit,
      dataset: data,
      excluded,
      predictions: [predict(fit, { N: 7e9, D: 1.4e11 })],
      curves: [curveFor('run-a', 1e8, 2e9, 500)],
    },
    defaultViewOptions(),
    1,
  );
  for (const id of ['scaling', 'curves', 'isoflop', 'residuals'] as const) model(state.charts[id]);
  const scaling = model(state.charts.scaling);
  assert.equal(scaling.data.points.length, data.points.length);
  assert.ok(scaling.data.band.length > 0, 'the bootstrap band');
  assert.equal(scaling.data.excluded.length, 1);
  assert.equal(scaling.data.excluded[0].role, 'excluded');
  assert.equal(scaling.data.predictions.length, 1);
  assert.ok(typeof scaling.data.predictions[0].lo === 'number' && typeof scaling.data.predictions[0].hi === 'number');
  assert.equal(scaling.spec.title, undefined, 'the title travels beside the spec');
  assert.match(scaling.title, /chinchilla/);
  const json = JSON.stringify(Object.values(state.charts).map((c) => (c.available ? c.spec : null)));
  assert.doesNotMatch(json, /#4c78a8|#333333|#333"/i, 'no fixed colours left');
  assert.match(json, /theme:blue/);
  assert.equal(state.excludedCount, 1);
  assert.deepEqual(state.xChoices, ['C', 'N', 'D']);
  assert.equal(state.status.kind, 'ready');
});

test('every spec compiles with Vega-Lite without a warning', async () => {
  const vl = await import('vega-lite');
  const { fit, data } = chinchillaFit();
  const state = buildPanelState(
    {
      fit,
      dataset: data,
      predictions: [predict(fit, { C: 1e22 })],
      curves: [curveFor('a', 1e8, 2e9, 300), curveFor('b', 1e9, 2e10, 300, { targetTokens: 4e10 })],
    },
    defaultViewOptions(),
  );
  for (const [id, slot] of Object.entries(state.charts)) {
    const c = model(slot);
    const warnings: string[] = [];
    const logger = {
      level: () => logger,
      warn: (...a: unknown[]) => warnings.push(a.join(' ')),
      info: () => logger,
      debug: () => logger,
      error: (...a: unknown[]) => warnings.push(a.join(' ')),
    };
    const compiled = vl.compile({ ...c.spec, datasets: c.data } as unknown as Parameters<typeof vl.compile>[0], {
      logger: logger as unknown as NonNullable<Parameters<typeof vl.compile>[1]>['logger'],
    });
    assert.ok(compiled.spec.marks && compiled.spec.marks.length > 0, `${id}: marks`);
    assert.deepEqual(warnings, [], `${id}: warnings`);
  }
});

test('IsoFLOP optima match the closed-form compute-optimal allocation', () => {
  const { fit, data } = chinchillaFit();
  const iso = model(buildPanelState({ fit, dataset: data }, defaultViewOptions()).charts.isoflop);
  const p = Object.fromEntries(Object.entries(fit.params).map(([k, v]) => [k, v.value])) as {
    E: number;
    A: number;
    B: number;
    alpha: number;
    beta: number;
  };
  assert.ok(iso.data.optima.length >= 3);
  for (const o of iso.data.optima) {
    const exact = chinchillaOptimal(p, o.C as number);
    assert.ok(Math.abs((o.N as number) / exact.nOpt - 1) < 1e-5, `N_opt ${o.N} vs ${exact.nOpt}`);
    assert.ok(Math.abs((o.y as number) - exact.loss) < 1e-9);
  }
  assert.equal(
    optimalN(() => 1, 1e20, 1e6, 1e10),
    undefined,
    'a flat law has no interior optimum',
  );
});

test('residuals are ln(observed / fitted), and held-out runs are marked', () => {
  const { fit, data } = chinchillaFit();
  const res = model(buildPanelState({ fit, dataset: data }, defaultViewOptions()).charts.residuals);
  const ev = lawEvaluator(fit);
  assert.equal(res.data.residuals.length, data.points.length);
  for (const r of res.data.residuals) {
    const p = data.points.find((q) => q.runId === r.run);
    assert.ok(p);
    assert.ok(Math.abs((r.y as number) - Math.log(p.y / ev(p.x))) < 1e-12);
  }
  assert.equal(res.data.residuals.filter((r) => r.role === 'held out').length, fit.holdout?.points.length);
});

test('a 100k-point curve is drawn with a bounded number of points; the law and the training run’s end are overlaid', () => {
  const { fit } = chinchillaFit();
  const long = curveFor('long', 3e8, 6e9, 100_000, { targetTokens: 1.2e10 });
  const t = Date.now();
  const state = buildPanelState({ fit, curves: [long, curveFor('short', 1e8, 2e9, 200)] }, defaultViewOptions());
  const ms = Date.now() - t;
  const c = model(state.charts.curves);
  assert.equal(c.total, 100_200);
  assert.ok(c.drawn <= CURVE_POINT_BUDGET, `${c.drawn} drawn`);
  assert.ok(c.data.smoothed.filter((r) => r.run === 'long').length <= 2000);
  assert.equal(c.data.smoothed.filter((r) => r.run === 'short').length, 200, 'short curves are not thinned');
  assert.ok(c.data.law.some((r) => r.run === 'long'));
  assert.equal(c.data.targets.length, 1);
  const target = c.data.targets[0];
  assert.equal(target.run, 'long');
  assert.ok(Math.abs((target.y as number) - predict(fit, { N: 3e8, D: 1.2e10 }).value) < 1e-12);
  assert.ok((target.lo as number) <= (target.y as number) && (target.y as number) <= (target.hi as number));
  assert.match(c.caption, /still training/);
  assert.match(c.caption, /of 100,200 points drawn/);
  assert.ok(ms < 2000, `built in ${ms} ms`);
});

test('curves: smoothing, steps, missing tokens and non-positive values', () => {
  const withTokens = curveFor('a', 1e8, 2e9, 50);
  const noTokens: CurveInput = { ...curveFor('b', 1e8, 2e9, 50), tokens: undefined, D: undefined };
  const opts = { ...defaultViewOptions(), smoothing: 0 };
  let c = model(buildPanelState({ curves: [withTokens, noTokens] }, opts).charts.curves);
  assert.equal(c.data.raw.length, 0, 'no faint raw curve without smoothing');
  assert.match(c.caption, /1 run\(s\) without token counts left out/);
  c = model(buildPanelState({ curves: [withTokens, noTokens] }, { ...opts, curveX: 'step' }).charts.curves);
  assert.equal(new Set(c.data.smoothed.map((r) => r.run)).size, 2, 'both runs against steps');
  const slot = buildPanelState({ curves: [noTokens] }, opts).charts.curves;
  assert.equal(slot.available, false);
  const negative: CurveInput = {
    ...withTokens,
    value: Float64Array.from(withTokens.value, (v, i) => (i === 3 ? -1 : v)),
  };
  c = model(buildPanelState({ curves: [negative] }, defaultViewOptions()).charts.curves);
  const y = ((layers(c.spec)[0].encoding as JsonObject).y as JsonObject).scale as JsonObject;
  assert.equal(y.type, 'linear');
  assert.match(c.caption, /y axis linear/);
});

test('axis toggles and the x variable reach every layer of the scaling plot', () => {
  const { fit, data } = chinchillaFit();
  const opts = defaultViewOptions();
  opts.axes.scaling = { x: 'linear', y: 'linear' };
  opts.scalingX = 'N';
  const s = model(buildPanelState({ fit, dataset: data }, opts).charts.scaling);
  for (const l of layers(s.spec)) {
    const enc = l.encoding as JsonObject;
    for (const ch of ['x', 'y']) {
      const def = enc[ch] as JsonObject | undefined;
      if (!def) continue;
      assert.equal((def.scale as JsonObject).type, 'linear');
      assert.equal((def.axis as JsonObject).values, undefined, 'no decade ticks on a linear axis');
    }
  }
  assert.equal(
    ((layers(s.spec).find((l) => l.name === 'points')?.encoding as JsonObject).x as JsonObject).axis &&
      s.data.points[0].x,
    data.points[0].x.N,
  );
  const logged = model(buildPanelState({ fit, dataset: data }, defaultViewOptions()).charts.scaling);
  const x = (layers(logged.spec).find((l) => l.name === 'points')?.encoding as JsonObject).x as JsonObject;
  assert.deepEqual(
    (x.axis as JsonObject).values,
    [1e16, 1e17, 1e18, 1e19, 1e20, 1e21],
    'a tick per decade over the data and the extrapolation',
  );
  const unknown = buildPanelState({ fit, dataset: data }, { ...defaultViewOptions(), scalingX: 'nonsense' });
  assert.ok(unknown.charts.scaling.available, 'an unknown variable falls back to the default');
});

test('without a fit the plots that need one say why; the summary is absent', () => {
  const state: PanelState = buildPanelState({}, defaultViewOptions());
  for (const id of ['scaling', 'isoflop', 'residuals', 'curves'] as const) {
    const slot = state.charts[id];
    assert.equal(slot.available, false);
    if (!slot.available) assert.ok(slot.reason.length > 10);
  }
  assert.equal(state.summary, undefined);
  assert.equal(state.status.kind, 'empty');
});

test('the summary carries intervals, metrics, backtest, comparison and predictions', () => {
  const { fit, data } = chinchillaFit();
  const s = buildPanelState(
    { fit, dataset: data, predictions: [predict(fit, { N: 7e9, D: 1.4e11 })] },
    defaultViewOptions(),
  ).summary;
  assert.ok(s);
  assert.deepEqual(
    s.params.map((p) => p.name),
    ['E', 'A', 'B', 'alpha', 'beta'],
  );
  assert.ok(s.params.every((p) => p.ci95 && p.ci95[0] <= p.value && p.value <= p.ci95[1]));
  assert.equal(s.holdout?.points.length, 2);
  assert.equal(s.predictions[0].at, 'N=7e9, D=1.4e11');
  assert.equal(s.predictions[0].regime, 'extrapolation');
  assert.ok(s.diagnostics.some((d) => /solver starts/.test(d)));
  assert.equal(s.yName, 'val_loss');
});
