import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../../../src/core/ingest/catalog';
import type { Run } from '../../../src/core/model/run';
import { pyFloat } from '../../../scripts/examples/pyfmt';
import { countBytesRead } from '../../support/ioSpy';
import { tmpDir } from '../../support/tmp';

async function scan(root: string): Promise<Catalog> {
  const cat = new Catalog([root]);
  await cat.scan();
  return cat;
}

function byId(cat: Catalog): Record<string, Run> {
  return Object.fromEntries(cat.runs().map((r) => [r.id, r]));
}

/**
 * pandas `df.to_csv("metrics.csv")`: the index as a first column with an empty header, "\n" line ends, floats as
 * repr(), NaN as an empty cell (a metric not logged at that step).
 */
function pandasCsv(rows: number): string {
  let out = ',step,tokens,train_loss,val_loss,split\n';
  for (let i = 0; i < rows; i++) {
    const step = (i + 1) * 100;
    const val = i % 5 === 4 ? pyFloat(4 - i / 100 + 0.05) : '';
    out += `${i},${step},${step * 65536},${pyFloat(4 - i / 100)},${val},train\n`;
  }
  return out;
}

test('pandas to_csv and a hand-written TSV: index column, sparse cells, a text column, tokens and steps', async () => {
  const root = tmpDir('sl-csv-');
  mkdirSync(join(root, 'a'));
  mkdirSync(join(root, 'b'));
  writeFileSync(join(root, 'a', 'metrics.csv'), pandasCsv(20));
  writeFileSync(join(root, 'a', 'config.json'), JSON.stringify({ d_model: 256, n_layers: 4 }));
  writeFileSync(join(root, 'b', 'log.tsv'), 'iter\tloss\tlr\n0\t3.9\t1e-05\n1\t3.7\t2e-05\n2\t3.6\t3e-05\n');
  const cat = await scan(root);
  const runs = byId(cat);
  const a = runs.a;
  assert.equal(a.format, 'csv');
  assert.deepEqual(a.metrics.names(), ['train_loss', 'val_loss'], 'the index and the text column are not metrics');
  assert.equal(a.metrics.find('train_loss')?.count, 20);
  assert.equal(a.metrics.find('val_loss')?.count, 4);
  assert.deepEqual(a.metrics.find('val_loss')?.first(), { step: 500, value: 4 - 4 / 100 + 0.05 });
  assert.equal(a.metrics.find('train_loss')?.tokens[19], 2000 * 65536);
  assert.equal(a.D?.value, 2000 * 65536);
  assert.equal(a.N?.value, 12 * 4 * 256 * 256);
  const b = runs.b;
  assert.deepEqual(Array.from(b.metrics.find('lr')?.value ?? []), [1e-5, 2e-5, 3e-5]);
  assert.deepEqual(Array.from(b.metrics.find('loss')?.step ?? []), [0, 1, 2]);
  assert.deepEqual(cat.diagnostics(), []);
});

test('quoted cells (the csv module quotes text with commas) are split properly', async () => {
  const root = tmpDir('sl-csv-');
  writeFileSync(
    join(root, 'metrics.csv'),
    'step,loss,note\r\n1,2.5,"warmup, phase 1"\r\n2,2.25,"say ""hi"""\r\n3,"2.0",plain\r\n',
  );
  const cat = await scan(root);
  const run = cat.runs()[0];
  assert.deepEqual(run.metrics.names(), ['loss']);
  assert.deepEqual(Array.from(run.metrics.find('loss')?.value ?? []), [2.5, 2.25, 2]);
  assert.deepEqual(cat.diagnostics(), []);
});

test('damaged rows: ragged, non-numeric, nan/inf and a binary .csv; diagnostics name file and line', async () => {
  const root = tmpDir('sl-csv-');
  mkdirSync(join(root, 'bad'));
  mkdirSync(join(root, 'bin'));
  const file = join(root, 'bad', 'metrics.csv');
  writeFileSync(
    file,
    'step,loss,acc\n1,3.0,0.1\n2,2.9\n3,abc,0.3\n4,nan,0.4\n5,inf,-inf\n6,2.5,0.6,extra\n7,2.4,0.7\n8,Infinity,0.8\n',
  );
  writeFileSync(join(root, 'bin', 'metrics.csv'), Buffer.from('PK\x03\x04\x00\x00\x08\x00binary', 'latin1'));
  const cat = await scan(root);
  const runs = byId(cat);
  // nan/inf are data (a diverged run): kept and counted; text and ragged rows are skipped
  const loss = runs.bad.metrics.find('loss');
  assert.deepEqual(Array.from(loss?.step ?? []), [1, 4, 5, 7, 8]);
  assert.deepEqual(Array.from(loss?.value ?? []), [3.0, NaN, Infinity, 2.4, Infinity]);
  assert.equal(loss?.nonfiniteCount, 3);
  assert.equal(loss.firstNonfiniteStep, 4);
  assert.deepEqual(Array.from(runs.bad.metrics.find('acc')?.value ?? []), [0.1, 0.3, 0.4, -Infinity, 0.7, 0.8]);
  assert.deepEqual(runs.bin.metrics.names(), []);
  const d = cat.diagnostics();
  const at = (line: number) =>
    d
      .filter((x) => x.file === file && x.position === `line ${line}`)
      .map((x) => x.message)
      .join(' | ');
  assert.match(at(3), /row has 2 cells, header has 3/);
  assert.match(at(4), /loss: "abc" is not a number/);
  assert.equal(at(5), '');
  assert.match(at(7), /row has 4 cells/);
  assert.ok(
    d.some((x) => x.file === file && x.severity === 'warning' && /diverged at step 4/.test(x.message)),
    JSON.stringify(d),
  );
  assert.ok(
    d.some((x) => x.file === join(root, 'bin', 'metrics.csv') && /binary/.test(x.message) && x.position === 'byte 0'),
  );
});

