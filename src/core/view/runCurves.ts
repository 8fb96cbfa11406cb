/**
 * Learning-curve input from the runs the extension has read: per run the training loss in the run's own
 * spelling (the curve with the most points; validation losses are logged far less often), its steps and tokens,
 * N, D, C, a few config values for tooltips, and the planned end of training when the config says.
 */
import { findSeries } from '../fit/dataset';
import { TRAIN_FROM, Y_CANDIDATES } from '../fit/datasetCommon';
import type { ConfigValue, Run } from '../model/run';
import type { Series } from '../model/series';
import type { CurveInput } from './types';

/** Config keys worth a tooltip line, by their last segment ("model.d_model" counts as d_model). */
const TOOLTIP_KEYS =
  /^(d_model|n_embd|hidden_size|n_layers?|num_layers|num_hidden_layers|n_heads?|num_attention_heads|lr|learning_rate|max_lr|batch_size|global_batch_size|train_batch_size|seq_len|block_size|max_seq_len|vocab_size)$/i;
/** Config keys holding the planned number of optimiser steps. */
const MAX_STEP_KEYS = /^(max_steps|max_iters|train_iters|total_steps|num_training_steps|max_iter)$/i;

const lastSegment = (k: string): string => k.split('.').pop() ?? k;

function tooltipConfig(config: Record<string, ConfigValue>): Record<string, ConfigValue> {
  const out: Record<string, ConfigValue> = {};
  for (const [k, v] of Object.entries(config)) {
    if (Object.keys(out).length >= 8) break;
    if (TOOLTIP_KEYS.test(lastSegment(k)) && (typeof v !== 'string' || v.length <= 40)) out[lastSegment(k)] = v;
  }
  return out;
}

function plannedSteps(config: Record<string, ConfigValue>): number | undefined {
  for (const [k, v] of Object.entries(config)) {
    if (!MAX_STEP_KEYS.test(lastSegment(k))) continue;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (Number.isFinite(n) && n > 0) return n;
  }
  return undefined;
}

/** The series to draw: the named metric, else the run's training loss, else its validation loss. */
export function curveSeries(run: Run, metric?: string): Series | undefined {
  const names = metric ? [metric] : [...Y_CANDIDATES.slice(TRAIN_FROM), ...Y_CANDIDATES.slice(0, TRAIN_FROM)];
  for (const n of names) {
    const s = findSeries(run, n);
    if (s && s.count > 0) return s;
  }
  return undefined;
}

/**
 * What a run's curve input is made of: the series (by name, points stored and ever logged, and its first, middle
 * and last point) and the run's scale and the config values the input keeps. A log append moves `logged` and the
 * last point; a rewritten log is read again from its start, which resets `logged` and changes the points. Equal
 * facts mean the input would come out the same, so the copy made before is handed out again (and the plot's rows
 * cached for it, see curveRows.ts, stay valid). Plain values compared one by one: this runs for every run on every
 * update, so it builds no strings.
 */
function inputFacts(run: Run, s: Series, metric: string | undefined): unknown[] {
  const n = s.count;
  const [step, value, tokens] = [s.step, s.value, s.tokens];
  const facts: unknown[] = [metric, s.name, n, s.logged, run.N?.value, run.D?.value, run.C?.value, run.format];
  for (const i of n ? [0, n >> 1, n - 1] : []) facts.push(step[i], value[i], tokens[i]);
  facts.push(plannedSteps(run.config));
  for (const [k, v] of Object.entries(tooltipConfig(run.config))) facts.push(k, v);
  return facts;
}

const sameFacts = (a: unknown[], b: unknown[]): boolean =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

const inputs = new WeakMap<Run, { facts: unknown[]; input: CurveInput }>();

/** The run's learning-curve input: the same object as last time while nothing it is made of changed. */
export function curveInputFromRun(run: Run, metric?: string): CurveInput | undefined {
  const s = curveSeries(run, metric);
  if (!s) return undefined;
  const facts = inputFacts(run, s, metric);
  const held = inputs.get(run);
  if (held && sameFacts(held.facts, facts)) return held.input;
  const input = freshInput(run, s);
  inputs.set(run, { facts, input });
  return input;
}

function freshInput(run: Run, s: Series): CurveInput {
  // Copies: a Series hands out views that the next append invalidates, and the panel builds asynchronously.
  const step = Float64Array.from(s.step);
  const tokens = Float64Array.from(s.tokens);
  const input: CurveInput = {
    runId: run.id,
    metric: s.name,
    step,
    value: Float64Array.from(s.value),
    tokens,
    format: run.format,
    config: tooltipConfig(run.config),
  };
  if (run.N) input.N = run.N.value;
  if (run.D) input.D = run.D.value;
  if (run.C) input.C = run.C.value;
  const planned = plannedSteps(run.config);
  const lastStep = step.length ? step[step.length - 1] : 0;
  if (planned && lastStep > 0 && planned > lastStep) {
    let tokensPerStep = NaN;
    for (let i = tokens.length - 1; i >= 0; i--) {
      if (tokens[i] > 0 && step[i] > 0) {
        tokensPerStep = tokens[i] / step[i];
        break;
      }
    }
    if (!Number.isFinite(tokensPerStep) && run.D) tokensPerStep = run.D.value / lastStep;
    if (Number.isFinite(tokensPerStep)) input.targetTokens = planned * tokensPerStep;
  }
  return input;
}

export function curveInputsFromRuns(runs: Run[], metric?: string): CurveInput[] {
  const out: CurveInput[] = [];
  for (const r of runs) {
    const c = curveInputFromRun(r, metric);
    if (c) out.push(c);
  }
  return out;
}
