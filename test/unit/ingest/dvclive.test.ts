import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Catalog } from '../../../src/core/ingest/catalog';
import type { Run } from '../../../src/core/model/run';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'sl-dvc-'));
}

/**
 * DVCLive's Metric.dump: csv.DictWriter(delimiter="\t", lineterminator="\n") appending to
 * plots/metrics/<name>.tsv, header written when the file is created. `timestamp` (ms) only with timestamp=True.
 */
function logMetric(live: string, name: string, step: number, value: number | string, ts?: number): void {
  const file = join(live, 'plots', 'metrics', `${name}.tsv`);
  mkdirSync(dirname(file), { recursive: true });
  const base = name.split('/').pop() as string;
  let header = ts === undefined ? `step\t${base}\n` : `timestamp\tstep\t${base}\n`;
  try {
    appendFileSync(file, '', { flag: 'wx' });
  } catch {
    header = ''; // existed: append the row only
  }
  appendFileSync(file, header + (ts === undefined ? `${step}\t${value}\n` : `${ts}\t${step}\t${value}\n`));
}

function makeLive(live: string): void {
  mkdirSync(live, { recursive: true });
  writeFileSync(join(live, 'params.yaml'), 'd_model: 256\nn_layers: 4\nlr: 0.001\n');
  for (let s = 0; s < 5; s++) logMetric(live, 'train/loss', s, 4 - s / 2);
  for (let s = 0; s < 5; s += 2) logMetric(live, 'val/loss', s, 4.2 - s / 2);
  for (let s = 0; s < 5; s++) logMetric(live, 'lr', s, 0.001, 1712843850000 + s * 1000);
  writeFileSync(
    join(live, 'metrics.json'),
    JSON.stringify({ step: 4, train: { loss: 2 }, val: { loss: 2.2 }, lr: 0.001 }, null, 4),
  );
  writeFileSync(
    join(dirname(live), 'dvc.yaml'),
    `params:\n- ${live.split('/').pop()}/params.yaml\nmetrics:\n- ${live.split('/').pop()}/metrics.json\n`,
  );
}

async function scan(root: string): Promise<Catalog> {
  const cat = new Catalog([root]);
  await cat.scan();
  return cat;
}

function only(cat: Catalog): Run {
  const runs = cat.runs();
  assert.equal(runs.length, 1, runs.map((r) => `${r.id}:${r.format}`).join(', '));
  return runs[0];
}

test('one run per dvclive folder (found by layout), metrics named by path, params.yaml as config', async () => {
  const root = tmp();
  const live = join(root, 'exp', 'my_live_dir');
  makeLive(live);
  const cat = await scan(root);
  const run = only(cat);
  assert.equal(run.format, 'dvclive');
  assert.equal(run.id, 'exp/my_live_dir');
  assert.deepEqual(run.metrics.names(), ['lr', 'train/loss', 'val/loss']);
  const loss = run.metrics.find('train/loss');
  assert.equal(loss?.count, 5);
  assert.deepEqual(loss.first(), { step: 0, value: 4 });
  assert.deepEqual(loss.last(), { step: 4, value: 2 });
  assert.deepEqual(run.metrics.find('val/loss')?.last(), { step: 4, value: 2.2 });
  const lr = run.metrics.find('lr');
  assert.equal(lr?.count, 5);
  assert.equal(lr.time[0], 1712843850, 'timestamp column in ms becomes seconds');
  assert.equal(run.config.d_model, 256);
  assert.equal(run.N?.value, 12 * 4 * 256 * 256);
  assert.ok(!Object.keys(run.config).some((k) => k.startsWith('summary')), 'metrics.json is not read');
  assert.equal(cat.diagnostics().length, 0, JSON.stringify(cat.diagnostics()));
});

