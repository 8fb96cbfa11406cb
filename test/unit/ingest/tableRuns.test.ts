import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { datasetFromRuns } from '../../../src/core/fit/dataset';
import { fitDataset } from '../../../src/core/fit/engine';
import { predict } from '../../../src/core/fit/predict';
import { normal, rng } from '../../../src/core/fit/random';
import { Catalog } from '../../../src/core/ingest/catalog';
import { rowRunNamer, runColumns } from '../../../src/core/ingest/readers/tableRuns';
import type { Run } from '../../../src/core/model/run';
import { tmpDir } from '../../support/tmp';

const SIZES = [1e7, 3e7, 1e8, 3e8];
const SEEDS = [1, 2, 3];
const SIGMA = 0.02;
const truth = (N: number) => 1.8 + 30 * N ** -0.25;

function namesOf(header: string, rows: string[]): (string | undefined)[] {
  const name = rowRunNamer(runColumns(header.split(',').map((h) => h.toLowerCase())));
  return rows.map((r) => name(r.split(',')));
}

async function scanTable(text: string): Promise<Run[]> {
  const root = tmpDir('sl-runs-');
  writeFileSync(join(root, 'sweep.csv'), text);
  const cat = new Catalog([root]);
  await cat.scan();
  assert.deepEqual(cat.diagnostics(), []);
  return cat.runs();
}

/** Pooled within-size variance of ln(loss) over the replicates: the noise the fit must report. */
function pooledSd(losses: number[][]): { sd: number; dof: number } {
  let ss = 0,
    dof = 0;
  for (const g of losses) {
    const l = g.map(Math.log);
    const m = l.reduce((s, v) => s + v, 0) / l.length;
    ss += l.reduce((s, v) => s + (v - m) ** 2, 0);
    dof += l.length - 1;
  }
  return { sd: Math.sqrt(ss / dof), dof };
}

test('rules: a run column names runs, seeds split a size, a size is one curve with steps and a run per row without', () => {
  assert.deepEqual(namesOf('run,seed,N,loss', ['a,1,1e7,4', 'a,2,1e7,4', 'b,,1e8,3']), ['a seed 1', 'a seed 2', 'b']);
  assert.deepEqual(namesOf('model,seed,N,loss', ['S,1,1e7,4', 'S,2,1e7,4', ',3,1e7,4']), [
    'S seed 1',
    'S seed 2',
    'seed 3',
  ]);
  // a size with steps or tokens: its rows are one run's curve, whatever their order
  assert.deepEqual(namesOf('model,tokens,N,loss', ['S,1,1e7,5', 'S,2,1e7,4', 'S,1,1e7,5.1', 'L,1,1e8,4']), [
    'S',
    'S',
    'S',
    'L',
  ]);
  // a size without steps: every row is a run (a budget or a replicate of that size)
  assert.deepEqual(namesOf('model,N,D,loss', ['S,1e7,1e9,4', 'S,1e7,2e9,3.9', 'S,1e7,1e9,4.1']), ['S', 'S #2', 'S #3']);
  assert.deepEqual(namesOf('N,D,loss', ['1e7,1e9,4']), [undefined]);
});

test('4 sizes × 3 seeds as one row each: 12 runs, replicates found, pi95 noise pooled from the seeds', async () => {
  const z = normal(rng(11));
  const losses = SIZES.map((N) => SEEDS.map(() => truth(N) * Math.exp(SIGMA * z())));
  const rows = SIZES.flatMap((N, i) => SEEDS.map((s, k) => `m${i},${s},${N},${20 * N},${losses[i][k]}`));
  const runs = await scanTable(`model,seed,N,D,loss\n${rows.join('\n')}\n`);
  assert.equal(runs.length, 12);
  assert.ok(runs.some((r) => r.id === 'sweep.csv#m2 seed 3'));
  const m0 = runs.find((r) => r.id === 'sweep.csv#m0 seed 2');
  assert.ok(m0);
  assert.deepEqual(m0.config, { model: 'm0', seed: '2' });
  assert.equal(m0.metrics.find('seed'), undefined, 'the seed names the run; it is not a metric');

  const { dataset } = datasetFromRuns(runs, { x: ['N'], y: 'loss' });
  assert.equal(new Set(dataset.points.map((p) => p.runId)).size, 12);
  const fit = fitDataset(dataset, { law: 'saturating', bootstrap: 100, seed: 3 });
  assert.equal(fit.nRuns, 12);
  const expected = pooledSd(losses);
  const noise = fit.noise;
  assert.ok(noise);
  assert.equal(noise.source, 'replicates');
  assert.equal(noise.dof, expected.dof);
  assert.ok(Math.abs(noise.sd - expected.sd) < 1e-9, `${noise.sd} vs ${expected.sd}`);
  assert.ok(Math.abs(expected.sd - SIGMA) < 0.012, `the seeds measure the true noise: ${expected.sd}`);
  const p = predict(fit, { N: 1e8 });
  assert.ok(p.pi95 && p.ci95 && p.pi95[0] < p.ci95[0] && p.ci95[1] < p.pi95[1], 'pi95 is wider than ci95');
});

test('the same sweep without a seed column: each row is a run, identical rows are replicates', async () => {
  const z = normal(rng(5));
  const losses = SIZES.map((N) => SEEDS.map(() => truth(N) * Math.exp(SIGMA * z())));
  const rows = SIZES.flatMap((N, i) => SEEDS.map((_, k) => `m${i},${N},${20 * N},${losses[i][k]}`));
  const runs = await scanTable(`model,N,D,loss\n${rows.join('\n')}\n`);
  assert.deepEqual(
    runs.map((r) => r.id.replace('sweep.csv#', '')).filter((id) => id.startsWith('m1')),
    ['m1', 'm1 #2', 'm1 #3'],
  );
  const fit = fitDataset(datasetFromRuns(runs, { x: ['N'], y: 'loss' }).dataset, { law: 'saturating' });
  assert.equal(fit.nRuns, 12);
  assert.ok(fit.noise);
  assert.equal(fit.noise.source, 'replicates');
  assert.equal(fit.noise.dof, pooledSd(losses).dof);
});

test('curves of 4 sizes × 3 seeds: 12 runs, and the bootstrap resamples those runs, not the 4 sizes', async () => {
  const z = normal(rng(8));
  const rows: string[] = [];
  SIZES.forEach((N, i) => {
    for (const s of SEEDS)
      for (let step = 1; step <= 5; step++) {
        const tokens = 4 * N * step;
        rows.push(`m${i},${s},${step},${tokens},${N},${truth(N) * (1 + 2 / step) * Math.exp(SIGMA * z())}`);
      }
  });
  const runs = await scanTable(`model,seed,step,tokens,N,loss\n${rows.join('\n')}\n`);
  assert.equal(runs.length, 12);
  assert.ok(runs.every((r) => r.metrics.find('loss')?.count === 5));
  const { dataset } = datasetFromRuns(runs, { x: ['N'], y: 'loss', checkpoints: true, dropFraction: 0 });
  assert.equal(dataset.points.length, 60);
  const fit = fitDataset(dataset, { law: 'saturating', bootstrap: 20, seed: 1 });
  assert.equal(fit.nRuns, 12);
  assert.equal(fit.diagnostics.bootstrapMode, 'cluster', 'whole runs are resampled: there are 12 of them');
});
