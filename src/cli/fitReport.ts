import type { DesignReport, FitDataset, FitResult, HoldoutPoint, IntervalQuality } from '../contract/fit';
import { formatReportNumber, pct, table } from './format';
import { BOOT_MODE_WORDS } from '../core/fit/bootstrap';

/** The `fit --json` contract (issue #3), keys in the documented order; optional parts only when present. */
export interface FitJson {
  law: string;
  params: Record<string, { value: number; ci95?: [number, number] }>;
  objective: number;
  n_points: number;
  n_runs: number;
  metrics: { rmse_log: number; r2: number; aic: number; bic: number };
  compute_optimal?: {
    a: number;
    b: number;
    G: number;
    ci95?: { a: [number, number]; b: [number, number]; G: [number, number] };
  };
  holdout?: { are_mean: number; points: HoldoutPoint[] };
  warnings: string[];
  elapsed_ms: number;
  /** Issue #11 additions, after the original keys so existing readers see the same prefix. */
  interval_quality?: IntervalQuality;
  design?: DesignJson;
  quality?: 'poor';
}

/** The design diagnostics (issue #13): each check with its measurement and one line of advice. */
export interface DesignJson {
  configurations: number;
  parameters: number;
  identifiable?: boolean;
  reason?: string;
  joint_domain?: { N: [number, number]; D: [number, number]; tokens_per_param: [number, number]; C: [number, number] };
  exponent_conditioning?: number | null;
  checks: { name: string; value: string; ok: boolean; advice: string }[];
}

function designJson(d: DesignReport): DesignJson {
  return {
    configurations: d.configurations,
    parameters: d.parameters,
    ...(d.identifiable === undefined ? {} : { identifiable: d.identifiable }),
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.joint
      ? {
          joint_domain: { N: d.joint.N, D: d.joint.D, tokens_per_param: d.joint.tokensPerParam, C: d.joint.C },
        }
      : {}),
    // JSON has no Infinity: a design with constant D/N has an unbounded conditioning, written as null.
    ...(d.exponentConditioning === undefined
      ? {}
      : { exponent_conditioning: Number.isFinite(d.exponentConditioning) ? d.exponentConditioning : null }),
    checks: d.checks.map((c) => ({ name: c.name, value: c.value, ok: c.ok, advice: c.advice })),
  };
}

/** The one mapping from the engine's result to the documented snake_case JSON. */
export function fitJson(r: FitResult): FitJson {
  const params: FitJson['params'] = {};
  for (const [k, p] of Object.entries(r.params))
    params[k] = p.ci95 ? { value: p.value, ci95: p.ci95 } : { value: p.value };
  // Optional blocks sit before "warnings" so the key order matches the documented contract.
  return {
    law: r.law,
    params,
    objective: r.objective,
    n_points: r.nPoints,
    n_runs: r.nRuns,
    metrics: { rmse_log: r.metrics.rmseLog, r2: r.metrics.r2, aic: r.metrics.aic, bic: r.metrics.bic },
    ...(r.computeOptimal ? { compute_optimal: { ...r.computeOptimal } } : {}),
    ...(r.holdout ? { holdout: { are_mean: r.holdout.areMean, points: r.holdout.points } } : {}),
    warnings: r.warnings,
    elapsed_ms: r.elapsedMs,
    ...(r.intervalQuality ? { interval_quality: r.intervalQuality } : {}),
    ...(r.design ? { design: designJson(r.design) } : {}),
    ...(r.quality ? { quality: r.quality } : {}),
  };
}

const range = (ci: [number, number]): string => `[${formatReportNumber(ci[0])}, ${formatReportNumber(ci[1])}]`;

