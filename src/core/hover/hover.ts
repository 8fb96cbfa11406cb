/**
 * The three things an editor asks of a config: a hover on a scale key, a one-line CodeLens at the top, and an
 * optional hint when the config is far from compute-optimal. Each takes a cached analysis and the fit context and
 * returns plain data (markdown, spans, line/character ranges), so the VS Code providers only convert types.
 */
import type { ConfigAnalysis } from './analysis';
import { code, fitLine, optimalityMessage, predictionBlock, scaleBlock, summaryLine } from './markdown';
import { planLine } from './planLine';
import { fitCountsEmbeddings, predictPoint, type HoverFit, type PointPrediction } from './predictPoint';
import type { ScaleResolution } from './resolveScale';
import { roleTarget, type ScaleRole } from './scaleKeys';
import type { LineCharacter, Span } from './types';

/** The point the panel should mark when the hover's link is followed. */
export interface PanelPoint {
  file: string;
  N?: number;
  D?: number;
  C?: number;
  loss?: number;
}

export interface FitContext {
  /** The active fit (panel's, or an artifact from settings/workspace); undefined when there is none. */
  fit?: HoverFit;
  /** Where the fit came from, shown after its identity ("panel", "fits/chinchilla.json"). */
  fitLabel?: string;
  /** Builds the link that opens the panel with this point marked (e.g. a `command:` URI); no link without it. */
  panelLink?: (point: PanelPoint) => string;
  /** Overrides the "no fit" sentence (e.g. to name the setting that picks a fit artifact). */
  noFitMessage?: string;
  /** Target compute (FLOPs) of the "training this would narrow the interval" line; default: see planLine. */
  planTargetC?: number;
}

export interface EditorRange {
  start: LineCharacter;
  end: LineCharacter;
}

export interface HoverResult {
  markdown: string;
  /** Offsets of the hovered key and its value. */
  span: Span;
  range: EditorRange;
  key: string;
  role: ScaleRole;
}

export interface CodeLensResult {
  title: string;
  /** The first line of the document. */
  range: EditorRange;
  point: PanelPoint;
}

export interface OptimalityHint {
  message: string;
  /** (D/N) / (D_opt/N_opt) at the config's compute. */
  ratio: number;
  /** Where to attach the diagnostic: the first scale key of the document. */
  span: Span;
  range: EditorRange;
}

const DEFAULT_NO_FIT =
  'No scaling-law fit is loaded, so there is no loss prediction. Fit your runs in the Scaling Lens panel, or use a fit artifact written by `scaling-lens fit … --out fit.json`.';

interface Evaluated {
  scale: ScaleResolution;
  prediction?: PointPrediction;
  /** What training this config would do to the interval at the target (configs that are not yet a run). */
  plan?: string;
}

/**
 * The prediction does not depend on the cursor, so it is computed once per (document version, fit) and every
 * further hover only formats text. The key includes the parameter values because a fit object may be updated in
 * place (predict.ts allows it), and then the memo must not serve the old numbers.
 */
const memo = new WeakMap<ConfigAnalysis, WeakMap<HoverFit, { key: string; value: Evaluated }>>();

function fitSignature(fit: HoverFit): string {
  let s = `${fit.law}|${fit.draws?.length ?? 0}|${fit.nRuns}`;
  for (const [k, p] of Object.entries(fit.params)) s += `|${k}=${p.value}`;
  return s;
}

function evaluate(analysis: ConfigAnalysis, ctx: FitContext): Evaluated {
  const counts = (ctx.fit && fitCountsEmbeddings(ctx.fit)) ?? analysis.settings.countEmbeddings ?? false;
  const scale = analysis.scale(counts);
  if (!ctx.fit) return { scale };
  let perFit = memo.get(analysis);
  if (!perFit) memo.set(analysis, (perFit = new WeakMap()));
  const key = `${counts}|${ctx.fitLabel ?? ''}|${ctx.planTargetC ?? ''}|${fitSignature(ctx.fit)}`;
  const hit = perFit.get(ctx.fit);
  if (hit && hit.key === key) return hit.value;
  const value = {
    scale,
    prediction: predictPoint(ctx.fit, scale, ctx.fitLabel),
    plan: planLine(ctx.fit, scale, ctx.planTargetC),
  };
  perFit.set(ctx.fit, { key, value });
  return value;
}

