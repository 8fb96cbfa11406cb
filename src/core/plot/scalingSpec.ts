import type { FitDataset, FitPoint, FitResult, ParamEstimate } from '../../contract/fit';
import { chinchillaOptimal } from '../laws/chinchilla';
import { lawFor } from '../laws/registry';
import { formatTick, logGrid, percentile } from './plotMath';
import { curveSpec } from './curveSpec';
import type { Encoding, FieldDef, Layer, Row, ScalingPlot, ScalingSpec } from './vlTypes';

/**
 * The scaling plot as a Vega-Lite spec: observed points on log–log axes, the fitted law across the data, the
 * extrapolation dashed out to a target, the 95% band from the bootstrap draws, held-out (backtest) points marked.
 * Pure (no node or DOM imports): the CLI renders it to SVG/HTML and the panel embeds the same spec.
 * Data sets are named ("points", "curve", "band") and returned beside the spec, so a view can swap them live.
 */
export interface ScalingPlotOptions {
  /** The variable on the x axis. Default: C for chinchilla (loss against compute with the compute-optimal curve), else the first x. */
  x?: string;
  /** Extend the fitted line (dashed) to this x value; default one decade beyond the data. */
  target?: number;
  /** Curves drawn for other variables' levels (e.g. loss vs N at several D); default 5. */
  maxLevels?: number;
  width?: number;
  height?: number;
}

export type { ScalingPlot } from './vlTypes';

type Params = Record<string, number>;

const HELD = 'held out';

const values = (p: Record<string, ParamEstimate>): Params =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.value]));

/** x value of a point on the plotted axis; C of an (N, D) point is 6·N·D. */
function plotted(p: FitPoint, v: string): number {
  if (v in p.x) return p.x[v];
  if (v === 'C' && 'N' in p.x && 'D' in p.x) return 6 * p.x.N * p.x.D;
  return NaN;
}

/** Grid rows for one curve: the fitted span solid, the extrapolated span dashed (sharing the joining point). */
function segments(lo: number, hi: number, target: number): { x: number; segment: 'fit' | 'extrapolation' }[] {
  const rows: { x: number; segment: 'fit' | 'extrapolation' }[] = logGrid(lo, hi, 80).map((x) => ({
    x,
    segment: 'fit',
  }));
  if (target > hi) rows.push(...logGrid(hi, target, 40).map((x) => ({ x, segment: 'extrapolation' as const })));
  if (target < lo) rows.unshift(...logGrid(target, lo, 40).map((x) => ({ x, segment: 'extrapolation' as const })));
  return rows;
}

