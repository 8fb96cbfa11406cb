/**
 * Learning curves: each run's loss against tokens (or steps), raw and EMA-smoothed, with the fitted law's curve at
 * the run's N dashed over it and, for runs still training, the predicted loss at the planned end with its 95%
 * interval ("will this run get there?"). Long curves are thinned for drawing: the raw curve by a min/max envelope
 * (noise and spikes stay visible), the smoothed one by LTTB (its shape stays exact).
 */
import type { ChartSlot, Row, ViewOptions } from '../../contract/panel';
import type { FitResult } from '../../contract/fit';
import { contextKey, runRows, type CurveContext } from './curveRows';
import { fitVariables, lawEvaluator } from './lawEval';
import { countRows, layeredSpec, quantitative, token, zoomParam, type Layer } from './specParts';
import type { CurveInput } from './types';

/** Points drawn over all runs; each run gets an equal share, within [MIN_PER_RUN, MAX_PER_RUN]. */
export const CURVE_POINT_BUDGET = 8_000;
// With many runs each gets few points (the total stays bounded: one update must stay fast at 1,000 runs).
const MIN_PER_RUN = 8;
/**
 * Above this many runs the plot is dense: the faint raw envelopes and the per-run law curves are left out (a
 * thousand of them hide the data and double the marks Vega lays out), and the smoothed curves are drawn as one
 * path per half-decade of model size, coloured by N (a colour per run repeats every ten runs, and a mark per run
 * costs Vega a dataflow per run: most of the first draw at 1,000 runs); the tooltips still name each run. When a
 * run's N is unknown, all are drawn in one colour.
 */
const DENSE_ABOVE_RUNS = 200;
/** A line in data order, unsorted: Vega-Lite documents `order: {value: null}` for it, its types allow numbers only. */
const DATA_ORDER = { value: null } as unknown as { value: number };
// About one point per pixel of a wide panel: more are invisible but still cost SVG nodes.
const MAX_PER_RUN = 1_200;
/** Dense plots colour by model size on the theme's blue→orange ramp, as the IsoFLOP view colours compute. */
const SIZE_COLOUR = {
  field: 'band',
  type: 'quantitative' as const,
  title: 'N (parameters)',
  scale: { type: 'log' as const, range: [token('blue'), token('orange')] },
  legend: { type: 'gradient' as const, format: '.2~s', gradientLength: 160 },
};
/** Invisible hover targets carry the tooltips; more than this adds DOM nodes without adding readable tooltips. */
const HOVER_BUDGET = 1_000;

/**
 * Marks of the per-point layers evaluate no expression per point: Vega-Lite's validity test moves from each mark
 * (`defined`, re-run on every redraw) into a data filter (run once per inserted row), and the ARIA description of
 * each point is left out (the plot has one label; a line's points have none worth reading). Under the CSP's
 * expression interpreter these were most of an update's cost at 1,000 runs.
 */
const PER_POINT = { invalid: 'filter', aria: false } as const;

/** The hover points' tooltip: a Vega object expression over the rows' preformatted fields. */
function hoverTooltip(yTitle: string): string {
  const fields: [string, string][] = [
    ['run', 'run'],
    ['step', 'stepText'],
    ['tokens', 'tokensText'],
    [`${yTitle} (raw)`, 'rawText'],
    [`${yTitle} (smoothed)`, 'smoothedText'],
  ];
  return `{${fields.map(([label, field]) => `${JSON.stringify(label)}: datum.${field}`).join(', ')}}`;
}