function pointOf(analysis: ConfigAnalysis, e: Evaluated): PanelPoint {
  const p: PanelPoint = { file: analysis.doc.fileName };
  if (e.scale.N) p.N = e.scale.N.value;
  if (e.scale.D) p.D = e.scale.D.value;
  if (e.scale.C) p.C = e.scale.C.value;
  if (e.prediction?.prediction) p.loss = e.prediction.prediction.value;
  return p;
}

function rangeOf(analysis: ConfigAnalysis, span: Span): EditorRange {
  return { start: analysis.lines.positionAt(span.start), end: analysis.lines.positionAt(span.end) };
}

/** The hover for a position (offset or line/character), or undefined when it is not on a scale key or its value. */
export function hoverAt(
  analysis: ConfigAnalysis,
  position: number | LineCharacter,
  ctx: FitContext = {},
): HoverResult | undefined {
  const offset = typeof position === 'number' ? position : analysis.lines.offsetAt(position);
  const target = analysis.targetAt(offset);
  if (!target) return undefined;
  const { entry, role } = target;
  const ev = evaluate(analysis, ctx);
  const value = entry.raw.length > 40 ? `${entry.raw.slice(0, 37)}…` : entry.raw;
  const head = `**Scaling Lens** · ${code(`${entry.key} = ${value}`)} → ${roleTarget(role)}${role === 'lr' && ev.scale.lr !== undefined ? ` (${ev.scale.lr})` : ''}`;
  const parts = [head, scaleBlock(ev.scale)];
  parts.push(ev.prediction ? predictionBlock(ev.prediction, ev.scale) : (ctx.noFitMessage ?? DEFAULT_NO_FIT));
  if (ev.plan) parts.push(ev.plan);
  const notes = [
    ...ev.scale.notes,
    ...analysis.merged.problems,
    ...analysis.parsed.errors.map((e) => `${analysis.doc.fileName}: ${e}`),
  ];
  if (notes.length) parts.push(notes.map((n) => `_${n.replace(/_/g, '\\_')}_`).join('  \n'));
  const footer: string[] = [];
  if (ev.prediction) footer.push(fitLine(ev.prediction));
  if (ctx.panelLink) footer.push(`[Show in Scaling Lens panel](${ctx.panelLink(pointOf(analysis, ev))})`);
  if (footer.length) parts.push(footer.join(' · '));
  const span = { start: entry.keySpan.start, end: Math.max(entry.keySpan.end, entry.valueSpan.end) };
  return { markdown: parts.join('\n\n'), span, range: rangeOf(analysis, span), key: entry.key, role };
}

/** The one-line summary for the top of a recognised config; undefined for files that are not training configs. */
export function codeLensFor(analysis: ConfigAnalysis, ctx: FitContext = {}): CodeLensResult | undefined {
  if (!analysis.recognised) return undefined;
  const ev = evaluate(analysis, ctx);
  return {
    title: summaryLine(ev.scale, ev.prediction),
    range: rangeOf(analysis, { start: 0, end: 0 }),
    point: pointOf(analysis, ev),
  };
}

/**
 * A hint when the config's tokens per parameter is at least `ratioThreshold` times above or below the fit's
 * compute-optimal ratio at the same C (e.g. 4 → flag D/N above 4× or below ¼ of the optimum). Needs a fit with a
 * compute-optimal split (chinchilla) and both N and D.
 */
export function optimalityCheck(
  analysis: ConfigAnalysis,
  ctx: FitContext,
  ratioThreshold: number,
): OptimalityHint | undefined {
  if (!ctx.fit || !(ratioThreshold > 1) || !analysis.targets.length) return undefined;
  const ev = evaluate(analysis, ctx);
  const r = ev.prediction?.ratioToOptimal;
  if (r === undefined || !ev.prediction?.optimal || (r < ratioThreshold && r > 1 / ratioThreshold)) return undefined;
  const first = analysis.targets[0].entry;
  const span = { start: first.keySpan.start, end: Math.max(first.keySpan.end, first.valueSpan.end) };
  const message = optimalityMessage(ev.scale, ev.prediction);
  return message === undefined ? undefined : { message, ratio: r, span, range: rangeOf(analysis, span) };
}
