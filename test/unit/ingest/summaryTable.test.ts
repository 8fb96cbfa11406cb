import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Catalog } from '../../../src/core/ingest/catalog';
import { isSummaryHeader, parseColumn } from '../../../src/core/ingest/readers/summaryTable';
import type { Run } from '../../../src/core/model/run';
import { tmpDir } from '../../support/tmp';

const SHARED = resolve(__dirname, '../../../../shared/data');

async function scan(path: string): Promise<Catalog> {
  const cat = new Catalog([path]);
  await cat.scan();
  return cat;
}

function byId(cat: Catalog): Record<string, Run> {
  return Object.fromEntries(cat.runs().map((r) => [r.id, r]));
}

test('headers: a parameter column makes a summary table; tokens along steps alone is a metric log; units parse', () => {
  assert.equal(isSummaryHeader(['N', 'D', 'loss']), true);
  assert.equal(isSummaryHeader(['model', 'params', 'loss']), true);
  assert.equal(isSummaryHeader(['tokens', 'loss']), true, 'one row per run, no step');
  assert.equal(isSummaryHeader(['step', 'tokens', 'loss']), false, 'a metric log counting tokens');
  assert.equal(isSummaryHeader(['run', 'step', 'tokens', 'loss']), true, 'several runs, one row per point');
  assert.equal(isSummaryHeader(['step', 'loss']), false);
  assert.deepEqual(parseColumn('Model Size (B)'), { name: 'Model Size (B)', base: 'model size', scale: 1e9 });
  assert.deepEqual(parseColumn('FLOPs (1E21)'), { name: 'FLOPs (1E21)', base: 'flops', scale: 1e21 });
});

test('one row per run and one row per point: N, D, C with provenance, settings as config, the rest as metrics', async () => {
  const root = tmpDir('sl-sum-');
  writeFileSync(join(root, 'final.csv'), 'N,D,loss\n1e8,2e9,3.1\n4e8,8e9,2.7\n');
  writeFileSync(
    join(root, 'curves.csv'),
    'model,params,step,tokens,d_model,n_layers,lr,loss\n' +
      'small,125M,100,1e8,768,12,6e-4,4.0\nsmall,125M,200,2e8,768,12,5e-4,3.6\nbig,1.3B,100,2e8,2048,24,2e-4,3.5\n',
  );
  const cat = await scan(root);
  const runs = byId(cat);
  assert.deepEqual(Object.keys(runs).sort(), [
    'curves.csv#big',
    'curves.csv#small',
    'final.csv#row1',
    'final.csv#row2',
  ]);
  const r1 = runs['final.csv#row1'];
  assert.equal(r1.format, 'summary-table');
  assert.deepEqual([r1.N?.value, r1.D?.value, r1.C?.value], [1e8, 2e9, 6 * 1e8 * 2e9]);
  assert.equal(r1.N?.provenance, 'column "N" of final.csv');
  assert.equal(r1.C?.provenance, '6ND');
  assert.deepEqual(r1.metrics.find('loss')?.last(), { step: 0, value: 3.1 });
  const small = runs['curves.csv#small'];
  assert.equal(small.N?.value, 125e6);
  assert.equal(small.D?.value, 2e8, 'the largest tokens value: the run at its end');
  assert.deepEqual(Array.from(small.metrics.find('loss')?.step ?? []), [100, 200]);
  assert.deepEqual(small.metrics.names(), ['loss', 'lr'], 'lr varies along the run: a metric');
  assert.equal(small.config.d_model, 768, 'a constant setting column is config');
  assert.equal(small.configFrom.d_model, join(root, 'curves.csv'));
  assert.equal(runs['curves.csv#big'].config.lr, 2e-4, 'one point: the lr is a setting');
  assert.deepEqual(cat.diagnostics(), []);
});

test('damaged rows: ragged, a non-numeric N, nan loss; a rewritten table is read again whole', async () => {
  const root = tmpDir('sl-sum-');
  const file = join(root, 'sweep.csv');
  writeFileSync(file, 'run,N,D,loss\na,1e8,1e9,3.0\nb,1e8\nc,abc,1e9,2.9\nd,2e8,1e9,nan\ne,2e8,2e9,2.5\n');
  const cat = await scan(root);
  const runs = byId(cat);
  assert.deepEqual(Object.keys(runs).sort(), ['sweep.csv#a', 'sweep.csv#c', 'sweep.csv#d', 'sweep.csv#e']);
  assert.equal(runs['sweep.csv#c'].N, undefined);
  assert.equal(runs['sweep.csv#d'].metrics.find('loss'), undefined);
  const d = cat.diagnostics();
  const at = (line: number) =>
    d
      .filter((x) => x.file === file && x.position === `line ${line}`)
      .map((x) => x.message)
      .join(' | ');
  assert.match(at(3), /row has 2 cells, header has 4/);
  assert.match(at(4), /column "N": "abc" is not a number/);
  assert.match(at(5), /loss: "nan" is not a finite number/);
  writeFileSync(file, 'run,N,D,loss\na,1e8,1e9,3.0\n');
  await cat.refresh([file]);
  assert.deepEqual(Object.keys(byId(cat)), ['sweep.csv#a']);
  assert.deepEqual(cat.diagnostics(), []);
});

test('published tables in ../shared/data read as summary tables with the right scale', async (t) => {
  if (!existsSync(SHARED)) {
    t.skip(`shared data not found at ${SHARED}`);
    return;
  }
  const opt = join(SHARED, 'colpret_hitchhiker', 'opt_trajectories.csv');
  const ruan = join(SHARED, 'obsscaling_ruan', 'base_llm_benchmark_eval.csv');
  const gpt3 = join(SHARED, 'colpret_hitchhiker', 'gpt3_learning_curves.csv');
  for (const f of [opt, ruan, gpt3])
    if (!existsSync(f)) {
      t.skip(`${f} not found`);
      return;
    }

  const o = byId(await scan(opt));
  const m125 = o['opt_trajectories.csv#OPT-125m'];
  assert.equal(m125.format, 'summary-table');
  assert.equal(m125.N?.value, 125e6);
  assert.ok(
    (m125.C?.value ?? 0) > 1e20 && m125.C?.provenance.startsWith('column "flops"'),
    `${m125.C?.value} ${m125.C?.provenance}`,
  );
  assert.ok((m125.metrics.find('loss')?.count ?? 0) > 10);

  // "Model Size (B)", "Pretraining Data Size (T)", "FLOPs (1E21)": units from the header
  const rc = await scan(ruan);
  const llama = byId(rc)['base_llm_benchmark_eval.csv#meta-llama/Llama-2-7b-hf'];
  assert.deepEqual([llama.N?.value, llama.D?.value, llama.C?.value], [7e9, 2e12, 84e21]);
  assert.equal(llama.config['Model Family'], 'Llama-2');
  assert.ok(llama.metrics.find('MMLU'));
  assert.deepEqual(rc.diagnostics(), []);

  const g = byId(await scan(gpt3));
  const small = g['gpt3_learning_curves.csv#small'];
  assert.equal(small.N?.value, 125e6);
  assert.equal(small.config.d_model, 768);
  assert.equal(small.config.n_layers, 12);
  assert.ok((small.metrics.find('train_loss')?.count ?? 0) > 100);
});