export function scalingSpec(fit: FitResult, data: FitDataset, opts: ScalingPlotOptions = {}): ScalingPlot {
  // Whole-curve fits are shown as loss against step, one curve per run.
  if (fit.law === 'lr_annealing' && data.curves && Object.keys(data.curves).length) return curveSpec(fit, data, opts);
  const law = lawFor(fit.law, fit.custom, { breaks: fit.breaks, xNames: fit.variables ?? data.xNames });
  const xs = data.xNames;
  const optimalMode =
    fit.law === 'chinchilla' && (opts.x ?? 'C') === 'C' && !xs.includes('C') && xs.includes('N') && xs.includes('D');
  const v = opts.x ?? (optimalMode ? 'C' : xs[0]);
  if (!optimalMode && !xs.includes(v))
    throw new Error(
      `cannot plot against "${v}": the fit's variables are ${xs.join(', ')}${fit.law === 'chinchilla' ? ' (or C for the compute-optimal view)' : ''}`,
    );
  const others = optimalMode ? [] : xs.filter((n) => n !== v);
  const held = new Set(
    (fit.holdout?.points ?? []).map((h) => `${h.runId}|${plotted({ x: h.x, y: h.y, runId: h.runId }, v)}|${h.y}`),
  );
  const points: Row[] = [];
  for (const p of data.points) {
    const x = plotted(p, v);
    if (!(x > 0) || !Number.isFinite(p.y)) continue;
    const row: Row = {
      x,
      y: p.y,
      run: p.runId,
      step: p.step ?? null,
      role: held.has(`${p.runId}|${x}|${p.y}`) ? HELD : 'fitted',
    };
    for (const o of others) row[o] = p.x[o];
    points.push(row);
  }
  if (!points.length) throw new Error('nothing to plot: no point has positive x and finite y');
  const px = points.map((r) => r.x as number);
  const lo = Math.min(...px);
  const hi = Math.max(...px);
  const target = opts.target && opts.target > 0 ? opts.target : hi * 10;
  const best = values(fit.params);
  const draws = fit.draws ?? [];
  const curve: Row[] = [];
  const band: Row[] = [];
  let description: string;

  if (optimalMode) {
    // Loss along the compute-optimal allocation: every point of the curve is the best (N, D) for that budget.
    const optimum = (params: Params, C: number) =>
      chinchillaOptimal({ E: params.E, A: params.A, B: params.B, alpha: params.alpha, beta: params.beta }, C).loss;
    for (const s of segments(lo, hi, target)) {
      curve.push({ x: s.x, y: optimum(best, s.x), segment: s.segment, series: 'compute-optimal' });
      if (draws.length)
        addBand(
          band,
          s.x,
          draws.map((d) => optimum(d, s.x)),
        );
    }
    description = `${data.yName} vs C = 6·N·D with the compute-optimal curve L(N_opt(C), D_opt(C))`;
  } else if (!others.length) {
    for (const s of segments(lo, hi, target)) {
      curve.push({ x: s.x, y: law.evaluate(best, { [v]: s.x }), segment: s.segment, series: 'fit' });
      if (draws.length)
        addBand(
          band,
          s.x,
          draws.map((d) => law.evaluate(d, { [v]: s.x })),
        );
    }
    description = `${data.yName} vs ${v}`;
  } else {
    // One curve per level of the other variables (e.g. loss vs N at several D), levels spread over the data.
    for (const level of levelsOf(data.points, others, opts.maxLevels ?? 5)) {
      const label = others.map((o) => `${o}=${formatTick(level[o])}`).join(', ');
      for (const s of segments(lo, hi, target)) {
        const row: Row = { x: s.x, y: law.evaluate(best, { ...level, [v]: s.x }), segment: s.segment, series: label };
        for (const o of others) row[o] = level[o];
        curve.push(row);
      }
    }
    description = `${data.yName} vs ${v}, one curve per level of ${others.join(', ')}`;
  }

  const logY = points.every((r) => (r.y as number) > 0) && curve.every((r) => typeof r.y === 'number' && r.y > 0);
  const xField: FieldDef = {
    field: 'x',
    type: 'quantitative',
    title: optimalMode ? 'C (FLOPs, 6·N·D)' : v,
    scale: { type: 'log', nice: false },
    axis: {
      format: Math.max(hi, target) >= 1e5 ? '.0e' : '~g',
      grid: true,
      ...decadeTicks(Math.min(lo, target), Math.max(hi, target)),
    },
  };
  const yField: FieldDef = {
    field: 'y',
    type: 'quantitative',
    title: data.yName,
    scale: logY ? { type: 'log', nice: false } : { zero: false },
  };
  const single = others.length === 1 ? others[0] : undefined;
  const runs = new Set(points.map((r) => r.run)).size;
  // Colour tells runs apart when runs hold several points; one point per run (a table of rows) needs no colour key.
  const pointColor: Encoding['color'] = single
    ? { field: single, type: 'quantitative', title: single, scale: { type: 'log', scheme: 'viridis' } }
    : runs < points.length && runs <= 20
      ? { field: 'run', type: 'nominal', title: 'run' }
      : { value: '#4c78a8' };
  const layers: Layer[] = [];
  if (band.length) {
    layers.push({
      name: 'band',
      data: { name: 'band' },
      mark: { type: 'area', opacity: 0.2, color: '#4c78a8' },
      encoding: { x: xField, y: { ...yField, field: 'lo', title: data.yName }, y2: { field: 'hi' } },
    });
  }
  layers.push({
    name: 'curve',
    data: { name: 'curve' },
    mark: { type: 'line', strokeWidth: 2, clip: true },
    encoding: {
      x: xField,
      y: yField,
      color: single
        ? { field: single, type: 'quantitative', scale: { type: 'log', scheme: 'viridis' }, legend: null }
        : { value: '#333333' },
      strokeDash: {
        field: 'segment',
        type: 'nominal',
        title: 'law',
        scale: {
          domain: ['fit', 'extrapolation'],
          range: [
            [1, 0],
            [6, 4],
          ],
        },
      },
      detail: { field: 'series', type: 'nominal' },
      tooltip: [
        { field: 'series', type: 'nominal' },
        { field: 'x', type: 'quantitative', format: '.3e' },
        { field: 'y', type: 'quantitative', format: '.4f' },
      ],
    },
  });
  layers.push({
    name: 'points',
    data: { name: 'points' },
    mark: { type: 'point', filled: true, size: 40, opacity: 0.85 },
    encoding: {
      x: xField,
      y: yField,
      color: pointColor,
      shape: {
        field: 'role',
        type: 'ordinal',
        title: 'points',
        scale: { domain: ['fitted', HELD], range: ['circle', 'cross'] },
      },
      size: { field: 'role', type: 'ordinal', title: 'points', scale: { domain: ['fitted', HELD], range: [40, 140] } },
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'x', type: 'quantitative', title: optimalMode ? 'C' : v, format: '.3e' },
        { field: 'y', type: 'quantitative', title: data.yName, format: '.4f' },
        { field: 'role', type: 'nominal' },
      ],
    },
  });
  const paramItems = Object.entries(fit.params).map(
    ([k, p]) => `${k}=${formatTick(p.value)}${p.ci95 ? ` [${formatTick(p.ci95[0])}, ${formatTick(p.ci95[1])}]` : ''}`,
  );
  // Three parameters per subtitle line keeps the title no wider than the plot.
  const paramLines = Array.from({ length: Math.ceil(paramItems.length / 3) }, (_, i) =>
    paramItems.slice(i * 3, i * 3 + 3).join('   '),
  );
  const notes = [
    `${fit.nPoints} points, ${fit.nRuns} runs${optimalMode ? '; line: loss at the compute-optimal N, D' : ''}${band.length ? '; band: 95% bootstrap interval' : ''}`,
  ];
  // The line is the fit on all points; only the backtest's refit left the held-out points out.
  if (points.some((r) => r.role === HELD))
    notes.push('crosses: held out by the backtest (the line is the fit on all points)');
  const spec: ScalingSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `${fit.law}: ${fit.formula}`, subtitle: [...paramLines, ...notes] },
    width: opts.width ?? 560,
    height: opts.height ?? 360,
    layer: layers,
    resolve: single ? undefined : { scale: { color: 'independent' } },
    config: { legend: { symbolLimit: 20 } },
    usermeta: { generator: 'scaling-lens' },
  };
  if (!spec.resolve) delete spec.resolve;
  return { spec, data: { points, curve, band }, description };
}

