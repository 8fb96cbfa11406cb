import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type ExampleFormat, lawLoss, type RunPlan } from './plan';

/** What a correct reader must report for one example run; written to TRUTH.json and checked by the tests. */
export interface TruthRun {
  name: string;
  format: ExampleFormat;
  /** The run's folder relative to examples/results; every file the reader claims lies under it. */
  dir: string;
  d_model: number;
  n_layers: number;
  /** Non-embedding parameters, 12·L·d². */
  N: number;
  /** Tokens seen at the end of the run. */
  D: number;
  /** 6·N·D (HF's total_flos is written with the same value). */
  C: number;
  /** Point counts of the main series, under the name the tool itself gives them. */
  metrics: Record<string, number>;
  /** L(N, D) without noise, and the last logged (noisy) eval loss. */
  law_loss_final: number;
  eval_loss_final: number;
  /** Where a reader is expected to find D; some derivations are exact only to a step (Lightning logs step-1). */
  D_source: string;
}

export function put(root: string, rel: string, text: string): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

export function truthOf(p: RunPlan, dir: string, metrics: Record<string, number>, D_source: string): TruthRun {
  return {
    name: p.name,
    format: p.format,
    dir,
    d_model: p.size.d,
    n_layers: p.size.layers,
    N: p.N,
    D: p.D,
    C: 6 * p.N * p.D,
    metrics,
    law_loss_final: Number(lawLoss(p.N, p.D).toFixed(6)),
    eval_loss_final: p.evals[p.evals.length - 1].loss,
    D_source,
  };
}

/** Splits a global batch into per-device micro-batch × accumulation × devices, as launch scripts do. */
export function splitBatch(global: number, devices = 8): { micro: number; accum: number; devices: number } {
  const perDevice = global / devices;
  const micro = Math.min(8, perDevice);
  return { micro, accum: perDevice / micro, devices };
}
