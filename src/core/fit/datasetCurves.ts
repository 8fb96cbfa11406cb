/**
 * Whole loss curves with their learning-rate schedule, for the lr_annealing law (Tissue et al. 2024): each run gives
 * {step, lr, loss} at its logged loss steps. The schedule is kept from step 1 (the areas S1, S2 sum over all of it);
 * the early part of the loss curve (warmup) is masked with NaN so it shapes the areas but is not fitted.
 */
import type { Run } from '../model/run';
import type { Series } from '../model/series';
import { curvePoints } from './prepare';
import { chooseY, findSeries } from './dataset';
import { type DatasetBuild, type DatasetSelection, listNames, plural } from './datasetCommon';
import { detectMicroSteps } from './optimizerSteps';
import type { FitDataset } from '../../contract/fit';

/** Names loggers give the learning rate, most specific first; then anything that looks like one. */
const LR_NAMES = [
  'lr',
  'learning_rate',
  'train/lr',
  'train/learning_rate',
  'lr-AdamW',
  'lr-Adam',
  'lr-SGD',
  'optimizer/lr',
  'trainer/learning_rate',
];
const LR_LIKE = /(^|[/_-])(lr|learning_rate)([/_-]|$)/i;

export function findLearningRate(run: Run): Series | undefined {
  for (const n of LR_NAMES) {
    const s = findSeries(run, n);
    if (s && s.count) return s;
  }
  return run.metrics.all().find((s) => s.count > 0 && LR_LIKE.test(s.name));
}

const fmtN = (v: number): string => v.toExponential(2);

/** lr at `step` from a logged schedule: linear between logged steps, held flat outside them. */
function lrAt(lr: Series, step: number): number {
  const st = lr.step;
  const v = lr.value;
  if (step <= st[0]) return v[0];
  for (let i = 1; i < lr.count; i++) {
    if (st[i] >= step)
      return st[i] === st[i - 1] ? v[i] : v[i - 1] + ((v[i] - v[i - 1]) * (step - st[i - 1])) / (st[i] - st[i - 1]);
  }
  return v[lr.count - 1];
}

/**
 * The end of the learning-rate warmup: the first logged step where the rate reaches 99% of its peak, when it rose to
 * get there (a schedule that starts at its peak has no warmup). Losses during warmup follow the warmup, not the law.
 */
export function warmupEnd(lr: Series): number {
  if (lr.count < 2) return 0;
  let peak = -Infinity;
  for (let i = 0; i < lr.count; i++) peak = Math.max(peak, lr.value[i]);
  if (!(lr.value[0] < 0.99 * peak)) return 0;
  for (let i = 0; i < lr.count; i++) if (lr.value[i] >= 0.99 * peak) return lr.step[i];
  return 0;
}

type Curve = NonNullable<FitDataset['curves']>[string];

/**
 * One run's curve at its logged loss steps, the loss masked (NaN) up to micro-step `from`. With `factor` micro-steps
 * per optimizer step, steps become optimizer steps ⌈s/factor⌉ and each one's loss is the mean of its micro-batches'.
 */
function runCurve(ys: Series, lr: Series, from: number, factor = 1): Curve {
  const byStep = new Map<number, { sum: number; n: number }>();
  for (let i = 0; i < ys.count; i++) {
    const s = ys.step[i];
    if (!(s >= 1) || !Number.isFinite(ys.value[i])) continue;
    const k = factor > 1 ? Math.ceil(s / factor) : s;
    const acc = byStep.get(k) ?? { sum: 0, n: 0 };
    if (s > from) {
      acc.sum += ys.value[i];
      acc.n++;
    }
    byStep.set(k, acc);
  }
  const curve: Curve = { step: [], lr: [], loss: [] };
  for (const [k, { sum, n }] of byStep) {
    curve.step.push(k);
    curve.lr.push(lrAt(lr, k * factor));
    curve.loss.push(n ? sum / n : NaN);
  }
  return curve;
}

/**
 * Curves from runs. Without --y the training loss is taken (the dense curve the law describes), falling back to the
 * validation loss. Points (S1, S2) are filled in too, for provenance and plots; the engine derives the same from
 * the curves.
 */
export function curvesFromRuns(runs: Run[], sel: DatasetSelection, lambda?: number): DatasetBuild {
  const y = chooseY(runs, sel.y, 'training');
  const warnings = [...y.warnings];
  const drop = sel.dropFraction ?? 0.1;
  const curves: NonNullable<FitDataset['curves']> = {};
  const noLr: string[] = [];
  const noY: string[] = [];
  const warm: string[] = [];
  const microRuns: string[] = [];
  for (const run of runs) {
    const ys = y.series.get(run);
    const lr = findLearningRate(run);
    if (!ys) noY.push(run.id);
    else if (!lr) noLr.push(run.id);
    if (!ys || !lr) continue;
    const last = ys.step[ys.count - 1];
    // Fit after the warmup found in the schedule, and after the first `drop` of the steps, whichever is later.
    const warmup = warmupEnd(lr);
    const from = Math.max(drop * last, warmup);
    const micro = detectMicroSteps(run, lr);
    const unit = micro ? micro.factor : 1;
    if (warmup > drop * last) warm.push(`${run.id} (to step ${Math.ceil(warmup / unit)})`);
    if (micro) microRuns.push(`${run.id} (÷ ${micro.factor}: ${micro.source}; ${micro.evidence})`);
    const curve = runCurve(ys, lr, from, unit);
    if (curve.step.length) curves[run.id] = curve;
  }
  const sizes = runs.filter((r) => r.id in curves && r.N).map((r) => r.N?.value ?? 0);
  if (sizes.length > 1 && Math.max(...sizes) > 1.1 * Math.min(...sizes))
    warnings.push(
      `the curves come from models of different sizes (N ${fmtN(Math.min(...sizes))} to ${fmtN(Math.max(...sizes))}); lr_annealing describes one model and dataset, so fit one size at a time (give that run's folder)`,
    );
  if (warm.length)
    warnings.push(
      `learning-rate warmup found in the schedule and left out of the fit (it still counts in the areas): ${listNames(warm)}`,
    );
  if (microRuns.length)
    warnings.push(
      `logged steps counted micro-batches under gradient accumulation: converted to optimizer steps before computing the areas (each step's loss the mean of its micro-batches'; schedules given to predict count optimizer steps): ${listNames(microRuns)}`,
    );
  if (noY.length) warnings.push(`skipped ${plural(noY.length, 'run')} without ${y.missing}: ${listNames(noY)}`);
  if (noLr.length)
    warnings.push(
      `skipped ${plural(noLr.length, 'run')} without a logged learning rate (lr_annealing needs the schedule): ${listNames(noLr)}`,
    );
  const dataset: FitDataset = {
    points: [],
    xNames: ['S1', 'S2'],
    yName: y.yName,
    definitions: {
      S1: 'forward area: Σ learning rate up to the step (logged schedule, linear between logged steps)',
      S2: 'annealing area with momentum λ: Σ m_i, m_i = λ·m_{i−1} + (η_{i−1} − η_i)',
      [y.yName]: `${y.definition} at every logged step after the learning-rate warmup and the first ${Math.round(drop * 100)}% of each run's steps (the schedule counts from step 1)`,
    },
    curves,
  };
  dataset.points = curvePoints(dataset, lambda);
  return { dataset, warnings };
}