/** Ticks at powers of ten when the axis spans at least two decades; otherwise Vega's own ticks read better. */
function decadeTicks(lo: number, hi: number): { values?: number[] } {
  const a = Math.ceil(Math.log10(lo) - 1e-9);
  const b = Math.floor(Math.log10(hi) + 1e-9);
  if (!(b - a >= 2) || b - a > 40) return {};
  return { values: Array.from({ length: b - a + 1 }, (_, i) => Number(`1e${a + i}`)) };
}

function addBand(band: Row[], x: number, ys: number[]): void {
  const finite = ys.filter((y) => Number.isFinite(y)).sort((a, b) => a - b);
  if (finite.length < 2) return;
  band.push({ x, lo: percentile(finite, 0.025), hi: percentile(finite, 0.975) });
}

/** Distinct combinations of the other variables, thinned to `max` spread evenly from smallest to largest. */
function levelsOf(points: FitPoint[], names: string[], max: number): Record<string, number>[] {
  const seen = new Map<string, Record<string, number>>();
  for (const p of points) {
    const level = Object.fromEntries(names.map((n) => [n, p.x[n]]));
    seen.set(JSON.stringify(level), level);
  }
  const all = [...seen.values()].sort((a, b) => a[names[0]] - b[names[0]]);
  if (all.length <= max) return all;
  return Array.from({ length: max }, (_, i) => all[Math.round((i * (all.length - 1)) / (max - 1))]);
}
