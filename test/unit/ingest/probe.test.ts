import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDirectory, isFile } from '../../../src/core/ingest/probe';

test('marker probes tell files from folders; what cannot be stat’ed is absent', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'sl-probe-'));
  t.after(() => {
    rmSync(root, { recursive: true, force: true });
  });
  writeFileSync(join(root, 'hparams.yaml'), 'lr: 0.1\n');
  mkdirSync(join(root, 'metrics'));
  symlinkSync(join(root, 'gone'), join(root, 'dangling'));
  assert.deepEqual(
    await Promise.all(['hparams.yaml', 'metrics', 'missing', 'dangling'].map((n) => isFile(join(root, n)))),
    [true, false, false, false],
  );
  assert.deepEqual(
    await Promise.all(['hparams.yaml', 'metrics', 'missing', 'dangling'].map((n) => isDirectory(join(root, n)))),
    [false, true, false, false],
  );
});