test('appended rows and metrics first logged after the scan are picked up; a rewrite replaces the series', async () => {
  const root = tmp();
  const live = join(root, 'dvclive');
  makeLive(live);
  const cat = await scan(root);
  logMetric(live, 'train/loss', 5, 1.75);
  logMetric(live, 'train/loss', 6, 1.5);
  logMetric(live, 'eval/acc', 6, 0.61);
  await cat.refresh();
  let run = only(cat);
  assert.equal(run.metrics.find('train/loss')?.count, 7);
  assert.deepEqual(run.metrics.find('train/loss')?.last(), { step: 6, value: 1.5 });
  assert.equal(run.metrics.find('eval/acc')?.count, 1);
  assert.ok(run.files.some((f) => f.endsWith('eval/acc.tsv')));

  // Live(resume=False) starts over: the file is recreated with fewer rows.
  writeFileSync(join(live, 'plots', 'metrics', 'train', 'loss.tsv'), 'step\tloss\n0\t9.5\n');
  await cat.refresh();
  run = only(cat);
  assert.deepEqual(run.metrics.find('train/loss')?.first(), { step: 0, value: 9.5 });
  assert.equal(run.metrics.find('train/loss')?.count, 1);
  assert.equal(run.metrics.find('val/loss')?.count, 3, 'other metrics untouched');
});

test('damaged TSVs: non-numeric and nan values, a binary .tsv, a partial last row; diagnostics name the file', async () => {
  const root = tmp();
  const live = join(root, 'dvclive');
  makeLive(live);
  logMetric(live, 'train/loss', 5, 'abc');
  logMetric(live, 'train/loss', 6, 'nan');
  logMetric(live, 'train/loss', 7, 1.25);
  const lossFile = join(live, 'plots', 'metrics', 'train', 'loss.tsv');
  appendFileSync(lossFile, '8\t1.2'); // no newline yet: still being written
  const binFile = join(live, 'plots', 'metrics', 'weights.tsv');
  writeFileSync(binFile, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
  const cat = await scan(root);
  let run = only(cat);
  assert.equal(
    run.metrics.find('train/loss')?.count,
    7,
    '5 good rows, the nan at step 6 (data) and step 7; the partial row waits',
  );
  assert.equal(run.metrics.find('train/loss')?.nonfiniteCount, 1);
  const d = cat.diagnostics();
  assert.ok(
    d.some((x) => x.file === lossFile && x.position === 'line 7' && /"abc"/.test(x.message)),
    JSON.stringify(d),
  );
  assert.ok(!d.some((x) => x.file === lossFile && x.position === 'line 8'), JSON.stringify(d));
  assert.ok(
    d.some((x) => /diverged at step 6/.test(x.message)),
    JSON.stringify(d),
  );
  assert.ok(
    d.some((x) => x.file === binFile && /binary/.test(x.message)),
    JSON.stringify(d),
  );
  appendFileSync(lossFile, '\n');
  await cat.refresh();
  run = only(cat);
  assert.deepEqual(run.metrics.find('train/loss')?.last(), { step: 8, value: 1.2 });
});

test('the dvclive 0.x layout: <dir>/scalars/**.tsv beside <dir>.json is one run, named by path under scalars/', async () => {
  const root = tmp();
  const live = join(root, 'exp', 'dvclive');
  mkdirSync(join(live, 'scalars', 'eval'), { recursive: true });
  writeFileSync(join(root, 'exp', 'dvclive.json'), '{"step": 1, "eval/loss": 0.1}\n');
  writeFileSync(
    join(live, 'scalars', 'eval', 'loss.tsv'),
    'timestamp\tstep\teval/loss\n1657000000000\t0\t0.3\n1657000001000\t1\t0.1\n',
  );
  writeFileSync(join(live, 'scalars', 'loss.tsv'), 'timestamp\tstep\tloss\n1657000000000\t0\t1.5\n');
  // a folder merely called scalars, with no dvclive summary beside it, is not claimed
  mkdirSync(join(root, 'other', 'scalars'), { recursive: true });
  writeFileSync(join(root, 'other', 'scalars', 'x.tsv'), 'step\tx\n0\t1\n');
  const cat = await scan(root);
  const runs = cat.runs().filter((r) => r.format === 'dvclive');
  assert.deepEqual(
    runs.map((r) => r.id),
    ['exp/dvclive'],
  );
  assert.deepEqual(runs[0].metrics.find('eval/loss')?.last(), { step: 1, value: 0.1 });
  assert.equal(runs[0].metrics.find('loss')?.count, 1);
});
