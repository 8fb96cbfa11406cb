/**
 * The runs' own architecture pattern, so a planned run's config snippet can say d_model and n_layers as the user's
 * configs would: parameters ≈ k·n_layers·d_model² with a steady width-to-depth ratio. Shown only when the configs
 * agree on it; a ladder that varies the shape freely has no pattern to follow, and then the snippet gives N alone.
 */
import type { ConfigValue } from '../model/run';

export interface RunArchitecture {
  N: number;
  dModel: number;
  nLayers: number;
}

export interface ArchitecturePattern {
  /** d_model / n_layers, the runs' median. */
  aspect: number;
  /** N / (n_layers · d_model²), the runs' median (12 for a plain transformer without embeddings). */
  perLayerWidth2: number;
}

const WIDTH_KEYS = ['d_model', 'hidden_size', 'n_embd', 'dim', 'model_dim', 'd_embed'];
const DEPTH_KEYS = ['n_layers', 'num_hidden_layers', 'n_layer', 'num_layers', 'depth'];
/** Ratios may spread by this factor (max over min) and still count as one pattern. */
const MAX_SPREAD = 2.5;
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

/** The pattern of at least two runs of different size whose ratios agree; undefined otherwise. */
export function architecturePattern(runs: readonly RunArchitecture[]): ArchitecturePattern | undefined {
  if (runs.length < 2 || new Set(runs.map((r) => r.N)).size < 2) return undefined;
  const aspects = runs.map((r) => r.dModel / r.nLayers);
  const k = runs.map((r) => r.N / (r.nLayers * r.dModel ** 2));
  if (spread(aspects) > MAX_SPREAD || spread(k) > MAX_SPREAD) return undefined;
  return { aspect: median(aspects), perLayerWidth2: median(k) };
}

/** Width and depth for N parameters under the pattern: n_layers·d_model² = N/k with d_model = aspect·n_layers. */
export function architectureFor(N: number, p: ArchitecturePattern): { dModel: number; nLayers: number } {
  const nLayers = Math.max(1, Math.round(Math.cbrt(N / (p.perLayerWidth2 * p.aspect ** 2))));
  const exact = Math.sqrt(N / (p.perLayerWidth2 * nLayers));
  return { dModel: Math.max(WIDTH_STEP, Math.round(exact / WIDTH_STEP) * WIDTH_STEP), nLayers };
}
