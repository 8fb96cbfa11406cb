import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { chooseY, datasetFromRuns } from '../../../src/core/fit/dataset';
import { curvesFromRuns } from '../../../src/core/fit/datasetCurves';
import { Catalog } from '../../../src/core/ingest/catalog';
import type { Run } from '../../../src/core/model/run';

const RESULTS = resolve(__dirname, '../../../examples/results');
interface TruthRun {
  dir: string;
  N: number;
  D: number;
  C: number;
  eval_loss_final: number;
}
const truth = JSON.parse(readFileSync(join(RESULTS, 'TRUTH.json'), 'utf8')) as { runs: TruthRun[] };

/** The truth entry of a run: the run's id starts with the entry's folder. */
function truthOf(runId: string): TruthRun {
  const t = truth.runs.find((r) => runId === r.dir || runId.startsWith(`${r.dir}/`));
  assert.ok(t, `no TRUTH entry for run ${runId}`);
  return t;
}

describe('datasetFromRuns on examples/results', () => {
  let runs: Run[] = [];
  before(async () => {
    const catalog = new Catalog([RESULTS]);
    await catalog.scan();
    runs = catalog.runs();
  });

  test('without --y, every run contributes its validation loss whatever its logger calls it', () => {
    const { dataset, warnings } = datasetFromRuns(runs, { x: ['N', 'D'] });
    assert.equal(dataset.points.length, truth.runs.length);
    assert.equal(dataset.yName, 'validation loss');
    assert.match(
      warnings.join('\n'),
      /no --y given: fitting the validation loss \(.*"val\/loss" in \d+ runs.*"eval_loss" in 2 runs/,
    );
    for (const p of dataset.points) {
      const t = truthOf(p.runId);
      assert.ok(Math.abs(p.y / t.eval_loss_final - 1) < 1e-6, `${p.runId}: y ${p.y} vs ${t.eval_loss_final}`);
      assert.ok(Math.abs(p.x.N / t.N - 1) < 1e-9, `${p.runId}: N`);
      assert.ok(Math.abs(p.x.D / t.D - 1) < 1e-3, `${p.runId}: D ${p.x.D} vs ${t.D}`);
    }
    assert.match(dataset.definitions['validation loss'], /last logged value of the validation loss/);
    assert.match(dataset.definitions.N, /non-embedding/);
  });

  test('an explicit --y keeps runs that log that exact metric, and the warning names what the others log', () => {
    const { dataset, warnings } = datasetFromRuns(runs, { x: ['N', 'D'], y: 'val_loss' });
    assert.equal(dataset.yName, 'val_loss');
    assert.ok(dataset.points.length > 0 && dataset.points.length < truth.runs.length);
    const skipped = warnings.find((w) => /skipped \d+ runs without a logged "val_loss"/.test(w));
    assert.ok(skipped, warnings.join('\n'));
    assert.match(skipped, /they log .*"eval_loss"/);
  });

  test('checkpoints: every eval after the first 10% of tokens, C = 6·N·D at the point, one cluster per run', () => {
    const { dataset } = datasetFromRuns(runs, { x: ['N', 'D', 'C'], checkpoints: true });
    const byRun = new Map<string, number>();
    for (const p of dataset.points) {
      const t = truthOf(p.runId);
      assert.ok(
        p.x.D > 0.1 * t.D * 0.999 && p.x.D <= t.D * 1.001,
        `${p.runId}: D ${p.x.D} outside (10%, 100%] of ${t.D}`,
      );
      assert.ok(Math.abs(p.x.C / (6 * p.x.N * p.x.D) - 1) < 1e-9);
      byRun.set(p.runId, (byRun.get(p.runId) ?? 0) + 1);
    }
    assert.equal(byRun.size, truth.runs.length);
    // 20 evals per run, the first two at or below 10% of the tokens.
    for (const [id, n] of byRun) assert.ok(n >= 17 && n <= 19, `${id}: ${n} checkpoints`);
    const noDrop = datasetFromRuns(runs, { x: ['N', 'D'], checkpoints: true, dropFraction: 0 });
    assert.ok(noDrop.dataset.points.length > dataset.points.length);
  });

  test('a variable the runs do not have skips them with a warning naming it', () => {
    const { dataset, warnings } = datasetFromRuns(runs, { x: ['batch_size_of_nothing'] });
    assert.equal(dataset.points.length, 0);
    assert.ok(
      warnings.some((w) => /without "batch_size_of_nothing"/.test(w)),
      warnings.join('\n'),
    );
  });

  test('chooseY falls back to the training loss only when no run logs a validation loss', () => {
    const y = chooseY(runs, undefined);
    assert.equal(y.series.size, truth.runs.length);
    for (const s of y.series.values()) assert.match(s.name, /val|eval/);
  });

  test("curves for lr_annealing: training loss with each logger's learning-rate series, warmup masked, areas as points", () => {
    const one = runs.filter((r) => r.id.startsWith('nanogpt/out-gpt-1B'));
    const { dataset, warnings } = curvesFromRuns(one, { x: ['S1', 'S2'] });
    const c = dataset.curves?.[one[0].id];
    assert.ok(c);
    assert.equal(c.step.length, 200);
    assert.equal(c.loss.filter(Number.isNaN).length, 20, 'the first 10% of steps shape the areas but are not fitted');
    assert.equal(dataset.points.length, 180);
    assert.deepEqual(dataset.xNames, ['S1', 'S2']);
    assert.ok(dataset.points.every((p) => p.x.S1 > 0));
    assert.equal(dataset.yName, 'loss');
    assert.ok(!warnings.some((w) => /different sizes/.test(w)));
    const all = curvesFromRuns(runs, { x: ['S1', 'S2'] });
    assert.equal(
      Object.keys(all.dataset.curves ?? {}).length,
      truth.runs.length,
      "every format's learning rate is found",
    );
    assert.ok(
      all.warnings.some((w) => /models of different sizes.*fit one size at a time/.test(w)),
      all.warnings.join('\n'),
    );
  });
});

test('a diverged run is fitted on its finite points, and the skipped NaN/Inf values are counted in a warning', async () => {
  const catalog = new Catalog([RESULTS]);
  await catalog.scan();
  const run = catalog.runs().find((r) => r.N && r.D && r.metrics.find('val_loss'));
  assert.ok(run, 'a run with N, D and val_loss');
  const series = run.metrics.find('val_loss');
  const last = series?.last();
  assert.ok(series && last);
  series.push(last.step + 1, NaN);
  series.push(last.step + 2, Infinity);
  const { dataset, warnings } = datasetFromRuns([run], { x: ['N', 'D'], y: 'val_loss' });
  assert.equal(dataset.points.length, 1);
  assert.equal(dataset.points[0].y, last.value, 'the last finite value');
  assert.match(warnings.join('\n'), /skipped 2 non-finite \(NaN\/Inf\) values of the fitted metric/);
});
