import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../../src/core/ingest/catalog';
import type { Run } from '../../../src/core/model/run';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'sl-pl-'));
}

/**
 * What Lightning's CSVLogger writes: csv.DictWriter rows ("\r\n" line ends, empty cells for keys not logged at
 * that step), header keys sorted, and on a new key the whole file rewritten with the wider header.
 */
function csvText(keys: string[], rows: Record<string, number>[]): string {
  const line = (cells: string[]) => cells.join(',') + '\r\n';
  return line(keys) + rows.map((r) => line(keys.map((k) => (k in r ? String(r[k]) : '')))).join('');
}

function versionDir(root: string, n = 0): string {
  const dir = join(root, 'lightning_logs', `version_${n}`);
  mkdirSync(dir, { recursive: true });
  return dir;
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

const TRAIN = (step: number) => ({ epoch: 0, step, train_loss: 4 - step / 100 });
const VAL = (step: number) => ({ epoch: 0, step, val_loss: 4.2 - step / 100 });

test('version folder with hparams.yaml: sparse train/val rows, epoch kept as a series, hparams as config, N derived', async () => {
  const root = tmp();
  const dir = versionDir(root);
  writeFileSync(join(dir, 'hparams.yaml'), 'd_model: 512\nn_layers: 8\nlr: 0.0003\nbatch_size: 32\n');
  const keys = ['epoch', 'step', 'train_loss', 'val_loss'];
  writeFileSync(
    join(dir, 'metrics.csv'),
    csvText(keys, [TRAIN(49), TRAIN(99), VAL(99), TRAIN(149), TRAIN(199), VAL(199)]),
  );
  const cat = await scan(root);
  let run = only(cat);
  assert.equal(run.format, 'lightning-csv');
  assert.equal(run.id, 'lightning_logs/version_0');
  assert.equal(run.metrics.find('train_loss')?.count, 4);
  assert.deepEqual(run.metrics.find('train_loss')?.first(), { step: 49, value: 3.51 });
  assert.deepEqual(run.metrics.find('val_loss')?.last(), { step: 199, value: 2.21 });
  assert.equal(run.metrics.find('epoch')?.count, 6, 'epoch is kept as a series of its own (train and val rows)');
  assert.equal(run.config.d_model, 512);
  assert.equal(run.configFrom.d_model, join(dir, 'hparams.yaml'));
  assert.equal(run.N?.value, 12 * 8 * 512 * 512);

  // Flushed rows are appended.
  appendFileSync(
    join(dir, 'metrics.csv'),
    csvText(keys, [TRAIN(249)])
      .split('\r\n')
      .slice(1)
      .join('\r\n'),
  );
  await cat.refresh();
  run = only(cat);
  assert.equal(run.metrics.find('train_loss')?.count, 5);

  // Recreated with the same header and fewer rows (a restarted run): the old points go.
  writeFileSync(join(dir, 'metrics.csv'), csvText(keys, [TRAIN(9)]));
  await cat.refresh();
  run = only(cat);
  assert.deepEqual(run.metrics.find('train_loss')?.last(), { step: 9, value: 3.91 });
  assert.equal(run.metrics.find('train_loss')?.count, 1);
  assert.equal(run.metrics.find('val_loss'), undefined);
  assert.equal(cat.diagnostics().length, 0, JSON.stringify(cat.diagnostics()));
});

test('a new key rewrites the file with a wider header; a long header whose first 64 bytes stay the same is noticed', async () => {
  const root = tmp();
  const dir = versionDir(root, 3);
  writeFileSync(join(dir, 'hparams.yaml'), '{}\n');
  const file = join(dir, 'metrics.csv');
  const keys = ['epoch', 'lr-AdamW', 'step', 'train/loss_step', 'train/perplexity_step', 'train/tokens_per_sec'];
  const row = (s: number) => ({
    epoch: 0,
    'lr-AdamW': 0.001,
    step: s,
    'train/loss_step': 4 - s / 100,
    'train/perplexity_step': 50 - s / 10,
    'train/tokens_per_sec': 1e5,
  });
  const before = [row(9), row(19), row(29)];
  writeFileSync(file, csvText(keys, before));
  const cat = await scan(root);
  assert.equal(only(cat).metrics.find('train/loss_step')?.count, 3);

  // "val/loss" sorts last: the header grows at its end and its first 64 bytes do not change.
  const wider = [...keys, 'val/loss'].sort();
  const rewritten = csvText(wider, [...before, { epoch: 0, step: 29, 'val/loss': 3.9 }, row(39)]);
  assert.equal(rewritten.slice(0, 64), csvText(keys, before).slice(0, 64), 'fixture keeps the first 64 bytes');
  writeFileSync(file, rewritten);
  await cat.refresh();
  const run = only(cat);
  assert.equal(run.metrics.find('train/loss_step')?.count, 4, 'read again from the top, not doubled or misaligned');
  assert.deepEqual(run.metrics.find('val/loss')?.first(), { step: 29, value: 3.9 });
  assert.equal(cat.diagnostics().length, 0, JSON.stringify(cat.diagnostics()));
});

test("Fabric's CSVLogger (no hparams.yaml) under lightning_logs/ is still Lightning", async () => {
  const root = tmp();
  const dir = versionDir(root, 1);
  writeFileSync(
    join(dir, 'metrics.csv'),
    csvText(
      ['loss', 'step'],
      [
        { loss: 3, step: 0 },
        { loss: 2.5, step: 1 },
      ],
    ),
  );
  // A plain CSV elsewhere stays with the generic reader.
  mkdirSync(join(root, 'other'));
  writeFileSync(join(root, 'other', 'metrics.csv'), 'step,loss\n0,1\n');
  const cat = await scan(root);
  const formats = Object.fromEntries(cat.runs().map((r) => [r.id, r.format]));
  assert.deepEqual(formats, { 'lightning_logs/version_1': 'lightning-csv', other: 'csv' });
});

test('a binary file named metrics.csv and ragged rows give diagnostics naming the file, never throw', async () => {
  const root = tmp();
  const bin = versionDir(root, 0);
  writeFileSync(join(bin, 'hparams.yaml'), 'lr: 0.1\n');
  writeFileSync(join(bin, 'metrics.csv'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0x08, 0, 0x0a, 0xff, 0xfe, 0]));
  const bad = versionDir(root, 1);
  writeFileSync(join(bad, 'metrics.csv'), 'epoch,step,train_loss\r\n0,1,3.5\r\n0,2\r\n0,3,abc\r\n0,4,3.1\r\n');
  const cat = await scan(root);
  const runs = cat.runs();
  assert.deepEqual(
    runs.map((r) => r.format),
    ['lightning-csv', 'lightning-csv'],
  );
  const d = cat.diagnostics();
  assert.ok(
    d.some((x) => x.file === join(bin, 'metrics.csv') && /binary/.test(x.message)),
    JSON.stringify(d),
  );
  assert.ok(
    d.some((x) => x.file === join(bad, 'metrics.csv') && x.position === 'line 3'),
    JSON.stringify(d),
  );
  assert.ok(
    d.some((x) => x.file === join(bad, 'metrics.csv') && x.position === 'line 4'),
    JSON.stringify(d),
  );
  assert.equal(runs[1].metrics.find('train_loss')?.count, 2);
  assert.deepEqual(await cat.refresh(), []);
});