test('incremental: appended rows only; a partial row waits; a rewrite from the top replaces the series', async () => {
  const root = tmpDir('sl-csv-');
  const file = join(root, 'metrics.csv');
  writeFileSync(file, pandasCsv(3000));
  const cat = await scan(root);
  const loss = () => cat.runs()[0].metrics.find('train_loss');
  assert.equal(loss()?.count, 3000);
  const more = pandasCsv(3002).split('\n').slice(3001, 3003).join('\n') + '\n';
  appendFileSync(file, more.slice(0, -5));
  const { bytes } = await countBytesRead(() => cat.refresh([file]));
  assert.ok(bytes <= more.length + 64, `read ${bytes} bytes for ${more.length - 5} appended`);
  assert.equal(loss()?.count, 3001, 'the last row is not complete yet');
  appendFileSync(file, more.slice(-5));
  await cat.refresh([file]);
  assert.equal(loss()?.count, 3002);
  // the run restarts: a new file with a new header (other columns), smaller
  writeFileSync(file, 'step,loss\n1,9.5\n2,9.25\n');
  await cat.refresh([file]);
  const run = cat.runs()[0];
  assert.deepEqual(run.metrics.names(), ['loss']);
  assert.deepEqual(Array.from(run.metrics.find('loss')?.value ?? []), [9.5, 9.25]);
  assert.deepEqual(cat.diagnostics(), []);
});

test('YOLOv5/Ultralytics results.csv: space-padded header, stepped by its epoch column (kept as a series too), opt/hyp/args files listed', async () => {
  const root = tmpDir('sl-csv-');
  const v5 = join(root, 'runs', 'train', 'exp');
  const v8 = join(root, 'runs', 'detect', 'train2');
  mkdirSync(v5, { recursive: true });
  mkdirSync(v8, { recursive: true });
  // YOLOv5 pads every cell to a fixed width ('%20s' header, '%20.5g' values); epochs from 0
  const pad = (cells: (string | number)[]) => cells.map((c) => String(c).padStart(20)).join(',');
  writeFileSync(
    join(v5, 'results.csv'),
    [pad(['epoch', 'train/box_loss', 'metrics/mAP_0.5']), pad([0, 0.11, 0.01]), pad([1, 0.09, 0.05])].join('\n') + '\n',
  );
  writeFileSync(join(v5, 'opt.yaml'), 'weights: yolov5s.pt\nepochs: 2\nbatch_size: 16\n');
  writeFileSync(join(v5, 'hyp.yaml'), 'lr0: 0.01\nmomentum: 0.937\n');
  // Ultralytics 8+: epochs from 1, a parenthesised column name
  writeFileSync(
    join(v8, 'results.csv'),
    'epoch,time,train/box_loss,metrics/mAP50(B)\n1,36.9,1.57,0.82\n2,70.1,1.41,0.85\n',
  );
  writeFileSync(join(v8, 'args.yaml'), 'task: detect\nlr0: 0.02\n');
  const cat = await scan(root);
  const runs = byId(cat);
  const a = runs['runs/train/exp'];
  assert.deepEqual(a.metrics.find('train/box_loss')?.first(), { step: 0, value: 0.11 });
  assert.deepEqual(a.metrics.find('metrics/mAP_0.5')?.last(), { step: 1, value: 0.05 });
  assert.equal(a.metrics.find('epoch')?.count, 2);
  assert.equal(a.config.lr0, 0.01);
  assert.equal(a.config.batch_size, 16);
  assert.deepEqual(a.files, [join(v5, 'results.csv'), join(v5, 'opt.yaml'), join(v5, 'hyp.yaml')]);
  const b = runs['runs/detect/train2'];
  assert.deepEqual(b.metrics.find('train/box_loss')?.first(), { step: 1, value: 1.57 });
  assert.deepEqual(b.metrics.find('metrics/mAP50(B)')?.last(), { step: 2, value: 0.85 });
  assert.equal(b.config.lr0, 0.02);
  assert.deepEqual(b.files, [join(v8, 'results.csv'), join(v8, 'args.yaml')]);
});
