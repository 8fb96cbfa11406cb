/**
 * One run's rows of the learning-curve plot: its thinned raw and smoothed curve, the fitted law at its N, and the
 * predicted end of a run still training. Built per run and cached per run, so a log append at 1,000 runs rebuilds
 * the appended run's rows only: the others keep their row objects, which also lets the delta see in one identity
 * check per row that they did not change.
 */
import type { Row, ViewOptions } from '../../contract/panel';
import { formatCompact } from '../../contract/format';
import type { FitResult } from '../../contract/fit';
import { predict } from '../fit/predict';
import { logGrid } from '../plot/plotMath';
import { lttb, minMaxEnvelope, type XSpace } from './downsample';
import type { Evaluator } from './lawEval';
import { emaSmooth } from './smoothing';
import { finiteOrNull } from './specParts';
import type { CurveInput } from './types';

/** What every run's rows depend on besides the run itself; built once per plot. */
export interface CurveContext {
  curveX: ViewOptions['curveX'];
  space: XSpace;
  smoothing: number;
  /** Points kept of each run's smoothed curve (a quarter of them per side for the raw envelope). */
  perRun: number;
  /** Every hoverEvery-th kept point carries a tooltip. */
  hoverEvery: number;
  lawPoints: number;
  withRaw: boolean;
  withLaw: boolean;
  /**
   * All runs' smoothed curves are one path (dense plots): each run's points end with a break row (y null), where
   * the line lifts its pen, so Vega draws and updates one mark instead of a mark per run.
   */
  breaks: boolean;
  /**
   * Dense plots where every run knows its N: each smoothed row carries its run's size band (`band`, the
   * half-decade of N it falls in), so the one path becomes one path per band, coloured by model size.
   */
  bySize: boolean;
  fit?: FitResult;
  evaluate?: Evaluator;
  /** The fit's variables (what the law reads). */
  vars: string[];
}

export interface RunRows {
  raw: Row[];
  smooth: Row[];
  law: Row[];
  targets: Row[];
  /** Points the run logged (before thinning). */
  total: number;
  nonPositiveY: boolean;
}

interface RunXs {
  xs: Float64Array;
  /** Tokens per step, when known: converts the law's D to the step axis and back. */
  tokensPerStep?: number;
  /** Tokens at each point (measured or estimated), for the law and tooltips. */
  tokens?: Float64Array;
}

export function lastFinite(a: ArrayLike<number>): number {
  for (let i = a.length - 1; i >= 0; i--) if (Number.isFinite(a[i])) return a[i];
  return NaN;
}

/**
 * Tokens per step at the latest point that logs both (cumulative tokens over steps: a warm-up with a smaller batch
 * barely moves it by the end), else the run's D over its last step.
 */
function tokensPerStep(c: CurveInput): number | undefined {
  if (c.tokens)
    for (let i = Math.min(c.step.length, c.tokens.length) - 1; i >= 0; i--)
      if (c.step[i] > 0 && c.tokens[i] > 0) return c.tokens[i] / c.step[i];
  const last = lastFinite(c.step);
  return c.D && last > 0 ? c.D / last : undefined;
}

function xsFor(c: CurveInput, curveX: ViewOptions['curveX']): RunXs | undefined {
  const tps = tokensPerStep(c);
  const hasTokens = c.tokens !== undefined && Array.prototype.some.call(c.tokens, (t: number) => t > 0);
  const tokens = hasTokens
    ? Float64Array.from(c.tokens as ArrayLike<number>)
    : tps
      ? Float64Array.from(c.step, (s) => s * tps)
      : undefined;
  if (curveX === 'step') return { xs: Float64Array.from(c.step), tokensPerStep: tps, tokens };
  return tokens ? { xs: tokens, tokensPerStep: tps, tokens } : undefined;
}

/** The fit's variables at (run N, tokens d), or undefined when the law reads something a run does not have. */
function lawPoint(vars: string[], N: number | undefined, d: number): Record<string, number> | undefined {
  if (!vars.includes('D') && !vars.includes('C')) return undefined; // the law does not vary along a run
  const at: Record<string, number> = {};
  for (const v of vars) {
    if (v === 'D') at.D = d;
    else if (v === 'N' && N) at.N = N;
    else if (v === 'C' && N) at.C = 6 * N * d;
    else return undefined;
  }
  return at;
}

/**
 * A tooltip point of the smoothed curve. Its numbers come formatted, so the plot's tooltip reads fields instead of
 * calling `format` per point (Vega re-evaluates every tooltip on each redraw, with the CSP's interpreter); the
 * other points carry only what is drawn.
 */
function hoverRow(run: string, x: number, y: number, raw: number, step: number, tokens: number | undefined): Row {
  const row: Row = { run, x, y, hover: true, smoothedText: y.toFixed(4) };
  if (Number.isFinite(raw)) row.rawText = raw.toFixed(4);
  if (Number.isFinite(step)) row.stepText = Math.round(step).toLocaleString('en-US');
  if (tokens !== undefined && Number.isFinite(tokens)) row.tokensText = formatCompact(tokens, 3);
  return row;
}

