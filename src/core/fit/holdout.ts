/**
 * The backtest: hold out the k largest runs (by C, N, D or any x), fit the rest from scratch, and report how far the
 * held-out observations are from their predictions (absolute relative error). The honest check of an
 * extrapolating law: it is exactly what the user is about to do with the full fit.
 */
import { FitError } from '../errors';
import type { Prepared } from './prepare';
import { subset } from './prepare';
import type { Progress } from './progress';
import { refine } from './solve';
import { findStarts } from './starts';
import type { HoldoutPoint } from '../../contract/fit';

/** The ordering variable: the one asked for, else C (given, or 6·N·D), else the law's first variable. */
export function holdoutVariable(prep: Prepared, asked?: string): string {
  const has = (v: string): boolean => prep.points.every((p) => typeof p.x[v] === 'number');
  const hasC = has('C') || (has('N') && has('D'));
  if (asked) {
    if (has(asked) || (asked === 'C' && hasC)) return asked;
    const known = [...new Set(prep.points.flatMap((p) => Object.keys(p.x)))];
    throw new FitError(
      `holdout ordering variable ${asked} is not in the data (variables: ${known.join(', ') || 'none'})`,
    );
  }
  return hasC ? 'C' : prep.varNames[0];
}

function keyOf(x: Record<string, number>, v: string): number {
  if (typeof x[v] === 'number') return x[v];
  return 6 * x.N * x.D; // v === 'C' without a C column: compute under the C = 6ND convention
}

/** Point indices of the k runs with the largest `by` (a run's largest point counts) and of the rest. */
export function splitLargestRuns(
  prep: Prepared,
  k: number,
  by: string,
): { held: number[]; kept: number[]; heldRuns: string[] } {
  const runMax = new Map<string, number>();
  prep.points.forEach((p, i) => {
    const v = keyOf(p.x, by);
    const r = prep.runIds[i];
    runMax.set(r, Math.max(runMax.get(r) ?? -Infinity, v));
  });
  if (k >= runMax.size) {
    throw new FitError(`holdout ${k} would hold out all ${runMax.size} run(s); hold out at most ${runMax.size - 1}`);
  }
  const heldRuns = [...runMax.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, k)
    .map(([r]) => r);
  const heldSet = new Set(heldRuns);
  const held: number[] = [],
    kept: number[] = [];
  prep.runIds.forEach((r, i) => (heldSet.has(r) ? held : kept).push(i));
  return { held, kept, heldRuns };
}

export interface Backtest {
  areMean: number;
  points: HoldoutPoint[];
  by: string;
}

export function backtest(
  prep: Prepared,
  k: number,
  asked: string | undefined,
  rand: () => number,
  maxStarts: number,
  progress: Progress,
): Backtest {
  const by = holdoutVariable(prep, asked);
  const { held, kept } = splitLargestRuns(prep, k, by);
  const p = prep.law.paramCount;
  if (kept.length < p + 1) {
    throw new FitError(
      `holdout ${k} leaves ${kept.length} point(s) to fit ${p} parameters of law ${prep.law.name} (need at least ${p + 1})`,
    );
  }
  const sub = subset(prep, kept);
  const starts = findStarts(sub, rand, maxStarts);
  if (!starts.length)
    throw new FitError(`backtest: law ${prep.law.name} cannot be evaluated on the runs left after holding out ${k}`);
  const fit = refine(sub, starts, 300, (i) => {
    progress.report(i / starts.length, 'backtest');
  });
  if (!Number.isFinite(fit.objective))
    throw new FitError(`backtest: the fit without the ${k} largest run(s) did not converge`);
  const raw = prep.law.unscale ? prep.law.unscale(fit.theta, prep.scale) : fit.theta;
  const points: HoldoutPoint[] = held.map((i) => {
    const predicted = prep.law.f(raw, prep.rawRows[i]);
    const y = prep.y[i];
    return {
      runId: prep.runIds[i],
      x: { ...prep.points[i].x },
      y,
      predicted,
      are: Math.abs(predicted - y) / Math.abs(y),
    };
  });
  const areMean = points.reduce((s, q) => s + q.are, 0) / points.length;
  return { areMean, points, by };
}
