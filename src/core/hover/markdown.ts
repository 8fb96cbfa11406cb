/**
 * The words of the config hover, CodeLens and optimality hint. Compact markdown: the three scale numbers with how
 * each was obtained, then what the fit predicts, then the fit's identity and the panel link. Every number is
 * printed by the helpers below, which tests reuse to check the text against predict() for the same fit.
 */
import { formatScale } from '../config/values';
import type { PointPrediction } from './predictPoint';
import type { Prediction } from '../../contract/fit';
import type { ParamCount, ScaleResolution } from './resolveScale';

/** 1 PF-day = 10^15 FLOP/s × 86,400 s. */
export const PF_DAY_FLOP = 8.64e19;

export function fmtLoss(v: number): string {
  return Math.abs(v) < 100 ? v.toFixed(3) : v.toPrecision(4);
}

export function fmtFlop(c: number): string {
  return c.toExponential(2).replace('e+', 'e');
}

export function fmtPfDays(c: number): string {
  const d = c / PF_DAY_FLOP;
  return d >= 1000 ? Math.round(d).toLocaleString('en-US') : Number(d.toPrecision(3)).toString();
}

export function fmtRatio(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString('en-US') : Number(r.toPrecision(2)).toString();
}

export function fmtInterval(ci: [number, number] | undefined): string {
  return ci ? `${fmtLoss(ci[0])}–${fmtLoss(ci[1])}` : '';
}

/** Inline code that survives backticks in the content. */
export function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

function nLine(n: ParamCount): string {
  const what =
    n.definition === 'stated'
      ? 'parameters'
      : n.definition === 'total'
        ? 'parameters with embeddings'
        : 'non-embedding parameters';
  const other =
    n.definition === 'non-embedding' && n.total !== undefined
      ? ` (${formatScale(n.total)} with embeddings)`
      : n.definition === 'total' && n.nonEmbedding !== undefined
        ? ` (${formatScale(n.nonEmbedding)} non-embedding)`
        : '';
  const from = n.keys.length && n.definition !== 'stated' ? ` from ${n.keys.map(code).join(', ')}` : '';
  return `**N** = ${formatScale(n.value)} ${what}${other} · ${code(n.how)}${from}`;
}

/** The N, D, C block, with a sentence for each quantity the config cannot give. */
export function scaleBlock(scale: ScaleResolution): string {
  const lines: string[] = [];
  lines.push(scale.N ? nLine(scale.N) : `**N** unknown: ${scale.missing.N ?? 'no parameter keys'}`);
  lines.push(
    scale.D
      ? `**D** = ${formatScale(scale.D.value)} tokens · ${code(scale.D.how)}`
      : `**D** unknown: ${scale.missing.D ?? 'no token keys'}`,
  );
  if (scale.C) {
    const how = scale.C.how === '6·N·D' ? 'C = 6·N·D' : `C (${code(scale.C.how)})`;
    lines.push(`**${how}** = ${fmtFlop(scale.C.value)} FLOP = ${fmtPfDays(scale.C.value)} PF-days`);
  } else lines.push(`**C** unknown: ${scale.missing.C ?? ''}`);
  return lines.join('  \n');
}

export function fitName(p: PointPrediction): string {
  const f = p.fit;
  return [`${f.law} fit`, `${f.runs} run${f.runs === 1 ? '' : 's'}`, f.date, f.label].filter(Boolean).join(' · ');
}

/** The hover's footer naming the fit used: "Fit: chinchilla · 24 runs · 2024-05-01 · fits/chinchilla.json". */
export function fitLine(p: PointPrediction): string {
  const f = p.fit;
  return `Fit: ${[f.law, `${f.runs} run${f.runs === 1 ? '' : 's'}`, f.date, f.label].filter(Boolean).join(' · ')}`;
}

function regimeText(pr: Prediction, p: PointPrediction): string {
  if (pr.regime === 'interpolation') return 'interpolation (inside the fitted data)';
  const ranges = p.beyond.map((b) => `${b.name} ${b.side} the fitted range`).join(', ');
  const which = [ranges, pr.regimeReason].filter(Boolean).join('; ');
  return `extrapolation, ${pr.decadesBeyond.toFixed(2)} decades beyond the fitted data${which ? ` (${which})` : ''}`;
}

