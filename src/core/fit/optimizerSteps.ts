/**
 * Whether a run's logged steps count micro-batches rather than optimizer steps. The lr_annealing law sums the
 * learning rate over optimizer steps (its annealing momentum λ decays once per update), so a log written once per
 * micro-batch under gradient accumulation must be divided by the accumulation before the areas are computed.
 * HF Trainer, Lightning, nanoGPT and Megatron all log optimizer steps; hand-written loops often log micro-steps.
 * A declared accumulation alone proves nothing either way, so the conversion needs evidence from the run itself.
 */
import { type AliasTable, DEFAULT_ALIASES, resolveKey } from '../config/aliases';
import type { Run } from '../model/run';
import type { Series } from '../model/series';
import { lastStepOf } from './dataset';

export interface MicroSteps {
  /** Micro-steps per optimizer step: the gradient accumulation. */
  factor: number;
  /** The config key(s) that gave it, e.g. "gradient_accumulation_steps = 4". */
  source: string;
  /** Why the logged steps are taken as micro-steps, in words. */
  evidence: string;
}

/**
 * The accumulation the config declares: `gradient_accumulation_steps` and its aliases, else (Megatron, DeepSpeed)
 * global batch ÷ (micro batch × data-parallel size) when that is a whole number above 1.
 */
export function gradientAccumulation(
  config: Run['config'],
  aliases: AliasTable = DEFAULT_ALIASES,
): { value: number; source: string } | undefined {
  const acc = resolveKey(config, 'grad_accum', aliases);
  if (acc)
    return acc.value > 1 && Number.isInteger(acc.value)
      ? { value: acc.value, source: `${acc.key} = ${acc.value}` }
      : undefined;
  const global = resolveKey(config, 'global_batch_size', aliases);
  const micro = resolveKey(config, 'batch_size', aliases);
  if (!global || !micro || !(micro.value > 0)) return undefined;
  const ws = resolveKey(config, 'world_size', aliases);
  const value = global.value / (micro.value * (ws?.value ?? 1));
  if (!(value > 1) || Math.abs(value - Math.round(value)) > 1e-9) return undefined;
  return {
    value: Math.round(value),
    source: `${global.key} ${global.value} ÷ (${micro.key} ${micro.value}${ws ? ` × ${ws.key} ${ws.value}` : ''}) = ${Math.round(value)}`,
  };
}

/**
 * A learning rate logged at consecutive steps that changes only once every `factor` steps, always at the same
 * phase, was stepped by the optimizer every `factor` logged steps. Needs a few changes inside dense stretches.
 */
function lrStepsInBlocks(lr: Series, factor: number): boolean {
  const phases = new Set<number>();
  let changes = 0;
  let steady = 0;
  for (let i = 0; i + 1 < lr.count; i++) {
    if (lr.step[i + 1] - lr.step[i] !== 1) continue;
    if (lr.value[i + 1] !== lr.value[i]) {
      changes++;
      phases.add(((lr.step[i] % factor) + factor) % factor);
    } else steady++;
  }
  return changes >= 3 && phases.size === 1 && steady >= changes;
}

/**
 * Evidence that `run` logs micro-steps, given its accumulation `factor`: the learning rate moves once per `factor`
 * logged steps, or the last step is `factor` × the configured max_steps.
 */
export function detectMicroSteps(run: Run, lr: Series, aliases: AliasTable = DEFAULT_ALIASES): MicroSteps | undefined {
  const acc = gradientAccumulation(run.config, aliases);
  if (!acc) return undefined;
  const factor = acc.value;
  if (lrStepsInBlocks(lr, factor))
    return {
      factor,
      source: acc.source,
      evidence: `the logged learning rate changes once every ${factor} steps`,
    };
  const max = resolveKey(run.config, 'max_steps', aliases);
  const last = lastStepOf(run);
  if (max && max.value > 0 && last >= 1.5 * max.value && Math.abs(last / (max.value * factor) - 1) <= 0.1)
    return {
      factor,
      source: acc.source,
      evidence: `the last logged step ${last} is ${factor} × ${max.key} ${max.value}`,
    };
  return undefined;
}
