/**
 * The numbers under the plots: each parameter with its 95% interval, the fit's metrics, the law comparison
 * (AIC/BIC and backtest error for every law `auto` tried), the backtest's held-out runs, the user's predictions,
 * and everything the engine warned about, plus solver diagnostics in words.
 */
import { BOOT_MODE_WORDS } from '../fit/bootstrap';
import { designAdvice } from '../fit/design';
import type { FitSummary, PredictionRow } from '../../contract/panel';
import type { FitDataset, FitResult, Prediction } from '../../contract/fit';
import { formatCompact } from '../../contract/format';

function diagnostics(fit: FitResult): string[] {
  const d = fit.diagnostics;
  const out = [`${d.startsReachingBest} of ${d.starts} solver starts reached the best optimum`];
  if (d.conditionNumber !== undefined)
    out.push(
      `condition number ${formatCompact(d.conditionNumber, 3)}${d.conditionNumber > 1e8 ? ' (parameters poorly identified)' : ''}`,
    );
  if (d.atBounds.length) out.push(`at a bound: ${d.atBounds.join(', ')}`);
  if (d.bootstrapMode)
    out.push(
      `bootstrap: ${fit.options.bootstrap} resamples by ${BOOT_MODE_WORDS[d.bootstrapMode]}${d.bootstrapFailures ? `, ${d.bootstrapFailures} failed` : ''}`,
    );
  out.push(
    `${fit.options.loss === 'huber' ? `Huber loss (δ = ${fit.options.delta})` : 'least squares'} on ${fit.options.space} residuals`,
  );
  return out;
}

export function predictionRow(p: Prediction): PredictionRow {
  const row: PredictionRow = {
    at: Object.entries(p.at)
      .map(([k, v]) => `${k}=${formatCompact(v, 3)}`)
      .join(', '),
    value: p.value,
    regime: p.regime,
    decadesBeyond: p.decadesBeyond,
  };
  if (p.ci95) row.ci95 = [p.ci95[0], p.ci95[1]];
  if (p.pi95) row.pi95 = [p.pi95[0], p.pi95[1]];
  if (p.regimeReason) row.regimeReason = p.regimeReason;
  if (p.optimal && !p.optimal.identifiable)
    row.splitNotIdentifiable = p.optimal.reason ?? 'not identifiable from these runs: vary tokens per parameter';
  return row;
}

export function fitSummary(fit: FitResult, data: FitDataset | undefined, predictions: Prediction[]): FitSummary {
  const atBounds = new Set(fit.diagnostics.atBounds);
  const summary: FitSummary = {
    law: fit.law,
    formula: fit.formula,
    latex: fit.latex,
    yName: data?.yName ?? 'y',
    params: Object.entries(fit.params).map(([name, p]) =>
      p.ci95
        ? { name, value: p.value, ci95: [p.ci95[0], p.ci95[1]], atBound: atBounds.has(name) }
        : { name, value: p.value, atBound: atBounds.has(name) },
    ),
    metrics: { rmseLog: fit.metrics.rmseLog, r2: fit.metrics.r2, aic: fit.metrics.aic, bic: fit.metrics.bic },
    nPoints: fit.nPoints,
    nRuns: fit.nRuns,
    comparison: (fit.comparison ?? []).map((c) => ({
      law: c.law,
      aic: c.aic,
      bic: c.bic,
      rmseLog: c.rmseLog,
      ...(c.areMean !== undefined ? { areMean: c.areMean } : {}),
      chosen: c.law === fit.law,
    })),
    predictions: predictions.map(predictionRow),
    warnings: [...fit.warnings],
    diagnostics: diagnostics(fit),
    elapsedMs: fit.elapsedMs,
  };
  if (fit.holdout)
    summary.holdout = {
      areMean: fit.holdout.areMean,
      points: fit.holdout.points.map((h) => ({ runId: h.runId, observed: h.y, predicted: h.predicted, are: h.are })),
    };
  if (fit.computeOptimal)
    summary.computeOptimal = {
      ...fit.computeOptimal,
      identifiable: fit.design?.identifiable ?? true,
      ...(fit.design?.reason ? { reason: fit.design.reason } : {}),
    };
  if (fit.intervalQuality) summary.intervalQuality = fit.intervalQuality;
  if (fit.quality) summary.quality = fit.quality;
  if (fit.design) {
    const advice = designAdvice(fit.design);
    if (advice.length) summary.designAdvice = advice;
  }
  return summary;
}
