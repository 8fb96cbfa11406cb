/**
 * Learning curves: each run's loss against tokens (or steps), raw and EMA-smoothed, with the fitted law's curve at
 * the run's N dashed over it and, for runs still training, the predicted loss at the planned end with its 95%
 * interval ("will this run get there?"). Long curves are thinned for drawing: the raw curve by a min/max envelope
 * (noise and spikes stay visible), the smoothed one by LTTB (its shape stays exact).
 */
import type { ChartSlot, Row, ViewOptions } from '../../contract/panel';
import { formatCompact } from '../../contract/format';
import { predict } from '../fit/predict';
import type { FitResult } from '../../contract/fit';
import { logGrid } from '../plot/plotMath';
import { lttb, minMaxEnvelope, type XSpace } from './downsample';
import { fitVariables, lawEvaluator } from './lawEval';
import { emaSmooth } from './smoothing';
import {
  axis,
  countRows,
  frame,
  finiteOrNull,
  scale,
  toJson,
  token,
  zoomParam,
  type Layer,
  type LayeredSpec,
} from './specParts';
import type { CurveInput } from './types';

/** Points drawn over all runs; each run gets an equal share, within [MIN_PER_RUN, MAX_PER_RUN]. */
export const CURVE_POINT_BUDGET = 8_000;
// With many runs each gets few points (the total stays bounded: one update must stay fast at 1,000 runs).
const MIN_PER_RUN = 8;
/** Above this many runs the faint raw envelopes are left out: overlapping at that density they only cost nodes. */
const RAW_MAX_RUNS = 200;
// About one point per pixel of a wide panel: more are invisible but still cost SVG nodes.
const MAX_PER_RUN = 1_200;
/** Invisible hover targets carry the tooltips; more than this adds DOM nodes without adding readable tooltips. */
const HOVER_BUDGET = 1_000;

interface RunXs {
  xs: Float64Array;
  /** Tokens per step, when known: converts the law's D to the step axis and back. */
  tokensPerStep?: number;
  /** Tokens at each point (measured or estimated), for the law and tooltips. */
  tokens?: Float64Array;
}

function lastFinite(a: ArrayLike<number>): number {
  for (let i = a.length - 1; i >= 0; i--) if (Number.isFinite(a[i])) return a[i];
  return NaN;
}

/**
 * Tokens per step at the latest point that logs both (cumulative tokens over steps: a warm-up with a smaller batch
 * barely moves it by the end), else the run's D over its last step.
 */
function tokensPerStep(c: CurveInput): number | undefined {
  if (c.tokens)
    for (let i = Math.min(c.step.length, c.tokens.length) - 1; i >= 0; i--)
      if (c.step[i] > 0 && c.tokens[i] > 0) return c.tokens[i] / c.step[i];
  const last = lastFinite(c.step);
  return c.D && last > 0 ? c.D / last : undefined;
}

function xsFor(c: CurveInput, curveX: ViewOptions['curveX']): RunXs | undefined {
  const tps = tokensPerStep(c);
  const hasTokens = c.tokens !== undefined && Array.prototype.some.call(c.tokens, (t: number) => t > 0);
  const tokens = hasTokens
    ? Float64Array.from(c.tokens as ArrayLike<number>)
    : tps
      ? Float64Array.from(c.step, (s) => s * tps)
      : undefined;
  if (curveX === 'step') return { xs: Float64Array.from(c.step), tokensPerStep: tps, tokens };
  return tokens ? { xs: tokens, tokensPerStep: tps, tokens } : undefined;
}

/** The fit's variables at (run N, tokens d), or undefined when the law reads something a run does not have. */
function lawPoint(vars: string[], N: number | undefined, d: number): Record<string, number> | undefined {
  if (!vars.includes('D') && !vars.includes('C')) return undefined; // the law does not vary along a run
  const at: Record<string, number> = {};
  for (const v of vars) {
    if (v === 'D') at.D = d;
    else if (v === 'N' && N) at.N = N;
    else if (v === 'C' && N) at.C = 6 * N * d;
    else return undefined;
  }
  return at;
}

