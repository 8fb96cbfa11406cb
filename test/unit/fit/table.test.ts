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

test('columns by name with header units, C = 6·N·D when no C column, runs from the model column', () => {
  const { dataset, warnings } = datasetFromTableText(CSV, 'runs.csv', { x: ['N', 'D', 'C'], y: 'val_loss' });
  assert.equal(dataset.points.length, 4);
  const [p] = dataset.points;
  assert.deepEqual(p.x, { N: 10e6, D: 1e9, C: 6 * 10e6 * 1e9 });
  assert.equal(p.runId, 'a');
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
