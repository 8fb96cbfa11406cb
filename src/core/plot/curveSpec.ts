import type { FitDataset, FitResult } from '../../contract/fit';
import { annealingAreas, DEFAULT_LAMBDA } from '../laws/lrAnnealing';
import { lawFor } from '../laws/registry';
import { formatTick, percentile } from './plotMath';
import type { Layer, Row, ScalingPlot, ScalingSpec } from './vlTypes';

/**
 * The plot of a whole-curve fit (lr_annealing): loss against step for each run, the fitted losses as points, the
 * law's curve through the run's own schedule, and the bootstrap band. Pure, like
 * scalingSpec; the same named data sets ("points", "curve", "band").
 */
export function curveSpec(
  fit: FitResult,
  data: FitDataset,
  opts: { width?: number; height?: number } = {},
): ScalingPlot {
  const curves = Object.entries(data.curves ?? {});
  if (!curves.length) throw new Error('nothing to plot: the fit has no loss curves');
  const law = lawFor(fit.law, fit.custom);
  const theta = law.params.map((p) => fit.params[p.name].value);
  const draws = (fit.draws ?? []).map((d) => law.params.map((p) => d[p.name]));
  const points: Row[] = [];
  const curve: Row[] = [];
  const band: Row[] = [];
  for (const [run, c] of curves) {
    const { S1, S2 } = annealingAreas(c.step, c.lr, fit.lambda ?? DEFAULT_LAMBDA);
    c.step.forEach((step, i) => {
      const k = Math.round(step);
      // The masked warmup (NaN loss) is outside what the law was fitted on, and S1 → 0 there sends it to infinity.
      if (k < 1 || !Number.isFinite(c.loss[i])) return;
      const x = [S1[k], S2[k]];
      // Thin dense logs for the picture; the fit used every point.
      if (i % Math.max(1, Math.floor(c.step.length / 400)) === 0) points.push({ x: step, y: c.loss[i], run });
      curve.push({ x: step, y: law.f(theta, x), run, series: run, segment: 'fit' });
      if (draws.length) {
        const ys = draws
          .map((d) => law.f(d, x))
          .filter(Number.isFinite)
          .sort((a, b) => a - b);
        if (ys.length >= 2) band.push({ x: step, lo: percentile(ys, 0.025), hi: percentile(ys, 0.975), run });
      }
    });
  }
  const x = { field: 'x', type: 'quantitative' as const, title: 'step' };
  const y = { field: 'y', type: 'quantitative' as const, title: data.yName, scale: { zero: false } };
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: 'run',
    legend: curves.length > 20 ? null : { title: 'run' },
  };
  const layers: Layer[] = [];
  if (band.length) {
    layers.push({
      name: 'band',
      data: { name: 'band' },
      mark: { type: 'area', opacity: 0.2 },
      encoding: {
        x,
        y: { ...y, field: 'lo' },
        y2: { field: 'hi' },
        detail: { field: 'run', type: 'nominal' },
        color: { ...color, legend: null },
      },
    });
  }
  layers.push({
    name: 'points',
    data: { name: 'points' },
    mark: { type: 'point', filled: true, size: 12, opacity: 0.5 },
    encoding: { x, y, color },
  });
  layers.push({
    name: 'curve',
    data: { name: 'curve' },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: { x, y, color: { ...color, legend: null }, detail: { field: 'series', type: 'nominal' } },
  });
  const params = Object.entries(fit.params).map(
    ([k, p]) => `${k}=${formatTick(p.value)}${p.ci95 ? ` [${formatTick(p.ci95[0])}, ${formatTick(p.ci95[1])}]` : ''}`,
  );
  const spec: ScalingSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: `${fit.law}: ${fit.formula}`,
      subtitle: [
        params.join('   '),
        `${points.length} points shown from ${curves.length} run${curves.length === 1 ? '' : 's'}; line: the law through each run's schedule${band.length ? '; band: 95% bootstrap interval' : ''}`,
      ],
    },
    width: opts.width ?? 560,
    height: opts.height ?? 360,
    layer: layers,
    usermeta: { generator: 'scaling-lens' },
  };
  return {
    spec,
    data: { points: points, curve, band },
    description: `${data.yName} vs step with the ${fit.law} curve through each run's learning-rate schedule`,
  };
}
