/**
 * The panel's scaling plot: the shared scaling spec (src/core/plot, also behind `scaling-lens fit --plot`) adapted
 * for a live, themed, clickable view. Added here: theme colour tokens instead of fixed colours, the axis toggles,
 * readable decade labels, zoom/pan, tooltips with each run's config, the excluded points (hollow, clickable to
 * include again) and the user's predictions with their 95% intervals.
 */
import {
  decadeValues,
  type AxisChoice,
  type ChartSlot,
  type JsonObject,
  type JsonValue,
  type Row,
  type ViewOptions,
} from '../../contract/panel';
import type { FitDataset, FitPoint, FitResult, Prediction } from '../../contract/fit';
import type { PlanResult } from '../../contract/plan';
import { formatCompact } from '../../contract/format';
import { scalingSpec } from '../plot/scalingSpec';
import { lastResult } from './lastResult';
import { CHART_HEIGHT, axis, countRows, finiteOrNull, scale, toJson, token, zoomParam } from './specParts';
import type { CurveInput } from './types';
import { lawEvaluator } from './lawEval';
import { PROPOSALS_CAPTION, PROPOSALS_DATASET, proposalLayer, proposalRows } from './proposalLayer';
import { runFacts, tooltipFields, type RunFacts } from './runFacts';

const obj = (v: JsonValue | undefined): JsonObject | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;

/** x of a point on the plotted axis; C of an (N, D) point is 6·N·D (as the scaling spec computes it). */
export function plottedX(x: Record<string, number>, v: string): number {
  if (typeof x[v] === 'number') return x[v];
  if (v === 'C' && typeof x.N === 'number' && typeof x.D === 'number') return 6 * x.N * x.D;
  return NaN;
}

/** Variables the scaling plot can show on x: the fit's, plus C for a chinchilla fit in N and D. */
export function scalingChoices(fit: FitResult | undefined, data: FitDataset | undefined): string[] {
  if (!data) return [];
  const xs = [...data.xNames];
  if (fit?.law === 'chinchilla' && xs.includes('N') && xs.includes('D') && !xs.includes('C')) xs.unshift('C');
  return xs;
}

/**
 * Every layer's x and y: the user's scale type (log only where all values are positive) and readable labels. A log
 * x axis spanning decades gets a tick at each power of ten across everything drawn (excluded points and
 * predictions included, which the shared plot does not know about).
 */
function applyAxes(
  layers: JsonObject[],
  axes: AxisChoice,
  logYPossible: boolean,
  xTitle: string,
  yTitle: string,
  xExtent: [number, number],
): void {
  const decades = axes.x === 'log' ? decadeValues(xExtent[0], xExtent[1]) : undefined;
  for (const layer of layers) {
    const enc = obj(layer.encoding);
    if (!enc) continue;
    for (const ch of ['x', 'y'] as const) {
      const def = obj(enc[ch]);
      if (!def) continue;
      const want = ch === 'x' ? axes.x : logYPossible ? axes.y : 'linear';
      def.scale = scale(want);
      const { values: _ignored, format: _format, ...rest } = obj(def.axis) ?? {};
      def.axis = {
        ...rest,
        ...axis(ch === 'x' ? xTitle : yTitle),
        ...(ch === 'x' && decades ? { values: decades } : {}),
      };
    }
  }
}

function extent(rows: Row[][], field: string): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const set of rows) {
    for (const r of set) {
      const v = r[field];
      if (typeof v === 'number' && v > 0) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return [lo, hi];
}

/** The shared plot's fixed colours (Vega-Lite's defaults, chosen for white paper) become theme tokens. */
const RETHEME: Record<string, string> = {
  '#4c78a8': token('blue'),
  '#333333': token('foreground'),
  '#333': token('foreground'),
};
function retheme(v: JsonValue): JsonValue {
  if (typeof v === 'string') return RETHEME[v.toLowerCase()] ?? v;
  if (Array.isArray(v)) return v.map(retheme);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, retheme(x)]));
  return v;
}

