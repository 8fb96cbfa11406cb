import { formatScale } from '../../core/config/values';
import type { FitResult, Prediction } from '../../contract/fit';
import { formatFitValue as fmt } from '../../contract/format';

/** One sentence for a prediction: value, interval, regime, and the allocation when it was computed. */
export function predictionText(fit: FitResult, p: Prediction): string {
  const at = Object.entries(p.at)
    .map(([k, v]) => `${k}=${formatScale(v)}`)
    .join(', ');
  const ci = p.ci95 ? ` (95% CI ${fmt(p.ci95[0])}–${fmt(p.ci95[1])})` : ' (no interval: fit without bootstrap)';
  const regime =
    p.regime === 'interpolation'
      ? 'interpolation'
      : `extrapolation, ${p.decadesBeyond.toFixed(1)} decades beyond the data`;
  const opt = p.optimal
    ? `; compute-optimal N=${formatScale(p.optimal.nOpt)}, D=${formatScale(p.optimal.dOpt)} (${p.optimal.tokensPerParam.toFixed(1)} tokens/param)`
    : '';
  return `${fit.law} predicts ${fmt(p.value)}${ci} at ${at}: ${regime}${opt}.`;
}

/** The fitted law in LaTeX: the formula, then the fitted values with their intervals. */
export function lawLatex(fit: FitResult): string {
  const name = (k: string) => (/^(alpha|beta|gamma|delta)$/.test(k) ? `\\${k}` : k.replace(/_(\w+)/, '_{$1}'));
  const values = Object.entries(fit.params).map(([k, p]) => {
    const ci = p.ci95 ? `\\,[${fmt(p.ci95[0])}, ${fmt(p.ci95[1])}]` : '';
    return `${name(k)} = ${fmt(p.value)}${ci}`;
  });
  return `${fit.latex},\\quad ${values.join(',\\; ')}`;
}
