import type { FitDataset, FitResult, HoldoutPoint } from '../contract/fit';
import { formatReportNumber, pct, table } from './format';

/** The `fit --json` contract (issue #3), keys in the documented order; optional parts only when present. */
export interface FitJson {
  law: string;
  params: Record<string, { value: number; ci95?: [number, number] }>;
  objective: number;
  n_points: number;
  n_runs: number;
  metrics: { rmse_log: number; r2: number; aic: number; bic: number };
  compute_optimal?: { a: number; b: number; G: number };
  holdout?: { are_mean: number; points: HoldoutPoint[] };
  warnings: string[];
  elapsed_ms: number;
}

export function fitJson(r: FitResult): FitJson {
  const params: FitJson['params'] = {};
  for (const [k, p] of Object.entries(r.params))
    params[k] = p.ci95 ? { value: p.value, ci95: p.ci95 } : { value: p.value };
  const doc: FitJson = {
    law: r.law,
    params,
    objective: r.objective,
    n_points: r.n_points,
    n_runs: r.n_runs,
    metrics: { rmse_log: r.metrics.rmse_log, r2: r.metrics.r2, aic: r.metrics.aic, bic: r.metrics.bic },
    warnings: r.warnings,
    elapsed_ms: r.elapsed_ms,
  };
  // Insert the optional blocks before "warnings" so the key order matches the documented contract.
  const { warnings, elapsed_ms, ...head } = doc;
  return {
    ...head,
    ...(r.compute_optimal ? { compute_optimal: r.compute_optimal } : {}),
    ...(r.holdout ? { holdout: { are_mean: r.holdout.are_mean, points: r.holdout.points } } : {}),
    warnings,
    elapsed_ms,
  };
}

/** The human report: what was fitted, parameters with intervals, fit quality, trust diagnostics, backtest, warnings. */
export function printFit(r: FitResult, data: FitDataset, out: (s: string) => void): void {
  const o = r.options;
  const objective = `${o.loss === 'huber' ? `Huber (δ=${formatReportNumber(o.delta)})` : 'least squares'} on ${o.space} residuals`;
  out(
    `${r.law} fit of ${data.yName} on ${data.xNames.join(', ')}: ${r.n_points} points from ${r.n_runs} run${r.n_runs === 1 ? '' : 's'}, ${objective}${o.bootstrap ? `, ${o.bootstrap} bootstrap resamples` : ''}`,
  );
  out(`  ${r.formula}`);
  out('');
  const rows = [['param', 'value', o.bootstrap ? '95% interval' : '']];
  for (const [k, p] of Object.entries(r.params))
    rows.push([k, formatReportNumber(p.value), p.ci95 ? `[${formatReportNumber(p.ci95[0])}, ${formatReportNumber(p.ci95[1])}]` : '']);
  for (const line of table(rows)) out(line.trimEnd());
  out('');
  const m = r.metrics;
  out(
    `fit quality: rmse_log ${formatReportNumber(m.rmse_log)}  R² ${formatReportNumber(m.r2)}  AIC ${formatReportNumber(m.aic)}  BIC ${formatReportNumber(m.bic)}  objective ${formatReportNumber(r.objective)}`,
  );
  const d = r.diagnostics;
  const trust = [`${d.startsReachingBest} of ${d.starts} starts reached the best objective`];
  if (d.conditionNumber !== undefined) trust.push(`condition number ${formatReportNumber(d.conditionNumber, 2)}`);
  trust.push(d.atBounds.length ? `at bounds: ${d.atBounds.join(', ')}` : 'no parameter at a bound');
  out(`optimum: ${trust.join('; ')}`);
  const domain = Object.entries(r.domain).map(([k, [lo, hi]]) => `${k} ${formatReportNumber(lo)}…${formatReportNumber(hi)}`);
  if (domain.length) out(`data domain: ${domain.join(', ')}`);
  if (r.compute_optimal) {
    const c = r.compute_optimal;
    out(
      `compute-optimal (C = 6ND): N_opt = G·(C/6)^a, D_opt = (C/6)^b / G with a = ${formatReportNumber(c.a)}, b = ${formatReportNumber(c.b)}, G = ${formatReportNumber(c.G)}`,
    );
  }
  if (r.comparison && r.comparison.length > 1) {
    out('');
    out('laws compared (auto):');
    const crows = [['law', 'backtest ARE', 'AIC', 'BIC', 'rmse_log']];
    for (const c of r.comparison)
      crows.push([
        `${c.law === r.law ? '* ' : '  '}${c.law}`,
        c.are_mean === undefined ? '–' : pct(c.are_mean),
        formatReportNumber(c.aic),
        formatReportNumber(c.bic),
        formatReportNumber(c.rmse_log),
      ]);
    for (const line of table(crows)) out(line.trimEnd());
  }
  if (r.holdout) {
    out('');
    out(
      `backtest: ${r.holdout.points.length} held-out point${r.holdout.points.length === 1 ? '' : 's'} (largest runs), mean absolute relative error ${pct(r.holdout.are_mean)}`,
    );
    const hrows = [['run', ...data.xNames, 'observed', 'predicted', 'ARE']];
    for (const h of r.holdout.points)
      hrows.push([h.runId, ...data.xNames.map((x) => formatReportNumber(h.x[x])), formatReportNumber(h.y), formatReportNumber(h.predicted), pct(h.are)]);
    for (const line of table(hrows)) out(line);
  }
  const defs = Object.entries(data.definitions);
  if (defs.length) {
    out('');
    out('definitions:');
    for (const [k, v] of defs) out(`  ${k}: ${v}`);
  }
  if (r.warnings.length) {
    out('');
    out(`warnings (${r.warnings.length}):`);
    for (const w of r.warnings) out(`  - ${w}`);
  }
  out(`(fit took ${Math.round(r.elapsed_ms)} ms)`);
}