/** The half-decade of N a run falls in (1e8, 3.16e8, 1e9, …): a handful of bands cover a whole ladder. */
export function sizeBand(N: number): number {
  return 10 ** (Math.floor(2 * Math.log10(N)) / 2);
}

function buildRunRows(c: CurveInput, ctx: CurveContext): RunRows | undefined {
  const rx = xsFor(c, ctx.curveX);
  if (!rx) return undefined;
  const out: RunRows = { raw: [], smooth: [], law: [], targets: [], total: c.value.length, nonPositiveY: false };
  const ys = Float64Array.from(c.value);
  for (const y of ys) if (Number.isFinite(y) && y <= 0) out.nonPositiveY = true;
  const sm = ctx.smoothing > 0 ? emaSmooth(ys, ctx.smoothing) : ys;
  if (ctx.smoothing > 0 && ctx.withRaw)
    for (const i of minMaxEnvelope(rx.xs, ys, ctx.perRun >> 2, ctx.space))
      out.raw.push({ run: c.runId, x: rx.xs[i], y: ys[i] });
  let k = 0;
  for (const i of lttb(rx.xs, sm, ctx.perRun, ctx.space))
    out.smooth.push(
      k++ % ctx.hoverEvery === 0
        ? hoverRow(c.runId, rx.xs[i], sm[i], ys[i], c.step[i], rx.tokens?.[i])
        : { run: c.runId, x: rx.xs[i], y: sm[i] },
    );
  const last = out.smooth.at(-1);
  if (ctx.breaks && last) out.smooth.push({ run: c.runId, x: last.x, y: null });
  if (ctx.bySize && c.N) {
    const band = sizeBand(c.N);
    for (const r of out.smooth) r.band = band;
  }
  const { fit, evaluate, vars } = ctx;
  if (!fit || !evaluate || !rx.tokens) return out;
  const firstTok = rx.tokens.find((t) => t > 0) ?? NaN;
  const lastTok = lastFinite(rx.tokens);
  const end = Math.max(lastTok, c.targetTokens ?? 0);
  const toX = (d: number): number => (ctx.curveX === 'tokens' ? d : rx.tokensPerStep ? d / rx.tokensPerStep : NaN);
  if (ctx.withLaw && firstTok > 0 && end > firstTok && lawPoint(vars, c.N, end)) {
    for (const d of logGrid(firstTok, end, ctx.lawPoints)) {
      const at = lawPoint(vars, c.N, d);
      const y = at ? evaluate(at) : NaN;
      if (Number.isFinite(y) && Number.isFinite(toX(d))) out.law.push({ run: c.runId, x: toX(d), y });
    }
  }
  // Still training: the planned end lies beyond the last logged tokens.
  const at = c.targetTokens && c.targetTokens > lastTok * 1.02 ? lawPoint(vars, c.N, c.targetTokens) : undefined;
  if (at && c.targetTokens) {
    try {
      const p = predict(fit, at);
      const lastSmoothed = lastFinite(sm);
      out.targets.push({
        run: c.runId,
        x: toX(c.targetTokens),
        y: p.value,
        lo: finiteOrNull(p.ci95?.[0]),
        hi: finiteOrNull(p.ci95?.[1]),
        tokens: c.targetTokens,
        progress: `${formatCompact((100 * lastTok) / c.targetTokens, 3)}% of planned tokens`,
        note: `predicted final ${formatCompact(p.value)}${p.ci95 ? ` [${formatCompact(p.ci95[0])}, ${formatCompact(p.ci95[1])}]` : ''}; now ${formatCompact(lastSmoothed)}`,
      });
    } catch {
      // A prediction the law cannot make (a variable out of its domain) is simply not drawn.
    }
  }
  return out;
}

/** Fits numbered by identity: a refit is a new result object, and every run's rows are rebuilt with it. */
const fitIds = new WeakMap<FitResult, number>();
let nextFitId = 1;

/** The context as a string: rows cached under another key were built for other options, run count or fit. */
export function contextKey(ctx: CurveContext): string {
  let fitId = 0;
  if (ctx.fit) {
    fitId = fitIds.get(ctx.fit) ?? nextFitId++;
    fitIds.set(ctx.fit, fitId);
  }
  return [
    ctx.curveX,
    ctx.space,
    ctx.smoothing,
    ctx.perRun,
    ctx.hoverEvery,
    ctx.lawPoints,
    ctx.withRaw,
    ctx.withLaw,
    ctx.breaks,
    ctx.bySize,
    fitId,
  ].join('|');
}

/**
 * Rows per curve input object: inputs are immutable once made (runCurves.ts makes a new one when a run's series
 * changes, and hands out the same one while it does not), so an unchanged run is served from here.
 */
const cache = new WeakMap<CurveInput, { key: string; rows: RunRows | undefined }>();

/** The run's rows, or undefined when it cannot be drawn against the chosen x (no token counts). */
export function runRows(c: CurveInput, ctx: CurveContext, key = contextKey(ctx)): RunRows | undefined {
  const hit = cache.get(c);
  if (hit?.key === key) return hit.rows;
  const rows = buildRunRows(c, ctx);
  cache.set(c, { key, rows });
  return rows;
}