function ratioText(ratio: number): string {
  if (ratio >= 1) return `${fmtRatio(ratio)}× the optimum`;
  return `${fmtRatio(1 / ratio)}× below the optimum`;
}

/** What the fit says at this point: predicted loss, regime, compute-optimal split; or why it cannot say. */
export function predictionBlock(p: PointPrediction, scale: ScaleResolution): string {
  if (p.missing.length) {
    return `The ${fitName(p)} needs ${p.missing.map(code).join(' and ')}, which this config does not give (see above).`;
  }
  if (p.error || !p.prediction) return `The ${fitName(p)} cannot predict here: ${p.error ?? 'no prediction'}.`;
  const pr = p.prediction;
  const pi = pr.pi95 ? `; a new run: ${fmtInterval(pr.pi95)}` : '';
  const quality = p.intervalQuality ? `; intervals ${p.intervalQuality}` : '';
  const ci = pr.ci95
    ? ` (95% interval of the mean ${fmtInterval(pr.ci95)}${pi}${quality})`
    : ` (no interval: the fit has no bootstrap${pi})`;
  const lines = [`**Predicted loss** ${fmtLoss(pr.value)}${ci} · ${regimeText(pr, p)}`];
  if (p.optimal && !p.optimal.identifiable)
    lines.push('**Compute-optimal at this C**: not identifiable from these runs: vary tokens per parameter');
  else if (p.optimal) {
    const o = p.optimal;
    const own = scale.N && scale.D ? scale.D.value / scale.N.value : undefined;
    const vs =
      own !== undefined && p.ratioToOptimal !== undefined
        ? `; this config: ${fmtRatio(own)}, ${ratioText(p.ratioToOptimal)}`
        : '';
    const oci = o.ci95 ? ` (95% ${fmtInterval(o.ci95)})` : '';
    lines.push(
      `**Compute-optimal at this C**: N_opt ${formatScale(o.nOpt)}, D_opt ${formatScale(o.dOpt)} (${fmtRatio(o.tokensPerParam)} tokens/param${vs}) → loss ${fmtLoss(o.loss)}${oci}`,
    );
  }
  return lines.join('  \n');
}

/** One line for a CodeLens at the top of the config. */
export function summaryLine(scale: ScaleResolution, p: PointPrediction | undefined): string {
  const parts = [
    scale.N ? `N ${formatScale(scale.N.value)}` : 'N ?',
    scale.D ? `D ${formatScale(scale.D.value)}` : 'D ?',
    scale.C ? `C ${fmtPfDays(scale.C.value)} PF-days` : 'C ?',
  ];
  if (!p) parts.push('no fit loaded');
  else if (p.missing.length) parts.push(`fit needs ${p.missing.join(', ')}`);
  else if (p.prediction) {
    const pr = p.prediction;
    parts.push(
      `loss ${fmtLoss(pr.value)}${pr.ci95 ? ` [${fmtLoss(pr.ci95[0])}, ${fmtLoss(pr.ci95[1])}]` : ''}${pr.regime === 'extrapolation' ? ` (extrapolated ${pr.decadesBeyond.toFixed(1)} dec)` : ''}`,
    );
    if (p.ratioToOptimal !== undefined) parts.push(`tokens/param ${ratioText(p.ratioToOptimal)}`);
  } else if (p.error) parts.push('fit cannot predict here');
  return `Scaling Lens: ${parts.join(' · ')}`;
}

/** The optional Information diagnostic's text when D/N is far from the fit's optimum at the same compute. */
export function optimalityMessage(scale: ScaleResolution, p: PointPrediction): string | undefined {
  const { optimal: o, ratioToOptimal: ratio } = p;
  const { N, D, C } = scale;
  if (!o || ratio === undefined || !N || !D || !C) return undefined;
  const own = D.value / N.value;
  const loss = p.prediction
    ? `; predicted loss ${fmtLoss(p.prediction.value)} here vs ${fmtLoss(o.loss)} at the optimum`
    : '';
  return (
    `Far from compute-optimal: ${fmtRatio(own)} tokens per parameter, ${ratioText(ratio)} of ${fmtRatio(o.tokensPerParam)} ` +
    `for C = ${fmtFlop(C.value)} FLOP under the ${fitName(p)} (N_opt ${formatScale(o.nOpt)}, D_opt ${formatScale(o.dOpt)})${loss}.`
  );
}
