/**
 * Bootstrap: resample, refit warm-started from the best fit (so resamples cost one short LM run each), keep each
 * resample's parameters. The resampling unit respects how points were produced: checkpoints of one run are
 * correlated, so whole runs are resampled (cluster bootstrap); with too few runs for that, blocks of consecutive
 * points within each run (moving-block bootstrap) keep local correlation without collapsing to a handful of
 * distinct datasets; independent single points are resampled as points.
 */
import { FitError } from '../errors';
import type { Prepared } from './prepare';
import { subset } from './prepare';
import { refit } from './solve';
import type { FitOptions } from '../../contract/fit';

export type BootMode = 'cluster' | 'block' | 'point';

export const MIN_CLUSTERS = 10;

export function resolveMode(prep: Prepared, asked: FitOptions['bootstrapMode']): BootMode {
  if (asked && asked !== 'auto') return asked;
  const runs = new Map<string, number>();
  for (const r of prep.runIds) runs.set(r, (runs.get(r) ?? 0) + 1);
  if (Math.max(...runs.values()) <= 1) return 'point';
  return runs.size >= MIN_CLUSTERS ? 'cluster' : 'block';
}

/** Indices of each run's points, in step order when steps are known. */
function runGroups(prep: Prepared): number[][] {
  const groups = new Map<string, number[]>();
  prep.runIds.forEach((r, i) => {
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  });
  const out = [...groups.values()];
  for (const g of out) g.sort((a, b) => (prep.points[a].step ?? a) - (prep.points[b].step ?? b));
  return out;
}

export function resampleIndices(prep: Prepared, mode: BootMode, rand: () => number, groups: number[][]): number[] {
  const pick = (m: number): number => Math.floor(rand() * m);
  if (mode === 'point') return Array.from({ length: prep.n }, () => pick(prep.n));
  if (mode === 'cluster') {
    const out: number[] = [];
    for (let g = 0; g < groups.length; g++) out.push(...groups[pick(groups.length)]);
    return out;
  }
  const out: number[] = [];
  for (const g of groups) {
    const len = Math.max(1, Math.round(Math.cbrt(g.length)));
    const starts = g.length - len + 1;
    for (let filled = 0; filled < g.length;) {
      const s = pick(starts);
      for (let q = 0; q < len && filled < g.length; q++, filled++) out.push(g[s + q]);
    }
  }
  return out;
}

export interface BootOutcome {
  draws: number[][];
  mode: BootMode;
  failures: number;
}

/**
 * `theta`: best fit in normalised units; `alternatives`: other local minima of the full data to refit from as well
 * (multimodal laws). Returns raw-unit parameter draws. `tick(i)` runs before each resample (progress, cancellation).
 */
export function bootstrap(
  prep: Prepared,
  theta: number[],
  B: number,
  rand: () => number,
  mode: BootMode,
  tick: (i: number) => void,
  alternatives: number[][] = [],
): BootOutcome {
  const groups = runGroups(prep);
  const draws: number[][] = [];
  let failures = 0;
  for (let b = 0; b < B; b++) {
    tick(b);
    const idx = resampleIndices(prep, mode, rand, groups);
    const sub = subset(prep, idx);
    let fit: { theta: number[]; objective: number };
    try {
      fit = refit(sub, theta, alternatives);
    } catch (e) {
      if (e instanceof FitError) throw e;
      failures++;
      continue;
    }
    const raw = prep.law.unscale ? prep.law.unscale(fit.theta, prep.scale) : fit.theta;
    if (!Number.isFinite(fit.objective) || raw.some((v) => !Number.isFinite(v))) {
      failures++;
      continue;
    }
    draws.push(raw);
  }
  return { draws, mode, failures };
}
