/** Issue #11 item 7: lr_annealing counts optimizer steps, not micro-batches, when the run logs micro-steps. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { curvesFromRuns } from '../../../src/core/fit/datasetCurves';
import { fitDataset } from '../../../src/core/fit/engine';
import { detectMicroSteps, gradientAccumulation } from '../../../src/core/fit/optimizerSteps';
import { annealingAreas } from '../../../src/core/laws/lrAnnealing';
import type { ConfigValue, Run } from '../../../src/core/model/run';
import { MetricTable } from '../../../src/core/model/series';

const TRUTH = { L0: 2.2, A: 1.1, alpha: 0.45, C: 0.25 };
const OPT_STEPS = 500;
const ACC = 4;
const optSteps = Array.from({ length: OPT_STEPS }, (_, i) => i + 1);

/** Two schedules in optimizer steps: warmup then cosine, and warmup-stable-decay. */
const SCHEDULES: Record<string, number[]> = {
  cosine: optSteps.map((k) =>
    k <= 25 ? (1e-3 * k) / 25 : 1e-3 * (0.1 + 0.45 * (1 + Math.cos((Math.PI * k) / OPT_STEPS))),
  ),
  wsd: optSteps.map((k) => (k <= 25 ? (1e-3 * k) / 25 : k <= 400 ? 1e-3 : 1e-3 * (1 - (0.9 * (k - 400)) / 100))),
};

/** The law's loss at each optimizer step of a schedule. */
function lawLoss(lr: number[]): number[] {
  const { S1, S2 } = annealingAreas(optSteps, lr);
  return optSteps.map((k) => TRUTH.L0 + TRUTH.A * S1[k] ** -TRUTH.alpha - TRUTH.C * S2[k]);
}

/**
 * A run logging loss and lr every `every` logged steps; `micro`: the log counts micro-batches (each optimizer step's
 * rate and loss repeated over its ACC micro-steps), as a hand-written loop under gradient accumulation does.
 */
function run(id: string, lr: number[], micro: boolean, config: Record<string, ConfigValue>, every = 1): Run {
  const metrics = new MetricTable();
  const loss = lawLoss(lr);
  const per = micro ? ACC : 1;
  for (let s = every; s <= OPT_STEPS * per; s += every) {
    const k = Math.ceil(s / per) - 1;
    metrics.get('train_loss').push(s, loss[k]);
    metrics.get('lr').push(s, lr[k]);
  }
  return { id, format: 'jsonl', dir: '/runs', files: [], config, configFrom: {}, metrics, facts: {} };
}

const data = (runs: Run[]) => curvesFromRuns(runs, { x: ['S1', 'S2'], dropFraction: 0 });

test('micro-step logs with gradient_accumulation_steps become optimizer steps; the fit recovers the law', () => {
  const runs = Object.entries(SCHEDULES).map(([name, lr]) => run(name, lr, true, { gradient_accumulation_steps: ACC }));
  const { dataset, warnings } = data(runs);
  const curve = dataset.curves?.cosine;
  assert.ok(curve);
  assert.equal(Math.max(...curve.step), OPT_STEPS, 'steps are optimizer steps');
  assert.equal(curve.step.length, OPT_STEPS, 'one point per optimizer step');
  assert.ok(
    warnings.some((w) =>
      /^logged steps counted micro-batches .*cosine \(÷ 4: gradient_accumulation_steps = 4; the logged learning rate changes once every 4 steps\)/.test(
        w,
      ),
    ),
    warnings.join('\n'),
  );
  assert.ok(
    warnings.some((w) => /warmup found .*cosine \(to step 25\)/.test(w)),
    warnings.join('\n'),
  );
  const fit = fitDataset(dataset, { law: 'lr_annealing' });
  assert.ok(Math.abs(fit.params.alpha.value - TRUTH.alpha) < 0.01, `alpha ${fit.params.alpha.value}`);
  assert.ok(Math.abs(fit.params.C.value / TRUTH.C - 1) < 0.02, `C ${fit.params.C.value}`);

  // The same logs read as if each micro-step were an optimizer step: the annealing term comes out wrong.
  const asLogged = data(Object.entries(SCHEDULES).map(([name, lr]) => run(name, lr, true, {})));
  assert.equal(Math.max(...(asLogged.dataset.curves?.cosine.step ?? [])), OPT_STEPS * ACC);
  const wrong = fitDataset(asLogged.dataset, { law: 'lr_annealing' });
  assert.ok(Math.abs(wrong.params.C.value / TRUTH.C - 1) > 0.1, `C ${wrong.params.C.value} unconverted`);
});

test('optimizer-step logs under accumulation are left alone; sparse logs convert on max_steps evidence', () => {
  const opt = data([run('hf', SCHEDULES.cosine, false, { gradient_accumulation_steps: ACC })]);
  assert.equal(Math.max(...(opt.dataset.curves?.hf.step ?? [])), OPT_STEPS);
  assert.ok(!opt.warnings.some((w) => /micro-batches/.test(w)), opt.warnings.join('\n'));

  const sparse = run('loop', SCHEDULES.wsd, true, { grad_accum: ACC, max_steps: OPT_STEPS }, 10);
  const m = detectMicroSteps(sparse, sparse.metrics.get('lr'));
  assert.deepEqual(m, {
    factor: ACC,
    source: 'grad_accum = 4',
    evidence: 'the last logged step 2000 is 4 × max_steps 500',
  });
  const conv = data([sparse]);
  assert.equal(Math.max(...(conv.dataset.curves?.loop.step ?? [])), OPT_STEPS);
});

test('the accumulation from HF, Lightning and Megatron/DeepSpeed config names', () => {
  assert.deepEqual(gradientAccumulation({ gradient_accumulation_steps: 8 }), {
    value: 8,
    source: 'gradient_accumulation_steps = 8',
  });
  assert.equal(gradientAccumulation({ accumulate_grad_batches: 2 })?.value, 2);
  assert.equal(gradientAccumulation({ gradient_accumulation_steps: 1 }), undefined, 'no accumulation');
  assert.deepEqual(gradientAccumulation({ global_batch_size: 512, micro_batch_size: 4, data_parallel_size: 32 }), {
    value: 4,
    source: 'global_batch_size 512 ÷ (micro_batch_size 4 × data_parallel_size 32) = 4',
  });
  assert.equal(gradientAccumulation({ global_batch_size: 512, micro_batch_size: 3 }), undefined, 'not whole');
  assert.equal(gradientAccumulation({ batch_size: 32 }), undefined);
});
