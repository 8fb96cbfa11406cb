import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DatasetError } from '../../../src/core/fit/datasetCommon';
import { datasetFromTable, datasetFromTableText } from '../../../src/core/fit/table';

const CSV = `model,Params (M),tokens,val_loss,split
a,10,1e9,4.1,fit
a,10,2e9,3.9,fit
b,100,1e9,3.6,fit
b,100,2e9,,fit
c,1000,4B,3.0,test
`;

test('columns by name with header units, C = 6·N·D when no C column; a model column groups its rows', () => {
  const { dataset, warnings } = datasetFromTableText(CSV, 'runs.csv', { x: ['N', 'D', 'C'], y: 'val_loss' });
  assert.equal(dataset.points.length, 4);
  const [p] = dataset.points;
  assert.deepEqual(p.x, { N: 10e6, D: 1e9, C: 6 * 10e6 * 1e9 });
  assert.deepEqual(
    dataset.points.map((q) => q.runId),
    ['a', 'a', 'b', 'c'],
  );
  assert.ok(warnings.some((w) => /the rows of each "model" are taken as one run's curve/.test(w)));
  assert.equal(dataset.points[3].x.D, 4e9, '4B reads as 4e9');
  assert.match(dataset.definitions.N, /column "Params \(M\)" of runs.csv \(× 1000000\)/);
  assert.match(dataset.definitions.C, /6·N·D/);
  assert.ok(
    warnings.some((w) => /skipped 1 row without a number in "val_loss"/.test(w)),
    warnings.join('\n'),
  );
});

test('--where keeps matching rows; without --y the loss column is found and said so', () => {
  const { dataset, warnings } = datasetFromTableText(CSV, 'runs.csv', { x: ['N'], where: { split: 'test' } });
  assert.equal(dataset.points.length, 1);
  assert.equal(dataset.yName, 'val_loss');
  assert.ok(warnings.some((w) => /no --y given: fitting column "val_loss"/.test(w)));
});

test('TSV and rows without a run column: each row is its own run, said in a warning', () => {
  const { dataset, warnings } = datasetFromTableText('x\tloss\n1\t5\n10\t3\n100\t2\n', 'pts.tsv', {
    x: ['x'],
    y: 'loss',
  });
  assert.deepEqual(
    dataset.points.map((p) => p.runId),
    ['row2', 'row3', 'row4'],
  );
  assert.ok(warnings.some((w) => /no run\/model column/.test(w)));
});

test('a missing column is an error naming the file, the column and the columns there are', () => {
  assert.throws(
    () => datasetFromTableText(CSV, 'runs.csv', { x: ['width'], y: 'val_loss' }),
    (e: Error) => {
      assert.ok(e instanceof DatasetError);
      assert.match(
        e.message,
        /^runs\.csv: no column "width" for x; columns: "model", "Params \(M\)", "tokens", "val_loss", "split"$/,
      );
      return true;
    },
  );
  assert.throws(
    () => datasetFromTableText(CSV, 'runs.csv', { x: ['N'], y: 'bpb' }),
    /runs\.csv: no column "bpb" for y/,
  );
  assert.throws(
    () => datasetFromTableText(CSV, 'runs.csv', { x: ['N'], y: 'val_loss', where: { seed: '1' } }),
    /no column "seed" to filter on/,
  );
  assert.throws(() => datasetFromTableText('N,loss\n', 'empty.csv', { x: ['N'] }), /empty\.csv: no data rows/);
  assert.throws(
    () => datasetFromTableText('N,loss\n0,1\n-1,2\n', 'neg.csv', { x: ['N'], y: 'loss' }),
    /neg\.csv: no usable rows.*zero or negative N/,
  );
});

test('ragged rows are skipped with their line numbers; an unreadable file names itself', async () => {
  const { warnings } = datasetFromTableText('N,loss\n1,2\n3\n10,1\n', 'r.csv', { x: ['N'], y: 'loss' });
  assert.ok(
    warnings.some((w) => /skipped 1 row whose cell count differs from the header \(lines 3\)/.test(w)),
    warnings.join('\n'),
  );
  const dir = mkdtempSync(join(tmpdir(), 'sl-table-'));
  try {
    await assert.rejects(datasetFromTable(join(dir, 'nope.csv'), { x: ['N'] }), /nope\.csv: cannot read/);
    writeFileSync(join(dir, 'ok.csv'), CSV);
    const b = await datasetFromTable(join(dir, 'ok.csv'), { x: ['N', 'D'], y: 'val_loss' });
    assert.equal(b.dataset.points.length, 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run and seed columns name runs; replicate seeds of one size are separate runs that measure the noise', () => {
  const seeds = datasetFromTableText(
    'model,seed,N,D,loss\nS,1,1e7,1e9,4.0\nS,2,1e7,1e9,4.1\nL,1,1e8,1e9,3.5\n',
    's.csv',
    { x: ['N', 'D'], y: 'loss' },
  );
  assert.deepEqual(
    seeds.dataset.points.map((p) => p.runId),
    ['S seed 1', 'S seed 2', 'L seed 1'],
  );
  assert.ok(!seeds.warnings.some((w) => /every row is its own run/.test(w)));
  const runs = datasetFromTableText('run,model,N,loss\nr1,S,1e7,4\nr2,S,1e7,4.1\n', 'r.csv', { x: ['N'], y: 'loss' });
  assert.deepEqual(
    runs.dataset.points.map((p) => p.runId),
    ['r1', 'r2'],
  );
  // A size column with steps: each size's rows are one run's curve.
  const curves = datasetFromTableText('model,step,N,loss\nS,1,1e7,5\nS,2,1e7,4\n', 'c.csv', { x: ['N'], y: 'loss' });
  assert.deepEqual(
    curves.dataset.points.map((p) => p.runId),
    ['S', 'S'],
  );
  // Issue #11 item 10: a size column names sizes, not runs: without steps each row is a run of that size (a budget or
  // a replicate), so repeated configurations measure the noise and the bootstrap never resamples whole sizes.
  const reps = datasetFromTableText('model,N,D,loss\nS,1e7,1e9,4\nS,1e7,1e9,4.1\nS,1e7,2e9,3.9\n', 'p.csv', {
    x: ['N', 'D'],
    y: 'loss',
  });
  assert.deepEqual(
    reps.dataset.points.map((p) => p.runId),
    ['S', 'S #2', 'S #3'],
  );
  assert.deepEqual(reps.warnings, []);
  // With steps, a size's rows are one curve (a second run of that size needs a run or seed column).
  const repCurves = datasetFromTableText('model,step,N,loss\nS,1,1e7,5\nS,2,1e7,4\nS,1,1e7,5.1\n', 'c.csv', {
    x: ['N'],
    y: 'loss',
  });
  assert.deepEqual(
    repCurves.dataset.points.map((p) => p.runId),
    ['S', 'S', 'S'],
  );
  assert.ok(repCurves.warnings.some((w) => /the rows of each "model" are taken as one run's curve/.test(w)));
});
