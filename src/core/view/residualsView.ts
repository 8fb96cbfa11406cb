/**
 * Residuals of the fit against the scaling plot's x variable: ln(observed / fitted) when the fit minimised log
 * residuals (the default; ≈ relative error), observed − fitted otherwise. A trend here is what a wrong law form
 * looks like; the held-out (backtest) points show how the fit extrapolates.
 */
import type { ChartSlot, Row, ViewOptions } from '../../contract/panel';
import type { FitDataset, FitResult } from '../../contract/fit';
import { lawEvaluator } from './lawEval';
import { plottedX, scalingChoices } from './scalingView';
import { axis, countRows, layeredSpec, quantitative, scale, token, zoomParam, type Layer } from './specParts';

export function residualsChart(
  fit: FitResult | undefined,
  data: FitDataset | undefined,
  options: ViewOptions,
): ChartSlot {
  if (!fit || !data) return { available: false, reason: 'No fit yet: residuals appear after the first fit.' };
  if (fit.law === 'lr_annealing')
    return {
      available: false,
      reason: 'Residuals of an lr_annealing fit are per schedule step; see the learning curves.',
    };
  const choices = scalingChoices(fit, data);
  const v = options.scalingX && choices.includes(options.scalingX) ? options.scalingX : choices[0];
  const evaluate = lawEvaluator(fit);
  const logSpace = fit.options.space === 'log';
  const held = new Map((fit.holdout?.points ?? []).map((h) => [`${h.runId}|${h.y}`, h.predicted]));
  const rows: Row[] = [];
  for (const p of data.points) {
    const x = plottedX(p.x, v);
    const fitted = evaluate(p.x);
    if (!(x > 0) || !Number.isFinite(fitted) || !Number.isFinite(p.y)) continue;
    if (logSpace && !(p.y > 0 && fitted > 0)) continue;
    const r = logSpace ? Math.log(p.y / fitted) : p.y - fitted;
    const backtest = held.get(`${p.runId}|${p.y}`);
    rows.push({
      run: p.runId,
      x,
      y: r,
      observed: p.y,
      fitted,
      step: p.step ?? null,
      role: backtest === undefined ? 'fitted' : 'held out',
      backtest: backtest ?? null,
    });
  }
  if (!rows.length)
    return { available: false, reason: 'No residual can be computed: the law gives no finite value at the data.' };
  const yTitle = logSpace ? `ln(observed / fitted) ${data.yName}` : `observed − fitted ${data.yName}`;
  const xTitle = v === 'C' && !data.xNames.includes('C') ? 'C (FLOPs, 6·N·D)' : v;
  const x = quantitative('x', options.axes.residuals.x, xTitle);
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    scale: scale('linear', true),
    axis: { ...axis(yTitle), format: logSpace ? '+.1%' : '+~g', labelExpr: 'datum.label' },
  };
  const layers: Layer[] = [
    {
      name: 'zero',
      data: { values: [{ zero: 0 }] },
      mark: { type: 'rule', color: token('muted'), strokeDash: [4, 3] },
      encoding: { y: { field: 'zero', type: 'quantitative' } },
    },
    {
      name: 'points',
      data: { name: 'residuals' },
      params: [zoomParam()],
      mark: { type: 'point', filled: true, size: 55, opacity: 0.9, cursor: 'pointer' },
      encoding: {
        x,
        y,
        color: {
          field: 'run',
          type: 'nominal',
          title: 'run',
          legend: new Set(rows.map((r) => r.run)).size > 20 ? null : { labelLimit: 260 },
        },
        shape: {
          field: 'role',
          type: 'nominal',
          title: 'points',
          scale: { domain: ['fitted', 'held out'], range: ['circle', 'cross'] },
        },
        tooltip: [
          { field: 'run', type: 'nominal' },
          { field: 'x', type: 'quantitative', title: xTitle, format: '.3e' },
          { field: 'observed', type: 'quantitative', format: '.4f' },
          { field: 'fitted', type: 'quantitative', format: '.4f' },
          { field: 'y', type: 'quantitative', title: 'residual', format: logSpace ? '+.2%' : '+.4f' },
          { field: 'role', type: 'nominal' },
          { field: 'backtest', type: 'quantitative', title: 'backtest prediction', format: '.4f' },
        ],
      },
    },
  ];
  const data2 = { residuals: rows };
  const total = countRows(data2);
  const caption = `${logSpace ? 'log residuals (≈ relative error)' : 'residuals'} of the ${fit.law} fit against ${xTitle}; crosses: runs held out for the backtest (residual against the full fit)`;
  return {
    available: true,
    spec: layeredSpec(layers, { resolve: { scale: { color: 'independent' } } }),
    data: data2,
    title: 'Residuals',
    subtitle: [],
    caption,
    drawn: total,
    total,
  };
}