export function curvesChart(curves: CurveInput[], fit: FitResult | undefined, options: ViewOptions): ChartSlot {
  if (!curves.length)
    return { available: false, reason: 'No learning curves: no run logs a loss with steps or tokens.' };
  const axes = options.axes.curves;
  const space: XSpace = axes.x;
  const w = options.smoothing;
  const perRun = Math.max(MIN_PER_RUN, Math.min(MAX_PER_RUN, Math.floor(CURVE_POINT_BUDGET / curves.length)));
  // The law's curve is smooth: 60 points per run at most, fewer when many runs share the budget.
  const lawPoints = Math.max(8, Math.min(60, perRun));
  const raw: Row[] = [];
  const smooth: Row[] = [];
  const law: Row[] = [];
  const targets: Row[] = [];
  const skipped: string[] = [];
  let total = 0;
  let nonPositiveY = false;
  const evaluate = fit ? lawEvaluator(fit) : undefined;
  const vars = fit ? fitVariables(fit) : [];
  for (const c of curves) {
    const rx = xsFor(c, options.curveX);
    if (!rx) {
      skipped.push(c.runId);
      continue;
    }
    total += c.value.length;
    const ys = Float64Array.from(c.value);
    for (const y of ys) if (Number.isFinite(y) && y <= 0) nonPositiveY = true;
    const sm = w > 0 ? emaSmooth(ys, w) : ys;
    if (w > 0 && curves.length <= RAW_MAX_RUNS)
      for (const i of minMaxEnvelope(rx.xs, ys, perRun >> 2, space)) raw.push({ run: c.runId, x: rx.xs[i], y: ys[i] });
    for (const i of lttb(rx.xs, sm, perRun, space)) {
      smooth.push({
        run: c.runId,
        x: rx.xs[i],
        y: sm[i],
        raw: finiteOrNull(ys[i]),
        step: finiteOrNull(c.step[i]),
        tokens: finiteOrNull(rx.tokens?.[i]),
      });
    }
    if (!fit || !evaluate || !rx.tokens) continue;
    const firstTok = rx.tokens.find((t) => t > 0) ?? NaN;
    const lastTok = lastFinite(rx.tokens);
    const end = Math.max(lastTok, c.targetTokens ?? 0);
    const toX = (d: number): number =>
      options.curveX === 'tokens' ? d : rx.tokensPerStep ? d / rx.tokensPerStep : NaN;
    if (firstTok > 0 && end > firstTok && lawPoint(vars, c.N, end)) {
      for (const d of logGrid(firstTok, end, lawPoints)) {
        const at = lawPoint(vars, c.N, d);
        const y = at ? evaluate(at) : NaN;
        if (Number.isFinite(y) && Number.isFinite(toX(d))) law.push({ run: c.runId, x: toX(d), y });
      }
    }
    // Still training: the planned end lies beyond the last logged tokens.
    const at = c.targetTokens && c.targetTokens > lastTok * 1.02 ? lawPoint(vars, c.N, c.targetTokens) : undefined;
    if (at && c.targetTokens) {
      try {
        const p = predict(fit, at);
        const lastSmoothed = lastFinite(sm);
        targets.push({
          run: c.runId,
          x: toX(c.targetTokens),
          y: p.value,
          lo: finiteOrNull(p.ci95?.[0]),
          hi: finiteOrNull(p.ci95?.[1]),
          tokens: c.targetTokens,
          progress: `${formatCompact((100 * lastTok) / c.targetTokens, 3)}% of planned tokens`,
          note: `predicted final ${formatCompact(p.value)}${p.ci95 ? ` [${formatCompact(p.ci95[0])}, ${formatCompact(p.ci95[1])}]` : ''}; now ${formatCompact(lastSmoothed)}`,
        });
      } catch {
        // A prediction the law cannot make (a variable out of its domain) is simply not drawn.
      }
    }
  }
  if (!smooth.length)
    return {
      available: false,
      reason: `No learning curve can be drawn against ${options.curveX}: ${skipped.length} run(s) log no token counts. Switch the x axis to steps.`,
    };
  const logY = axes.y === 'log' && !nonPositiveY;
  const metrics = [...new Set(curves.map((c) => c.metric))];
  const yTitle = metrics.length === 1 ? metrics[0] : 'loss';
  const xTitle = options.curveX === 'tokens' ? 'tokens (D)' : 'step';
  const runs = new Set(smooth.map((r) => r.run)).size;
  const x = { field: 'x', type: 'quantitative' as const, scale: scale(space), axis: axis(xTitle) };
  const y = { field: 'y', type: 'quantitative' as const, scale: scale(logY ? 'log' : 'linear'), axis: axis(yTitle) };
  // Legend symbols take the first layer's look (the faint raw curve); they are drawn solid and thick instead.
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: 'run',
    legend: runs > 20 ? null : { labelLimit: 260, symbolOpacity: 1, symbolStrokeWidth: 3 },
  };
  const hoverEvery = Math.max(1, Math.ceil(smooth.length / HOVER_BUDGET));
  const layers: Layer[] = [];
  if (raw.length)
    layers.push({
      name: 'raw',
      data: { name: 'raw' },
      mark: { type: 'line', strokeWidth: 1, opacity: 0.3, clip: true },
      encoding: { x, y, color, detail: { field: 'run' } },
    });
  layers.push({
    name: 'smoothed',
    data: { name: 'smoothed' },
    params: [zoomParam()],
    mark: { type: 'line', strokeWidth: 1.75, clip: true },
    encoding: { x, y, color, detail: { field: 'run' } },
  });
  layers.push({
    name: 'hover',
    data: { name: 'smoothed' },
    transform: hoverEvery > 1 ? [{ filter: `datum.__i % ${hoverEvery} === 0` }] : [],
    mark: { type: 'point', opacity: 0, size: 60, clip: true },
    encoding: {
      x,
      y,
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'step', type: 'quantitative', format: ',d' },
        { field: 'tokens', type: 'quantitative', format: '.3~s' },
        { field: 'raw', type: 'quantitative', title: `${yTitle} (raw)`, format: '.4f' },
        { field: 'y', type: 'quantitative', title: `${yTitle} (smoothed)`, format: '.4f' },
      ],
    },
  });
  if (law.length)
    layers.push({
      name: 'law',
      data: { name: 'law' },
      mark: { type: 'line', strokeWidth: 1.25, strokeDash: [5, 4], opacity: 0.9, clip: true },
      encoding: { x, y, color, detail: { field: 'run' } },
    });
  if (targets.length) {
    const tip = [
      { field: 'run', type: 'nominal' as const },
      { field: 'note', type: 'nominal' as const, title: 'prediction' },
      { field: 'progress', type: 'nominal' as const, title: 'progress' },
      { field: 'tokens', type: 'quantitative' as const, title: 'planned tokens', format: '.3~s' },
    ];
    layers.push({
      name: 'targetIntervals',
      data: { name: 'targets' },
      mark: { type: 'rule', strokeWidth: 2 },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color, tooltip: tip },
    });
    layers.push({
      name: 'targets',
      data: { name: 'targets' },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 120, stroke: token('foreground'), strokeWidth: 1 },
      encoding: { x, y, color, tooltip: tip },
    });
  }
  const spec: LayeredSpec = { ...frame(), layer: layers, config: { legend: { symbolLimit: 20 } } };
  // The hover filter needs a row index; numbering rows here keeps the transform cheap (no window transform).
  smooth.forEach((r, i) => (r.__i = i));
  const data = { raw, smoothed: smooth, law, targets };
  const drawn = countRows({ raw, smoothed: smooth });
  const notes = [
    `${yTitle} against ${options.curveX === 'tokens' ? 'tokens' : 'steps'} for ${runs} run(s)`,
    w > 0 ? `EMA smoothing ${w} (debiased), raw curve faint` : 'unsmoothed',
    law.length ? 'dashed: the fitted law at each run’s N' : '',
    targets.length
      ? `${targets.length} run(s) still training, with the predicted final ${yTitle} and its 95% interval`
      : '',
    skipped.length ? `${skipped.length} run(s) without token counts left out (switch to steps)` : '',
    drawn < total
      ? `${drawn.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} points drawn (min/max envelope and LTTB); fits use all points`
      : '',
    axes.y === 'log' && !logY ? 'y axis linear: some values are not positive' : '',
  ].filter(Boolean);
  return {
    available: true,
    spec: toJson(spec),
    data,
    title: 'Learning curves',
    subtitle: [],
    caption: notes.join('; '),
    drawn,
    total,
  };
}
