/**
 * The runs' own architecture pattern, so a planned run's config snippet can say d_model and n_layers as the user's
 * configs would: parameters ≈ k·n_layers·d_model² with a width-to-depth ratio that follows a power of N (ladders
 * widen faster than they deepen). Shown only when the configs agree on it; a ladder that varies the shape freely
 * has no pattern to follow, and then the snippet gives N alone.
 */
import type { ConfigValue } from '../model/run';

export interface RunArchitecture {
  N: number;
  dModel: number;
  nLayers: number;
}

export interface ArchitecturePattern {
  /** log(d_model / n_layers) = aspectIntercept + aspectSlope·log N, least squares over the runs. */
  aspectIntercept: number;
  aspectSlope: number;
  /** N / (n_layers · d_model²), the runs' median (12 for a plain transformer without embeddings). */
  perLayerWidth2: number;
}

const WIDTH_KEYS = ['d_model', 'hidden_size', 'n_embd', 'dim', 'model_dim', 'd_embed'];
const DEPTH_KEYS = ['n_layers', 'num_hidden_layers', 'n_layer', 'num_layers', 'depth'];
/** k may spread by this factor (max over min), and the aspect stray this factor from its trend, and still count as
 * one pattern. */
const MAX_SPREAD = 1.5;
/** Widths are rounded to a multiple of this (what accelerators and configs use). */
const WIDTH_STEP = 64;

function lookup(config: Record<string, ConfigValue>, keys: string[]): number | undefined {
  for (const [k, v] of Object.entries(config)) {
    const leaf = k.slice(k.lastIndexOf('.') + 1).toLowerCase();
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (keys.includes(leaf) && Number.isInteger(n) && n > 0) return n;
  }
  return undefined;
}

/** A run's width and depth from its flattened config, when it names both. */
export function runArchitecture(
  N: number | undefined,
  config: Record<string, ConfigValue>,
): RunArchitecture | undefined {
  const dModel = lookup(config, WIDTH_KEYS);
  const nLayers = lookup(config, DEPTH_KEYS);
  if (N === undefined || !(N > 0) || dModel === undefined || nLayers === undefined) return undefined;
  return { N, dModel, nLayers };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const spread = (xs: number[]): number => Math.max(...xs) / Math.min(...xs);

/** The pattern of at least two runs of different size whose shapes agree; undefined otherwise. */
export function architecturePattern(runs: readonly RunArchitecture[]): ArchitecturePattern | undefined {
  if (runs.length < 2 || new Set(runs.map((r) => r.N)).size < 2) return undefined;
  const k = runs.map((r) => r.N / (r.nLayers * r.dModel ** 2));
  if (spread(k) > MAX_SPREAD) return undefined;
  const x = runs.map((r) => Math.log(r.N));
  const y = runs.map((r) => Math.log(r.dModel / r.nLayers));
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  const sxx = x.reduce((a, xi) => a + (xi - mx) ** 2, 0);
  const slope = x.reduce((a, xi, i) => a + (xi - mx) * (y[i] - my), 0) / sxx;
  const intercept = my - slope * mx;
  if (y.some((yi, i) => Math.abs(yi - (intercept + slope * x[i])) > Math.log(MAX_SPREAD))) return undefined;
  return { aspectIntercept: intercept, aspectSlope: slope, perLayerWidth2: median(k) };
}

/** Width and depth for N parameters under the pattern: n_layers·d_model² = N/k with d_model = aspect(N)·n_layers. */
export function architectureFor(N: number, p: ArchitecturePattern): { dModel: number; nLayers: number } {
  const aspect = Math.exp(p.aspectIntercept + p.aspectSlope * Math.log(N));
  const nLayers = Math.max(1, Math.round(Math.cbrt(N / (p.perLayerWidth2 * aspect ** 2))));
  const exact = Math.sqrt(N / (p.perLayerWidth2 * nLayers));
  return { dModel: Math.max(WIDTH_STEP, Math.round(exact / WIDTH_STEP) * WIDTH_STEP), nLayers };
}
