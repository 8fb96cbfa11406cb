/**
 * The whole panel from its input: one pure function, so the host can rebuild after any change (a refit, a log
 * append, a slider move) and tests can check exactly what the webview will be sent.
 */
import type { PanelState, PanelStatus, ViewOptions } from '../../contract/panel';
import { curvesChart } from './curvesView';
import { isoflopChart } from './isoflopView';
import { lastResult } from './lastResult';
import { buildPlanView } from './planView';
import { residualsChart } from './residualsView';
import { scalingChart, scalingChoices } from './scalingView';
import { fitSummary } from './summary';
import type { PanelInput } from './types';

function defaultStatus(input: PanelInput): PanelStatus {
  if (input.fit)
    return {
      kind: 'ready',
      message: `${input.fit.law} fit to ${input.fit.nPoints} points from ${input.fit.nRuns} runs`,
    };
  return { kind: 'empty', message: input.curves?.length ? `${input.curves.length} runs; no fit yet` : 'No runs yet' };
}

/** A builder that throws must not blank the whole panel: its plot shows the error and the others still draw. */
function guarded<T extends { available: boolean }>(
  what: string,
  build: () => T,
): T | { available: false; reason: string } {
  try {
    return build();
  } catch (e) {
    return {
      available: false,
      reason: `The ${what} could not be built: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

const isoflopOf = lastResult(isoflopChart);
const residualsOf = lastResult(residualsChart);
const summaryOf = lastResult(fitSummary);

function planPart(input: PanelInput): { plan?: PanelState['plan'] } {
  const plan = buildPlanView(input.fit, input.dataset, input.plan);
  return plan ? { plan } : {};
}

export function buildPanelState(input: PanelInput, options: ViewOptions, now = Date.now()): PanelState {
  const { fit, dataset } = input;
  const excluded = input.excluded ?? [];
  const predictions = input.predictions ?? [];
  const curves = input.curves ?? [];
  // The planner's input belongs to the current fit (a new fit drops it), so a finished plan's runs can be drawn.
  const plan = input.plan?.status === 'ready' ? input.plan.result : undefined;
  const title = fit && dataset ? `${dataset.yName} · ${fit.law} in ${dataset.xNames.join(', ')}` : 'Scaling Lens';
  return {
    title,
    status: input.status ?? defaultStatus(input),
    options,
    xChoices: scalingChoices(fit, dataset),
    charts: {
      scaling: guarded('scaling plot', () => scalingChart(fit, dataset, excluded, predictions, curves, options, plan)),
      curves: guarded('learning-curve plot', () => curvesChart(curves, fit, options)),
      isoflop: guarded('IsoFLOP view', () => isoflopOf(fit, dataset, options, plan)),
      residuals: guarded('residual plot', () => residualsOf(fit, dataset, options)),
    },
    summary: fit ? summaryOf(fit, dataset, predictions) : undefined,
    excludedCount: excluded.length,
    builtAt: now,
    ...planPart(input),
  };
}
