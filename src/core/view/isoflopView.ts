/**
 * IsoFLOP view: loss against N at fixed compute budgets C = 6·N·D, the fitted law's iso-compute curves
 * L(N, C/(6N)), and the compute-optimal frontier N_opt(C) through their minima (Hoffmann et al. 2022, Fig. 3).
 * Budgets come from the data when runs were trained on an IsoFLOP grid (≥ 3 sizes at one budget); otherwise five
 * budgets spread over the data's compute range.
 */
import type { ChartSlot, Row, ViewOptions } from '../../contract/panel';
import { formatCompact } from '../../contract/format';
import { groupBudgets, type FrontierPoint } from '../fit/frontier';
import type { FitDataset, FitPoint, FitResult } from '../../contract/fit';
import { logGrid } from '../plot/plotMath';
import { fitVariables, lawEvaluator, type Evaluator } from './lawEval';
import type { PlanResult } from '../../contract/plan';
import { PROPOSALS_CAPTION, PROPOSALS_DATASET, proposalLayer, proposalRows } from './proposalLayer';
import { countRows, LABEL_EXPR, layeredSpec, quantitative, token, zoomParam, type Layer } from './specParts';

const BUDGET_TOLERANCE = 0.1;
const CURVE_POINTS = 60;

/** N and C of a point: C from the point itself or 6·N·D. */
function nc(p: FitPoint): { N: number; C: number } | undefined {
  const N = p.x.N;
  // A point without C (an N, D fit) has no such key: `undefined > 0` is false, so C comes from 6·N·D.
  const C = p.x.C > 0 ? p.x.C : p.x.D ? 6 * N * p.x.D : NaN;
  return N > 0 && C > 0 && Number.isFinite(p.y) ? { N, C } : undefined;
}

/**
 * The N minimising L(N, C/(6N)): a log-spaced scan, then golden-section search between the scan's neighbours.
 * Undefined when the minimum sits at the edge of the scan (the law has no interior optimum there).
 */
export function optimalN(
  evaluate: Evaluator,
  C: number,
  nLo: number,
  nHi: number,
): { N: number; loss: number } | undefined {
  const f = (u: number): number => {
    const N = Math.exp(u);
    const v = evaluate({ N, D: C / (6 * N), C });
    return Number.isFinite(v) ? v : Infinity;
  };
  const a0 = Math.log(nLo);
  const b0 = Math.log(nHi);
  const steps = 200;
  let best = 0;
  let bestV = Infinity;
  for (let i = 0; i <= steps; i++) {
    const v = f(a0 + ((b0 - a0) * i) / steps);
    if (v < bestV) {
      bestV = v;
      best = i;
    }
  }
  if (best === 0 || best === steps || !Number.isFinite(bestV)) return undefined;
  let a = a0 + ((b0 - a0) * (best - 1)) / steps;
  let b = a0 + ((b0 - a0) * (best + 1)) / steps;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let k = 0; k < 60; k++) {
    const c = b - g * (b - a);
    const d = a + g * (b - a);
    if (f(c) < f(d)) b = d;
    else a = c;
  }
  const u = (a + b) / 2;
  return { N: Math.exp(u), loss: f(u) };
}