/** The human report: what was fitted, parameters with intervals, fit quality, trust diagnostics, backtest, warnings. */
export function printFit(r: FitResult, data: FitDataset, out: (s: string) => void): void {
  const o = r.options;
  const objective = `${o.loss === 'huber' ? `Huber (δ=${formatReportNumber(o.delta)})` : 'least squares'} on ${o.space} residuals`;
  out(
    `${r.law} fit of ${data.yName} on ${data.xNames.join(', ')}: ${r.nPoints} points from ${r.nRuns} run${r.nRuns === 1 ? '' : 's'}, ${objective}${o.bootstrap ? `, ${o.bootstrap} bootstrap resamples${r.diagnostics.bootstrapMode ? ` of ${BOOT_MODE_WORDS[r.diagnostics.bootstrapMode]}` : ''}` : ''}`,
  );
  out(`  ${r.formula}`);
  out('');
  const rows = [['param', 'value', o.bootstrap ? '95% interval' : '']];
  for (const [k, p] of Object.entries(r.params))
    rows.push([
      k,
      formatReportNumber(p.value),
      p.ci95 ? `[${formatReportNumber(p.ci95[0])}, ${formatReportNumber(p.ci95[1])}]` : '',
    ]);
  for (const line of table(rows)) out(line.trimEnd());
  out('');
  const m = r.metrics;
  out(
    `fit quality: rmse_log ${formatReportNumber(m.rmseLog)}  R² ${formatReportNumber(m.r2)}  AIC ${formatReportNumber(m.aic)}  BIC ${formatReportNumber(m.bic)}  objective ${formatReportNumber(r.objective)}`,
  );
  const d = r.diagnostics;
  const trust = [`${d.startsReachingBest} of ${d.starts} starts reached the best objective`];
  if (d.conditionNumber !== undefined) trust.push(`condition number ${formatReportNumber(d.conditionNumber, 2)}`);
  trust.push(d.atBounds.length ? `at bounds: ${d.atBounds.join(', ')}` : 'no parameter at a bound');
  out(`optimum: ${trust.join('; ')}`);
  const domain = Object.entries(r.domain).map(
    ([k, [lo, hi]]) => `${k} ${formatReportNumber(lo)}…${formatReportNumber(hi)}`,
  );
  if (domain.length) out(`data domain: ${domain.join(', ')}`);
  if (r.computeOptimal) {
    const c = r.computeOptimal;
    out(
      `compute-optimal (C = 6ND): N_opt = G·(C/6)^a, D_opt = (C/6)^b / G with a = ${formatReportNumber(c.a)}, b = ${formatReportNumber(c.b)}, G = ${formatReportNumber(c.G)}`,
    );
    if (c.ci95)
      out(
        `  95% intervals: a ${range(c.ci95.a)}, b ${range(c.ci95.b)}, G ${range(c.ci95.G)}${r.design?.identifiable === false ? ' (not identifiable from these runs: vary tokens per parameter)' : ''}`,
      );
  }
  if (r.intervalQuality) out(`intervals: ${r.intervalQuality}${r.intervalQuality === 'ok' ? '' : ' (see warnings)'}`);
  if (r.design) {
    out('design:');
    for (const c of r.design.checks) out(`  ${c.ok ? 'ok  ' : 'weak'} ${c.value}${c.advice ? `: ${c.advice}` : ''}`);
  }
  if (r.comparison && r.comparison.length > 1) {
    out('');
    out('laws compared (auto):');
    const crows = [['law', 'leave-one-size-out ARE', 'backtest ARE', 'AIC', 'BIC', 'rmse_log']];
    for (const c of r.comparison)
      crows.push([
        `${c.law === r.law ? '* ' : '  '}${c.law}`,
        c.cvError === undefined ? '–' : `${pct(c.cvError)} (${c.cvFolds ?? 0} sizes)`,
        c.areMean === undefined ? '–' : pct(c.areMean),
        formatReportNumber(c.aic),
        formatReportNumber(c.bic),
        formatReportNumber(c.rmseLog),
      ]);
    for (const line of table(crows)) out(line.trimEnd());
  }
  if (r.holdout) {
    out('');
    out(
      `backtest: ${r.holdout.points.length} held-out point${r.holdout.points.length === 1 ? '' : 's'} (largest runs), mean absolute relative error ${pct(r.holdout.areMean)}`,
    );
    const hrows = [['run', ...data.xNames, 'observed', 'predicted', 'ARE']];
    for (const h of r.holdout.points)
      hrows.push([
        h.runId,
        ...data.xNames.map((x) => formatReportNumber(h.x[x])),
        formatReportNumber(h.y),
        formatReportNumber(h.predicted),
        pct(h.are),
      ]);
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
  out(`(fit took ${Math.round(r.elapsedMs)} ms)`);
}
