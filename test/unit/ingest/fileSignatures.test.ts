import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSignatures } from '../../../src/core/ingest/fileSignatures';

test('a file counts as changed when first seen and after its size or mtime moves, not otherwise', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sl-sig-'));
  t.after(() => {
    rmSync(root, { recursive: true, force: true });
  });
  const file = join(root, 'summary.csv');
  writeFileSync(file, 'run,N\na,1\n');
  const sigs = new FileSignatures();
  assert.equal(await sigs.changed(file), true);
  assert.equal(await sigs.changed(file), false);
  writeFileSync(file, 'run,N\na,1\nb,2\n'); // size moves
  assert.equal(await sigs.changed(file), true);
  utimesSync(file, new Date(2020, 0, 1), new Date(2020, 0, 1)); // same size, mtime moves
  assert.equal(await sigs.changed(file), true);
  assert.equal(await sigs.changed(file), false);
  sigs.forget(file);
  assert.equal(await sigs.changed(file), true);
});

test('a missing file throws from changed and is unchanged for changedIfPresent', async () => {
  const missing = join(tmpdir(), 'sl-sig-never-written', 'wandb-summary.json');
  const sigs = new FileSignatures();
  await assert.rejects(sigs.changed(missing), /ENOENT/);
  assert.equal(await sigs.changedIfPresent(missing), false);
});