export function isoflopChart(
  fit: FitResult | undefined,
  data: FitDataset | undefined,
  options: ViewOptions,
  /** The Plan view's finished plan for this fit: its proposed runs are drawn on their budgets' curves. */
  plan?: PlanResult,
): ChartSlot {
  if (!data)
    return { available: false, reason: 'No fit yet: the IsoFLOP view shows the fitted data by compute budget.' };
  const pts = data.points
    .map((p) => ({ p, q: nc(p) }))
    .filter((e): e is { p: FitPoint; q: { N: number; C: number } } => e.q !== undefined);
  if (pts.length < 2)
    return {
      available: false,
      reason: `The IsoFLOP view needs N and D (or C) for each point; this fit uses ${data.xNames.join(', ')}.`,
    };
  // `compute` repeats C under another name: Vega-Lite merges same-field legends across channels (see the colours).
  const points: Row[] = pts.map(({ p, q }) => ({
    run: p.runId,
    N: q.N,
    C: q.C,
    compute: q.C,
    y: p.y,
    step: p.step ?? null,
    role: 'fitted',
  }));
  const Ns = pts.map((e) => e.q.N);
  const Cs = pts.map((e) => e.q.C);
  const nLo = Math.min(...Ns) / 3;
  const nHi = Math.max(...Ns) * 3;
  const groups = groupBudgets(
    pts.map(({ p, q }): FrontierPoint => ({ runId: p.runId, C: q.C, x: q.N, loss: p.y })),
    BUDGET_TOLERANCE,
  ).filter((g) => g.length >= 3);
  const fromGrid = groups.length >= 2;
  const budgets = fromGrid
    ? groups.map((g) => g.reduce((s, p) => s + p.C, 0) / g.length)
    : logGrid(Math.min(...Cs), Math.max(...Cs), 5);
  const curves: Row[] = [];
  const frontier: Row[] = [];
  const optima: Row[] = [];
  let proposed: Row[] = [];
  const vars = fit ? fitVariables(fit) : [];
  const usable =
    fit !== undefined &&
    vars.includes('N') &&
    (vars.includes('D') || vars.includes('C')) &&
    vars.every((v) => v === 'N' || v === 'D' || v === 'C');
  if (fit && usable) {
    const evaluate = lawEvaluator(fit);
    proposed = proposalRows(plan, evaluate, (p) => p.N); // drawn on N, as every layer here
    for (const C of budgets) {
      const label = `C=${formatCompact(C, 3)}`;
      for (const N of logGrid(nLo, nHi, CURVE_POINTS)) {
        const y = evaluate({ N, D: C / (6 * N), C });
        if (Number.isFinite(y)) curves.push({ budget: label, C, N, y });
      }
      const opt = optimalN(evaluate, C, nLo / 100, nHi * 100);
      if (opt)
        optima.push({
          budget: label,
          C,
          N: opt.N,
          y: opt.loss,
          D: C / (6 * opt.N),
          tokensPerParam: C / (6 * opt.N * opt.N),
        });
    }
    for (const C of logGrid(Math.min(...budgets) / 3, Math.max(...budgets) * 3, 40)) {
      const opt = optimalN(evaluate, C, nLo / 100, nHi * 100);
      if (opt) frontier.push({ C, N: opt.N, y: opt.loss });
    }
  }
  const logY =
    options.axes.isoflop.y === 'log' &&
    points.every((r) => (r.y as number) > 0) &&
    curves.every((r) => (r.y as number) > 0);
  const x = quantitative('N', options.axes.isoflop.x, 'N (parameters)');
  // Far from its optimum an iso-compute curve shoots up (tiny D at large N); the y range follows the data and the
  // optima instead, and the curves are clipped at the frame.
  const ys = [...points, ...optima, ...proposed].map((r) => r.y as number);
  const yDomain = [Math.min(...ys) * 0.95, Math.max(...ys) * 1.1];
  const plainY = quantitative('y', logY ? 'log' : 'linear', data.yName);
  const y = { ...plainY, scale: { ...plainY.scale, domain: yDomain } };
  // Compute budgets coloured along a theme-derived ramp, so both light and dark themes keep contrast.
  // Lines colour their stroke and points their fill: two channels, and a legend over both is drawn as a list of
  // every budget. So the points read the same values from another field (no merged legend), one explicit domain
  // keeps both scales identical, and only one of them shows its gradient legend.
  const allC = [...Cs, ...budgets];
  const cScale = {
    type: 'log' as const,
    domain: [Math.min(...allC), Math.max(...allC)],
    range: [token('blue'), token('orange')],
  };
  const legend = { type: 'gradient' as const, format: '.1~e', labelExpr: LABEL_EXPR, gradientLength: 160 };
  const stroke = { field: 'C', type: 'quantitative' as const, title: 'C (FLOPs)', scale: cScale, legend };
  const fill = { ...stroke, field: 'compute', legend: curves.length ? null : legend };
  const layers: Layer[] = [];
  if (curves.length)
    layers.push({
      name: 'isoCurves',
      data: { name: 'curves' },
      mark: { type: 'line', strokeWidth: 1.5, opacity: 0.85, clip: true },
      encoding: { x, y, stroke, detail: { field: 'budget', type: 'nominal' } },
    });
  if (frontier.length)
    layers.push({
      name: 'frontier',
      data: { name: 'frontier' },
      mark: { type: 'line', strokeWidth: 2, strokeDash: [6, 3], color: token('red'), clip: true },
      encoding: { x, y },
    });
  if (optima.length) {
    layers.push({
      name: 'optima',
      data: { name: 'optima' },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 90, color: token('red'), clip: true },
      encoding: {
        x,
        y,
        tooltip: [
          { field: 'budget', type: 'nominal', title: 'budget' },
          { field: 'N', type: 'quantitative', title: 'N_opt', format: '.3~s' },
          { field: 'D', type: 'quantitative', title: 'D_opt', format: '.3~s' },
          { field: 'tokensPerParam', type: 'quantitative', title: 'tokens/param', format: '.1f' },
          { field: 'y', type: 'quantitative', title: `optimal ${data.yName}`, format: '.4f' },
        ],
      },
    });
  }
  if (proposed.length) layers.push(proposalLayer(x, y, data.yName));
  layers.push({
    name: 'points',
    data: { name: 'points' },
    params: [zoomParam()],
    mark: { type: 'point', filled: true, size: 50, stroke: token('foreground'), strokeWidth: 0.5, cursor: 'pointer' },
    encoding: {
      x,
      y,
      fill,
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'N', type: 'quantitative', format: '.3~s' },
        { field: 'C', type: 'quantitative', format: '.3e' },
        { field: 'y', type: 'quantitative', title: data.yName, format: '.4f' },
      ],
    },
  });
  const chartData = { points, curves, frontier, optima, [PROPOSALS_DATASET]: proposed };
  const total = countRows(chartData);
  const caption = [
    `${data.yName} against N, coloured by compute C = 6·N·D`,
    curves.length
      ? `solid: the fitted law at ${budgets.length} ${fromGrid ? 'IsoFLOP budgets of the data' : 'budgets spread over the data'}`
      : fit
        ? `the ${fit.law} law does not vary with N and D, so no iso-compute curves`
        : '',
    frontier.length ? 'dashed: the compute-optimal frontier N_opt(C), diamonds at each budget’s optimum' : '',
    proposed.length ? PROPOSALS_CAPTION : '',
  ]
    .filter(Boolean)
    .join('; ');
  return {
    available: true,
    spec: layeredSpec(layers),
    data: chartData,
    title: 'IsoFLOP view',
    subtitle: [],
    caption,
    drawn: total,
    total,
  };
}
