import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Run } from '../../../src/core/model/run';
import { MetricTable } from '../../../src/core/model/series';
import { curveInputFromRun, curveInputsFromRuns } from '../../../src/core/view/runCurves';

function run(id: string, config: Run['config'], metrics: Record<string, [number, number, number][]>, D?: number): Run {
  const table = new MetricTable();
  for (const [name, points] of Object.entries(metrics))
    for (const [step, value, tokens] of points) table.get(name).push(step, value, tokens);
  return {
    id,
    format: 'jsonl',
    dir: `/r/${id}`,
    files: [],
    config,
    configFrom: {},
    metrics: table,
    N: { value: 1e8, provenance: 'test' },
    ...(D ? { D: { value: D, provenance: 'test' } } : {}),
    facts: {},
  };
}

test('the training loss is drawn (the curve with most points), with tokens, scale and tooltip config', () => {
  const r = run(
    'a',
    { 'model.n_layer': 12, 'model.n_embd': 768, 'optim.lr': 6e-4, 'data.path': '/very/long/path' },
    {
      val_loss: [
        [100, 5, 1e6],
        [200, 4, 2e6],
      ],
      loss: [
        [10, 9, 1e5],
        [100, 6, 1e6],
        [200, 4.5, 2e6],
      ],
    },
  );
  const c = curveInputFromRun(r);
  assert.ok(c);
  assert.equal(c.metric, 'loss');
  assert.deepEqual(Array.from(c.step), [10, 100, 200]);
  assert.deepEqual(Array.from(c.tokens ?? []), [1e5, 1e6, 2e6]);
  assert.equal(c.N, 1e8);
  assert.deepEqual(c.config, { n_layer: 12, n_embd: 768, lr: 6e-4 });
  assert.equal(c.targetTokens, undefined, 'no planned steps in the config: not known to be training');
  assert.equal(curveInputFromRun(r, 'val_loss')?.metric, 'val_loss');
});

test('a run whose config plans more steps than it logged gets its planned tokens', () => {
  const r = run(
    'b',
    { max_iters: 1000 },
    {
      loss: [
        [100, 6, 1e6],
        [400, 5, 4e6],
      ],
    },
  );
  assert.equal(curveInputFromRun(r)?.targetTokens, 1e7);
  const noTokens = run(
    'c',
    { 'trainer.max_steps': 1000 },
    {
      loss: [
        [100, 6, NaN],
        [400, 5, NaN],
      ],
    },
    4e6,
  );
  assert.equal(curveInputFromRun(noTokens)?.targetTokens, 1e7, 'tokens per step from D over the last step');
  const finished = run(
    'd',
    { max_steps: 400 },
    {
      loss: [
        [100, 6, 1e6],
        [400, 5, 4e6],
      ],
    },
  );
  assert.equal(curveInputFromRun(finished)?.targetTokens, undefined);
});

test('runs without a loss are left out; the copies do not follow later appends', () => {
  const r = run('e', {}, { loss: [[1, 3, 10]] });
  const none = run('f', {}, { accuracy: [[1, 0.5, 10]] });
  const curves = curveInputsFromRuns([r, none]);
  assert.deepEqual(
    curves.map((c) => c.runId),
    ['e'],
  );
  r.metrics.get('loss').push(2, 2, 20);
  assert.equal(curves[0].step.length, 1);
});

test('an unchanged run gives the same input object; an append or a config change gives a new one', () => {
  const loss = Array.from({ length: 3 }, (_, i): [number, number, number] => [10 * (i + 1), 5 - i, 1e5 * (i + 1)]);
  const r = run('a', { lr: 1e-3 }, { loss });
  const first = curveInputFromRun(r);
  assert.ok(first);
  assert.equal(curveInputFromRun(r), first, 'nothing changed: the same object (the plot reuses its rows)');
  r.metrics.get('loss').push(40, 3.2, 4e5);
  const appended = curveInputFromRun(r);
  assert.notEqual(appended, first);
  assert.deepEqual(Array.from(appended?.step ?? []), [10, 20, 30, 40]);
  assert.deepEqual(Array.from(first.step), [10, 20, 30], 'the earlier input is a copy: the append left it alone');
  r.config.lr = 2e-3;
  const reconfigured = curveInputFromRun(r);
  assert.notEqual(reconfigured, appended);
  assert.equal(reconfigured?.config?.lr, 2e-3);
  assert.notEqual(curveInputFromRun(r, 'loss'), reconfigured, 'another metric asked for: built for it');
});