export function curvesChart(curves: CurveInput[], fit: FitResult | undefined, options: ViewOptions): ChartSlot {
  if (!curves.length)
    return { available: false, reason: 'No learning curves: no run logs a loss with steps or tokens.' };
  const axes = options.axes.curves;
  const w = options.smoothing;
  const perRun = Math.max(MIN_PER_RUN, Math.min(MAX_PER_RUN, Math.floor(CURVE_POINT_BUDGET / curves.length)));
  // Tooltip targets: every hoverEvery-th point of each run. It depends on the run count only, so a log append
  // changes that run's rows and nothing else (the webview then redraws one series).
  const hoverEvery = Math.max(1, Math.ceil((perRun * curves.length) / HOVER_BUDGET));
  const ctx: CurveContext = {
    curveX: options.curveX,
    space: axes.x,
    smoothing: w,
    perRun,
    hoverEvery,
    // The law's curve is smooth: 60 points per run at most, fewer when many runs share the budget.
    lawPoints: Math.max(8, Math.min(60, perRun)),
    withRaw: curves.length <= DENSE_ABOVE_RUNS,
    withLaw: curves.length <= DENSE_ABOVE_RUNS,
    breaks: curves.length > DENSE_ABOVE_RUNS,
    bySize: curves.length > DENSE_ABOVE_RUNS && curves.every((c) => c.N !== undefined && c.N > 0),
    fit,
    evaluate: fit ? lawEvaluator(fit) : undefined,
    vars: fit ? fitVariables(fit) : [],
  };
  const key = contextKey(ctx);
  const raw: Row[] = [];
  const smooth: Row[] = [];
  const law: Row[] = [];
  const targets: Row[] = [];
  const skipped: string[] = [];
  let total = 0;
  let nonPositiveY = false;
  for (const c of curves) {
    const rows = runRows(c, ctx, key);
    if (!rows) {
      skipped.push(c.runId);
      continue;
    }
    total += rows.total;
    nonPositiveY ||= rows.nonPositiveY;
    raw.push(...rows.raw);
    smooth.push(...rows.smooth);
    law.push(...rows.law);
    targets.push(...rows.targets);
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
  let runs = 0;
  for (let i = 0; i < smooth.length; i++) if (i === 0 || smooth[i].run !== smooth[i - 1].run) runs++;
  const x = quantitative('x', axes.x, xTitle);
  const y = quantitative('y', logY ? 'log' : 'linear', yTitle);
  // Legend symbols take the first layer's look (the faint raw curve); they are drawn solid and thick instead.
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: 'run',
    legend: runs > 20 ? null : { labelLimit: 260, symbolOpacity: 1, symbolStrokeWidth: 3 },
  };
  const layers: Layer[] = [];
  if (raw.length)
    layers.push({
      name: 'raw',
      data: { name: 'raw' },
      mark: { type: 'line', strokeWidth: 1, opacity: 0.3, clip: true, ...PER_POINT },
      encoding: { x, y, color, detail: { field: 'run' } },
    });
  layers.push(
    ctx.breaks
      ? {
          name: 'smoothed',
          data: { name: 'smoothed' },
          params: [zoomParam()],
          // One path per size band in data order (no sort: each run's points come sorted), lifted at each run's
          // break row.
          mark: {
            type: 'line',
            strokeWidth: 1.25,
            opacity: 0.5,
            ...(ctx.bySize ? {} : { color: token('blue') }),
            clip: true,
            invalid: 'break-paths-filter-domains',
            aria: false,
          },
          encoding: ctx.bySize
            ? { x, y, order: DATA_ORDER, stroke: SIZE_COLOUR, detail: { field: 'band', type: 'quantitative' } }
            : { x, y, order: DATA_ORDER },
        }
      : {
          name: 'smoothed',
          data: { name: 'smoothed' },
          params: [zoomParam()],
          mark: { type: 'line', strokeWidth: 1.75, clip: true, ...PER_POINT },
          encoding: { x, y, color, detail: { field: 'run' } },
        },
  );
  layers.push({
    name: 'hover',
    data: { name: 'smoothed' },
    transform: [{ filter: 'datum.hover' }],
    // The numbers come formatted in the rows (curveRows.ts): the tooltip only reads fields.
    mark: { type: 'point', opacity: 0, size: 60, clip: true, ...PER_POINT, tooltip: { expr: hoverTooltip(yTitle) } },
    encoding: { x, y },
  });
  if (law.length)
    layers.push({
      name: 'law',
      data: { name: 'law' },
      mark: { type: 'line', strokeWidth: 1.25, strokeDash: [5, 4], opacity: 0.9, clip: true, ...PER_POINT },
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
  const data = { raw, smoothed: smooth, law, targets };
  // Break rows are not points.
  const drawn = countRows({ raw, smoothed: smooth }) - (ctx.breaks ? runs : 0);
  const notes = [
    `${yTitle} against ${options.curveX === 'tokens' ? 'tokens' : 'steps'} for ${runs} run(s)`,
    w > 0 ? `EMA smoothing ${w} (debiased)${raw.length ? ', raw curve faint' : ''}` : 'unsmoothed',
    law.length ? 'dashed: the fitted law at each run’s N' : '',
    ctx.breaks
      ? ctx.bySize
        ? `above ${DENSE_ABOVE_RUNS} runs coloured by model size N, by half-decade (hover a curve for its run)`
        : `one colour above ${DENSE_ABOVE_RUNS} runs, not every run knows its N (hover a curve for its run)`
      : '',
    fit && !ctx.withLaw ? `the fitted law per run is drawn up to ${DENSE_ABOVE_RUNS} runs` : '',
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
    spec: layeredSpec(layers, { config: { legend: { symbolLimit: 20 } } }),
    data,
    title: 'Learning curves',
    subtitle: [],
    caption: notes.join('; '),
    drawn,
    total,
  };
}
