import type { FormatName } from '../../src/core/model/run';
import { Rng } from './random';

/**
 * The known law the example runs are drawn from (Chinchilla form, Hoffmann et al. 2022):
 * L(N, D) = E + A/N^alpha + B/D^beta, N = non-embedding parameters (12·L·d²), D = tokens seen.
 * Deliberately not Chinchilla's own fitted values, so a fit that returns them is visibly wrong.
 */
export const LAW = { E: 1.8, A: 400, B: 1200, alpha: 0.34, beta: 0.3 } as const;
export const NOISE = 0.01; // multiplicative: logged = law × (1 + 0.01·z), z ~ N(0, 1)
export const SEED = 20240720;
/** Train-loss log points per run, and one eval every EVAL_EVERY of them. */
export const LOG_POINTS = 200;
export const EVAL_EVERY = 10;

export function lawLoss(N: number, D: number): number {
  return LAW.E + LAW.A / N ** LAW.alpha + LAW.B / D ** LAW.beta;
}

export interface ModelSize {
  label: string;
  d: number;
  layers: number;
  heads: number;
  /** Sequences per optimizer step, and sequence length: bigger models train on bigger batches, as in practice. */
  batch: number;
  seq: number;
  vocab: number;
}

/** ~10M to ~1B non-embedding parameters. */
export const SIZES: ModelSize[] = [
  { label: '9M', d: 256, layers: 12, heads: 4, batch: 32, seq: 512, vocab: 50304 },
  { label: '38M', d: 512, layers: 12, heads: 8, batch: 64, seq: 1024, vocab: 50304 },
  { label: '113M', d: 768, layers: 16, heads: 12, batch: 128, seq: 1024, vocab: 50304 },
  { label: '302M', d: 1024, layers: 24, heads: 16, batch: 256, seq: 2048, vocab: 50304 },
  { label: '1B', d: 2048, layers: 20, heads: 16, batch: 512, seq: 2048, vocab: 50304 },
];
/** Token budgets as tokens per parameter: under-trained, about Chinchilla-optimal, over-trained. */
export const RATIOS = [5, 20, 80];

export type ExampleFormat = Extract<FormatName, 'jsonl' | 'lightning-csv' | 'hf-trainer' | 'dvclive' | 'mlflow' | 'tensorboard' | 'wandb-offline'>;
/**
 * Formats are dealt round-robin over the runs in (size, budget) order: runs k and k+7 share a format, and are
 * always of different sizes, so every format holds 2–3 sizes.
 */
export const FORMAT_ORDER: ExampleFormat[] = ['jsonl', 'lightning-csv', 'hf-trainer', 'dvclive', 'mlflow', 'tensorboard', 'wandb-offline'];

export interface LogPoint {
  step: number;
  tokens: number;
  loss: number;
  lr: number;
  gradNorm: number;
  /** Unix seconds. */
  time: number;
}

export interface RunPlan {
  index: number;
  name: string;
  format: ExampleFormat;
  size: ModelSize;
  ratio: number;
  /** Non-embedding parameters, 12·L·d². */
  N: number;
  steps: number;
  /** Log every `interval` optimizer steps. */
  interval: number;
  tokensPerStep: number;
  D: number;
  peakLr: number;
  minLr: number;
  warmup: number;
  start: number;
  secondsPerStep: number;
  train: LogPoint[];
  evals: LogPoint[];
  rng: Rng;
}

export function nonEmbeddingParams(s: ModelSize): number {
  return 12 * s.layers * s.d * s.d;
}

/** Linear warmup, then cosine decay to minLr at the last step (nanoGPT's `get_lr`). */
export function lrAt(p: Pick<RunPlan, 'peakLr' | 'minLr' | 'warmup' | 'steps'>, step: number): number {
  if (step < p.warmup) return (p.peakLr * (step + 1)) / (p.warmup + 1);
  const ratio = Math.min(1, (step - p.warmup) / Math.max(1, p.steps - p.warmup));
  return p.minLr + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (p.peakLr - p.minLr);
}

function tokensLabel(D: number): string {
  return D >= 1e9 ? `${Number((D / 1e9).toPrecision(2))}B` : `${Math.round(D / 1e6)}M`;
}

function planRun(index: number, size: ModelSize, ratio: number, format: ExampleFormat): RunPlan {
  // One stream per run: adding or reordering formats does not change the other runs' noise.
  const rng = new Rng(SEED + 7919 * (index + 1));
  const N = nonEmbeddingParams(size);
  const tokensPerStep = size.batch * size.seq;
  const interval = Math.max(1, Math.round((ratio * N) / tokensPerStep / LOG_POINTS));
  const steps = interval * LOG_POINTS; // the last log lands on the last step, so "last step × batch × seq" is exact
  const D = steps * tokensPerStep;
  const peakLr = Number((6e-4 * (N / 1e8) ** -0.25).toPrecision(2));
  const plan: RunPlan = {
    index,
    name: `gpt-${size.label}-${tokensLabel(D)}tok`,
    format,
    size,
    ratio,
    N,
    steps,
    interval,
    tokensPerStep,
    D,
    peakLr,
    minLr: peakLr / 10,
    warmup: Math.round(steps * 0.02),
    start: 1721450000 + index * 86400,
    // compute-bound at ~40% of 8 A100s, plus a fixed data-loader/step overhead
    secondsPerStep: (6 * N * tokensPerStep) / (8 * 312e12 * 0.4) + 0.05,
    train: [],
    evals: [],
    rng,
  };
  for (let k = 1; k <= LOG_POINTS; k++) {
    const step = k * interval;
    const tokens = step * tokensPerStep;
    const law = lawLoss(N, tokens);
    const time = Number((plan.start + step * plan.secondsPerStep).toFixed(3));
    const gradNorm = (0.25 + 1.5 / (1 + step / Math.max(1, plan.warmup))) * (1 + 0.1 * rng.gauss());
    plan.train.push({ step, tokens, loss: law * (1 + NOISE * rng.gauss()), lr: lrAt(plan, step), gradNorm, time });
    if (k % EVAL_EVERY === 0) plan.evals.push({ step, tokens, loss: law * (1 + NOISE * rng.gauss()), lr: lrAt(plan, step), gradNorm, time: time + 5 });
  }
  return plan;
}

/** 5 sizes × 3 budgets = 15 runs. */
export function planRuns(): RunPlan[] {
  const out: RunPlan[] = [];
  for (const size of SIZES) {
    for (const ratio of RATIOS) out.push(planRun(out.length, size, ratio, FORMAT_ORDER[out.length % FORMAT_ORDER.length]));
  }
  return out;
}