function excludedRows(points: FitPoint[], v: string, facts: RunFacts): Row[] {
  const rows: Row[] = [];
  for (const p of points) {
    const x = plottedX(p.x, v);
    if (!(x > 0) || !Number.isFinite(p.y)) continue;
    rows.push({ x, y: p.y, run: p.runId, step: p.step ?? null, role: 'excluded', ...(facts.rows.get(p.runId) ?? {}) });
  }
  return rows;
}

function predictionRows(preds: Prediction[], v: string, fit: FitResult): Row[] {
  const rows: Row[] = [];
  for (const p of preds) {
    // A chinchilla prediction at a budget C alone was made at the compute-optimal (N, D).
    const at = p.optimal ? { ...p.at, N: p.optimal.nOpt, D: p.optimal.dOpt } : p.at;
    const x = plottedX(at, v);
    if (!(x > 0) || !Number.isFinite(p.value)) continue;
    const label = Object.entries(p.at)
      .map(([k, val]) => `${k}=${formatCompact(val, 3)}`)
      .join(', ');
    rows.push({
      x,
      y: p.value,
      lo: finiteOrNull(p.ci95?.[0]),
      hi: finiteOrNull(p.ci95?.[1]),
      at: label,
      regime:
        p.regime === 'extrapolation'
          ? `extrapolation, ${formatCompact(p.decadesBeyond, 2)} decade${p.decadesBeyond === 1 ? '' : 's'} beyond the data`
          : 'interpolation',
      law: fit.law,
    });
  }
  return rows;
}

/** The plot of the fit alone, kept across log appends (it does not read the curves). */
const plotOf = lastResult((fit: FitResult, data: FitDataset, x: string | undefined, target: number | undefined) =>
  scalingSpec(fit, data, { x, target, height: CHART_HEIGHT }),
);

