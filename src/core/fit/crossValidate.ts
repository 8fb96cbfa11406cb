/**
 * Leave-one-size-out cross-validation for `auto`: each model size (distinct N, or the only x) is held out in turn,
 * the law fitted on the other sizes and scored on the held-out points. A law chosen by one held-out point picks
 * noise; every size held out once measures how each law generalises across the sizes the user actually has.
 */
import { FitCancelledError, FitError } from '../errors';
import { fitLaw, type EngineOptions } from './fitLaw';
import { predict } from './predict';
import type { Progress } from './progress';
import type { FitDataset, LawName } from '../../contract/fit';

/** Below this many sizes a fold leaves too little to fit; the backtest and AIC decide instead. */
export const MIN_SIZES = 4;

/** The variable that names a model size: N when the data has it, else a one-variable fit's x. */
export function sizeVariable(data: FitDataset): string | undefined {
  if (data.xNames.includes('N')) return 'N';
  return data.xNames.length === 1 ? data.xNames[0] : undefined;
}

/**
 * Mean absolute relative error on held-out sizes, over the folds that could be fitted; undefined when the data has
 * fewer than MIN_SIZES sizes or no fold could be fitted.
 */
export function leaveOneSizeOut(
  name: LawName,
  data: FitDataset,
  o: EngineOptions,
  progress: Progress,
): { error: number; folds: number } | undefined {
  const v = sizeVariable(data);
  if (!v || data.curves) return undefined;
  const sizes = [...new Set(data.points.map((p) => p.x[v]))].sort((a, b) => a - b);
  if (sizes.length < MIN_SIZES) return undefined;
  const errors: number[] = [];
  let folds = 0;
  for (const [i, s] of sizes.entries()) {
    const span = progress.span(i / sizes.length, (i + 1) / sizes.length, `${name}: cross-validation fold ${i + 1}`);
    const train = data.points.filter((p) => p.x[v] !== s);
    const test = data.points.filter((p) => p.x[v] === s);
    let fit;
    try {
      fit = fitLaw(name, { ...data, points: train }, { ...o, bootstrap: 0, holdout: 0 }, span);
    } catch (e) {
      if (e instanceof FitCancelledError || !(e instanceof FitError)) throw e;
      continue;
    }
    folds++;
    for (const p of test) {
      const pred = predict(fit, p.x).value;
      if (Number.isFinite(pred) && p.y !== 0) errors.push(Math.abs(pred - p.y) / Math.abs(p.y));
    }
  }
  if (!errors.length) return undefined;
  return { error: errors.reduce((a, b) => a + b, 0) / errors.length, folds };
}