export function scalingChart(
  fit: FitResult | undefined,
  data: FitDataset | undefined,
  excluded: FitPoint[],
  predictions: Prediction[],
  curves: CurveInput[],
  options: ViewOptions,
  /** The Plan view's finished plan for this fit: its proposed runs are drawn beside the data. */
  plan?: PlanResult,
): ChartSlot {
  if (!fit || !data)
    return { available: false, reason: 'No fit yet. Run “Scaling Lens: Fit Scaling Law…” to fit a law to the runs.' };
  const choices = scalingChoices(fit, data);
  const v = options.scalingX && choices.includes(options.scalingX) ? options.scalingX : undefined;
  let plot;
  try {
    plot = plotOf(fit, data, v, options.target);
  } catch (e) {
    return {
      available: false,
      reason: `The scaling plot cannot be drawn: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const spec = retheme(toJson(plot.spec)) as JsonObject;
  // The title carries the fitted numbers; kept in the spec it would change on every refit and force a re-render.
  delete spec.title;
  const title = plot.spec.title?.text ?? `${fit.law}: ${fit.formula}`;
  const sub = plot.spec.title?.subtitle;
  const subtitle = sub === undefined ? [] : Array.isArray(sub) ? sub : [sub];
  const layers = (Array.isArray(spec.layer) ? spec.layer : []).map(obj).filter((l): l is JsonObject => l !== undefined);
  const facts = runFacts(curves);
  const xName = v ?? (fit.law === 'chinchilla' && choices[0] === 'C' ? 'C' : data.xNames[0]);
  const points: Row[] = plot.data.points.map((r) => ({ ...r, ...(facts.rows.get(String(r.run)) ?? {}) }));
  const excl = excludedRows(excluded, xName, facts);
  const preds = predictionRows(predictions, xName, fit);
  const proposed = plan
    ? proposalRows(plan, lawEvaluator(fit), (p) => plottedX({ N: p.N, D: p.D, C: p.C }, xName))
    : [];
  const ys = [...points, ...excl].map((r) => r.y as number);
  const logYPossible = ys.every((y) => y > 0) && plot.data.curve.every((r) => typeof r.y !== 'number' || r.y > 0);

  for (const layer of layers) {
    const enc = obj(layer.encoding);
    const mark = obj(layer.mark);
    if (layer.name === 'points' && enc) {
      layer.params = [zoomParam()];
      // Roles have no order; an ordinal shape only earns a Vega-Lite warning in the webview's console.
      const shape = obj(enc.shape);
      if (shape && shape.type === 'ordinal') shape.type = 'nominal';
      const tips = Array.isArray(enc.tooltip) ? enc.tooltip : [];
      enc.tooltip = [...tips, ...tooltipFields(), { field: 'step', type: 'quantitative', title: 'step' }];
      if (mark) mark.cursor = 'pointer';
    }
  }
  if (excl.length) {
    layers.push({
      name: 'excluded',
      data: { name: 'excluded' },
      mark: {
        type: 'point',
        shape: 'circle',
        filled: false,
        size: 60,
        strokeWidth: 1.5,
        color: token('muted'),
        cursor: 'pointer',
      },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'y', type: 'quantitative' },
        tooltip: [
          { field: 'run', type: 'nominal' },
          { field: 'x', type: 'quantitative', format: '.3e' },
          { field: 'y', type: 'quantitative', format: '.4f' },
          { field: 'role', type: 'nominal', title: 'excluded: click to include' },
          ...tooltipFields(),
        ],
      },
    });
  }
  if (preds.length) {
    const tip: JsonObject[] = [
      { field: 'at', type: 'nominal', title: 'prediction at' },
      { field: 'y', type: 'quantitative', title: data.yName, format: '.4f' },
      { field: 'lo', type: 'quantitative', title: '95% low', format: '.4f' },
      { field: 'hi', type: 'quantitative', title: '95% high', format: '.4f' },
      { field: 'regime', type: 'nominal' },
    ];
    layers.push({
      name: 'predictionIntervals',
      data: { name: 'predictions' },
      mark: { type: 'rule', color: token('red'), strokeWidth: 2 },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'lo', type: 'quantitative' },
        y2: { field: 'hi' },
        tooltip: tip,
      },
    });
    layers.push({
      name: 'predictions',
      data: { name: 'predictions' },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 110, color: token('red') },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, tooltip: tip },
    });
  }
  if (proposed.length)
    layers.push(
      toJson(proposalLayer({ field: 'x', type: 'quantitative' }, { field: 'y', type: 'quantitative' }, data.yName)),
    );
  // The shared plot names its own x (C with its definition, or step for a whole-curve fit); keep that title.
  const firstX = layers.map((l) => obj(obj(l.encoding)?.x)).find((x) => typeof x?.title === 'string');
  const xTitle =
    typeof firstX?.title === 'string'
      ? firstX.title
      : xName === 'C' && !data.xNames.includes('C')
        ? 'C (FLOPs, 6·N·D)'
        : xName;
  applyAxes(
    layers,
    options.axes.scaling,
    logYPossible,
    xTitle,
    data.yName,
    extent([points, plot.data.curve, excl, preds, proposed], 'x'),
  );
  spec.layer = layers;
  spec.width = 'container';
  spec.autosize = { type: 'fit-x', contains: 'padding' };
  const chartData: Record<string, Row[]> = {
    points,
    curve: plot.data.curve,
    band: plot.data.band,
    excluded: excl,
    predictions: preds,
    [PROPOSALS_DATASET]: proposed,
  };
  const total = countRows(chartData);
  return {
    available: true,
    spec,
    data: chartData,
    title,
    subtitle,
    caption:
      plot.description +
      (excl.length ? `; ${excl.length} excluded point(s) drawn hollow` : '') +
      (proposed.length ? `; ${PROPOSALS_CAPTION}` : ''),
    drawn: total,
    total,
  };
}
